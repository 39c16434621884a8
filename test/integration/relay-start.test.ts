/** The relay process refuses a bad configuration with one line naming the variable. */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function startWith(env: Record<string, string>) {
  return spawnSync(process.execPath, ['--import', 'tsx', 'server/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
}

describe('relay start-up', () => {
  it.each([
    ['PORT', 'eighty'],
    ['SIM_VEHICLES', 'lots'],
    ['DATABASE_URL', 'sqlite://nope'],
    ['KAFKA_BROKERS', 'no-port'],
  ])('stops on a bad %s with one line naming it', (variable, value) => {
    const result = startWith({ [variable]: value });
    expect(result.status).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^Invalid configuration: ${variable} `));
    expect(result.stdout).not.toContain('RELAY_READY');
  });
});
