/**
 * Where the browser's time goes: a Chrome trace (recorded with Playwright's browser.startTracing)
 * reduced to busy time per process and thread, and the costliest events on the busiest threads.
 */

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

export interface ThreadBusy {
  process: string;
  thread: string;
  /** Busy ms per second of trace: top-level events only, so nested work is not counted twice. */
  busyMsPerSecond: number;
  /** The costliest top-level event names on this thread, ms per second. */
  top: { name: string; msPerSecond: number }[];
}

const TOP_EVENTS = 6;
const MIN_BUSY_MS_PER_SECOND = 5;

export function summariseTrace(json: Buffer | string): ThreadBusy[] {
  const parsed = JSON.parse(json.toString()) as { traceEvents?: TraceEvent[] } | TraceEvent[];
  const events = Array.isArray(parsed) ? parsed : (parsed.traceEvents ?? []);
  const processNames = new Map<number, string>();
  const threadNames = new Map<string, string>();
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const complete: TraceEvent[] = [];
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'process_name') processNames.set(e.pid, e.args?.name ?? '?');
    else if (e.ph === 'M' && e.name === 'thread_name')
      threadNames.set(`${e.pid}:${e.tid}`, e.args?.name ?? '?');
    else if (e.ph === 'X' && e.dur !== undefined) {
      complete.push(e);
      first = Math.min(first, e.ts);
      last = Math.max(last, e.ts + e.dur);
    }
  }
  const seconds = (last - first) / 1e6;
  if (!(seconds > 0)) return [];
  // Top-level events per thread: an event that starts inside the previous top-level one is nested.
  const byThread = new Map<string, TraceEvent[]>();
  for (const e of complete) {
    const key = `${e.pid}:${e.tid}`;
    const list = byThread.get(key) ?? [];
    list.push(e);
    byThread.set(key, list);
  }
  const result: ThreadBusy[] = [];
  for (const [key, list] of byThread) {
    list.sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
    let openUntil = Number.NEGATIVE_INFINITY;
    let busyUs = 0;
    const byName = new Map<string, number>();
    for (const e of list) {
      if (e.ts < openUntil) continue;
      openUntil = e.ts + e.dur!;
      busyUs += e.dur!;
      byName.set(e.name, (byName.get(e.name) ?? 0) + e.dur!);
    }
    const busyMsPerSecond = busyUs / 1000 / seconds;
    if (busyMsPerSecond < MIN_BUSY_MS_PER_SECOND) continue;
    const pid = Number(key.split(':')[0]);
    result.push({
      process: processNames.get(pid) ?? String(pid),
      thread: threadNames.get(key) ?? key,
      busyMsPerSecond,
      top: [...byName]
        .sort((a, b) => b[1] - a[1])
        .slice(0, TOP_EVENTS)
        .map(([name, us]) => ({ name, msPerSecond: us / 1000 / seconds })),
    });
  }
  return result.sort((a, b) => b.busyMsPerSecond - a.busyMsPerSecond);
}
