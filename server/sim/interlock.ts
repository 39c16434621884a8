/**
 * The simulated ignition-interlock fleet (seed 001): certified installers, drivers obliged to
 * drive with a device, the devices fitted to some of the simulated cars, and the device log
 * stream on the `interlock_event` topic.
 *
 * Mostly passes: a breath test at every engine start and rolling retests while driving, a few of
 * them failed (0.03% or more) or missed, rarely tampering, a bypass or a power cut while driving,
 * and now and then a calibration or a log submission. A few devices are set up so that their
 * calibration (six months) or log submission (a month) falls overdue in the first hour.
 *
 * Deterministic like the traffic simulator: its own seedrandom streams (the traffic streams are
 * untouched, so enabling it changes nothing else), time only through the steps it is given.
 */
import seedrandom from 'seedrandom';
import type {
  InterlockDevice,
  InterlockMasterData,
  InterlockOperator,
  InterlockSubject,
} from '../../shared/interlock';
import { formatKstIso } from '../../shared/time';
import type { TopicWireRow } from '../../shared/topics';
import {
  addMonthsKst,
  BAC_LIMIT_PERCENT,
  CALIBRATION_INTERVAL_MONTHS,
  LOG_SUBMISSION_INTERVAL_DAYS,
} from '../domain/interlock-rules';
import { intBetween, pick, randomKoreanName, type Rng, type Sex } from './names';

/** The parts of the traffic simulator this one reads. */
export interface InterlockSimVehicle {
  carId: string;
  plate: string;
  age: number;
  sex: Sex;
}
export interface InterlockSimState {
  lon: Float64Array;
  lat: Float64Array;
  driving: Uint8Array;
}

const MS_PER_MIN = 60_000;
const MS_PER_DAY = 86_400_000;

// ── Fleet ───────────────────────────────────────────────────────────────────────────────────────
/** Share of simulated cars with a device: 2,000 cars give 60 devices. */
const DEVICE_SHARE = 0.03;
const MAX_DEVICES = 5000;
/** Certified installers in Busan; the last two are not active yet (대기, 승인). */
const OPERATORS: readonly { name: string; status: InterlockOperator['status'] }[] = [
  { name: '부산인터락서비스', status: 'active' },
  { name: '해운대안전장치', status: 'active' },
  { name: '동래차량전장', status: 'active' },
  { name: '사상오토케어', status: 'active' },
  { name: '남부산모빌리티', status: 'approved' },
  { name: '영도카테크', status: 'pending' },
];
const INSTALLING_OPERATORS = OPERATORS.filter((o) => o.status === 'active').length;
const MODELS: readonly { code: string; name: string }[] = [
  { code: 'BS', name: 'BreathSafe K-200' },
  { code: 'IL', name: 'InterLock Pro 5' },
  { code: 'DG', name: 'DriveGuard A3' },
];
/** Installed this long before the start (the obligation starts on installation). */
const INSTALLED_AGO_DAYS = { min: 14, max: 700 } as const;
/** 결격기간: one to five years under the road traffic act. */
const OBLIGATION_YEARS = { min: 1, max: 5 } as const;
const DAYS_PER_YEAR = 365;
/** The simulated obligations have at least this long left. */
const OBLIGATION_LEFT_MIN_DAYS = 30;
/** Share of devices whose calibration / log falls due within the first hour. */
const NEAR_DUE_SHARE = 0.1;
const NEAR_DUE_MIN = { min: 1, max: 50 } as const;
/** The others were calibrated this many days ago (well inside six months)… */
const CALIBRATED_AGO_DAYS = { min: 3, max: 170 } as const;
/** …and submitted their log this many days ago (inside the month). */
const LOG_SUBMITTED_AGO_DAYS = { min: 1, max: 25 } as const;
/** A fitted, working device in the registry's words. */
const DEVICE_STATUS_OK = '정상';
/** 부산 licences start with region code 12. */
const BUSAN_LICENCE_REGION = '12';

// ── Events ──────────────────────────────────────────────────────────────────────────────────────
/** Mean seconds between rolling retests while driving (devices ask every few minutes). */
const RETEST_MEAN_S = 240;
const START_FAIL_SHARE = 0.1;
const RETEST_FAIL_SHARE = 0.015;
const RETEST_MISSED_SHARE = 0.06;
/** Readings of a failed test, in % BAC. */
const FAIL_BAC = { min: BAC_LIMIT_PERCENT, max: 0.15 } as const;
/** Share of passes with a trace of alcohol under the limit (mouthwash, last night). */
const TRACE_SHARE = 0.05;
const TRACE_BAC = { min: 0.005, max: 0.025 } as const;
/** Interference while driving: about once per two hours of driving per device. */
const INTERFERENCE_MEAN_S = 2 * 3600;
const INTERFERENCE_KINDS: readonly (readonly ['tamper' | 'bypass' | 'power_cut', number])[] = [
  ['tamper', 3],
  ['bypass', 2],
  ['power_cut', 5],
];
/** A parked power cut (battery change): not a violation, but in the log. */
const PARKED_POWER_CUT_MEAN_S = 6 * 3600;
const CALIBRATION_MEAN_S = 8 * 3600;
const CALIBRATION_FAIL_SHARE = 0.05;
const LOG_SUBMISSION_MEAN_S = 4 * 3600;
const BAC_DECIMALS = 1000;
const ID_PAD = 6;
const SHORT_PAD = 5;

