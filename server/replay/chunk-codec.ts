/**
 * A replay chunk: one key frame and the deltas that follow it (about KEY_FRAME_INTERVAL_MS of the
 * live `positions` stream), packed small for the store. Pure: bytes in, bytes out.
 *
 * The live frames are structure-of-arrays of f32 positions; consecutive positions of one vehicle
 * differ by a few units in the last place, so each column is stored as the difference from that
 * vehicle's previous value in the chunk (f32 bit patterns as integers: lossless, a frame read back
 * is bit-for-bit the frame that was sent), zigzag-varint coded. Vehicle indexes are stored as the
 * difference from the previous row's. The store compresses the result (replay/chunk-store.ts).
 *
 *   u8 version · per frame: u8 FRAME_MARK, then
 *   u8 kind · f64 server time · varint seq · varint count · varint table version ·
 *   count × varint Δindex · count × varint Δlon bits · count × varint Δlat bits ·
 *   count × varint Δspeed · count × varint Δheading · count × u8 flags
 *   · u8 END_MARK
 * Frames are added one at a time as the relay sends them (ChunkEncoder), so packing a chunk of
 * 50,000 vehicles is spread over its ten seconds instead of one long pause at its end.
 */
import { FrameKind, decodePositionFrame, type PositionFrame } from '../../shared/frames';

export const CHUNK_VERSION = 1;
const INITIAL_CAPACITY = 1 << 16;
const INITIAL_INDEXES = 4096;
const VARINT_CONTINUE = 0x80;
const VARINT_BITS = 0x7f;
const VARINT_SHIFT = 128;
const F64_BYTES = 8;
const FRAME_MARK = 1;
const END_MARK = 0;
/** Worst case bytes per row: five varints of up to 5 bytes (6 past 2^35, never here) and flags. */
const MAX_ROW_BYTES = 5 * 7 + 1;
const FRAME_OVERHEAD_BYTES = 1 + 1 + F64_BYTES + 3 * 7;
/** Zigzag and varints use 32-bit operations below this magnitude, plain arithmetic above. */
const FAST_LIMIT = 0x40000000;
const U31 = 0x80000000;
/** Varints of up to this many bytes take the decoder's fast path. */
const VARINT_FAST_BYTES = 5;
/** 2^28: the weight of a varint's fifth 7-bit group. */
const VARINT_FIFTH_SCALE = 0x10000000;

export class ChunkDecodeError extends Error {}

/** A growable byte buffer with varint writing. */
class ByteWriter {
  bytes = new Uint8Array(INITIAL_CAPACITY);
  length = 0;
  private readonly scratch = new DataView(new ArrayBuffer(F64_BYTES));

  ensure(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    let capacity = this.bytes.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const next = new Uint8Array(capacity);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
  }

  /** The writes below assume `ensure` made room (once per frame: this is the hot loop). */
  u8(value: number): void {
    this.bytes[this.length++] = value;
  }

  f64(value: number): void {
    this.scratch.setFloat64(0, value, true);
    for (let i = 0; i < F64_BYTES; i++) this.bytes[this.length++] = this.scratch.getUint8(i);
  }

  /** An unsigned whole number below 2^53. */
  varint(value: number): void {
    const bytes = this.bytes;
    let v = value;
    if (v < U31) {
      while (v >= VARINT_SHIFT) {
        bytes[this.length++] = (v & VARINT_BITS) | VARINT_CONTINUE;
        v >>>= 7;
      }
      bytes[this.length++] = v;
      return;
    }
    while (v >= VARINT_SHIFT) {
      bytes[this.length++] = (v % VARINT_SHIFT) | VARINT_CONTINUE;
      v = Math.floor(v / VARINT_SHIFT);
    }
    bytes[this.length++] = v;
  }

