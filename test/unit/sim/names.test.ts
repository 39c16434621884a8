import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import {
  PRIVATE_PLATE_LETTERS,
  randomDriverAge,
  randomKoreanName,
  randomPlate,
  weightedPick,
} from '../../../server/sim/names';
import { KOREAN_PLATE } from '../../../shared/topics';

describe('simulator names', () => {
  it('makes plates of both forms with private-car letters only', () => {
    const rng = seedrandom.alea('plates');
    const forms = { two: 0, three: 0 };
    for (let i = 0; i < 4_000; i++) {
      const plate = randomPlate(rng);
      expect(plate).toMatch(KOREAN_PLATE);
      const m = /^(\d{2,3})([가-힣])(\d{4})$/.exec(plate);
      expect(m).not.toBeNull();
      const [, type, letter] = m!;
      expect(PRIVATE_PLATE_LETTERS).toContain(letter);
      // Passenger-car type numbers: 01–69 (two digits) or 100–699 (three digits).
      const n = Number(type);
      if (type!.length === 2) {
        forms.two++;
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(69);
      } else {
        forms.three++;
        expect(n).toBeGreaterThanOrEqual(100);
        expect(n).toBeLessThanOrEqual(699);
      }
    }
    expect(forms.two).toBeGreaterThan(1200);
    expect(forms.three).toBeGreaterThan(1200);
    for (const commercial of ['바', '사', '아', '자', '하', '허', '호', '배']) {
      expect(PRIVATE_PLATE_LETTERS).not.toContain(commercial);
    }
  });

  it('draws driver ages from 20 to 79, most in their 40s and 50s', () => {
    const rng = seedrandom.alea('ages');
    const bands = new Map<number, number>();
    for (let i = 0; i < 5_000; i++) {
      const age = randomDriverAge(rng);
      expect(age).toBeGreaterThanOrEqual(20);
      expect(age).toBeLessThanOrEqual(79);
      const band = Math.floor(age / 10) * 10;
      bands.set(band, (bands.get(band) ?? 0) + 1);
    }
    expect(bands.size).toBe(6);
    expect(bands.get(40)!).toBeGreaterThan(bands.get(20)!);
    expect(bands.get(50)!).toBeGreaterThan(bands.get(70)!);
  });

  it('picks by weight and names people in Hangul', () => {
    const rng = seedrandom.alea('weights');
    let heavy = 0;
    for (let i = 0; i < 10_000; i++) {
      if (
        weightedPick(rng, [
          ['a', 9],
          ['b', 1],
        ]) === 'a'
      )
        heavy++;
    }
    expect(heavy / 10_000).toBeGreaterThan(0.87);
    expect(heavy / 10_000).toBeLessThan(0.93);
    expect(randomKoreanName(rng, '여', 72)).toMatch(/^[가-힣]{3}$/);
  });
});
