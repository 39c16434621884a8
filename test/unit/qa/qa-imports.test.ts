/**
 * Production code never writes into the QA hook: no module imports qa/ except the two screens,
 * and they only install it (docs/TESTING.md). Kept apart from the hook's own test, which runs in
 * the renderer's type program; this one reads files with Node.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

describe('nothing in production writes into the hook', () => {
  it('only the two screens import qa/, to install it', () => {
    const importers: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) {
          if (name !== 'qa') walk(path);
        } else if (/\.tsx?$/.test(name) && /from '[./]+\/qa\//.test(readFileSync(path, 'utf8'))) {
          importers.push(relative(ROOT, path));
        }
      }
    };
    walk(join(ROOT, 'renderer/src'));
    expect(importers.sort()).toEqual([
      'renderer/src/app/App.tsx',
      'renderer/src/kiosk/KioskScreen.tsx',
    ]);
    for (const file of importers) {
      const imported = /import \{([^}]*)\} from '[./]+\/qa\/control-room-hook'/.exec(
        readFileSync(join(ROOT, file), 'utf8'),
      )?.[1];
      expect(imported?.trim()).toBe('installControlRoomHook');
    }
  });
});