  /** A signed whole number, zigzag coded (small magnitudes take one byte). */
  signed(value: number): void {
    if (value > -FAST_LIMIT && value < FAST_LIMIT)
      this.varint(((value << 1) ^ (value >> 31)) >>> 0);
    else this.varint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

class ByteReader {
  offset = 0;
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(): number {
    if (this.offset >= this.bytes.length) throw new ChunkDecodeError('chunk ends early');
    return this.bytes[this.offset++]!;
  }

  f64(): number {
    if (this.offset + F64_BYTES > this.bytes.length) throw new ChunkDecodeError('chunk ends early');
    const value = this.view.getFloat64(this.offset, true);
    this.offset += F64_BYTES;
    return value;
  }

  /**
   * An unsigned varint. The hot path of a seek (every row of a chunk is five of them): up to five
   * bytes (35 bits, enough for every f32 bit pattern zigzagged) read straight from the array with
   * 32-bit operations; longer or truncated ones take the careful path.
   */
  varint(): number {
    const bytes = this.bytes;
    let offset = this.offset;
    if (offset + VARINT_FAST_BYTES <= bytes.length) {
      let byte = bytes[offset++]!;
      let value = byte & VARINT_BITS;
      if (byte < VARINT_CONTINUE) {
        this.offset = offset;
        return value;
      }
      byte = bytes[offset++]!;
      value |= (byte & VARINT_BITS) << 7;
      if (byte < VARINT_CONTINUE) {
        this.offset = offset;
        return value;
      }
      byte = bytes[offset++]!;
      value |= (byte & VARINT_BITS) << 14;
      if (byte < VARINT_CONTINUE) {
        this.offset = offset;
        return value;
      }
      byte = bytes[offset++]!;
      value |= (byte & VARINT_BITS) << 21;
      if (byte < VARINT_CONTINUE) {
        this.offset = offset;
        return value;
      }
      byte = bytes[offset++]!;
      if (byte < VARINT_CONTINUE) {
        this.offset = offset;
        // value < 2^28 here; the fifth group by multiplication (it may pass 2^31).
        return value + byte * VARINT_FIFTH_SCALE;
      }
    }
    return this.longVarint();
  }

  /** Any varint up to 2^53, byte by byte, with bounds checks. */
  private longVarint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      value += (byte & VARINT_BITS) * scale;
      if (byte < VARINT_CONTINUE) return value;
      scale *= VARINT_SHIFT;
      if (scale > Number.MAX_SAFE_INTEGER) throw new ChunkDecodeError('varint too long');
    }
  }

  signed(): number {
    const z = this.varint();
    if (z < U31) return (z >>> 1) ^ -(z & 1);
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
}

/** Each vehicle's previous values within the chunk, by vehicle index. */
class LastValues {
  lon = new Int32Array(INITIAL_INDEXES);
  lat = new Int32Array(INITIAL_INDEXES);
  speed = new Int32Array(INITIAL_INDEXES);
  heading = new Int32Array(INITIAL_INDEXES);

  fit(index: number): void {
    if (index < this.lon.length) return;
    let capacity = this.lon.length * 2;
    while (capacity <= index) capacity *= 2;
    const grow = (old: Int32Array) => {
      const next = new Int32Array(capacity);
      next.set(old);
      return next;
    };
    this.lon = grow(this.lon);
    this.lat = grow(this.lat);
    this.speed = grow(this.speed);
    this.heading = grow(this.heading);
  }
}

/** The f32 column's bit patterns as integers (the frame's columns are 4-byte aligned). */
function bitsOf(column: Float32Array): Int32Array {
  return new Int32Array(column.buffer, column.byteOffset, column.length);
}

/** Packs live frames into one chunk, one frame at a time (the first should be a key frame). */
export class ChunkEncoder {
  private readonly out = new ByteWriter();
  private readonly last = new LastValues();
  frames = 0;

  constructor() {
    this.out.ensure(1);
    this.out.u8(CHUNK_VERSION);
  }

