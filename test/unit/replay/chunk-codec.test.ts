import { describe, expect, it } from 'vitest';
import {
  FrameKind,
  PositionFrameWriter,
  VehicleFlag,
  decodePositionFrame,
  type PositionFrame,
} from '../../../shared/frames';
import { ChunkDecodeError, decodeChunk, encodeChunk } from '../../../server/replay/chunk-codec';
import { fleetAt, packFrame } from '../../../server/replay/compose';

const T0 = 1_765_000_000_000;

/** A small fleet driving east, one key frame then deltas every 200 ms, one car leaving. */
function frames(): Uint8Array[] {
  const writer = new PositionFrameWriter(4);
  const out: Uint8Array[] = [];
  writer.begin(FrameKind.Key, 1, T0, 7);
  for (let i = 0; i < 5; i++)
    writer.push(i * 3, 129.05 + i * 0.01, 35.15, 40 + i, 90, VehicleFlag.Moving);
  out.push(writer.finish());
  for (let f = 1; f <= 20; f++) {
    writer.begin(FrameKind.Delta, 1 + f, T0 + f * 200, 7);
    const i = f % 5;
    if (f === 12) {
      writer.push(6, 0, 0, 0, 0, VehicleFlag.Gone);
    } else if (i !== 2) {
      writer.push(
        i * 3,
        129.05 + i * 0.01 + f * 0.00017,
        35.15 - f * 0.00004,
        41.7 + f,
        92.5,
        f > 15 ? VehicleFlag.Drowsy : 1,
      );
    }
    out.push(writer.finish());
  }
  return out;
}

function rows(frame: PositionFrame): Map<number, number[]> {
  const map = new Map<number, number[]>();
  for (let i = 0; i < frame.count; i++) {
    map.set(frame.index[i]!, [
      frame.lon[i]!,
      frame.lat[i]!,
      frame.speed[i]!,
      frame.heading[i]!,
      frame.flags[i]!,
    ]);
  }
  return map;
}

describe('replay chunk codec', () => {
  it('gives back every frame bit for bit', () => {
    const sent = frames();
    const decoded = decodeChunk(encodeChunk(sent));
    expect(decoded).toHaveLength(sent.length);
    decoded.forEach((frame, k) => {
      expect(packFrame(frame)).toEqual(sent[k]);
    });
  });

  it('is smaller than the frames it packs', () => {
    const sent = frames();
    const raw = sent.reduce((n, f) => n + f.byteLength, 0);
    expect(encodeChunk(sent).byteLength).toBeLessThan(raw * 0.75);
  });

  it('refuses a damaged chunk', () => {
    const bytes = encodeChunk(frames());
    expect(() => decodeChunk(bytes.subarray(0, bytes.length - 3))).toThrow(ChunkDecodeError);
    const wrongVersion = bytes.slice();
    wrongVersion[0] = 99;
    expect(() => decodeChunk(wrongVersion)).toThrow(ChunkDecodeError);
  });

  it('refuses a chunk cut at any byte, whichever varint path the cut falls in', () => {
    const bytes = encodeChunk(frames());
    for (let length = 0; length < bytes.length; length++) {
      expect(() => decodeChunk(bytes.subarray(0, length)), `cut at ${length}`).toThrow(
        ChunkDecodeError,
      );
    }
  });
});

describe('fleetAt', () => {
  it('folds the key frame and the deltas up to the moment, leaving out who left', () => {
    const sent = frames();
    const decoded = sent.map((f) => decodePositionFrame(f));
    // Applied by hand, as a live client does.
    const expected = new Map<number, number[]>();
    for (const frame of decoded) {
      if (frame.serverTimeMs > T0 + 2_500) break;
      for (const [index, row] of rows(frame)) {
        if ((row[4]! & VehicleFlag.Gone) !== 0) expected.delete(index);
        else expected.set(index, row);
      }
    }
    const at = fleetAt(decodeChunk(encodeChunk(sent)), T0 + 2_500)!;
    expect(at.asOfMs).toBe(T0 + 2_400);
    expect(at.frame.kind).toBe(FrameKind.Key);
    expect(rows(at.frame)).toEqual(expected);
    expect(expected.has(6)).toBe(false);
    expect(expected.size).toBe(4);
  });

  it('answers null before the chunk begins', () => {
    expect(fleetAt(decodeChunk(encodeChunk(frames())), T0 - 1)).toBeNull();
  });

  it('maps indexes when packing for another run', () => {
    const at = fleetAt(decodeChunk(encodeChunk(frames())), T0)!;
    const packed = decodePositionFrame(
      packFrame(at.frame, { mapIndex: (i) => i + 100, tableVersion: 9 }),
    );
    expect(Array.from(packed.index)).toEqual([100, 103, 106, 109, 112]);
    expect(packed.tableVersion).toBe(9);
  });
});
