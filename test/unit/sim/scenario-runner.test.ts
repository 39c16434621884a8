/**
 * QA scenarios without I/O: the format's checks, places by district / 동 / coordinate, and the
 * determinism promise — the same seed and scenario give the same rows at the same offsets from
 * the start, however the ticks fall.
 */
import { describe, expect, it } from 'vitest';
import { scenarioSchema, type FiredScenarioEvent } from '../../../shared/scenarios';
import { checkScenario, scenarioPlaceResolver } from '../../../server/sim/scenario-file';
import { ScenarioRunner, type ScenarioStep } from '../../../server/sim/scenario-runner';
import { createPlaceLookup } from '../../../server/geo/places';

const SCENARIO = {
  version: 1,
  name: 'unit-all-kinds',
  randomEvents: { drowsy: false, arrears: false },
  events: [
    { at: 5, type: 'drowsy', place: { dong: '부전1동' }, label: 'nodding' },
    { at: 2.5, type: 'arrears_hit', plate: '12가3456', place: { district: '해운대구' } },
    { at: 8, type: 'missing_person_hit', place: { lon: 129.06, lat: 35.16 }, name: '김순자' },
    { at: 8, type: 'interlock_violation', rule: 'alcohol_start', place: { dong: 'Jwa 1-dong' } },
    { at: 10, type: 'feed_stall', durationS: 4 },
    { at: 12, type: 'tcs_outage', durationS: 30 },
  ],
};

function loaded() {
  const checked = checkScenario(SCENARIO);
  if (typeof checked === 'string') throw new Error(checked);
  return checked;
}

/** Ticks from the start to `untilS`, at the given tick times (seconds after start). */
function run(startMs: number, tickTimesS: number[], seed = 'unit-seed') {
  const runner = new ScenarioRunner({ ...loaded(), seed, startMs });
  const steps: { tickS: number; step: ScenarioStep }[] = [];
  for (const t of tickTimesS) steps.push({ tickS: t, step: runner.advance(startMs + t * 1000) });
  return { runner, steps };
}

/** Ids carry the run's start time (a restarted relay's rows are new rows): compare without it. */
function relative(fired: readonly FiredScenarioEvent[]) {
  return fired.map((f) => ({
    ...f,
    sourceIds: f.sourceIds.map((id) => id.replace(/\d{17}/, '…')),
  }));
}

describe('scenario format', () => {
  it('accepts the documented kinds and refuses what is wrong with the path of the problem', () => {
    expect(typeof checkScenario(SCENARIO)).toBe('object');
    const cases: [unknown, RegExp][] = [
      [{ ...SCENARIO, version: 2 }, /^version: must be 1/],
      [
        { ...SCENARIO, events: [{ at: 1, type: 'meteor', place: { dong: '부전1동' } }] },
        /^events\.0/,
      ],
      [
        {
          ...SCENARIO,
          events: [{ at: 1, type: 'arrears_hit', plate: 'ABC', place: { dong: '부전1동' } }],
        },
        /^events\.0\.plate: must be a Korean plate/,
      ],
      [
        {
          ...SCENARIO,
          events: [
            { at: 1, type: 'interlock_violation', rule: 'log_overdue', place: { dong: '부전1동' } },
          ],
        },
        /^events\.0\.rule/,
      ],
      [{ ...SCENARIO, events: [{ at: -1, type: 'feed_stall', durationS: 3 }] }, /^events\.0\.at/],
      [
        { ...SCENARIO, events: [{ at: 1, type: 'drowsy', place: { dong: '없는동' } }] },
        /^events\.0\.place: no neighbourhood/,
      ],
      [
        {
          ...SCENARIO,
          events: [{ at: 1, type: 'drowsy', place: { dong: '부전1동', district: '해운대구' } }],
        },
        /not in 해운대구/,
      ],
      [{ ...SCENARIO, surprise: true }, /Unrecognized key/],
    ];
    for (const [value, reason] of cases) expect(checkScenario(value)).toMatch(reason);
  });

  it('places a district, a 동 (Korean, English or code) and a coordinate where they are', () => {
    const resolve = scenarioPlaceResolver();
    const placeOf = createPlaceLookup();
    const at = (place: Parameters<typeof resolve>[0]) => {
      const point = resolve(place);
      if (typeof point === 'string') throw new Error(point);
      return placeOf(point.lon, point.lat);
    };
    expect(at({ dong: '부전1동' })?.dongName).toBe('부전1동');
    expect(at({ dong: 'Bujeon 1-dong' })?.dongName).toBe('부전1동');
    expect(at({ dong: '2105082', district: '부산진구' })?.dongName).toBe('부전1동');
    expect(at({ district: '해운대구' })?.districtName).toBe('해운대구');
    expect(at({ district: 'Haeundae-gu' })?.districtName).toBe('해운대구');
    expect(at({ district: '21090' })?.districtName).toBe('해운대구');
    expect(resolve({ lon: 129.06, lat: 35.16 })).toEqual({ lon: 129.06, lat: 35.16 });
    expect(
      scenarioSchema.safeParse({
        ...SCENARIO,
        events: [{ at: 1, type: 'drowsy', place: { lon: 127, lat: 37.5 } }],
      }).success,
    ).toBe(false);
  });
});

