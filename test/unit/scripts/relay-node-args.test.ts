import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RELAY_NODE_ARGS } from '../../../scripts/relay-node-args.mjs';

const ROOT = resolve(import.meta.dirname, '../../..');

describe("the relay's Node arguments", () => {
  it('are what `npm run relay` spells out, so tests and benchmarks measure the same process', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.relay).toBe(['node', ...RELAY_NODE_ARGS, 'server/server.ts'].join(' '));
  });
});
