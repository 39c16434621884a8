/**
 * QA scenarios for the embedded simulator (docs/TESTING.md): a JSON file that places chosen
 * events at chosen offsets after the scenario starts, at a district, a neighbourhood (동) or a
 * coordinate — a drowsy driver, an arrears or missing-person plate hit, an interlock violation of
 * one rule, a feed stall, the TCS stand-in failing for a while. Loaded at start (`SIM_SCENARIO`)
 * or by an admin at run time (`POST /api/sim/scenario`); refused where the source is Kafka.
 *
 * The relay and test scripts both read these types; the schema is the one definition of the
 * format. Renaming a field is a breaking change of the QA contract (docs/TESTING.md).
 */
import { z } from 'zod';
import { normalizePlate } from './plates';

/** The format version a file declares; a future incompatible format gets a new number. */
export const SCENARIO_FORMAT_VERSION = 1;
/** A scenario may reach this far after its start (a day): longer runs are not a test. */
export const MAX_SCENARIO_OFFSET_S = 86_400;
export const MAX_SCENARIO_EVENTS = 1000;
/** Stalls and outages last at most an hour. */
export const MAX_SCENARIO_DURATION_S = 3_600;
const MAX_NAME_LENGTH = 100;
const MAX_TEXT_LENGTH = 500;
const BUSAN_BOUNDS = { west: 128.7, east: 129.4, south: 34.9, north: 35.45 } as const;

export const SCENARIO_EVENT_TYPES = [
  'drowsy',
  'arrears_hit',
  'missing_person_hit',
  'interlock_violation',
  'feed_stall',
  'tcs_outage',
] as const;
export type ScenarioEventType = (typeof SCENARIO_EVENT_TYPES)[number];

/** The rules a single device event breaks (the overdue rules come from dates, not an event). */
export const SCENARIO_INTERLOCK_RULES = [
  'alcohol_start',
  'alcohol_retest',
  'retest_missed',
  'tamper',
  'bypass',
  'power_cut',
] as const;
export type ScenarioInterlockRule = (typeof SCENARIO_INTERLOCK_RULES)[number];

/**
 * Where an event happens: a district (구·군) by Korean or English name or code (`해운대구`,
 * `Haeundae-gu`, `21090`), a neighbourhood by name or code (`부전동`, `2105067`), optionally with
 * its district, or a coordinate. A district or neighbourhood resolves to a fixed point in it.
 */
export const scenarioPlaceSchema = z.union([
  z
    .object({
      lon: z.number().min(BUSAN_BOUNDS.west).max(BUSAN_BOUNDS.east),
      lat: z.number().min(BUSAN_BOUNDS.south).max(BUSAN_BOUNDS.north),
    })
    .strict(),
  z
    .object({
      dong: z.string().trim().min(1).max(MAX_NAME_LENGTH),
      district: z.string().trim().min(1).max(MAX_NAME_LENGTH).optional(),
    })
    .strict(),
  z.object({ district: z.string().trim().min(1).max(MAX_NAME_LENGTH) }).strict(),
]);
export type ScenarioPlace = z.infer<typeof scenarioPlaceSchema>;

const plate = z
  .string()
  .trim()
  .refine((text) => normalizePlate(text) !== null, 'must be a Korean plate such as 12가3456');
const offset = z.number().min(0).max(MAX_SCENARIO_OFFSET_S);
const duration = z.number().positive().max(MAX_SCENARIO_DURATION_S);
/** A breath reading in % BAC. */
const bac = z.number().min(0).max(1);

const base = {
  /** Seconds after the scenario starts (fractions allowed). */
  at: offset,
  /** A name the test can find the event by in `GET /api/sim/scenario`. */
  label: z.string().trim().min(1).max(MAX_NAME_LENGTH).optional(),
};

