/** The plate reads' metrics: how each read was decided, and how many wait for their list row. */
import { Counter, Gauge, type Registry } from 'prom-client';
import type { PlateHitCounters } from './plate-hits';

export function plateHitMetrics(registry: Registry): PlateHitCounters {
  const reads = new Counter({
    name: 'relay_plate_reads_total',
    help:
      'Plate reads by list (arrears, missing) and outcome: hit, delisted (gone from the newest ' +
      'snapshot), unmatched (no list row within the hold), failed_ocr_failed (detection_success = ' +
      '0), failed_empty, failed_partial, failed_misread',
    labelNames: ['list', 'outcome'] as const,
    registers: [registry],
  });
  const held = new Gauge({
    name: 'relay_plate_reads_held',
    help: 'Plate reads waiting for their list row (re-checked when the list catches up)',
    registers: [registry],
  });
  return {
    read: (list, outcome) => reads.inc({ list, outcome }),
    held: (count) => held.set(count),
  };
}
