import { describe, expect, it } from 'vitest';
import {
  feedAvailability,
  figure,
  kstPeriodStarts,
  ocrFigures,
  OcrTally,
  RollingDelay,
} from '../../../server/domain/seed-kpis';

/** 2025-12-09 14:30:00 KST. */
const NOW = Date.UTC(2025, 11, 9, 5, 30);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('KPI figures', () => {
  it('carry their target and say whether they meet it; no data is neither', () => {
    expect(figure('processing_delay', 4_999)).toMatchObject({ target: 5_000, met: true });
    expect(figure('processing_delay', 5_000)).toMatchObject({ met: false });
    expect(figure('arrears_hits_month', 100)).toMatchObject({ met: true, unit: 'count' });
    expect(figure('arrears_hits_month', 99)).toMatchObject({ met: false });
    expect(figure('consumer_lag', 12_000, null, 20_000)).toMatchObject({
      target: 20_000,
      met: true,
    });
    expect(figure('ocr_read_rate_day', null)).toMatchObject({ met: null });
  });

  it('KST periods start at KST midnight and on the 1st', () => {
    const starts = kstPeriodStarts(NOW);
    expect(starts.hour).toBe(Date.UTC(2025, 11, 9, 5, 0));
    expect(starts.day).toBe(Date.UTC(2025, 11, 8, 15, 0));
    expect(starts.month).toBe(Date.UTC(2025, 10, 30, 15, 0));
  });
});

describe('feed availability over 30 days', () => {
  it('counts a missing sample as down, from the first sample on', () => {
    const firstSample = NOW - 1000 * MINUTE;
    expect(feedAvailability(1000, firstSample, NOW)).toEqual({ value: 1, expected: 1000 });
    expect(feedAvailability(999, firstSample, NOW).value).toBeCloseTo(0.999, 4);
    // A sample of the current minute too never makes it more than 100 %.
    expect(feedAvailability(1001, firstSample, NOW).value).toBe(1);
    expect(feedAvailability(0, null, NOW).value).toBeNull();
  });

  it('looks back 30 days at most', () => {
    const { expected } = feedAvailability(0, NOW - 90 * DAY, NOW);
    expect(expected).toBe(30 * 24 * 60);
  });
});

describe('OCR read rate and confidence', () => {
  it('per KST hour and day; confidence only from messages that carry one', () => {
    const tally = new OcrTally();
    // Yesterday (not in today's figures).
    tally.record(false, null, NOW - DAY);
    // Earlier today (08:10 KST).
    for (let i = 0; i < 18; i++) tally.record(true, 0.97, NOW - 6 * 60 * MINUTE + i);
    tally.record(false, null, NOW - 6 * 60 * MINUTE);
    // This hour.
    tally.record(true, 0.9, NOW - MINUTE);
    tally.record(true, null, NOW - MINUTE);
    const { hour, day } = tally.counts(NOW);
    expect(hour).toEqual({ reads: 2, successes: 2, confidenceSum: 0.9, confidenceCount: 1 });
    expect(day.reads).toBe(21);
    expect(day.successes).toBe(20);
    const [rateHour, rateDay, confHour, confDay] = ocrFigures(hour, day);
    expect(rateHour).toMatchObject({ value: 1, met: true, samples: 2 });
    expect(rateDay!.value).toBeCloseTo(20 / 21);
    expect(rateDay!.met).toBe(true);
    expect(confHour).toMatchObject({ value: 0.9, met: false, samples: 1 });
    expect(confDay!.value).toBeCloseTo((18 * 0.97 + 0.9) / 19);
  });

  it('no reads: no rate', () => {
    const [rate] = ocrFigures(new OcrTally().counts(NOW).hour, new OcrTally().counts(NOW).day);
    expect(rate).toMatchObject({ value: null, met: null, samples: 0 });
  });
});

describe('processing delay', () => {
  it('is the mean of the last five minutes', () => {
    const delay = new RollingDelay(5 * MINUTE);
    delay.record(20_000, NOW - 6 * MINUTE);
    delay.record(1_000, NOW - MINUTE);
    delay.record(3_000, NOW);
    expect(delay.mean(NOW)).toEqual({ value: 2_000, samples: 2 });
    expect(delay.mean(NOW + 10 * MINUTE)).toEqual({ value: null, samples: 0 });
  });
});
