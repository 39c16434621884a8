/**
 * Plays a QA scenario (shared/scenarios.ts) beside the simulator: every event becomes the topic
 * rows the upstream would send for it, stamped exactly `at` seconds after the scenario's start,
 * and is handed out on the first tick at or after that moment. Stalls and TCS outages are windows
 * the caller asks about on every tick.
 *
 * Deterministic: every row is built up front, in the file's order, from the place resolver and a
 * seedrandom stream of the simulator seed and the scenario's name — never from when the ticks
 * happen to come. The same seed and scenario give the same rows at the same offsets; only the
 * run tag in ids (the start time, so a restarted relay's rows are new rows, not duplicates) and
 * the absolute times differ between runs. Pure: time comes in as arguments.
 */
import seedrandom from 'seedrandom';
import type { InterlockMasterData } from '../../shared/interlock';
import {
  ALL_RANDOM_EVENTS,
  type FiredScenarioEvent,
  type RandomEventSwitches,
  type Scenario,
  type ScenarioEvent,
  type ScenarioInterlockRule,
} from '../../shared/scenarios';
import { formatKstIso } from '../../shared/time';
import {
  CAR_BRANDS,
  intBetween,
  randomDriverAge,
  randomDriverSex,
  randomKoreanName,
  randomMissingDescription,
  randomPlate,
  weightedPick,
  type Rng,
  type Sex,
} from './names';
import type { ResolvedPlace } from './scenario-places';
import type { SimBatch } from './simulator';

const MS_PER_S = 1000;
const MS_PER_MIN = 60_000;
const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;
/** The drowsy car has been driving this long when its driver nods off. */
const DROWSY_SESSION_AGE_MS = 12 * MS_PER_MIN;
const DROWSY_SPEED_KMH = 48;
const GAZE_CLOSURE = { min: 4, max: 10 } as const;
const HEAD_DROP = { min: 1, max: 4 } as const;
const ARREARS_AMOUNT_KRW = { min: 300_000, max: 3_000_000 } as const;
const ARREARS_AMOUNT_STEP_KRW = 10_000;
const NOTICES = { min: 2, max: 9 } as const;
const PLATE_READ_CONFIDENCE = 0.95;
const MISSING_AGE = { min: 68, max: 88 } as const;
const MISSING_REPORTED_AGO_MS = 5 * MS_PER_HOUR;
/** A failed breath test's reading when the scenario names none (% BAC). */
const DEFAULT_FAIL_BAC = 0.08;
const DEVICE_INSTALLED_AGO_MS = 60 * MS_PER_DAY;
const DEVICE_CALIBRATED_AGO_MS = 20 * MS_PER_DAY;
const DEVICE_LOG_AGO_MS = 5 * MS_PER_DAY;
const OBLIGATION_MS = 2 * 365 * MS_PER_DAY;
const ID_PAD = 4;

/** What one device event of each rule looks like on the `interlock_event` topic. */
const RULE_EVENTS: Readonly<
  Record<ScenarioInterlockRule, { type: string; result: string; alcohol: boolean }>
> = {
  alcohol_start: { type: 'start_test', result: 'fail', alcohol: true },
  alcohol_retest: { type: 'rolling_retest', result: 'fail', alcohol: true },
  retest_missed: { type: 'rolling_retest', result: 'missed', alcohol: false },
  tamper: { type: 'tamper', result: 'driving', alcohol: false },
  bypass: { type: 'bypass', result: 'driving', alcohol: false },
  power_cut: { type: 'power_cut', result: 'driving', alcohol: false },
};

/** Rows of the master lists go in before the events that need them. */
export interface ScenarioStep {
  lists: SimBatch;
  events: SimBatch;
  interlock: InterlockMasterData | null;
  fired: FiredScenarioEvent[];
}

interface Planned {
  atMs: number;
  fired: FiredScenarioEvent;
  lists: SimBatch;
  events: SimBatch;
  interlock: InterlockMasterData | null;
}

interface Window {
  fromMs: number;
  toMs: number;
}

export interface ScenarioRunnerOptions {
  scenario: Scenario;
  seed: string;
  startMs: number;
  /** The resolved place of each event, by index (null for stalls and outages). */
  places: readonly (ResolvedPlace | null)[];
}

export class ScenarioRunner {
  readonly scenario: Scenario;
  readonly startMs: number;
  readonly randomEvents: RandomEventSwitches;
  private readonly planned: Planned[];
  private readonly stalls: Window[] = [];
  private readonly outages: Window[] = [];
  private next = 0;
  private readonly firedSoFar: FiredScenarioEvent[] = [];

