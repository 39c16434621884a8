/**
 * The relay benchmark's audience: Socket.IO clients that log in, decode every position frame, and
 * time how long each sampled row took from its Kafka append to arriving here.
 *
 * Each vehicle is sampled by one client (vehicle % clients), so the timing work is spread over
 * the clients while every client still decodes and walks every frame. Only the first arrival of a
 * message counts: a key frame repeats rows the clients already have.
 */
import { io, type Socket } from 'socket.io-client';
import {
  SOCKET_PATH,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../../shared/events';
import { decodePositionFrame } from '../../../shared/frames';
import type { VehicleTableUpdate } from '../../../shared/vehicles';
import { generationOf, vehicleOfCarId } from './bench-rows';
import type { GeneratorChunk } from './ipc';

/** Generations of append times kept per vehicle; the oldest is overwritten. */
const APPEND_RING = 64;
/** A sample whose append time is still unknown after this long is dropped (counted). */
const UNRESOLVED_GIVE_UP_MS = 10_000;
const CONNECT_TIMEOUT_MS = 30_000;

/** When Kafka appended each (vehicle, generation), from the generator's acknowledgements. */
export class AppendTimes {
  private readonly appendMs: Float64Array;
  private readonly generationAt: Int32Array;
  readonly latestGeneration: Int32Array;

  constructor(
    readonly vehicles: number,
    readonly partitions: number,
  ) {
    this.appendMs = new Float64Array(vehicles * APPEND_RING);
    this.generationAt = new Int32Array(vehicles * APPEND_RING).fill(-1);
    this.latestGeneration = new Int32Array(vehicles).fill(-1);
  }

  record(chunk: GeneratorChunk): void {
    const n = this.vehicles;
    for (let s = chunk.first; s < chunk.first + chunk.count; s++) {
      const vehicle = s % n;
      const generation = Math.floor(s / n);
      const slot = vehicle * APPEND_RING + (generation % APPEND_RING);
      this.appendMs[slot] = chunk.appendMs[vehicle % this.partitions]!;
      this.generationAt[slot] = generation;
      if (generation > this.latestGeneration[vehicle]!) this.latestGeneration[vehicle] = generation;
    }
  }

  /** Append time of a message, or NaN when it is not (or no longer) known. */
  lookup(vehicle: number, generation: number): number {
    const slot = vehicle * APPEND_RING + (generation % APPEND_RING);
    return this.generationAt[slot] === generation ? this.appendMs[slot]! : Number.NaN;
  }
}

interface Pending {
  vehicle: number;
  speedCode: number;
  receivedMs: number;
  /** When the relay built the frame that carried the row (the frame header's server time). */
  builtMs: number;
}

export class LatencyClients {
  private readonly sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];
  /** Relay vehicle index → bench vehicle number (-1: not a bench vehicle). */
  private vehicleOfIndex = new Int32Array(0);
  private knownVehicles = 0;
  private readonly lastSeenGeneration: Int32Array;
  private pending: Pending[] = [];
  private windowStartMs = Number.POSITIVE_INFINITY;
  private windowEndMs = Number.POSITIVE_INFINITY;
  /** Latencies (ms) of samples received inside the window: Kafka append → client receive. */
  readonly latencies: number[] = [];
  /** The same samples' Kafka append → relay frame built (ingest plus the wait for the tick). */
  readonly toFrameMs: number[] = [];
  /** Per frame and client in the window: relay frame built → client receive (send and decode). */
  readonly deliveryMs: number[] = [];
  rowsInWindow = 0;
  framesInWindow = 0;
  unresolved = 0;
  decodeErrors = 0;

  constructor(
    private readonly appendTimes: AppendTimes,
    private readonly clientCount: number,
  ) {
    this.lastSeenGeneration = new Int32Array(appendTimes.vehicles).fill(-1);
  }

  /** Bench vehicles the clients have in their vehicle table. */
  get vehiclesKnown(): number {
    return this.knownVehicles;
  }

  async connect(url: string, token: string): Promise<void> {
    const connected: Promise<void>[] = [];
    for (let c = 0; c < this.clientCount; c++) {
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
        path: SOCKET_PATH,
        transports: ['websocket'],
        auth: { token },
        forceNew: true,
        reconnection: false,
      });
      // One client keeps the shared index → vehicle table; every client receives the same one.
      if (c === 0) socket.on('vehicles', (update) => this.applyTable(update));
      socket.on('positions', (data) => this.onFrame(c, data));
      this.sockets.push(socket);
      connected.push(
        new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error('socket connect timed out')),
            CONNECT_TIMEOUT_MS,
          );
          socket.once('connect', () => {
            clearTimeout(timer);
            resolve();
          });
          socket.once('connect_error', (error) => {
            clearTimeout(timer);
            reject(error);
          });
        }),
      );
    }
    await Promise.all(connected);
  }

  /** Counts and timings from now on belong to the measurement window. */
  startWindow(): void {
    this.resolvePending(Date.now());
    this.latencies.length = 0;
    this.toFrameMs.length = 0;
    this.deliveryMs.length = 0;
    this.rowsInWindow = 0;
    this.framesInWindow = 0;
    this.unresolved = 0;
    this.windowStartMs = Date.now();
    this.windowEndMs = Number.POSITIVE_INFINITY;
  }

  endWindow(): void {
    this.windowEndMs = Date.now();
  }

  /** Matches received rows to their append times; call about once a second and at the end. */
  resolvePending(nowMs: number, final = false): void {
    const still: Pending[] = [];
    for (const p of this.pending) {
      const latest = this.appendTimes.latestGeneration[p.vehicle]!;
      const generation = generationOf(p.speedCode, latest);
      const appended = generation < 0 ? Number.NaN : this.appendTimes.lookup(p.vehicle, generation);
      if (Number.isNaN(appended)) {
        if (!final && nowMs - p.receivedMs < UNRESOLVED_GIVE_UP_MS) still.push(p);
        else if (p.receivedMs >= this.windowStartMs) this.unresolved++;
        continue;
      }
      if (generation <= this.lastSeenGeneration[p.vehicle]!) continue; // a repeat (key frame)
      this.lastSeenGeneration[p.vehicle] = generation;
      if (p.receivedMs >= this.windowStartMs && p.receivedMs <= this.windowEndMs) {
        this.latencies.push(p.receivedMs - appended);
        this.toFrameMs.push(p.builtMs - appended);
      }
    }
    this.pending = still;
  }

  close(): void {
    for (const socket of this.sockets) socket.disconnect();
    this.sockets.length = 0;
  }

  private applyTable(update: VehicleTableUpdate): void {
    for (const entry of update.entries) {
      if (entry.index >= this.vehicleOfIndex.length) {
        const grown = new Int32Array(
          Math.max(entry.index + 1, this.vehicleOfIndex.length * 2),
        ).fill(-1);
        grown.set(this.vehicleOfIndex);
        this.vehicleOfIndex = grown;
      }
      const vehicle = vehicleOfCarId(entry.carId);
      if (this.vehicleOfIndex[entry.index] === -1 && vehicle >= 0) this.knownVehicles++;
      this.vehicleOfIndex[entry.index] = vehicle;
    }
  }

  private onFrame(client: number, data: ArrayBuffer): void {
    const receivedMs = Date.now();
    let frame;
    try {
      frame = decodePositionFrame(data);
    } catch {
      this.decodeErrors++;
      return;
    }
    const inWindow = receivedMs >= this.windowStartMs && receivedMs <= this.windowEndMs;
    if (inWindow) {
      this.rowsInWindow += frame.count;
      this.framesInWindow++;
      this.deliveryMs.push(receivedMs - frame.serverTimeMs);
    }
    const { index, speed, serverTimeMs: builtMs } = frame;
    const table = this.vehicleOfIndex;
    for (let row = 0; row < frame.count; row++) {
      const vehicle = table[index[row]!] ?? -1;
      if (vehicle < 0 || vehicle % this.clientCount !== client) continue;
      this.pending.push({ vehicle, speedCode: speed[row]!, receivedMs, builtMs });
    }
  }
}
