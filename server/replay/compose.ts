/**
 * The fleet at one moment from a chunk's frames: its key frame, then every delta up to that
 * moment, folded into one key frame in the live format (shared/frames.ts). Pure.
 */
import {
  FRAME_HEADER_BYTES,
  FRAME_VERSION,
  FrameKind,
  VehicleFlag,
  frameByteLength,
  type PositionFrame,
} from '../../shared/frames';

/** The vehicles on the road at one moment, and the frame that last changed them. */
export interface FleetAt {
  frame: PositionFrame;
  /** Time of the newest frame folded in (epoch ms): the moment the state is exact for. */
  asOfMs: number;
}

/**
 * Folds `frames` (a chunk: key frame first) up to and including `atMs`. Returns null when the
 * chunk starts after `atMs` or does not start with a key frame.
 */
export function fleetAt(frames: readonly PositionFrame[], atMs: number): FleetAt | null {
  const first = frames[0];
  if (!first || first.kind !== FrameKind.Key || first.serverTimeMs > atMs) return null;
  let size = 0;
  for (const frame of frames) {
    for (let i = 0; i < frame.count; i++) size = Math.max(size, frame.index[i]! + 1);
  }
  const present = new Uint8Array(size);
  const lon = new Float32Array(size);
  const lat = new Float32Array(size);
  const speed = new Uint16Array(size);
  const heading = new Uint16Array(size);
  const flags = new Uint8Array(size);
  let last = first;
  for (const frame of frames) {
    if (frame.serverTimeMs > atMs) break;
    last = frame;
    if (frame.kind === FrameKind.Key) present.fill(0);
    for (let i = 0; i < frame.count; i++) {
      const k = frame.index[i]!;
      if ((frame.flags[i]! & VehicleFlag.Gone) !== 0) {
        present[k] = 0;
        continue;
      }
      present[k] = 1;
      lon[k] = frame.lon[i]!;
      lat[k] = frame.lat[i]!;
      speed[k] = frame.speed[i]!;
      heading[k] = frame.heading[i]!;
      flags[k] = frame.flags[i]!;
    }
  }
  let count = 0;
  for (let k = 0; k < size; k++) count += present[k]!;
  const out: PositionFrame = {
    kind: FrameKind.Key,
    seq: last.seq,
    serverTimeMs: last.serverTimeMs,
    count,
    tableVersion: last.tableVersion,
    index: new Uint32Array(count),
    lon: new Float32Array(count),
    lat: new Float32Array(count),
    speed: new Uint16Array(count),
    heading: new Uint16Array(count),
    flags: new Uint8Array(count),
  };
  let row = 0;
  for (let k = 0; k < size; k++) {
    if (!present[k]) continue;
    out.index[row] = k;
    out.lon[row] = lon[k]!;
    out.lat[row] = lat[k]!;
    out.speed[row] = speed[k]!;
    out.heading[row] = heading[k]!;
    out.flags[row] = flags[k]!;
    row++;
  }
  return { frame: out, asOfMs: last.serverTimeMs };
}

/**
 * Packs a decoded frame in the live wire layout, with its vehicle indexes replaced through
 * `mapIndex` (another relay's indexes to this relay's) and the given table version.
 */
export function packFrame(
  frame: PositionFrame,
  options: { tableVersion?: number; mapIndex?: (index: number) => number } = {},
): Uint8Array {
  const n = frame.count;
  const out = new Uint8Array(frameByteLength(n));
  const view = new DataView(out.buffer);
  view.setUint8(0, FRAME_VERSION);
  view.setUint8(1, frame.kind);
  view.setUint16(2, 0, true);
  view.setUint32(4, frame.seq >>> 0, true);
  view.setFloat64(8, frame.serverTimeMs, true);
  view.setUint32(16, n, true);
  view.setUint32(20, (options.tableVersion ?? frame.tableVersion) >>> 0, true);
  let offset = FRAME_HEADER_BYTES;
  const index = new Uint32Array(out.buffer, offset, n);
  const mapIndex = options.mapIndex;
  if (mapIndex) for (let i = 0; i < n; i++) index[i] = mapIndex(frame.index[i]!);
  else index.set(frame.index);
  offset += 4 * n;
  new Float32Array(out.buffer, offset, n).set(frame.lon);
  offset += 4 * n;
  new Float32Array(out.buffer, offset, n).set(frame.lat);
  offset += 4 * n;
  new Uint16Array(out.buffer, offset, n).set(frame.speed);
  offset += 2 * n;
  new Uint16Array(out.buffer, offset, n).set(frame.heading);
  offset += 2 * n;
  out.set(frame.flags, offset);
  return out;
}
