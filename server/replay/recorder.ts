/**
 * Records the relay's live position frames for replay (DESIGN §13): every frame the broadcast tick
 * builds is kept, grouped from one key frame to the next (a chunk, about ten seconds), and each
 * closed chunk is packed (chunk-codec.ts), compressed on libuv's thread pool and written as one
 * row, one chunk at a time after the tick — never on the tick's path.
 *
 * Many relays: every relay frames the positions it reads itself, with its own vehicle indexes, so
 * exactly one of them records — the holder of the `replay-frames` lease. A relay that loses the
 * lease drops the chunk it was filling; the next holder starts at its next key frame (a gap of at
 * most one chunk). Each run records its own vehicle table (index → car) with its chunks.
 */
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, brotliDecompress, constants as zlib } from 'node:zlib';
import { FrameKind, decodePositionFrame, type PositionFrame } from '../../shared/frames';
import type { NewChunk } from '../store/frame-repository';
import { ChunkEncoder } from './chunk-codec';

const compress = promisify(brotliCompress);
const decompress = promisify(brotliDecompress);
/**
 * Brotli's fast settings: on varint-coded deltas quality 4 stores within a few per cent of the
 * default 11 at a small fraction of its time (50,000 vehicles: ~60 ms a chunk, not seconds).
 */
const BROTLI_QUALITY = 4;
/**
 * Closed chunks waiting for the store. Past this the store cannot keep up: the oldest waiting
 * chunk is dropped (a gap in replay) rather than the relay's memory growing without bound.
 */
export const MAX_WAITING_CHUNKS = 6;

