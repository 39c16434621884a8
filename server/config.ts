/**
 * The relay's configuration: one schema, validated at start. The Config type is derived from the
 * schema, so it cannot drift from what is checked. A bad value stops the start with one line that
 * names the variable.
 */
import { statSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../shared/alerts';
import { FIRST_ADMIN_USERNAME } from '../shared/auth';
import { DEFAULT_COMMAND_LIMITS, LIMITER_STORE_KINDS } from './limits/command-limiter';
import { MOCK_MODE_HELP, parseMockMode } from './tcs/tcs-mock-mode';
import { passwordProblem } from './auth/password-policy';
import { ROLES, type Role } from '../shared/roles';
import {
  caFileProblem,
  KAFKA_SASL_MECHANISMS,
  transportSecurityProblem,
} from './transport-security';
import { readScenarioFile } from './sim/scenario-file';

const MIN_JWT_SECRET_LENGTH = 32;
const MINUTES_PER_DAY = 24 * 60;
const HOURS_PER_WEEK = 7 * 24;
const MINUTES_PER_WEEK = HOURS_PER_WEEK * 60;
/** An hour: older detections are history, not something a control room can still act on. */
const DEFAULT_NEW_GROUP_LOOKBACK_MINUTES = 60;

/** How long an unacknowledged alert of each severity may wait before it escalates (DESIGN §5). */
export const DEFAULT_ALERT_DEADLINES_MINUTES: Readonly<Record<Severity, number>> = {
  critical: 2,
  high: 5,
  medium: 10,
  low: 30,
};
const MIN_ADMIN_PASSWORD_LENGTH = 8;
const MAX_SIM_VEHICLES = 200_000;

/** Environment values that are set but empty count as unset (as `.env` files often leave them). */
const unsetIfEmpty = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);

const integerInRange = (min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim() : v),
    z
      .string()
      .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(min, `must be a whole number from ${min} to ${max}`)
          .max(max, `must be a whole number from ${min} to ${max}`),
      ),
  );

const brokerList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((b) => b.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(z.string().regex(/^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/, 'must be host:port[,host:port…]'))
      .min(1, 'must list at least one host:port'),
  );

const booleanText = z
  .enum(['true', 'false', '1', '0'], 'must be true or false')
  .transform((v) => v === 'true' || v === '1');

const httpUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'http:' || u.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL');

const redisUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'redis:' || u.protocol === 'rediss:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a redis://[user:password@]host:port[/db] or rediss:// URL');

/**
 * A comma-separated list of http(s) origins (`https://relay-b.example:8787`): each must be an
 * origin alone — no path, query or credentials — so it can go into a CSP and a CORS allow-list.
 */
