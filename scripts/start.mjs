// `npm start`: the relay in its configured mode, then the desktop client on it. Where no Electron
// binary is installed (its download is blocked on some machines), say so in one line and print
// the address to open in a browser instead: the same client is served there.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { ensureClientBuild } from './ensure-client-build.mjs';
import { RELAY_NODE_ARGS } from './relay-node-args.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The Electron package resolves (and on v42+ downloads) its binary on first require. */
const ELECTRON_PROBE_TIMEOUT_MS = 120_000;

ensureClientBuild();

const relay = spawn(process.execPath, [...RELAY_NODE_ARGS, join(root, 'server/server.ts')], {
  cwd: root,
  env: process.env,
  stdio: ['ignore', 'pipe', 'inherit'],
});
let electron = null;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    electron?.kill(signal);
    relay.kill(signal);
  });
}
relay.on('exit', (code) => {
  electron?.kill('SIGTERM');
  process.exit(code ?? 1);
});

createInterface({ input: relay.stdout }).on('line', (line) => {
  const ready = /^RELAY_READY (\S+)$/.exec(line);
  if (!ready) {
    process.stdout.write(`${line}\n`);
    return;
  }
  openClient(ready[1]);
});

function electronBinary() {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: ELECTRON_PROBE_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const path = probe.status === 0 ? probe.stdout.trim() : '';
  return path && existsSync(path) ? path : null;
}

function openClient(url) {
  const binary = electronBinary();
  if (!binary) {
    console.log(
      `Electron 실행 파일이 없어 데스크톱 창을 열 수 없습니다 — 브라우저에서 ${url} 을 여세요 ` +
        `(no Electron binary installed: open ${url} in a browser)`,
    );
    return;
  }
  console.log(`데스크톱 클라이언트를 엽니다 / Opening the desktop client on ${url}`);
  electron = spawn(binary, [join(root, 'out/main/index.js')], {
    cwd: root,
    env: { ...process.env, CONTROL_ROOM_RELAY_URL: url },
    stdio: 'inherit',
  });
  electron.on('exit', () => relay.kill('SIGTERM'));
}
