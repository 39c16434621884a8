/**
 * Binary position frames: the one per-tick message that carries vehicle motion from relay to client.
 *
 * Layout (little-endian), structure-of-arrays so a client can hand each column straight to deck.gl:
 *   0  u8  version            1  u8 kind (key | delta)     2 u16 reserved
 *   4  u32 sequence           8  f64 server time (epoch ms)
 *   16 u32 count              20 u32 vehicle-table version
 *   24 u32[count] vehicle index · f32[count] lon · f32[count] lat
 *      u16[count] speed (km/h × 10) · u16[count] heading (deg × 100) · u8[count] flags
 * Columns are ordered by element size, so every column starts aligned for a zero-copy view.
 *
 * A key frame lists every live vehicle (a client replaces its state with it); a delta frame lists
 * only vehicles that changed since the previous frame, and vehicles that left carry FLAG_GONE.
 */
export const FRAME_VERSION = 1;
export const FRAME_HEADER_BYTES = 24;
export const FrameKind = { Key: 1, Delta: 2 } as const;
export type FrameKind = (typeof FrameKind)[keyof typeof FrameKind];

export const SPEED_SCALE = 10;
export const HEADING_SCALE = 100;
const MAX_U16 = 0xffff;
/** Bytes per vehicle: index 4 + lon 4 + lat 4 + speed 2 + heading 2 + flags 1. */
export const BYTES_PER_VEHICLE = 17;

/** Vehicle state bits carried in each frame row. */
export const VehicleFlag = {
  /** Moving (speed above a crawl). */
  Moving: 1 << 0,
  /** A drowsy-driving detection in the recent past. */
  Drowsy: 1 << 1,
  /** Plate hit against arrears (체납). */
  Arrears: 1 << 2,
  /** Plate hit against a missing-person (실종자) record. */
  Missing: 1 << 3,
  /** Rapid acceleration reported in the latest row. */
  RapidAcc: 1 << 4,
  /** The vehicle left (session ended); the client drops it. */
  Gone: 1 << 7,
} as const;

export interface PositionFrame {
  kind: FrameKind;
  seq: number;
  serverTimeMs: number;
  count: number;
  tableVersion: number;
  index: Uint32Array;
  lon: Float32Array;
  lat: Float32Array;
  /** km/h × SPEED_SCALE */
  speed: Uint16Array;
  /** degrees × HEADING_SCALE, clockwise from north */
  heading: Uint16Array;
  flags: Uint8Array;
}

export class FrameDecodeError extends Error {}

export function frameByteLength(count: number): number {
  return FRAME_HEADER_BYTES + count * BYTES_PER_VEHICLE;
}

/**
 * Accumulates one frame's rows into reusable scratch columns, then packs them. One writer per
 * producer; `begin` resets it, so a frame costs no allocation but the packed output.
 */
export class PositionFrameWriter {
  private index: Uint32Array;
  private lon: Float32Array;
  private lat: Float32Array;
  private speed: Uint16Array;
  private heading: Uint16Array;
  private flags: Uint8Array;
  private count = 0;
  private kind: FrameKind = FrameKind.Key;
  private seq = 0;
  private serverTimeMs = 0;
  private tableVersion = 0;

  constructor(initialCapacity = 1024) {
    this.index = new Uint32Array(initialCapacity);
    this.lon = new Float32Array(initialCapacity);
    this.lat = new Float32Array(initialCapacity);
    this.speed = new Uint16Array(initialCapacity);
    this.heading = new Uint16Array(initialCapacity);
    this.flags = new Uint8Array(initialCapacity);
  }

  begin(kind: FrameKind, seq: number, serverTimeMs: number, tableVersion: number): this {
    this.kind = kind;
    this.seq = seq;
    this.serverTimeMs = serverTimeMs;
    this.tableVersion = tableVersion;
    this.count = 0;
    return this;
  }

  push(
    index: number,
    lon: number,
    lat: number,
    speedKmh: number,
    headingDeg: number,
    flags: number,
  ): void {
    if (this.count === this.index.length) this.grow();
    const i = this.count++;
    this.index[i] = index;
    this.lon[i] = lon;
    this.lat[i] = lat;
    this.speed[i] = Math.min(MAX_U16, Math.max(0, Math.round(speedKmh * SPEED_SCALE)));
    const heading = ((headingDeg % 360) + 360) % 360;
    this.heading[i] = Math.round(heading * HEADING_SCALE) % (360 * HEADING_SCALE);
    this.flags[i] = flags & 0xff;
  }