  constructor(options: ScenarioRunnerOptions) {
    const { scenario, startMs } = options;
    this.scenario = scenario;
    this.startMs = startMs;
    this.randomEvents = { ...ALL_RANDOM_EVENTS, ...scenario.randomEvents };
    const rng = seedrandom.alea(`${options.seed}:scenario:${scenario.name}`);
    const runTag = formatKstIso(startMs).replace(/\D/g, '');
    const planned = scenario.events.map((event, index) =>
      plan(event, index, options.places[index] ?? null, { rng, runTag, startMs }),
    );
    for (const [index, event] of scenario.events.entries()) {
      if (event.type !== 'feed_stall' && event.type !== 'tcs_outage') continue;
      const fromMs = planned[index]!.atMs;
      const window = { fromMs, toMs: fromMs + event.durationS * MS_PER_S };
      (event.type === 'feed_stall' ? this.stalls : this.outages).push(window);
    }
    // Stable: events at the same offset keep the file's order.
    this.planned = planned
      .map((p, i) => ({ p, i }))
      .sort((a, b) => a.p.atMs - b.p.atMs || a.i - b.i)
      .map(({ p }) => p);
  }

  /** The events due by `nowMs` that were not handed out yet, as rows to ingest. */
  advance(nowMs: number): ScenarioStep {
    const step: ScenarioStep = { lists: {}, events: {}, interlock: null, fired: [] };
    while (this.next < this.planned.length && this.planned[this.next]!.atMs <= nowMs) {
      const p = this.planned[this.next++]!;
      appendBatch(step.lists, p.lists);
      appendBatch(step.events, p.events);
      if (p.interlock) {
        step.interlock ??= { operators: [], subjects: [], devices: [] };
        step.interlock.subjects.push(...p.interlock.subjects);
        step.interlock.devices.push(...p.interlock.devices);
      }
      step.fired.push(p.fired);
      this.firedSoFar.push(p.fired);
    }
    return step;
  }

  /** The simulator sends no positions now (a feed stall is in progress). */
  feedStalled(nowMs: number): boolean {
    return this.stalls.some((w) => nowMs >= w.fromMs && nowMs < w.toMs);
  }

  /** The TCS stand-in should be failing now. */
  tcsDown(nowMs: number): boolean {
    return this.outages.some((w) => nowMs >= w.fromMs && nowMs < w.toMs);
  }

  /** Every outage ends: the last moment anything of this scenario is due. */
  get endMs(): number {
    const ends = [
      ...this.planned.map((p) => p.atMs),
      ...this.stalls.map((w) => w.toMs),
      ...this.outages.map((w) => w.toMs),
    ];
    return ends.length === 0 ? this.startMs : Math.max(...ends);
  }

  get fired(): readonly FiredScenarioEvent[] {
    return this.firedSoFar;
  }
}

/** `into` with `from`'s rows added after its own, topic by topic (returns `into`). */
export function mergeBatch(into: SimBatch, from: SimBatch): SimBatch {
  appendBatch(into, from);
  return into;
}

function appendBatch(into: SimBatch, from: SimBatch): void {
  for (const [topic, rows] of Object.entries(from) as [keyof SimBatch, object[]][]) {
    const list = (into[topic] ??= []) as object[];
    list.push(...rows);
  }
}

