import { describe, expect, it } from 'vitest';
import { FleetState } from '../../../server/fleet/fleet-state';

describe('FleetState batches applied in slices', () => {
  it('holds frames while a batch is open, up to the longest wait', () => {
    const fleet = new FleetState();
    expect(fleet.frameShouldWait(1000, 500)).toBe(false);
    fleet.beginBatch(1000);
    expect(fleet.frameShouldWait(1200, 500)).toBe(true);
    // A slow batch does not stop the map.
    expect(fleet.frameShouldWait(1500, 500)).toBe(false);
    fleet.endBatch();
    expect(fleet.frameShouldWait(1200, 500)).toBe(false);
  });
});