const pad = (n: number, width = ID_PAD) => String(n).padStart(width, '0');
const between = (rng: Rng, min: number, max: number) => min + rng() * (max - min);
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const roundBac = (x: number) => Math.round(x * BAC_DECIMALS) / BAC_DECIMALS;

export class InterlockSimulator {
  private readonly operators: InterlockOperator[];
  private readonly subjects: InterlockSubject[];
  private readonly devices: InterlockDevice[];
  /** Per device: the index of its vehicle in the traffic simulator. */
  private readonly vehicleOf: Int32Array;
  private readonly wasDriving: Uint8Array;
  private readonly rng: Rng;
  private readonly eventPrefix: string;
  private eventSeq = 0;

  constructor(options: {
    seed: string;
    startTimeMs: number;
    vehicles: readonly InterlockSimVehicle[];
    /** Driving at the start, so cars already on the road do not all "start" on the first step. */
    driving: Uint8Array;
  }) {
    const { seed, startTimeMs: start, vehicles } = options;
    const fleetRng = seedrandom.alea(`${seed}:interlock-fleet`);
    this.rng = seedrandom.alea(`${seed}:interlock-events`);
    // Event ids carry the start time: a restarted simulator must not reuse the ids of the last run.
    this.eventPrefix = `ILE${formatKstIso(start).slice(0, 19).replace(/\D/g, '')}-`;

    this.operators = OPERATORS.map((o, i) => ({
      operatorId: `ILO-${pad(i + 1, 3)}`,
      companyName: o.name,
      status: o.status,
      approvedMs:
        o.status === 'pending' ? null : start - intBetween(fleetRng, 30, 900) * MS_PER_DAY,
      contact: `051-${intBetween(fleetRng, 200, 999)}-${pad(intBetween(fleetRng, 0, 9999), 4)}`,
    }));

    const count =
      vehicles.length === 0
        ? 0
        : Math.min(MAX_DEVICES, Math.max(1, Math.round(vehicles.length * DEVICE_SHARE)));
    const chosen = pickDistinct(fleetRng, vehicles.length, count);
    this.vehicleOf = Int32Array.from(chosen);
    this.wasDriving = new Uint8Array(count);
    this.subjects = [];
    this.devices = [];
    chosen.forEach((v, i) => {
      const vehicle = vehicles[v]!;
      this.wasDriving[i] = options.driving[v] ?? 0;
      const years = intBetween(fleetRng, OBLIGATION_YEARS.min, OBLIGATION_YEARS.max);
      // Everyone simulated is still obliged: installed less than their period ago.
      const installedAgoMaxDays = Math.min(
        INSTALLED_AGO_DAYS.max,
        years * DAYS_PER_YEAR - OBLIGATION_LEFT_MIN_DAYS,
      );
      const installMs =
        start -
        Math.round(between(fleetRng, INSTALLED_AGO_DAYS.min, installedAgoMaxDays) * MS_PER_DAY);
      const subjectId = `ILS-${pad(i + 1, SHORT_PAD)}`;
      this.subjects.push({
        subjectId,
        name: randomKoreanName(fleetRng, vehicle.sex, vehicle.age),
        licenceNumber: randomLicence(fleetRng, vehicle.age, start),
        phone: `010-${pad(intBetween(fleetRng, 2000, 9999), 4)}-${pad(intBetween(fleetRng, 0, 9999), 4)}`,
        obligationStartMs: installMs,
        obligationEndMs: installMs + years * DAYS_PER_YEAR * MS_PER_DAY,
      });
      const model = pick(fleetRng, MODELS);
      const nearDue = () =>
        start + Math.round(between(fleetRng, NEAR_DUE_MIN.min, NEAR_DUE_MIN.max) * MS_PER_MIN);
      const calibrationMs =
        fleetRng() < NEAR_DUE_SHARE
          ? addMonthsKst(nearDue(), -CALIBRATION_INTERVAL_MONTHS)
          : start -
            Math.round(
              between(fleetRng, CALIBRATED_AGO_DAYS.min, CALIBRATED_AGO_DAYS.max) * MS_PER_DAY,
            );
      const logMs =
        fleetRng() < NEAR_DUE_SHARE
          ? nearDue() - LOG_SUBMISSION_INTERVAL_DAYS * MS_PER_DAY
          : start -
            Math.round(
              between(fleetRng, LOG_SUBMITTED_AGO_DAYS.min, LOG_SUBMITTED_AGO_DAYS.max) *
                MS_PER_DAY,
            );
      this.devices.push({
        deviceId: `ILD-${pad(i + 1, SHORT_PAD)}`,
        serialNumber: `${model.code}${formatKstIso(installMs).slice(2, 4)}-${pad(intBetween(fleetRng, 0, 999_999))}`,
        model: model.name,
        installMs,
        // A device never counts from before its installation.
        lastCalibrationMs: Math.max(installMs, calibrationMs),
        lastLogSubmittedMs: Math.max(installMs, logMs),
        subjectId,
        operatorId: this.operators[i % INSTALLING_OPERATORS]!.operatorId,
        carId: vehicle.carId,
        plate: vehicle.plate,
        // As the interlock system's registry writes it (seed §4 DEVICE.status).
        status: DEVICE_STATUS_OK,
      });
    });
  }

