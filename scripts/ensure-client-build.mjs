// Builds the client (electron-vite: main, preload, renderer) when the build is missing or older
// than its sources, so `npm start` works right after `npm install` and after a `git pull`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const builtMarker = join(root, 'out/renderer/index.html');
const SOURCE_DIRS = ['renderer', 'shared', 'main', 'resources'];
const SOURCE_FILES = ['electron.vite.config.ts', 'package.json'];

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

export function clientBuildIsCurrent() {
  if (!existsSync(builtMarker)) return false;
  const builtAt = statSync(builtMarker).mtimeMs;
  const sources = [...SOURCE_DIRS, ...SOURCE_FILES]
    .map((p) => join(root, p))
    .filter((p) => existsSync(p));
  return sources.every((p) => newestMtime(p) <= builtAt);
}

export function ensureClientBuild() {
  if (clientBuildIsCurrent()) return;
  console.log('클라이언트를 빌드하는 중… / Building the client (electron-vite build)…');
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build', '--logLevel', 'error'],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  if (result.status !== 0) {
    console.error('클라이언트 빌드 실패 / Client build failed: run `npm run build` to see why.');
    process.exit(result.status ?? 1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url))
  ensureClientBuild();