const originList = z
  .string()
  .trim()
  .transform((text, ctx) => {
    const origins: string[] = [];
    for (const item of text
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)) {
      let url: URL;
      try {
        url = new URL(item);
      } catch {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not a URL` });
        return z.NEVER;
      }
      const bare = url.pathname === '/' && url.search === '' && url.hash === '';
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || !bare || url.username) {
        ctx.addIssue({ code: 'custom', message: `"${item}" must be an http(s) origin alone` });
        return z.NEVER;
      }
      if (!origins.includes(url.origin)) origins.push(url.origin);
    }
    return origins;
  });

/** A path to a file that exists now (whether it can be read is checked where it is opened). */
const existingFile = z
  .string()
  .trim()
  .refine((path) => {
    try {
      return statSync(path).isFile();
    } catch {
      return false;
    }
  }, 'must name an existing file');

/** A file of PEM CA certificates, read now so a missing or wrong file stops the start. */
const caFile = z
  .string()
  .trim()
  .superRefine((path, ctx) => {
    const problem = caFileProblem(path);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Roles that sign in with a person's password (walls use device credentials: never TOTP). */
const TOTP_ROLES: readonly Role[] = ROLES.filter((role) => role !== 'viewer');
const MIN_TOTP_SECRET_KEY_LENGTH = 32;

/** `supervisor,admin`: roles that must enrol in two-factor sign-in at their next sign-in. */
const totpRoleList = z.string().transform((text, ctx) => {
  const roles: Role[] = [];
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    if (!TOTP_ROLES.includes(part as Role)) {
      ctx.addIssue({
        code: 'custom',
        message: `must list roles among ${TOTP_ROLES.join(', ')} (walls keep their device credentials)`,
      });
      return z.NEVER;
    }
    if (!roles.includes(part as Role)) roles.push(part as Role);
  }
  return roles;
});

/** A relay's name in /healthz, /metrics and the lease table: unique among the relays. */
const defaultInstanceId = () => `${hostname()}-${process.pid}`;

const mysqlUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'mysql:' || u.protocol === 'mariadb:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be a mysql://user:password@host:port/database URL');

/** `critical:2,high:5,…`: severities left out keep their default. */
const deadlineList = z.string().transform((text, ctx) => {
  const deadlines = { ...DEFAULT_ALERT_DEADLINES_MINUTES };
  const message = `must be severity:minutes pairs such as critical:2,high:5,medium:10,low:30 (severities ${SEVERITIES.join(', ')}; minutes 1–${MINUTES_PER_DAY})`;
  for (const part of text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const match = /^([a-z]+)\s*:\s*(\d+)$/.exec(part);
    const severity = match?.[1] as Severity | undefined;
    const minutes = Number(match?.[2]);
    if (
      !severity ||
      !SEVERITIES.includes(severity) ||
      !Number.isInteger(minutes) ||
      minutes < 1 ||
      minutes > MINUTES_PER_DAY
    ) {
      ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    deadlines[severity] = minutes;
  }
  return deadlines;
});

export const configSchema = z.object({
  PORT: z.preprocess(unsetIfEmpty, integerInRange(0, 65535).default(8787)),
  HOST: z.preprocess(unsetIfEmpty, z.string().trim().min(1).default('127.0.0.1')),
  KAFKA_BROKERS: z.preprocess(unsetIfEmpty, brokerList.optional()),
  KAFKA_GROUP_ID: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._-]{1,200}$/, 'must be letters, digits, . _ - (at most 200)')
      .default('busan-control-room'),
  ),
  /** A new consumer group reads event topics from the earliest offset (master topics always are). */
  KAFKA_FROM_BEGINNING: z.preprocess(unsetIfEmpty, booleanText.default(false)),
  /**
   * A new consumer group starts the topics that become alerts and violations (drowsy, arrears,
   * missing-person detections, interlock events) this many minutes back, so what was produced
   * while no relay consumed is not lost (0: at the newest). Positions start at the newest.
   */
  KAFKA_NEW_GROUP_LOOKBACK_MINUTES: z.preprocess(
    unsetIfEmpty,
    integerInRange(0, MINUTES_PER_WEEK).default(DEFAULT_NEW_GROUP_LOOKBACK_MINUTES),
  ),
  /**
   * Whether the relay writes consumed seed-topic rows into the seed tables. `auto`: yes with the
   * simulator (the relay plays the upstream there), no with Kafka (the upstream's Flink job does).
   */
  WRITE_SEED_TABLES: z.preprocess(
    unsetIfEmpty,
    z.enum(['auto', 'true', 'false'], 'must be auto, true or false').default('auto'),
  ),
  /** Pipeline-health alarm: Kafka consumer lag over this many messages (seed 000 §9.2: 10,000). */
  PIPELINE_LAG_ALARM: z.preprocess(unsetIfEmpty, integerInRange(1, 1_000_000_000).default(10_000)),
  /** A topic silent this many minutes (or past its own cadence) while others flow is stalled. */
  PIPELINE_STALLED_TOPIC_MINUTES: z.preprocess(
    unsetIfEmpty,
    integerInRange(1, MINUTES_PER_DAY).default(5),
  ),
  /** The feed is stale after this many seconds without data; unset: 3× its cadence, ≥ 15 s. */
  FEED_STALE_SECONDS: z.preprocess(unsetIfEmpty, integerInRange(1, 86_400).optional()),
  /** A daily master-list snapshot (arrears, missing persons) is complete after this quiet time. */
  MASTER_SNAPSHOT_SETTLE_SECONDS: z.preprocess(unsetIfEmpty, integerInRange(1, 3_600).default(120)),
  /** A plate read whose list row has not arrived waits this long before it counts as unmatched. */
  UNMATCHED_READ_HOLD_MINUTES: z.preprocess(
    unsetIfEmpty,
    integerInRange(1, MINUTES_PER_DAY).default(15),
  ),
  DATABASE_URL: z.preprocess(unsetIfEmpty, mysqlUrl.optional()),
  /** MariaDB over TLS (≥ 1.2), trusting these PEM CA certificates (also `?ssl=true` in the URL). */
  DATABASE_CA_FILE: z.preprocess(unsetIfEmpty, caFile.optional()),
  /** Kafka over TLS (≥ 1.2); unset: on when KAFKA_CA_FILE is set. */
  KAFKA_SSL: z.preprocess(unsetIfEmpty, booleanText.optional()),
  /** PEM CA certificates trusted for the brokers instead of the system's. */
  KAFKA_CA_FILE: z.preprocess(unsetIfEmpty, caFile.optional()),
  KAFKA_SASL_MECHANISM: z.preprocess(
    unsetIfEmpty,
    z.enum(KAFKA_SASL_MECHANISMS, `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`).optional(),
  ),
  KAFKA_SASL_USERNAME: z.preprocess(unsetIfEmpty, z.string().trim().min(1).optional()),
  KAFKA_SASL_PASSWORD: z.preprocess(unsetIfEmpty, z.string().min(1).optional()),
  SQLITE_PATH: z.preprocess(
    unsetIfEmpty,
    z.string().trim().min(1).default('./data/control-room.sqlite'),
  ),
  SIM_VEHICLES: z.preprocess(unsetIfEmpty, integerInRange(0, MAX_SIM_VEHICLES).default(2000)),
  SIM_SEED: z.preprocess(
    unsetIfEmpty,
    z.string().trim().min(1).max(200).default('busan-control-room'),
  ),
  /**
   * A QA scenario file (shared/scenarios.ts, docs/TESTING.md) the simulator plays from the start:
   * read and checked here, so a missing or wrong file stops the start naming this variable.
   */
  SIM_SCENARIO: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .trim()
      .transform((path, ctx) => {
        const loaded = readScenarioFile(path);
        if (typeof loaded !== 'string') return { path, ...loaded };
        ctx.addIssue({ code: 'custom', message: loaded });
        return z.NEVER;
      })
      .optional(),
  ),
  JWT_SECRET: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .min(MIN_JWT_SECRET_LENGTH, `must be at least ${MIN_JWT_SECRET_LENGTH} characters`)
      .optional(),
  ),
  TCS_URL: z.preprocess(unsetIfEmpty, httpUrl.optional()),
  /** Lets TCS_URL be http:// (a local stand-in only): the TCS link otherwise needs TLS ≥ 1.2. */
  TCS_ALLOW_INSECURE_HTTP: z.preprocess(unsetIfEmpty, booleanText.default(false)),
  /** PEM CA certificates trusted for the TCS server instead of the system's (a private PKI). */
  TCS_CA_FILE: z.preprocess(unsetIfEmpty, caFile.optional()),
  /** `npm run tcs-mock`: serve HTTPS with a certificate from a private CA made at start. */
  TCS_MOCK_TLS: z.preprocess(unsetIfEmpty, booleanText.default(false)),
  TCS_SECRET: z.preprocess(
    unsetIfEmpty,
    z.string().min(16, 'must be at least 16 characters').optional(),
  ),
  /** One TCS attempt without an answer for this long counts as failed (and is retried). */
  TCS_TIMEOUT_MS: z.preprocess(unsetIfEmpty, integerInRange(100, 120_000).default(5000)),
  /** Attempts per hand-off before it goes to a person (`manual`). */
  TCS_MAX_ATTEMPTS: z.preprocess(unsetIfEmpty, integerInRange(1, 50).default(6)),
  /** The first retry waits about this long, each further one twice as long (with jitter). */
  TCS_RETRY_BASE_MS: z.preprocess(unsetIfEmpty, integerInRange(10, 600_000).default(2000)),
  /** After repeated failures nothing is sent to TCS for this long, then one trial attempt. */
  TCS_BREAKER_COOLDOWN_MS: z.preprocess(
    unsetIfEmpty,
    integerInRange(100, 3_600_000).default(30_000),
  ),
  /** `npm run tcs-mock`: the local TCS stand-in's port. */
  TCS_MOCK_PORT: z.preprocess(unsetIfEmpty, integerInRange(0, 65535).default(8788)),
  /** `npm run tcs-mock`: the mode it starts in (`fail:3`, `slow:2000`, …; see server/tcs). */
  TCS_MOCK_MODE: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .default('accept')
      .transform((text, ctx) => {
        const mode = parseMockMode(text);
        if (mode) return mode;
        ctx.addIssue({ code: 'custom', message: `must be ${MOCK_MODE_HELP}` });
        return z.NEVER;
      }),
  ),
  ADMIN_PASSWORD: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .min(MIN_ADMIN_PASSWORD_LENGTH, `must be at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`)
      .superRefine((password, ctx) => {
        const weakness = passwordProblem(password, FIRST_ADMIN_USERNAME);
        if (weakness) ctx.addIssue({ code: 'custom', message: weakness });
      })
      .optional(),
  ),
  /** A repeat detection for the same vehicle and type within this many minutes merges into its alert. */
  ALERT_MERGE_WINDOW_MINUTES: z.preprocess(
    unsetIfEmpty,
    integerInRange(1, MINUTES_PER_DAY).default(10),
  ),
  ALERT_DEADLINES_MINUTES: z.preprocess(
    unsetIfEmpty,
    deadlineList.default({ ...DEFAULT_ALERT_DEADLINES_MINUTES }),
  ),
  /** How long a login token is accepted. */
  AUTH_TOKEN_TTL_HOURS: z.preprocess(unsetIfEmpty, integerInRange(1, HOURS_PER_WEEK).default(12)),
  /** Lifetime of a wall display's device credential (`POST /api/users/:name/device-token`). */
  DEVICE_TOKEN_TTL_DAYS: z.preprocess(unsetIfEmpty, integerInRange(1, 3650).default(365)),
  /** Login attempts allowed per client address and minute (then 429). */
  LOGIN_RATE_LIMIT_PER_MINUTE: z.preprocess(unsetIfEmpty, integerInRange(1, 1000).default(10)),
  /**
   * Roles that must enrol in two-factor sign-in (TOTP) at their next sign-in; anyone else may
   * enrol. Once enrolled, the code is always asked. Recommended: supervisor,admin.
   */
  TOTP_REQUIRED_ROLES: z.preprocess(unsetIfEmpty, totpRoleList.default([])),
  /** Encrypts stored TOTP secrets (AES-256-GCM); unset: kept unencrypted (never sent back). */
  TOTP_SECRET_KEY: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .min(MIN_TOTP_SECRET_KEY_LENGTH, `must be at least ${MIN_TOTP_SECRET_KEY_LENGTH} characters`)
      .optional(),
  ),
  /**
   * Where the command rate limits count (server/limits): `memory` (one relay's own), `redis`
   * (shared by every relay on REDIS_URL), `auto`: redis when REDIS_URL is set, else memory.
   */
  COMMAND_LIMIT_STORE: z.preprocess(
    unsetIfEmpty,
    z
      .enum(
        ['auto', ...LIMITER_STORE_KINDS],
        `must be one of auto, ${LIMITER_STORE_KINDS.join(', ')}`,
      )
      .default('auto'),
  ),
  /** Alert commands one socket may send per second, after its burst (then 429 rate_limited). */
  COMMAND_LIMIT_SOCKET_PER_SECOND: z.preprocess(
    unsetIfEmpty,
    integerInRange(1, 1000).default(DEFAULT_COMMAND_LIMITS.socketPerSecond),
  ),
  /** Extra alert commands one socket may send at once, per 10 s. */
  COMMAND_LIMIT_SOCKET_BURST: z.preprocess(
    unsetIfEmpty,
    integerInRange(0, 10_000).default(DEFAULT_COMMAND_LIMITS.socketBurst),
  ),
  /** Alert commands one user may send per second over all sockets and REST, after the burst. */
  COMMAND_LIMIT_USER_PER_SECOND: z.preprocess(
    unsetIfEmpty,
    integerInRange(1, 1000).default(DEFAULT_COMMAND_LIMITS.userPerSecond),
  ),
  /** Extra alert commands one user may send at once, per 10 s. */
  COMMAND_LIMIT_USER_BURST: z.preprocess(
    unsetIfEmpty,
    integerInRange(0, 10_000).default(DEFAULT_COMMAND_LIMITS.userBurst),
  ),
  /** Alert commands one socket may have waiting for an answer; more are refused at once. */
  COMMAND_LIMIT_IN_FLIGHT: z.preprocess(
    unsetIfEmpty,
    integerInRange(1, 1000).default(DEFAULT_COMMAND_LIMITS.inFlightPerSocket),
  ),
  /** Socket.IO clients one relay serves at most; more are refused with a retry hint. */
  MAX_CLIENTS: z.preprocess(unsetIfEmpty, integerInRange(1, 100_000).default(1000)),
  /**
   * Sockets that may be connecting at once (token check, snapshots being sent); more are refused
   * with a retry hint, so a crowd connecting together is served in turns instead of all stalling.
   */
  MAX_CONCURRENT_HANDSHAKES: z.preprocess(unsetIfEmpty, integerInRange(1, 10_000).default(32)),
  /**
   * Set → many relays (DESIGN §12): changes and control traffic cross relays through the Socket.IO
   * Redis Streams adapter, login and command limits are shared. Needs a shared JWT_SECRET.
   */
  REDIS_URL: z.preprocess(unsetIfEmpty, redisUrl.optional()),
  /**
   * The other relays of this deployment, as origins (DESIGN §12). A page this relay served may move
   * to them when the link is lost: their origins go into the page's CSP connect-src, and this relay
   * answers REST calls from pages they served (CORS). Empty: one relay, or one load balancer.
   */
  RELAY_PEERS: z.preprocess(unsetIfEmpty, originList.default([])),
  /** This relay's name among many (/healthz, /metrics, the lease table); default host-pid. */
  INSTANCE_ID: z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9._:-]{1,100}$/, 'must be letters, digits, . _ : - (at most 100)')
      .default(defaultInstanceId),
  ),
  LOG_LEVEL: z.preprocess(
    unsetIfEmpty,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Embedded mode keeps this many minutes of position history in SQLite (it grows ~1 MB/min). */
  HISTORY_RETENTION_MINUTES: z.preprocess(
    unsetIfEmpty,
    integerInRange(1, 60 * 24 * 30).default(120),
  ),
  /** Minutes between reads of the interlock registry tables (docs/INTERLOCK-REGISTRY.md). */
  REGISTRY_REFRESH_MINUTES: z.preprocess(
    unsetIfEmpty,
    integerInRange(1, MINUTES_PER_DAY).default(10),
  ),
  /** Minor violations within the window that raise closer monitoring to a major violation. */
  MONITORING_REPEAT_COUNT: z.preprocess(unsetIfEmpty, integerInRange(1, 100).default(3)),
  /** Days a minor violation keeps its subject under closer monitoring (and the pattern window). */
  MONITORING_WINDOW_DAYS: z.preprocess(unsetIfEmpty, integerInRange(1, 365).default(30)),
  /** Days before a calibration falls due that it shows as a notice (검·교정 기한 임박). */
  CALIBRATION_NOTICE_DAYS: z.preprocess(unsetIfEmpty, integerInRange(0, 90).default(7)),
  /** Days a re-calibration request (after a failed calibration) gives until it is overdue. */
  RECALIBRATION_DUE_DAYS: z.preprocess(unsetIfEmpty, integerInRange(1, 180).default(14)),
  /**
   * Hours of live position frames kept for replay (the time bar, GET /api/fleet/at); older chunks
   * are deleted by the replay-frames lease holder. README gives the size per hour.
   */
  REPLAY_RETENTION_HOURS: z.preprocess(unsetIfEmpty, integerInRange(1, 24 * 30).default(4)),
  /**
   * Streets (DESIGN §13): one offline vector-tile archive, PMTiles or MBTiles, that the relay serves
   * itself (server/basemap). The file must exist; one the relay cannot read stops the start too.
   */
  BASEMAP_TILES: z.preprocess(unsetIfEmpty, existingFile.optional()),
  /** Streets from the deployment's own tile service: its MapLibre style URL (CSP allows its origin). */
  BASEMAP_STYLE: z.preprocess(unsetIfEmpty, httpUrl.optional()),
  /** The credit line for the street data; unset: the archive's own (or the style's sources'). */
  BASEMAP_ATTRIBUTION: z.preprocess(unsetIfEmpty, z.string().trim().max(500).optional()),
  /** Directory of the built client the relay serves at `/`. */
  CLIENT_DIR: z.preprocess(unsetIfEmpty, z.string().trim().min(1).default('out/renderer')),
});

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`Invalid configuration: ${variable} ${reason}`);
    this.name = 'ConfigError';
  }
}

/** Validates the environment; throws a ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(configSchema.shape).map((key) => [key, env[key]]));
  const parsed = configSchema.safeParse(known);
  if (parsed.success) {
    // Requests to TCS are signed: an endpoint without the secret cannot be used.
    if (parsed.data.TCS_URL && !parsed.data.TCS_SECRET) {
      throw new ConfigError(
        'TCS_SECRET',
        'must be set when TCS_URL is set (requests to TCS are signed)',
      );
    }
    // Behind a load balancer a client's next request may reach any relay: a token signed with a
    // per-start secret would be refused by every other relay.
    if (parsed.data.REDIS_URL && !parsed.data.JWT_SECRET) {
      throw new ConfigError(
        'JWT_SECRET',
        'must be set when REDIS_URL is set (every relay must accept the same tokens)',
      );
    }
    // Two basemaps would draw streets twice, in two styles, one over the other.
    if (parsed.data.BASEMAP_TILES && parsed.data.BASEMAP_STYLE) {
      throw new ConfigError('BASEMAP_STYLE', 'must not be set together with BASEMAP_TILES');
    }
    const scenario = parsed.data.SIM_SCENARIO;
    if (scenario && parsed.data.KAFKA_BROKERS) {
      throw new ConfigError('SIM_SCENARIO', 'plays only with the simulator (KAFKA_BROKERS is set)');
    }
    if (scenario?.scenario.events.some((e) => e.type === 'tcs_outage') && !parsed.data.TCS_URL) {
      throw new ConfigError(
        'SIM_SCENARIO',
        'has a tcs_outage but TCS_URL is not set (point it at the TCS stand-in, npm run tcs-mock)',
      );
    }
    const insecure = transportSecurityProblem(parsed.data);
    if (insecure) throw new ConfigError(insecure.variable, insecure.reason);
    if (parsed.data.COMMAND_LIMIT_STORE === 'redis' && !parsed.data.REDIS_URL) {
      throw new ConfigError('COMMAND_LIMIT_STORE', 'is redis but REDIS_URL is not set');
    }
    return parsed.data;
  }
  const issue = parsed.error.issues[0]!;
  const variable = String(issue.path[0] ?? 'environment');
  const given = env[variable];
  const shown =
    variable.includes('SECRET') || variable.includes('PASSWORD') ? '' : ` (got "${given}")`;
  throw new ConfigError(variable, `${issue.message}${given === undefined ? '' : shown}`);
}

/** Whether consumed seed-topic rows are written to the seed tables (see WRITE_SEED_TABLES). */
export function writesSeedTables(config: Config): boolean {
  if (config.WRITE_SEED_TABLES === 'auto') return !config.KAFKA_BROKERS;
  return config.WRITE_SEED_TABLES === 'true';
}

/** Where the command limits count (see COMMAND_LIMIT_STORE). */
export function commandLimitStoreKind(config: Config): (typeof LIMITER_STORE_KINDS)[number] {
  if (config.COMMAND_LIMIT_STORE === 'auto') return config.REDIS_URL ? 'redis' : 'memory';
  return config.COMMAND_LIMIT_STORE;
}

/** Which source and store the configuration selects. */
export function describeMode(config: Config): {
  source: 'sim' | 'kafka';
  store: 'sqlite' | 'mariadb';
} {
  return {
    source: config.KAFKA_BROKERS ? 'kafka' : 'sim',
    store: config.DATABASE_URL ? 'mariadb' : 'sqlite',
  };
}
