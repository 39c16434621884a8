/** Messages between the relay benchmark and its child processes (Node IPC, JSON-serialised). */

export interface GeneratorStart {
  type: 'start';
  brokers: string[];
  topic: string;
  partitions: number;
  vehicles: number;
  ratePerSecond: number;
  durationMs: number;
}

/** One acknowledged send: messages [first, first + count) and each partition's append time. */
export interface GeneratorChunk {
  type: 'chunk';
  first: number;
  count: number;
  /** Kafka's LogAppendTime (epoch ms) per partition index; NaN where nothing went. */
  appendMs: number[];
}

export interface GeneratorDone {
  type: 'done';
  sent: number;
  acked: number;
  elapsedMs: number;
  /** Scheduling ticks on which the in-flight limit held messages back (the generator was behind). */
  throttledTicks: number;
}

export type GeneratorMessage =
  { type: 'ready' } | GeneratorChunk | GeneratorDone | { type: 'error'; message: string };
export type GeneratorCommand = GeneratorStart | { type: 'stop' };

export interface CounterStart {
  type: 'start';
  brokers: string[];
  groupId: string;
  topic: string;
}

export type CounterMessage =
  | { type: 'joined' }
  /** Messages counted so far, and sampled message ages (ms) since the last report. */
  | { type: 'count'; atMs: number; total: number; ages: number[] }
  | { type: 'error'; message: string };
export type CounterCommand = CounterStart | { type: 'stop' };
