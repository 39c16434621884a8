import { describe, expect, it } from 'vitest';
import { SPEED_SCALE, VehicleFlag } from '../../../shared/frames';
import {
  toggled,
  vehicleClass,
  visibleColors,
} from '../../../renderer/src/features/map-filters/map-filters';

describe('vehicleClass', () => {
  it('puts the state before the speed, as the colours do', () => {
    expect(vehicleClass(VehicleFlag.Missing | VehicleFlag.Drowsy, 80 * SPEED_SCALE)).toBe(
      'missing',
    );
    expect(vehicleClass(VehicleFlag.Drowsy, 0)).toBe('drowsy');
    expect(vehicleClass(0, 0)).toBe('stopped');
    expect(vehicleClass(0, 20 * SPEED_SCALE)).toBe('slow');
    expect(vehicleClass(0, 60 * SPEED_SCALE)).toBe('medium');
    expect(vehicleClass(0, 61 * SPEED_SCALE)).toBe('fast');
  });
});

describe('visibleColors', () => {
  const fleet = {
    colors: new Uint8Array([1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255]),
    flags: new Uint8Array([0, VehicleFlag.Arrears, 0]),
    speed: new Uint16Array([0, 0, 90 * SPEED_SCALE]),
  };

  it('hands over the fleet colours themselves when nothing is hidden', () => {
    const colors = visibleColors(fleet, 3, []);
    expect(colors.buffer).toBe(fleet.colors.buffer);
  });

  it('makes hidden classes transparent in a copy, leaving the fleet alone', () => {
    const colors = visibleColors(fleet, 3, ['stopped', 'fast']);
    expect(Array.from(colors)).toEqual([1, 2, 3, 0, 4, 5, 6, 255, 7, 8, 9, 0]);
    expect(fleet.colors[3]).toBe(255);
  });
});

describe('toggled', () => {
  it('adds a missing member and removes a present one', () => {
    expect(toggled(['a'], 'b')).toEqual(['a', 'b']);
    expect(toggled(['a', 'b'], 'a')).toEqual(['b']);
  });
});