  add(bytes: Uint8Array): void {
    const { out, last } = this;
    const frame = decodePositionFrame(bytes);
    const n = frame.count;
    out.ensure(FRAME_OVERHEAD_BYTES + n * MAX_ROW_BYTES);
    out.u8(FRAME_MARK);
    out.u8(frame.kind);
    out.f64(frame.serverTimeMs);
    out.varint(frame.seq);
    out.varint(n);
    out.varint(frame.tableVersion);
    let previous = 0;
    for (let i = 0; i < n; i++) {
      const index = frame.index[i]!;
      out.signed(index - previous);
      previous = index;
      last.fit(index);
    }
    const lon = bitsOf(frame.lon);
    const lastLon = last.lon;
    for (let i = 0; i < n; i++) {
      const index = frame.index[i]!;
      out.signed(lon[i]! - lastLon[index]!);
      lastLon[index] = lon[i]!;
    }
    const lat = bitsOf(frame.lat);
    const lastLat = last.lat;
    for (let i = 0; i < n; i++) {
      const index = frame.index[i]!;
      out.signed(lat[i]! - lastLat[index]!);
      lastLat[index] = lat[i]!;
    }
    const lastSpeed = last.speed;
    for (let i = 0; i < n; i++) {
      const index = frame.index[i]!;
      out.signed(frame.speed[i]! - lastSpeed[index]!);
      lastSpeed[index] = frame.speed[i]!;
    }
    const lastHeading = last.heading;
    for (let i = 0; i < n; i++) {
      const index = frame.index[i]!;
      out.signed(frame.heading[i]! - lastHeading[index]!);
      lastHeading[index] = frame.heading[i]!;
    }
    for (let i = 0; i < n; i++) out.u8(frame.flags[i]!);
    this.frames++;
  }

  /** The packed chunk; the encoder is spent after it. */
  finish(): Uint8Array {
    this.out.ensure(1);
    this.out.u8(END_MARK);
    return this.out.finish();
  }
}

/** Packs live frames (as sent; the first should be a key frame) into one chunk. */
export function encodeChunk(frames: readonly Uint8Array[]): Uint8Array {
  const encoder = new ChunkEncoder();
  for (const frame of frames) encoder.add(frame);
  return encoder.finish();
}

/** The frames of a chunk, exactly as they were sent. */
export function decodeChunk(bytes: Uint8Array): PositionFrame[] {
  const input = new ByteReader(bytes);
  const version = input.u8();
  if (version !== CHUNK_VERSION) throw new ChunkDecodeError(`unknown chunk version ${version}`);
  const last = new LastValues();
  const frames: PositionFrame[] = [];
  for (;;) {
    const mark = input.u8();
    if (mark === END_MARK) break;
    if (mark !== FRAME_MARK) throw new ChunkDecodeError(`bad frame mark ${mark}`);
    const kind = input.u8();
    if (kind !== FrameKind.Key && kind !== FrameKind.Delta) {
      throw new ChunkDecodeError(`unknown frame kind ${kind}`);
    }
    const serverTimeMs = input.f64();
    const seq = input.varint();
    const n = input.varint();
    if (n > bytes.length) throw new ChunkDecodeError(`frame of ${n} rows cannot fit the chunk`);
    const tableVersion = input.varint();
    const index = new Uint32Array(n);
    const lon = new Float32Array(n);
    const lat = new Float32Array(n);
    const speed = new Uint16Array(n);
    const heading = new Uint16Array(n);
    const flags = new Uint8Array(n);
    let previous = 0;
    for (let i = 0; i < n; i++) {
      previous += input.signed();
      index[i] = previous;
      last.fit(previous);
    }
    const lonBits = bitsOf(lon);
    for (let i = 0; i < n; i++) {
      const k = index[i]!;
      last.lon[k] = last.lon[k]! + input.signed();
      lonBits[i] = last.lon[k]!;
    }
    const latBits = bitsOf(lat);
    for (let i = 0; i < n; i++) {
      const k = index[i]!;
      last.lat[k] = last.lat[k]! + input.signed();
      latBits[i] = last.lat[k]!;
    }
    for (let i = 0; i < n; i++) {
      const k = index[i]!;
      last.speed[k] = last.speed[k]! + input.signed();
      speed[i] = last.speed[k]!;
    }
    for (let i = 0; i < n; i++) {
      const k = index[i]!;
      last.heading[k] = last.heading[k]! + input.signed();
      heading[i] = last.heading[k]!;
    }
    for (let i = 0; i < n; i++) flags[i] = input.u8();
    frames.push({
      kind,
      seq,
      serverTimeMs,
      count: n,
      tableVersion,
      index,
      lon,
      lat,
      speed,
      heading,
      flags,
    });
  }
  return frames;
}
