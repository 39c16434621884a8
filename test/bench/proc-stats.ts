/**
 * CPU time and memory of another process from /proc (Linux): the relay is measured as its own
 * process, so neither the load generator nor the clients count against it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

/** Kernel clock ticks per second (USER_HZ); 100 on every mainstream Linux build. */
const CLOCK_TICKS_PER_SECOND = 100;
/** Fields 14 and 15 of /proc/<pid>/stat (utime, stime), counted after the `(comm)` field. */
const UTIME_FIELD_AFTER_COMM = 11;
const KIB = 1024;

export interface ProcSample {
  atMs: number;
  /** User + system CPU seconds since the process started. */
  cpuSeconds: number;
  rssBytes: number;
  /** Peak resident set size (VmHWM). */
  peakRssBytes: number;
}

export function sampleProcess(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may contain spaces and parentheses: fields are counted after its last `)`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[UTIME_FIELD_AFTER_COMM]);
  const stime = Number(fields[UTIME_FIELD_AFTER_COMM + 1]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
  return {
    atMs: Date.now(),
    cpuSeconds: (utime + stime) / CLOCK_TICKS_PER_SECOND,
    rssBytes: kib('VmRSS') * KIB,
    peakRssBytes: kib('VmHWM') * KIB,
  };
}

/** CPU use between two samples as a fraction of one core (1.0 = one core fully busy). */
export function coresUsed(from: ProcSample, to: ProcSample): number {
  const wallSeconds = (to.atMs - from.atMs) / 1000;
  return wallSeconds > 0 ? (to.cpuSeconds - from.cpuSeconds) / wallSeconds : Number.NaN;
}

/** Samples the 1-minute load average while a benchmark runs, for the report. */
export class LoadAverageRecorder {
  private readonly samples: number[] = [];
  private timer: NodeJS.Timeout | undefined;

  start(intervalMs = 5_000): void {
    this.samples.push(loadavg()[0]!);
    this.timer = setInterval(() => this.samples.push(loadavg()[0]!), intervalMs);
    this.timer.unref();
  }

  stop(): { min: number; mean: number; max: number; cores: number } {
    clearInterval(this.timer);
    this.samples.push(loadavg()[0]!);
    const sum = this.samples.reduce((a, b) => a + b, 0);
    return {
      min: Math.min(...this.samples),
      mean: sum / this.samples.length,
      max: Math.max(...this.samples),
      cores: cpus().length,
    };
  }
}

/** Busy and total jiffies of the whole machine (/proc/stat's first line). */
function machineJiffies(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  // user nice system idle iowait irq softirq steal …: idle and iowait are the only idle ones.
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** CPU seconds so far of this process and every live descendant, by pid. */
function ownTreeCpu(): Map<number, number> {
  const parents = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
      cpu.set(
        Number(name),
        (Number(fields[UTIME_FIELD_AFTER_COMM]) + Number(fields[UTIME_FIELD_AFTER_COMM + 1])) /
          CLOCK_TICKS_PER_SECOND,
      );
    } catch {
      // exited while listing
    }
  }
  const own = new Map<number, number>();
  for (const [pid, seconds] of cpu) {
    for (
      let p: number | undefined = pid, depth = 0;
      p !== undefined && p > 1 && depth < 64;
      depth++
    ) {
      if (p === process.pid) {
        own.set(pid, seconds);
        break;
      }
      p = parents.get(p);
    }
  }
  return own;
}

/**
 * Whether the machine was shared: the whole machine's CPU use during the run, and how much of it
 * was this benchmark (itself and every process it started) rather than anyone else's.
 */
export class MachineShareRecorder {
  private start = machineJiffies();
  private startedMs = Date.now();
  /** Highest CPU seconds seen per own pid, and what it had at the start. */
  private readonly ownSeen = new Map<number, number>();
  private readonly ownAtStart = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  begin(intervalMs = 2_000): void {
    this.start = machineJiffies();
    this.startedMs = Date.now();
    for (const [pid, seconds] of ownTreeCpu()) {
      this.ownAtStart.set(pid, seconds);
      this.ownSeen.set(pid, seconds);
    }
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  private sample(): void {
    for (const [pid, seconds] of ownTreeCpu()) {
      this.ownSeen.set(pid, Math.max(seconds, this.ownSeen.get(pid) ?? 0));
    }
  }

  /** Average cores busy: the whole machine, this benchmark, and everything else. */
  end(): { machineCores: number; benchCores: number; otherCores: number } {
    this.sample();
    clearInterval(this.timer);
    const now = machineJiffies();
    const wallSeconds = (Date.now() - this.startedMs) / 1000;
    const machineCores = (now.busy - this.start.busy) / CLOCK_TICKS_PER_SECOND / wallSeconds;
    let ownSeconds = 0;
    for (const [pid, seconds] of this.ownSeen)
      ownSeconds += seconds - (this.ownAtStart.get(pid) ?? 0);
    const benchCores = ownSeconds / wallSeconds;
    return { machineCores, benchCores, otherCores: Math.max(0, machineCores - benchCores) };
  }
}
