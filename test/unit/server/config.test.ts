import { describe, expect, it } from 'vitest';
import { ConfigError, describeMode, loadConfig } from '../../../server/config';

describe('relay configuration', () => {
  it('runs embedded with nothing configured', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8787);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.SIM_VEHICLES).toBe(2000);
    expect(config.SQLITE_PATH).toBe('./data/control-room.sqlite');
    expect(describeMode(config)).toEqual({ source: 'sim', store: 'sqlite' });
  });

  it('selects Kafka and MariaDB when they are configured', () => {
    const config = loadConfig({
      KAFKA_BROKERS: '10.0.0.1:9092, kafka-2:9092',
      DATABASE_URL: 'mysql://root:@127.0.0.1:3306/test',
      PORT: '9000',
      SIM_VEHICLES: '50000',
    });
    expect(config.KAFKA_BROKERS).toEqual(['10.0.0.1:9092', 'kafka-2:9092']);
    expect(config.PORT).toBe(9000);
    expect(config.SIM_VEHICLES).toBe(50_000);
    expect(describeMode(config)).toEqual({ source: 'kafka', store: 'mariadb' });
  });

  it('defaults the alert policy and sessions', () => {
    const config = loadConfig({});
    expect(config.ALERT_MERGE_WINDOW_MINUTES).toBe(10);
    expect(config.ALERT_DEADLINES_MINUTES).toEqual({ critical: 2, high: 5, medium: 10, low: 30 });
    expect(config.AUTH_TOKEN_TTL_HOURS).toBe(12);
    expect(config.LOGIN_RATE_LIMIT_PER_MINUTE).toBe(10);
  });

  it('reads alert deadlines per severity, keeping defaults for the ones left out', () => {
    const config = loadConfig({
      ALERT_DEADLINES_MINUTES: ' critical:1, low : 60 ',
      ALERT_MERGE_WINDOW_MINUTES: '15',
    });
    expect(config.ALERT_DEADLINES_MINUTES).toEqual({ critical: 1, high: 5, medium: 10, low: 60 });
    expect(config.ALERT_MERGE_WINDOW_MINUTES).toBe(15);
  });

  it('defaults the TCS hand-off and its local mock', () => {
    const config = loadConfig({});
    expect(config.TCS_URL).toBeUndefined();
    expect(config.TCS_TIMEOUT_MS).toBe(5000);
    expect(config.TCS_MAX_ATTEMPTS).toBe(6);
    expect(config.TCS_RETRY_BASE_MS).toBe(2000);
    expect(config.TCS_BREAKER_COOLDOWN_MS).toBe(30_000);
    expect(config.TCS_MOCK_PORT).toBe(8788);
    expect(config.TCS_MOCK_MODE).toEqual({ mode: 'accept', count: null, delayMs: 0 });
  });

  it('reads the TCS settings and the mock’s starting mode', () => {
    const config = loadConfig({
      TCS_URL: 'http://127.0.0.1:8788',
      // Plain HTTP only with the explicit development flag (tested in test/unit/auth/).
      TCS_ALLOW_INSECURE_HTTP: 'true',
      TCS_SECRET: 'a-secret-of-16-chars',
      TCS_TIMEOUT_MS: '1500',
      TCS_MAX_ATTEMPTS: '3',
      TCS_MOCK_PORT: '9999',
      TCS_MOCK_MODE: 'fail:3',
    });
    expect(config.TCS_URL).toBe('http://127.0.0.1:8788');
    expect(config.TCS_TIMEOUT_MS).toBe(1500);
    expect(config.TCS_MAX_ATTEMPTS).toBe(3);
    expect(config.TCS_MOCK_PORT).toBe(9999);
    expect(config.TCS_MOCK_MODE).toEqual({ mode: 'fail', count: 3, delayMs: 0 });
    expect(loadConfig({ TCS_MOCK_MODE: 'slow:2500' }).TCS_MOCK_MODE).toEqual({
      mode: 'slow',
      count: null,
      delayMs: 2500,
    });
    expect(loadConfig({ TCS_MOCK_MODE: 'timeout' }).TCS_MOCK_MODE.mode).toBe('timeout');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', KAFKA_BROKERS: ' ' }).PORT).toBe(8787);
  });

  const bad: [string, string, RegExp][] = [
    [
      'PORT',
      'abc',
      /^Invalid configuration: PORT must be a whole number from 0 to 65535 \(got "abc"\)$/,
    ],
    ['PORT', '70000', /^Invalid configuration: PORT /],
    ['SIM_VEHICLES', '-5', /^Invalid configuration: SIM_VEHICLES /],
    ['SIM_VEHICLES', '1e3', /^Invalid configuration: SIM_VEHICLES /],
    ['KAFKA_BROKERS', 'localhost', /^Invalid configuration: KAFKA_BROKERS must be host:port/],
    ['KAFKA_GROUP_ID', 'has space', /^Invalid configuration: KAFKA_GROUP_ID /],
    ['DATABASE_URL', 'postgres://x@y/z', /^Invalid configuration: DATABASE_URL must be a mysql:/],
    ['JWT_SECRET', 'short', /^Invalid configuration: JWT_SECRET must be at least 32 characters$/],
    ['TCS_URL', 'ftp://tcs', /^Invalid configuration: TCS_URL must be an http/],
    ['TCS_SECRET', 'x', /^Invalid configuration: TCS_SECRET must be at least 16 characters$/],
    [
      'ADMIN_PASSWORD',
      'pw',
      /^Invalid configuration: ADMIN_PASSWORD must be at least 8 characters$/,
    ],
    [
      'ADMIN_PASSWORD',
      'password123',
      /^Invalid configuration: ADMIN_PASSWORD password is on the list of commonly used passwords/,
    ],
    ['LOG_LEVEL', 'loud', /^Invalid configuration: LOG_LEVEL /],
    ['HISTORY_RETENTION_MINUTES', '0', /^Invalid configuration: HISTORY_RETENTION_MINUTES /],
    ['ALERT_MERGE_WINDOW_MINUTES', '0', /^Invalid configuration: ALERT_MERGE_WINDOW_MINUTES /],
    [
      'ALERT_DEADLINES_MINUTES',
      'urgent:2',
      /^Invalid configuration: ALERT_DEADLINES_MINUTES must be severity:minutes pairs/,
    ],
    ['ALERT_DEADLINES_MINUTES', 'critical:0', /^Invalid configuration: ALERT_DEADLINES_MINUTES /],
    ['ALERT_DEADLINES_MINUTES', 'critical=2', /^Invalid configuration: ALERT_DEADLINES_MINUTES /],
    ['AUTH_TOKEN_TTL_HOURS', '0', /^Invalid configuration: AUTH_TOKEN_TTL_HOURS /],
    ['LOGIN_RATE_LIMIT_PER_MINUTE', 'many', /^Invalid configuration: LOGIN_RATE_LIMIT_PER_MINUTE /],
    ['TCS_TIMEOUT_MS', '5', /^Invalid configuration: TCS_TIMEOUT_MS must be a whole number/],
    ['TCS_MAX_ATTEMPTS', '0', /^Invalid configuration: TCS_MAX_ATTEMPTS /],
    ['TCS_RETRY_BASE_MS', 'soon', /^Invalid configuration: TCS_RETRY_BASE_MS /],
    ['TCS_BREAKER_COOLDOWN_MS', '-1', /^Invalid configuration: TCS_BREAKER_COOLDOWN_MS /],
    ['TCS_MOCK_PORT', '70000', /^Invalid configuration: TCS_MOCK_PORT /],
    ['TCS_MOCK_MODE', 'explode', /^Invalid configuration: TCS_MOCK_MODE must be one of accept/],
  ];
  it.each(bad)('stops on a bad %s (%s) with one line naming it', (variable, value, message) => {
    let thrown: unknown;
    try {
      loadConfig({ [variable]: value });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    const error = thrown as ConfigError;
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('needs the signing secret when a TCS endpoint is set', () => {
    expect(() => loadConfig({ TCS_URL: 'https://tcs.example/api' })).toThrow(
      /^Invalid configuration: TCS_SECRET must be set when TCS_URL is set/,
    );
  });

  it('never echoes a secret back', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'abc' })).toThrow(/^(?!.*abc).*$/);
  });
  it('defaults the pipeline alarms and ingest timings, and names a bad one', () => {
    const config = loadConfig({});
    expect(config.PIPELINE_LAG_ALARM).toBe(10_000);
    expect(config.PIPELINE_STALLED_TOPIC_MINUTES).toBe(5);
    expect(config.FEED_STALE_SECONDS).toBeUndefined();
    expect(config.MASTER_SNAPSHOT_SETTLE_SECONDS).toBe(120);
    expect(config.UNMATCHED_READ_HOLD_MINUTES).toBe(15);
    expect(loadConfig({ FEED_STALE_SECONDS: '180' }).FEED_STALE_SECONDS).toBe(180);
    expect(() => loadConfig({ PIPELINE_LAG_ALARM: '-5' })).toThrow(/PIPELINE_LAG_ALARM/);
  });
});