  get deviceCount(): number {
    return this.devices.length;
  }

  /** The installers, obliged drivers and devices, for the relay to store at start. */
  masterData(): InterlockMasterData {
    return {
      operators: this.operators.map((o) => ({ ...o })),
      subjects: this.subjects.map((s) => ({ ...s })),
      devices: this.devices.map((d) => ({ ...d })),
    };
  }

  /** Advances one step (`dt` seconds ending at `atMs`) and appends the device events it caused. */
  step(
    atMs: number,
    dt: number,
    state: InterlockSimState,
    out: TopicWireRow<'interlock_event'>[],
  ): void {
    const rng = this.rng;
    const at = formatKstIso(atMs);
    for (let i = 0; i < this.devices.length; i++) {
      const v = this.vehicleOf[i]!;
      const driving = state.driving[v] === 1;
      const deviceId = this.devices[i]!.deviceId;
      const event = (
        type: TopicWireRow<'interlock_event'>['event_type'],
        result: string | null,
        bac: number | null,
        located: boolean,
      ) =>
        out.push({
          event_id: `${this.eventPrefix}${pad(++this.eventSeq)}`,
          device_id: deviceId,
          event_type: type,
          bac,
          result,
          lat: located ? round6(state.lat[v]!) : null,
          lon: located ? round6(state.lon[v]!) : null,
          occurred_at: at,
        });

      if (driving && !this.wasDriving[i]) {
        // The engine started: the start test came first.
        const failed = rng() < START_FAIL_SHARE;
        event('start_test', failed ? 'fail' : 'pass', this.reading(failed), true);
      }
      this.wasDriving[i] = driving ? 1 : 0;

      if (driving) {
        if (rng() < dt / RETEST_MEAN_S) {
          const r = rng();
          if (r < RETEST_MISSED_SHARE) event('rolling_retest', 'missed', null, true);
          else {
            const failed = r < RETEST_MISSED_SHARE + RETEST_FAIL_SHARE;
            event('rolling_retest', failed ? 'fail' : 'pass', this.reading(failed), true);
          }
        }
        if (rng() < dt / INTERFERENCE_MEAN_S) {
          event(weighted(rng, INTERFERENCE_KINDS), 'driving', null, true);
        }
      } else if (rng() < dt / PARKED_POWER_CUT_MEAN_S) {
        event('power_cut', 'parked', null, true);
      }
      // Workshop and portal: no position.
      if (rng() < dt / CALIBRATION_MEAN_S) {
        event('calibration', rng() < CALIBRATION_FAIL_SHARE ? 'fail' : 'pass', null, false);
      }
      if (rng() < dt / LOG_SUBMISSION_MEAN_S) event('log_submitted', 'submitted', null, false);
    }
  }

  /** A breath reading: over the limit for a failed test, else zero or a trace. */
  private reading(failed: boolean): number {
    const rng = this.rng;
    if (failed) return roundBac(between(rng, FAIL_BAC.min, FAIL_BAC.max));
    return rng() < TRACE_SHARE ? roundBac(between(rng, TRACE_BAC.min, TRACE_BAC.max)) : 0;
  }
}

function weighted<T>(rng: Rng, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let r = rng() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

/** `count` distinct indices below `n`, in a random order (partial Fisher–Yates). */
function pickDistinct(rng: Rng, n: number, count: number): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  const k = Math.min(count, n);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    const tmp = a[i]!;
    a[i] = a[j]!;
    a[j] = tmp;
  }
  return a.slice(0, k);
}

/** A Korean driving licence number: region-year-serial-check (`12-19-123456-78`). */
function randomLicence(rng: Rng, age: number, nowMs: number): string {
  const year = Number(formatKstIso(nowMs).slice(0, 4));
  const firstLicensedAt = Math.min(year, year - age + intBetween(rng, 18, 40));
  const yy = String(firstLicensedAt % 100).padStart(2, '0');
  return `${BUSAN_LICENCE_REGION}-${yy}-${pad(intBetween(rng, 0, 999_999))}-${pad(intBetween(rng, 0, 99), 2)}`;
}