describe('scenario runner', () => {
  it('hands each event out once, on the first tick at or after its offset, stamped at the offset', () => {
    const start = Date.UTC(2026, 0, 5, 1, 0, 0, 250);
    const { steps, runner } = run(start, [1, 2.6, 3, 7.9, 8.0, 20]);
    const firedAt = steps.map(({ tickS, step }) => [tickS, step.fired.map((f) => f.type)]);
    expect(firedAt).toEqual([
      [1, []],
      [2.6, ['arrears_hit']],
      [3, []],
      [7.9, ['drowsy']],
      [8, ['missing_person_hit', 'interlock_violation']],
      [20, ['feed_stall', 'tcs_outage']],
    ]);
    expect(runner.fired.map((f) => f.offsetMs)).toEqual([2500, 5000, 8000, 8000, 10_000, 12_000]);

    const arrears = steps[1]!.step;
    // The list row comes before the plate read; the read is stamped at the offset, not the tick.
    expect(arrears.lists.arrears_info?.[0]?.car_plate_number).toBe('12가3456');
    expect(arrears.events.arrears_detection?.[0]).toMatchObject({
      car_plate_number: '12가3456',
      detection_success: 1,
      detected_time: new Date(start + 2500 + 9 * 3_600_000).toISOString().slice(0, 23),
    });
    const drowsy = steps[3]!.step;
    expect(drowsy.lists.uservehicle?.[0]?.car_id).toBe(drowsy.events.driving_session?.[0]?.car_id);
    expect(drowsy.events.drowsy_drive?.[0]?.session_id).toBe(
      drowsy.events.driving_session?.[0]?.session_id,
    );
    expect(drowsy.fired[0]?.label).toBe('nodding');
    const interlock = steps[4]!.step;
    expect(interlock.interlock?.devices[0]?.deviceId).toBe(
      interlock.events.interlock_event?.[0]?.device_id,
    );
    expect(interlock.events.interlock_event?.[0]).toMatchObject({
      event_type: 'start_test',
      result: 'fail',
      bac: 0.08,
    });
    expect(interlock.lists.missing_person_info?.[0]?.name).toBe('김순자');
  });

  it('stalls the feed and fails TCS for their windows only', () => {
    const start = 1_000_000;
    const { runner } = run(start, []);
    const at = (s: number) => start + s * 1000;
    expect([9.9, 10, 13.9, 14].map((s) => runner.feedStalled(at(s)))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect([11, 12, 41.9, 42].map((s) => runner.tcsDown(at(s)))).toEqual([
      false,
      true,
      true,
      false,
    ]);
    expect(runner.randomEvents).toEqual({
      drowsy: false,
      arrears: false,
      missingPerson: true,
      interlock: true,
    });
  });

  it('two runs of one seed and scenario: the same events at the same offsets, whatever the ticks', () => {
    const a = run(Date.UTC(2026, 0, 5, 1, 0, 0, 0), [0.5, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    // Another day, another millisecond, ticks that come late and unevenly.
    const b = run(Date.UTC(2026, 2, 9, 13, 27, 41, 613), [3.3, 8.7, 30]);
    expect(relative(b.runner.fired)).toEqual(relative(a.runner.fired));
    // And the rows themselves, apart from the run tag and the absolute times.
    const rows = (r: typeof a) =>
      JSON.stringify(r.steps.map((s) => s.step.events.drowsy_drive ?? []).flat())
        .replace(/\d{17}/g, '…')
        .replace(/"\d{4}-\d\d-\d\dT[\d:.]+"/g, '"t"');
    expect(rows(b)).toEqual(rows(a));
    // A different seed draws different plates where the file names none.
    const c = run(Date.UTC(2026, 0, 5, 1, 0, 0, 0), [30], 'another-seed');
    expect(c.runner.fired.find((f) => f.type === 'drowsy')?.plate).not.toBe(
      a.runner.fired.find((f) => f.type === 'drowsy')?.plate,
    );
  });
});
