/**
 * The cross-relay change probe in its own process (forked by relays-bench.ts): acknowledges alerts
 * on relay A over REST at a steady pace and times each until a Socket.IO client of relay B has the
 * change. Kept apart from the benchmark process, whose event loop decodes every frame for forty
 * clients at 50,000 positions/s: timing there measured that loop's backlog as much as the relays.
 */
import { io } from 'socket.io-client';
import { SOCKET_PATH } from '../../../shared/events';

export interface ProbeStart {
  type: 'start';
  relayA: string;
  relayB: string;
  token: string;
  alerts: { id: number; version: number }[];
  acksPerSecond: number;
  /** Watch B this long before the first acknowledgement (the socket's snapshot and catch-up). */
  settleMs: number;
}
export interface ProbeStop {
  type: 'stop';
  /** After the last acknowledgement, wait this long for its change at B before counting it lost. */
  drainMs: number;
}
export type ProbeCommand = ProbeStart | ProbeStop;

export type ProbeMessage =
  | { type: 'acking' }
  | { type: 'result'; latencies: number[]; lost: number; sent: number }
  | { type: 'error'; message: string };

const MS_PER_S = 1000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function reply(message: ProbeMessage): void {
  process.send?.(message);
}

let acking = true;
let finished: Promise<void> | null = null;
const sent: { key: string; atMs: number }[] = [];
const arrivals = new Map<string, number>();

async function run(start: ProbeStart): Promise<void> {
  const socket = io(start.relayB, {
    path: SOCKET_PATH,
    transports: ['websocket'],
    auth: { token: start.token },
    forceNew: true,
  });
  const note = (record: { id: number; version: number }) => {
    const key = `${record.id}:${record.version}`;
    if (!arrivals.has(key)) arrivals.set(key, Date.now());
  };
  socket.on('change', (change: { entity: string; record: { id: number; version: number } }) => {
    if (change.entity === 'alert') note(change.record);
  });
  socket.on('alert', note);
  process.once('disconnect', () => socket.close());
  await sleep(start.settleMs);
  reply({ type: 'acking' });
  for (const alert of start.alerts) {
    if (!acking) break;
    const atMs = Date.now();
    const response = await fetch(new URL(`/api/alerts/${alert.id}/ack`, start.relayA), {
      method: 'POST',
      headers: { authorization: `Bearer ${start.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ version: alert.version }),
    });
    const result = (await response.json()) as { alert?: { id: number; version: number } };
    if (result.alert) sent.push({ key: `${result.alert.id}:${result.alert.version}`, atMs });
    await sleep(Math.max(0, MS_PER_S / start.acksPerSecond - (Date.now() - atMs)));
  }
}

process.on('message', (raw) => {
  const command = raw as ProbeCommand;
  if (command.type === 'start') {
    finished = run(command).catch((error: unknown) =>
      reply({ type: 'error', message: error instanceof Error ? error.message : String(error) }),
    );
  } else if (command.type === 'stop') {
    acking = false;
    void (async () => {
      await finished;
      await sleep(command.drainMs);
      const latencies: number[] = [];
      let lost = 0;
      for (const s of sent) {
        const at = arrivals.get(s.key);
        if (at === undefined) lost++;
        else latencies.push(at - s.atMs);
      }
      reply({ type: 'result', latencies, lost, sent: sent.length });
      process.exit(0);
    })();
  }
});
