/**
 * CPU time of the browser's processes, by kind (renderer, GPU, browser, utility), read from
 * /proc. Under SwiftShader the GPU process rasterises WebGL on the CPU, so its time is the draw
 * cost that main-thread numbers do not show.
 */
import { readdirSync, readFileSync } from 'node:fs';

const CLOCK_TICKS_PER_SECOND = 100;
const UTIME_FIELD_AFTER_COMM = 11;
const PPID_FIELD_AFTER_COMM = 1;

export type BrowserProcessKind = 'renderer' | 'gpu' | 'browser' | 'other';
export type BrowserCpu = Record<BrowserProcessKind, number>;

interface ProcInfo {
  pid: number;
  ppid: number;
  cpuSeconds: number;
}

function readProc(pid: number): ProcInfo | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      pid,
      ppid: Number(fields[PPID_FIELD_AFTER_COMM]),
      cpuSeconds:
        (Number(fields[UTIME_FIELD_AFTER_COMM]) + Number(fields[UTIME_FIELD_AFTER_COMM + 1])) /
        CLOCK_TICKS_PER_SECOND,
    };
  } catch {
    return null; // gone between listing and reading
  }
}

function kindOf(pid: number): BrowserProcessKind | null {
  let cmdline: string;
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
  if (!cmdline.includes('chromium') && !cmdline.includes('chrome')) return null;
  const type = /--type=([a-z-]+)/.exec(cmdline)?.[1];
  if (type === undefined) return 'browser';
  if (type === 'renderer') return 'renderer';
  if (type === 'gpu-process') return 'gpu';
  return 'other';
}

/** CPU seconds so far of every browser process descending from this one, summed by kind. */
export function browserCpu(): BrowserCpu {
  const procs = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => readProc(Number(name)))
    .filter((p): p is ProcInfo => p !== null);
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) {
    const list = children.get(p.ppid) ?? [];
    list.push(p);
    children.set(p.ppid, list);
  }
  const totals: BrowserCpu = { renderer: 0, gpu: 0, browser: 0, other: 0 };
  const queue = [...(children.get(process.pid) ?? [])];
  while (queue.length > 0) {
    const p = queue.shift()!;
    queue.push(...(children.get(p.pid) ?? []));
    const kind = kindOf(p.pid);
    if (kind !== null) totals[kind] += p.cpuSeconds;
  }
  return totals;
}

export function cpuDelta(from: BrowserCpu, to: BrowserCpu): BrowserCpu {
  return {
    renderer: to.renderer - from.renderer,
    gpu: to.gpu - from.gpu,
    browser: to.browser - from.browser,
    other: to.other - from.other,
  };
}