interface PlanContext {
  rng: Rng;
  runTag: string;
  startMs: number;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const pad = (n: number) => String(n).padStart(ID_PAD, '0');

/** The rows of one event. Every random draw happens here, in file order, whatever the event. */
function plan(
  event: ScenarioEvent,
  index: number,
  place: ResolvedPlace | null,
  { rng, runTag, startMs }: PlanContext,
): Planned {
  const atMs = startMs + Math.round(event.at * MS_PER_S);
  const at = formatKstIso(atMs);
  const n = pad(index + 1);
  const tag = `SCN${runTag}-${n}`;
  // Drawn for every event, used or not, so one event's fields never shift another's.
  const age = randomDriverAge(rng);
  const sex: Sex = randomDriverSex(rng, age);
  const drawnPlate = randomPlate(rng);
  const brand = weightedPick(rng, CAR_BRANDS);
  const plate = 'plate' in event && event.plate !== undefined ? event.plate : drawnPlate;
  const lat = place ? round6(place.lat) : null;
  const lon = place ? round6(place.lon) : null;
  const fired: FiredScenarioEvent = {
    index,
    type: event.type,
    label: event.label ?? null,
    offsetMs: atMs - startMs,
    lon,
    lat,
    plate: 'place' in event ? plate : null,
    sourceIds: [],
  };
  const result: Planned = { atMs, fired, lists: {}, events: {}, interlock: null };

  switch (event.type) {
    case 'drowsy': {
      const carId = `scn_${n}`;
      const sessionId = `${tag}-S`;
      const drowsyId = `${tag}-DRW`;
      result.lists.uservehicle = [
        {
          car_id: carId,
          age,
          user_sex: sex,
          user_car_brand: brand,
          car_plate_number: plate,
          updated_at: at,
        },
      ];
      result.events.driving_session = [
        {
          session_id: sessionId,
          car_id: carId,
          start_time: formatKstIso(atMs - DROWSY_SESSION_AGE_MS),
          end_time: null,
        },
      ];
      result.events.driving_session_info = [
        {
          info_id: `${sessionId}-1`,
          session_id: sessionId,
          app_lat: lat!,
          app_lon: lon!,
          speed: DROWSY_SPEED_KMH,
          app_rapid_acc: 0,
          app_weather_status: '맑음',
          dt: at,
        },
      ];
      const gaze = intBetween(rng, GAZE_CLOSURE.min, GAZE_CLOSURE.max);
      const head = intBetween(rng, HEAD_DROP.min, HEAD_DROP.max);
      result.events.drowsy_drive = [
        {
          drowsy_id: drowsyId,
          session_id: sessionId,
          detected_at: at,
          gaze_closure: event.gazeClosure ?? gaze,
          head_drop: event.headDrop ?? head,
        },
      ];
      fired.sourceIds.push(drowsyId);
      break;
    }
    case 'arrears_hit': {
      const share = rng();
      const drawnAmount =
        Math.round(
          (ARREARS_AMOUNT_KRW.min + share * (ARREARS_AMOUNT_KRW.max - ARREARS_AMOUNT_KRW.min)) /
            ARREARS_AMOUNT_STEP_KRW,
        ) * ARREARS_AMOUNT_STEP_KRW;
      const drawnNotices = intBetween(rng, NOTICES.min, NOTICES.max);
      const detectionId = `${tag}-ARR`;
      result.lists.arrears_info = [
        {
          car_plate_number: plate,
          arrears_user_id: `SCN-AU-${n}`,
          total_arrears_amount: event.amountKrw ?? drawnAmount,
          notice_count: event.notices ?? drawnNotices,
        },
      ];
      result.events.arrears_detection = [
        {
          detection_id: detectionId,
          image_id: `${tag}-IMG`,
          car_plate_number: plate,
          detection_success: 1,
          detected_lat: lat,
          detected_lon: lon,
          detected_time: at,
          confidence: PLATE_READ_CONFIDENCE,
        },
      ];
      fired.sourceIds.push(detectionId);
      break;
    }
    case 'missing_person_hit': {
      const personAge = event.age ?? intBetween(rng, MISSING_AGE.min, MISSING_AGE.max);
      const personSex = event.sex ?? sex;
      const drawnName = randomKoreanName(rng, personSex, personAge);
      const drawnDescription = randomMissingDescription(rng, personSex, personAge, '부산');
      const missingId = `SCN-MP-${n}`;
      const detectionId = `${tag}-MPD`;
      result.lists.missing_person_info = [
        {
          missing_id: missingId,
          name: event.name ?? drawnName,
          age: personAge,
          sex: personSex,
          car_plate_number: plate,
          description: event.description ?? drawnDescription,
          reported_at: formatKstIso(atMs - MISSING_REPORTED_AGO_MS),
        },
      ];
      result.events.missing_person_detection = [
        {
          detection_id: detectionId,
          image_id: `${tag}-IMG`,
          car_plate_number: plate,
          missing_id: missingId,
          detection_success: 1,
          detected_lat: lat,
          detected_lon: lon,
          detected_time: at,
        },
      ];
      fired.sourceIds.push(detectionId);
      break;
    }
    case 'interlock_violation': {
      const shape = RULE_EVENTS[event.rule];
      const subjectName = randomKoreanName(rng, sex, age);
      const deviceId = `ILD-SCN-${n}`;
      const subjectId = `ILS-SCN-${n}`;
      const eventId = `ILE-${tag}`;
      result.interlock = {
        operators: [],
        subjects: [
          {
            subjectId,
            name: subjectName,
            licenceNumber: null,
            phone: null,
            obligationStartMs: atMs - DEVICE_INSTALLED_AGO_MS,
            obligationEndMs: atMs - DEVICE_INSTALLED_AGO_MS + OBLIGATION_MS,
          },
        ],
        devices: [
          {
            deviceId,
            serialNumber: `SCN-${n}`,
            model: 'BreathSafe K-200',
            installMs: atMs - DEVICE_INSTALLED_AGO_MS,
            lastCalibrationMs: atMs - DEVICE_CALIBRATED_AGO_MS,
            lastLogSubmittedMs: atMs - DEVICE_LOG_AGO_MS,
            subjectId,
            operatorId: null,
            carId: `scn_${n}`,
            plate,
          },
        ],
      };
      result.events.interlock_event = [
        {
          event_id: eventId,
          device_id: deviceId,
          event_type: shape.type,
          bac: shape.alcohol ? (event.bac ?? DEFAULT_FAIL_BAC) : null,
          result: shape.result,
          lat,
          lon,
          occurred_at: at,
        },
      ];
      fired.sourceIds.push(eventId);
      break;
    }
    case 'feed_stall':
    case 'tcs_outage':
      break;
  }
  return result;
}
