/** Many-relay configuration (DESIGN §12): REDIS_URL, INSTANCE_ID, the shared JWT_SECRET. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/config';

const SECRET = 'a-shared-secret-of-at-least-32-chars!';

describe('many-relay configuration', () => {
  it('needs nothing of it by default (one relay, no Redis)', () => {
    const config = loadConfig({});
    expect(config.REDIS_URL).toBeUndefined();
    expect(config.INSTANCE_ID).toMatch(/-\d+$/);
  });

  it('refuses REDIS_URL without a shared JWT_SECRET, naming it', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /^Invalid configuration: JWT_SECRET must be set when REDIS_URL is set/,
    );
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', JWT_SECRET: SECRET }).REDIS_URL).toBe(
      'redis://127.0.0.1:6379',
    );
  });

  it('names a bad REDIS_URL or INSTANCE_ID', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://redis:6379', JWT_SECRET: SECRET })).toThrow(
      /REDIS_URL must be a redis:\/\//,
    );
    expect(() => loadConfig({ INSTANCE_ID: 'relay 1' })).toThrow(/INSTANCE_ID must be letters/);
    expect(loadConfig({ INSTANCE_ID: 'relay-1' }).INSTANCE_ID).toBe('relay-1');
  });
});