  get size(): number {
    return this.count;
  }

  finish(): Uint8Array {
    const n = this.count;
    const out = new Uint8Array(frameByteLength(n));
    const view = new DataView(out.buffer);
    view.setUint8(0, FRAME_VERSION);
    view.setUint8(1, this.kind);
    view.setUint16(2, 0, true);
    view.setUint32(4, this.seq >>> 0, true);
    view.setFloat64(8, this.serverTimeMs, true);
    view.setUint32(16, n, true);
    view.setUint32(20, this.tableVersion >>> 0, true);
    let offset = FRAME_HEADER_BYTES;
    // Typed-array views write the host's byte order; every supported host is little-endian.
    new Uint32Array(out.buffer, offset, n).set(this.index.subarray(0, n));
    offset += 4 * n;
    new Float32Array(out.buffer, offset, n).set(this.lon.subarray(0, n));
    offset += 4 * n;
    new Float32Array(out.buffer, offset, n).set(this.lat.subarray(0, n));
    offset += 4 * n;
    new Uint16Array(out.buffer, offset, n).set(this.speed.subarray(0, n));
    offset += 2 * n;
    new Uint16Array(out.buffer, offset, n).set(this.heading.subarray(0, n));
    offset += 2 * n;
    out.set(this.flags.subarray(0, n), offset);
    return out;
  }

  private grow(): void {
    const capacity = this.index.length * 2;
    const grown = <T extends Uint32Array | Float32Array | Uint16Array | Uint8Array>(
      old: T,
      make: (n: number) => T,
    ): T => {
      const next = make(capacity);
      next.set(old);
      return next;
    };
    this.index = grown(this.index, (n) => new Uint32Array(n));
    this.lon = grown(this.lon, (n) => new Float32Array(n));
    this.lat = grown(this.lat, (n) => new Float32Array(n));
    this.speed = grown(this.speed, (n) => new Uint16Array(n));
    this.heading = grown(this.heading, (n) => new Uint16Array(n));
    this.flags = grown(this.flags, (n) => new Uint8Array(n));
  }
}

/**
 * Decodes a frame without copying when the bytes are 4-byte aligned (as an ArrayBuffer from
 * Socket.IO is); otherwise copies once so the column views are valid.
 */
export function decodePositionFrame(data: ArrayBuffer | ArrayBufferView): PositionFrame {
  let bytes =
    data instanceof ArrayBuffer
      ? new Uint8Array(data)
      : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.byteLength < FRAME_HEADER_BYTES) throw new FrameDecodeError('frame too short');
  if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint8(0);
  if (version !== FRAME_VERSION) throw new FrameDecodeError(`unknown frame version ${version}`);
  const kind = view.getUint8(1);
  if (kind !== FrameKind.Key && kind !== FrameKind.Delta) {
    throw new FrameDecodeError(`unknown frame kind ${kind}`);
  }
  const count = view.getUint32(16, true);
  if (bytes.byteLength !== frameByteLength(count)) {
    throw new FrameDecodeError(`frame length ${bytes.byteLength} does not fit ${count} vehicles`);
  }
  const base = bytes.byteOffset;
  let offset = base + FRAME_HEADER_BYTES;
  const index = new Uint32Array(bytes.buffer, offset, count);
  offset += 4 * count;
  const lon = new Float32Array(bytes.buffer, offset, count);
  offset += 4 * count;
  const lat = new Float32Array(bytes.buffer, offset, count);
  offset += 4 * count;
  const speed = new Uint16Array(bytes.buffer, offset, count);
  offset += 2 * count;
  const heading = new Uint16Array(bytes.buffer, offset, count);
  offset += 2 * count;
  const flags = new Uint8Array(bytes.buffer, offset, count);
  return {
    kind,
    seq: view.getUint32(4, true),
    serverTimeMs: view.getFloat64(8, true),
    count,
    tableVersion: view.getUint32(20, true),
    index,
    lon,
    lat,
    speed,
    heading,
    flags,
  };
}

/**
 * An empty delta: the relay sends one when nothing moved for a while, so clients can tell a quiet
 * fleet from a lost feed. It carries no update.
 */
export function isHeartbeat(frame: Pick<PositionFrame, 'kind' | 'count'>): boolean {
  return frame.kind === FrameKind.Delta && frame.count === 0;
}
