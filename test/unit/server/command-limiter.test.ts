/**
 * The alert-command limiter (issue 14): a burst then a steady rate per socket, a user's limit across
 * their sockets and REST, the in-flight cap, the refusal's shape, and its configuration.
 */
import { describe, expect, it } from 'vitest';
import { commandLimitStoreKind, loadConfig } from '../../../server/config';
import {
  CommandLimiter,
  DEFAULT_COMMAND_LIMITS,
  retryAfterSeconds,
  type CommandAdmission,
  type CommandLimits,
} from '../../../server/limits/command-limiter';

/** Generous everywhere; each test tightens the limit it is about. */
const LOOSE: CommandLimits = {
  socketPerSecond: 100,
  socketBurst: 100,
  userPerSecond: 100,
  userBurst: 100,
  inFlightPerSocket: 100,
};

async function admitMany(
  limiter: CommandLimiter,
  count: number,
  source: { username: string; socketId?: string },
): Promise<CommandAdmission[]> {
  const answers: CommandAdmission[] = [];
  for (let n = 0; n < count; n++) {
    const answer = await limiter.admit(source);
    if (answer.ok) answer.release();
    answers.push(answer);
  }
  return answers;
}

describe('command limiter', () => {
  it('lets a socket send its rate plus its burst at once, then refuses with 429 rate_limited', async () => {
    const limiter = new CommandLimiter({ ...LOOSE, socketPerSecond: 2, socketBurst: 3 });
    const answers = await admitMany(limiter, 8, { username: 'op1', socketId: 's1' });
    expect(answers.map((a) => a.ok)).toEqual([true, true, true, true, true, false, false, false]);
    const refused = answers[5]!;
    expect(refused).toMatchObject({
      ok: false,
      error: { status: 429, code: 'rate_limited', message: expect.stringContaining('2 a second') },
    });
    if (!refused.ok) {
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);
    }
    // Another socket of another user is not affected.
    expect((await limiter.admit({ username: 'op2', socketId: 's2' })).ok).toBe(true);
  });

  it('limits a user across sockets and REST', async () => {
    const limiter = new CommandLimiter({ ...LOOSE, userPerSecond: 2, userBurst: 1 });
    const first = await admitMany(limiter, 2, { username: 'op1', socketId: 'a' });
    const rest = await admitMany(limiter, 1, { username: 'op1' });
    const second = await admitMany(limiter, 1, { username: 'op1', socketId: 'b' });
    expect([...first, ...rest, ...second].map((a) => a.ok)).toEqual([true, true, true, false]);
    expect((await limiter.admit({ username: 'op2' })).ok).toBe(true);
  });

  it('refuses a socket at once beyond its commands in flight, until one is answered', async () => {
    const limiter = new CommandLimiter({ ...LOOSE, inFlightPerSocket: 2 });
    const source = { username: 'op1', socketId: 's1' };
    const [a, b] = await Promise.all([limiter.admit(source), limiter.admit(source)]);
    expect(a!.ok && b!.ok).toBe(true);
    expect(limiter.inFlightOf('s1')).toBe(2);
    const third = await limiter.admit(source);
    expect(third).toMatchObject({
      ok: false,
      error: { status: 429, code: 'rate_limited', message: expect.stringContaining('at most 2') },
    });
    // Other sockets have their own places; REST has none.
    expect((await limiter.admit({ username: 'op1', socketId: 's2' })).ok).toBe(true);
    expect((await limiter.admit({ username: 'op1' })).ok).toBe(true);
    if (a!.ok) {
      a!.release();
      a!.release(); // twice frees one place only
    }
    expect(limiter.inFlightOf('s1')).toBe(1);
    expect((await limiter.admit(source)).ok).toBe(true);
  });

  it('frees the in-flight place of a refused command', async () => {
    const limiter = new CommandLimiter({ ...LOOSE, socketPerSecond: 1, socketBurst: 0 });
    const source = { username: 'op1', socketId: 's1' };
    const first = await limiter.admit(source);
    expect((await limiter.admit(source)).ok).toBe(false);
    expect(limiter.inFlightOf('s1')).toBe(1);
    if (first.ok) first.release();
    expect(limiter.inFlightOf('s1')).toBe(0);
  });

  it('rounds Retry-After up to whole seconds, at least one', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
  });
});

describe('command limiter configuration', () => {
  it('defaults to the memory store and the named limits', () => {
    const config = loadConfig({});
    expect(config.COMMAND_LIMIT_STORE).toBe('auto');
    expect(commandLimitStoreKind(config)).toBe('memory');
    expect({
      socketPerSecond: config.COMMAND_LIMIT_SOCKET_PER_SECOND,
      socketBurst: config.COMMAND_LIMIT_SOCKET_BURST,
      userPerSecond: config.COMMAND_LIMIT_USER_PER_SECOND,
      userBurst: config.COMMAND_LIMIT_USER_BURST,
      inFlightPerSocket: config.COMMAND_LIMIT_IN_FLIGHT,
    }).toEqual(DEFAULT_COMMAND_LIMITS);
  });

  it('reads the limits and names a bad one', () => {
    expect(loadConfig({ COMMAND_LIMIT_SOCKET_BURST: '0' }).COMMAND_LIMIT_SOCKET_BURST).toBe(0);
    expect(() => loadConfig({ COMMAND_LIMIT_SOCKET_PER_SECOND: '0' })).toThrow(
      /COMMAND_LIMIT_SOCKET_PER_SECOND must be a whole number from 1/,
    );
    expect(() => loadConfig({ COMMAND_LIMIT_STORE: 'disk' })).toThrow(
      /COMMAND_LIMIT_STORE must be one of auto, memory, redis/,
    );
    expect(() => loadConfig({ COMMAND_LIMIT_STORE: 'redis' })).toThrow(
      /COMMAND_LIMIT_STORE is redis but REDIS_URL is not set/,
    );
  });

  it('counts in Redis by default once REDIS_URL is set', () => {
    const shared = {
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWT_SECRET: 'x'.repeat(32),
    };
    expect(commandLimitStoreKind(loadConfig(shared))).toBe('redis');
    expect(commandLimitStoreKind(loadConfig({ ...shared, COMMAND_LIMIT_STORE: 'memory' }))).toBe(
      'memory',
    );
  });
});