export const scenarioEventSchema = z.discriminatedUnion('type', [
  z
    .object({
      ...base,
      type: z.literal('drowsy'),
      place: scenarioPlaceSchema,
      /** The drowsy car's plate; a seeded one when left out. */
      plate: plate.optional(),
      /** Seconds the eyes stayed closed, head drops. */
      gazeClosure: z.number().int().min(0).max(60).optional(),
      headDrop: z.number().int().min(0).max(60).optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('arrears_hit'),
      place: scenarioPlaceSchema,
      plate: plate.optional(),
      amountKrw: z.number().int().min(1).max(10_000_000_000).optional(),
      notices: z.number().int().min(1).max(99).optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('missing_person_hit'),
      place: scenarioPlaceSchema,
      plate: plate.optional(),
      name: z.string().trim().min(1).max(MAX_NAME_LENGTH).optional(),
      age: z.number().int().min(1).max(120).optional(),
      sex: z.enum(['남', '여']).optional(),
      description: z.string().trim().min(1).max(MAX_TEXT_LENGTH).optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('interlock_violation'),
      rule: z.enum(SCENARIO_INTERLOCK_RULES, {
        message: `must be one of ${SCENARIO_INTERLOCK_RULES.join(', ')}`,
      }),
      place: scenarioPlaceSchema,
      /** The car the device is fitted to (a scenario device of its own). */
      plate: plate.optional(),
      /** For the alcohol rules; 0.08 when left out. */
      bac: bac.optional(),
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('feed_stall'),
      /** The simulator sends no positions for this many seconds. */
      durationS: duration,
    })
    .strict(),
  z
    .object({
      ...base,
      type: z.literal('tcs_outage'),
      /** The TCS stand-in answers 503 to every case for this many seconds. */
      durationS: duration,
    })
    .strict(),
]);
export type ScenarioEvent = z.infer<typeof scenarioEventSchema>;

/** The simulator's own dice; false switches one kind off (a scenario's events still happen). */
export const randomEventsSchema = z
  .object({
    drowsy: z.boolean().optional(),
    arrears: z.boolean().optional(),
    missingPerson: z.boolean().optional(),
    interlock: z.boolean().optional(),
  })
  .strict();
export type RandomEventSwitches = Required<z.infer<typeof randomEventsSchema>>;
export const ALL_RANDOM_EVENTS: Readonly<RandomEventSwitches> = {
  drowsy: true,
  arrears: true,
  missingPerson: true,
  interlock: true,
};

export const scenarioSchema = z
  .object({
    version: z.literal(SCENARIO_FORMAT_VERSION, {
      message: `must be ${SCENARIO_FORMAT_VERSION}`,
    }),
    name: z.string().trim().min(1).max(MAX_NAME_LENGTH),
    description: z.string().trim().max(MAX_TEXT_LENGTH).optional(),
    /** Left out: every kind of random event stays as the simulator rolls it. */
    randomEvents: randomEventsSchema.optional(),
    events: z.array(scenarioEventSchema).max(MAX_SCENARIO_EVENTS),
  })
  .strict();
export type Scenario = z.infer<typeof scenarioSchema>;

/** One line naming where a scenario is wrong (`events.2.place: …`). */
export function scenarioProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'is not a valid scenario';
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}

/** An event the relay has carried out: what, when (relative to the start) and where. */
export interface FiredScenarioEvent {
  index: number;
  type: ScenarioEventType;
  label: string | null;
  /** Milliseconds after the scenario's start the event is stamped with (exactly `at` × 1000). */
  offsetMs: number;
  /** The resolved place, null for stalls and outages. */
  lon: number | null;
  lat: number | null;
  plate: string | null;
  /** The source rows' ids (detection, drowsy, interlock event), for finding the alert. */
  sourceIds: string[];
}

/** `GET /api/sim/scenario` and the answer of `POST`. */
export interface ScenarioStatusResponse {
  scenario: {
    name: string;
    /** Epoch ms of the scenario's start: the relay's start, or when it was loaded. */
    startedAtMs: number;
    events: number;
    fired: FiredScenarioEvent[];
    /** A feed stall or a TCS outage in progress now. */
    feedStalled: boolean;
    tcsDown: boolean;
    randomEvents: RandomEventSwitches;
  } | null;
}
