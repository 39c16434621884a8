import { describe, expect, it } from 'vitest';
import {
  BYTES_PER_VEHICLE,
  FRAME_HEADER_BYTES,
  FrameDecodeError,
  FrameKind,
  HEADING_SCALE,
  PositionFrameWriter,
  SPEED_SCALE,
  VehicleFlag,
  decodePositionFrame,
} from '../../../shared/frames';

describe('position frame codec', () => {
  it('round-trips every column of a key frame', () => {
    const writer = new PositionFrameWriter(2); // small on purpose: forces the writer to grow
    writer.begin(FrameKind.Key, 42, 1_765_258_200_123, 7);
    writer.push(0, 129.0756, 35.1796, 45.5, 90, VehicleFlag.Moving);
    writer.push(5, 128.9, 35.1, 0, 359.99, VehicleFlag.Drowsy | VehicleFlag.Arrears);
    writer.push(70_000, 129.2, 35.3, 121.3, 180.25, VehicleFlag.Missing);
    const bytes = writer.finish();
    expect(bytes.byteLength).toBe(FRAME_HEADER_BYTES + 3 * BYTES_PER_VEHICLE);

    const frame = decodePositionFrame(bytes.buffer as ArrayBuffer);
    expect(frame.kind).toBe(FrameKind.Key);
    expect(frame.seq).toBe(42);
    expect(frame.serverTimeMs).toBe(1_765_258_200_123);
    expect(frame.tableVersion).toBe(7);
    expect(frame.count).toBe(3);
    expect([...frame.index]).toEqual([0, 5, 70_000]);
    expect(frame.lon[0]).toBeCloseTo(129.0756, 4);
    expect(frame.lat[0]).toBeCloseTo(35.1796, 4);
    expect(frame.speed[0]! / SPEED_SCALE).toBeCloseTo(45.5, 1);
    expect(frame.heading[0]! / HEADING_SCALE).toBeCloseTo(90, 2);
    expect(frame.heading[1]! / HEADING_SCALE).toBeCloseTo(359.99, 2);
    expect(frame.speed[2]! / SPEED_SCALE).toBeCloseTo(121.3, 1);
    expect([...frame.flags]).toEqual([
      VehicleFlag.Moving,
      VehicleFlag.Drowsy | VehicleFlag.Arrears,
      VehicleFlag.Missing,
    ]);
  });

  it('keeps float32 positions within about a metre around Busan', () => {
    const writer = new PositionFrameWriter();
    writer.begin(FrameKind.Delta, 1, 0, 0);
    writer.push(1, 129.31234, 35.38765, 0, 0, 0);
    const frame = decodePositionFrame(writer.finish());
    const metresPerDegree = 111_320;
    expect(Math.abs(frame.lon[0]! - 129.31234) * metresPerDegree).toBeLessThan(1.5);
    expect(Math.abs(frame.lat[0]! - 35.38765) * metresPerDegree).toBeLessThan(1.5);
  });

  it('marks delta frames and a vehicle that left', () => {
    const writer = new PositionFrameWriter();
    writer.begin(FrameKind.Delta, 9, 1000, 3);
    writer.push(12, 129, 35.1, 0, 0, VehicleFlag.Gone);
    const frame = decodePositionFrame(writer.finish());
    expect(frame.kind).toBe(FrameKind.Delta);
    expect(frame.flags[0]! & VehicleFlag.Gone).toBeTruthy();
  });

  it('encodes an empty frame and clamps out-of-range speeds and headings', () => {
    const writer = new PositionFrameWriter();
    writer.begin(FrameKind.Key, 0, 0, 0);
    expect(decodePositionFrame(writer.finish()).count).toBe(0);
    writer.begin(FrameKind.Delta, 1, 0, 0);
    writer.push(0, 129, 35, 99_999, -90, 0);
    writer.push(1, 129, 35, -5, 720, 0);
    const frame = decodePositionFrame(writer.finish());
    expect(frame.speed[0]).toBe(0xffff);
    expect(frame.heading[0]! / HEADING_SCALE).toBeCloseTo(270, 2);
    expect(frame.speed[1]).toBe(0);
    expect(frame.heading[1]).toBe(0);
  });

  it('decodes from a misaligned view (as a Node Buffer slice can be)', () => {
    const writer = new PositionFrameWriter();
    writer.begin(FrameKind.Key, 3, 5, 1);
    writer.push(77, 129.1, 35.2, 30, 45, VehicleFlag.Moving);
    const packed = writer.finish();
    const padded = new Uint8Array(packed.byteLength + 1);
    padded.set(packed, 1);
    const frame = decodePositionFrame(padded.subarray(1));
    expect(frame.index[0]).toBe(77);
    expect(frame.lat[0]).toBeCloseTo(35.2, 4);
  });

  it('rejects truncated, unknown-version and inconsistent frames', () => {
    expect(() => decodePositionFrame(new Uint8Array(10))).toThrow(FrameDecodeError);
    const writer = new PositionFrameWriter();
    writer.begin(FrameKind.Key, 1, 0, 0);
    writer.push(1, 129, 35, 0, 0, 0);
    const good = writer.finish();
    const badVersion = good.slice();
    badVersion[0] = 99;
    expect(() => decodePositionFrame(badVersion)).toThrow(/version/);
    const badKind = good.slice();
    badKind[1] = 7;
    expect(() => decodePositionFrame(badKind)).toThrow(/kind/);
    expect(() => decodePositionFrame(good.subarray(0, good.byteLength - 1))).toThrow(/length/);
  });
});
