import { describe, expect, it } from 'vitest';
import { splitSeedRows, type SeedRows } from '../../../server/store/seed-writer';

const info = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ info_id: `i${i}` })) as unknown as NonNullable<
    SeedRows['driving_session_info']
  >;
const vehicles = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ car_id: `c${i}` })) as unknown as NonNullable<
    SeedRows['uservehicle']
  >;

describe('splitSeedRows', () => {
  it('keeps a small batch whole', () => {
    const rows: SeedRows = { uservehicle: vehicles(2), driving_session_info: info(3) };
    expect(splitSeedRows(rows, 10)).toEqual([rows]);
  });

  it('cuts a large batch into parts of at most maxRows, master data first, nothing lost', () => {
    const rows: SeedRows = { uservehicle: vehicles(5), driving_session_info: info(12) };
    const parts = splitSeedRows(rows, 4);
    expect(
      parts.map((p) => (p.uservehicle?.length ?? 0) + (p.driving_session_info?.length ?? 0)),
    ).toEqual([4, 4, 4, 4, 1]);
    expect(parts[0]!.uservehicle).toHaveLength(4);
    expect(parts[1]!.uservehicle).toHaveLength(1);
    expect(parts.flatMap((p) => p.uservehicle ?? [])).toEqual(rows.uservehicle);
    expect(parts.flatMap((p) => p.driving_session_info ?? [])).toEqual(rows.driving_session_info);
  });

  it('gives one empty part for an empty batch', () => {
    expect(splitSeedRows({}, 4)).toEqual([{}]);
  });
});
