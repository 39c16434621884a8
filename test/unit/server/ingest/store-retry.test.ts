/** The ingest path's retry pieces: back-off with jitter, and counting each Kafka message once. */
import { describe, expect, it } from 'vitest';
import {
  STORE_RETRY_BASE_MS,
  STORE_RETRY_MAX_MS,
  storeRetryDelayMs,
} from '../../../../server/ingest/kafka-source';
import { OffsetWatermarks } from '../../../../server/ingest/pipeline';
import { createMetrics, readMetricSource } from '../../../../server/metrics';

describe('storeRetryDelayMs', () => {
  it('doubles from the base up to the maximum, jittered by at most 30 %', () => {
    const middle = () => 0.5;
    expect(storeRetryDelayMs(1, middle)).toBe(STORE_RETRY_BASE_MS);
    expect(storeRetryDelayMs(2, middle)).toBe(2 * STORE_RETRY_BASE_MS);
    expect(storeRetryDelayMs(50, middle)).toBe(STORE_RETRY_MAX_MS);
    expect(storeRetryDelayMs(1, () => 0)).toBe(Math.round(STORE_RETRY_BASE_MS * 0.7));
    expect(storeRetryDelayMs(50, () => 1)).toBe(Math.round(STORE_RETRY_MAX_MS * 1.3));
  });
});

describe('OffsetWatermarks', () => {
  it('recognises a message seen again per topic and partition; unplaced messages are always new', () => {
    const marks = new OffsetWatermarks();
    expect(marks.isNew('drowsy_drive', 0, '5')).toBe(true);
    marks.mark('drowsy_drive', 0, '5');
    expect(marks.isNew('drowsy_drive', 0, '5')).toBe(false);
    expect(marks.isNew('drowsy_drive', 0, '4')).toBe(false);
    expect(marks.isNew('drowsy_drive', 0, '6')).toBe(true);
    expect(marks.isNew('drowsy_drive', 1, '0')).toBe(true);
    expect(marks.isNew('uservehicle', 0, '1')).toBe(true);
    marks.mark('drowsy_drive', 0, '3'); // never moves back
    expect(marks.isNew('drowsy_drive', 0, '4')).toBe(false);
    expect(marks.isNew('drowsy_drive', null, null)).toBe(true);
    expect(marks.isNew('drowsy_drive', 0, '90071992547409930')).toBe(true);
  });
});

describe('readMetricSource', () => {
  it('gives the value and up=1, or undefined and up=0 when the source fails or hangs', async () => {
    const metrics = createMetrics();
    expect(await readMetricSource(metrics, 'ok', async () => 7)).toBe(7);
    expect(
      await readMetricSource(metrics, 'broken', async () => {
        throw new Error('ECONNREFUSED');
      }),
    ).toBeUndefined();
    expect(await readMetricSource(metrics, 'hung', () => new Promise(() => undefined), 20)).toBe(
      undefined,
    );
    const text = await metrics.registry.metrics();
    expect(text).toContain('relay_metric_source_up{source="ok"} 1');
    expect(text).toContain('relay_metric_source_up{source="broken"} 0');
    expect(text).toContain('relay_metric_source_up{source="hung"} 0');
  });
});
