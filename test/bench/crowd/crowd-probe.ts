/**
 * `node --import tsx test/bench/crowd/crowd-probe.ts [--vehicles 20000] [--clients 500]
 *   [--hold 30] [--after 20] [--prof DIR] [--env KEY=VALUE,…]`
 *
 * A crowd against the real relay, printed second by second: clients connected and receiving,
 * refusals, /healthz latency, relay CPU and RSS; then the same after every client has gone. With
 * `--prof DIR` the relay runs under `--cpu-prof` and leaves its profile in DIR. A tool for finding
 * causes, not a benchmark (see crowd-bench.ts for that).
 */
import { parseArgs } from 'node:util';
import { coresUsed, sampleProcess } from '../proc-stats';
import { login, startRelayChild } from '../relay-child';
import { sleep, waitFor } from '../stats';
import { timeHealth } from './crowd-clients';
import { CrowdProcess } from './crowd-ipc';

const HEALTH_TIMEOUT_MS = 5_000;
const LIVE_TIMEOUT_MS = 120_000;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      vehicles: { type: 'string', default: '20000' },
      clients: { type: 'string', default: '500' },
      hold: { type: 'string', default: '30' },
      after: { type: 'string', default: '20' },
      prof: { type: 'string' },
      env: { type: 'string' },
      polling: { type: 'boolean', default: false },
    },
  });
  const extraEnv = Object.fromEntries(
    (values.env ?? '')
      .split(',')
      .filter(Boolean)
      .map((pair) => pair.split('=') as [string, string]),
  );
  const relay = await startRelayChild({
    env: { SIM_VEHICLES: values.vehicles, ...extraEnv },
    nodeArgs: values.prof
      ? ['--cpu-prof', `--cpu-prof-dir=${values.prof}`, '--cpu-prof-interval=500']
      : [],
  });
  const say = (line: string) =>
    process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  say(`relay ${relay.url} pid ${relay.pid}`);
  try {
    await waitFor(
      'vehicles live',
      async () => {
        const response = await fetch(new URL('/healthz', relay.url));
        const health = (await response.json()) as { vehicles: number };
        return health.vehicles >= Number(values.vehicles) * 0.5 ? true : undefined;
      },
      LIVE_TIMEOUT_MS,
      500,
    );
    const { token } = await login(relay.url);
    const crowd = await CrowdProcess.fork();
    let last = sampleProcess(relay.pid);
    const report = async (phase: string) => {
      const health = await timeHealth(relay.url, HEALTH_TIMEOUT_MS);
      const now = sampleProcess(relay.pid);
      const s = phase === 'crowd' ? await crowd.status() : null;
      say(
        `${phase} ` +
          (s
            ? `connected ${s.connected} receiving ${s.receiving} refusals ${s.refusals} errors ${s.errors} ` +
              `fps p50 ${(s.framesPerClientPerSecond.p50 ?? Number.NaN).toFixed(2)} `
            : '') +
          `healthz ${Number.isNaN(health) ? 'TIMEOUT' : `${health.toFixed(0)} ms`} ` +
          `cpu ${(coresUsed(last, now) * 100).toFixed(0)} % rss ${(now.rssBytes / 2 ** 20).toFixed(0)} MB`,
      );
      last = now;
    };
    await crowd.start({
      url: relay.url,
      token,
      clients: Number(values.clients),
      transport: values.polling ? 'polling-first' : 'websocket',
    });
    const holdUntil = Date.now() + Number(values.hold) * 1000;
    while (Date.now() < holdUntil) {
      await sleep(1000);
      await report('crowd');
      await crowd.resetWindow();
    }
    say(`last errors: ${JSON.stringify((await crowd.status()).lastErrors)}`);
    await crowd.close();
    const afterUntil = Date.now() + Number(values.after) * 1000;
    while (Date.now() < afterUntil) {
      await sleep(1000);
      await report('after');
    }
  } finally {
    await relay.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