export async function compressChunk(raw: Uint8Array): Promise<Uint8Array> {
  return compress(raw, {
    params: {
      [zlib.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [zlib.BROTLI_PARAM_SIZE_HINT]: raw.byteLength,
    },
  });
}

export async function decompressChunk(stored: Uint8Array): Promise<Uint8Array> {
  return decompress(stored);
}

export interface RecorderStore {
  insert(
    chunks: readonly NewChunk[],
    vehicles: readonly { runId: string; index: number; carId: string }[],
  ): Promise<void>;
}

export interface RecorderOptions {
  store: RecorderStore;
  /** The car behind a vehicle index of this relay (FleetState.entry). */
  carOf: (index: number) => string | undefined;
  /** How many vehicle indexes this relay has handed out so far. */
  knownVehicles: () => number;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  onWritten?: (chunk: NewChunk) => void;
}

interface OpenChunk {
  /** Packs each frame as it arrives (spread over the chunk's seconds, not one pause at its end). */
  encoder: ChunkEncoder;
  startMs: number;
  endMs: number;
  frames: Uint8Array[];
  rawBytes: number;
  vehicleCount: number;
  /** Vehicle indexes handed out when the chunk closed. */
  knownVehicles: number;
}

export class FrameRecorder {
  /** This run's id: vehicle indexes are this relay process's own. */
  readonly runId = randomUUID();
  private active = false;
  private current: OpenChunk | null = null;
  private readonly waiting: OpenChunk[] = [];
  private writing: Promise<void> | null = null;
  /** Vehicle indexes below this are stored for this run. */
  private vehiclesStored = 0;
  private closed = false;
  dropped = 0;

  constructor(private readonly options: RecorderOptions) {}

  get recording(): boolean {
    return this.active;
  }

  /** Starts or stops recording (the lease came or went). Stopping drops the open chunk. */
  setActive(active: boolean): void {
    this.active = active && !this.closed;
    if (!this.active) this.current = null;
  }

  /** One frame as broadcast (key or delta, heartbeats included). */
  record(frame: Uint8Array): void {
    if (!this.active) return;
    const header = decodeHeader(frame);
    if (header.kind === FrameKind.Key) {
      if (this.current) this.close(this.current);
      const encoder = new ChunkEncoder();
      encoder.add(frame);
      this.current = {
        encoder,
        startMs: header.serverTimeMs,
        endMs: header.serverTimeMs,
        frames: [frame],
        rawBytes: frame.byteLength,
        vehicleCount: header.count,
        knownVehicles: 0,
      };
      return;
    }
    // Deltas before the first key frame cannot be replayed alone: wait for the key frame.
    if (!this.current) return;
    this.current.frames.push(frame);
    this.current.encoder.add(frame);
    this.current.endMs = header.serverTimeMs;
    this.current.rawBytes += frame.byteLength;
  }

  /**
   * The frames held in memory (the open chunk and closed ones not yet stored) whose chunk covers
   * `atMs`: the newest seconds, before they reach the store. Null when none does.
   */
  framesAt(atMs: number): PositionFrame[] | null {
    const chunks = [...this.waiting, ...(this.current ? [this.current] : [])];
    let best: OpenChunk | null = null;
    for (const chunk of chunks) {
      if (chunk.startMs <= atMs && (best === null || chunk.startMs > best.startMs)) best = chunk;
    }
    if (best === null || atMs > best.endMs) return null;
    return best.frames.map((f) => decodePositionFrame(f));
  }

  /** Newest moment held (in memory or being stored), or null. */
  get newestMs(): number | null {
    return this.current?.endMs ?? this.waiting.at(-1)?.endMs ?? null;
  }

  /** Oldest moment held in memory, or null. */
  get oldestMs(): number | null {
    return this.waiting[0]?.startMs ?? this.current?.startMs ?? null;
  }

  /** Waits for the chunks already closed to be stored (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.writing) await this.writing;
  }

  /** Stores what is closed, drops the open chunk, and records nothing more. */
  async close(): Promise<void>;
  close(chunk: OpenChunk): void;
  close(chunk?: OpenChunk): Promise<void> | void {
    if (chunk === undefined) {
      this.closed = true;
      this.setActive(false);
      return this.drain();
    }
    chunk.knownVehicles = this.options.knownVehicles();
    this.waiting.push(chunk);
    while (this.waiting.length > MAX_WAITING_CHUNKS) {
      const lost = this.waiting.shift()!;
      this.dropped++;
      this.options.log.warn(
        { startMs: lost.startMs, waiting: this.waiting.length },
        'replay store behind: a chunk was dropped',
      );
    }
    this.writing ??= this.writeWaiting().finally(() => {
      this.writing = null;
    });
  }

  private async writeWaiting(): Promise<void> {
    for (let chunk = this.waiting[0]; chunk; chunk = this.waiting[0]) {
      try {
        const raw = chunk.encoder.finish();
        const data = await compressChunk(raw);
        const vehicles: { runId: string; index: number; carId: string }[] = [];
        for (let i = this.vehiclesStored; i < chunk.knownVehicles; i++) {
          const carId = this.options.carOf(i);
          if (carId !== undefined) vehicles.push({ runId: this.runId, index: i, carId });
        }
        const row: NewChunk = {
          runId: this.runId,
          startMs: chunk.startMs,
          endMs: chunk.endMs,
          frameCount: chunk.frames.length,
          vehicleCount: chunk.vehicleCount,
          rawBytes: chunk.rawBytes,
          data,
        };
        await this.options.store.insert([row], vehicles);
        this.vehiclesStored = Math.max(this.vehiclesStored, chunk.knownVehicles);
        this.options.onWritten?.(row);
      } catch (error) {
        this.dropped++;
        this.options.log.error({ err: error, startMs: chunk.startMs }, 'replay chunk not stored');
      }
      // Only now: framesAt serves it from memory until it is in the store.
      if (this.waiting[0] === chunk) this.waiting.shift();
    }
  }
}

/** Kind, time and row count of a frame, without decoding its columns. */
function decodeHeader(frame: Uint8Array): { kind: number; serverTimeMs: number; count: number } {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return {
    kind: view.getUint8(1),
    serverTimeMs: view.getFloat64(8, true),
    count: view.getUint32(16, true),
  };
}
