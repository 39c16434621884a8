import { describe, expect, it } from 'vitest';
import { ageParts, formatKstTime } from '../../../renderer/src/lib/format-time';
import {
  vehicleColor,
  VEHICLE_COLOR_ARREARS,
  VEHICLE_COLOR_DROWSY,
  VEHICLE_COLOR_FAST,
  VEHICLE_COLOR_MEDIUM,
} from '../../../renderer/src/map/vehicle-colors';
import { SPEED_SCALE, VehicleFlag } from '../../../shared/frames';

describe('formatKstTime', () => {
  it('shows Korean wall-clock time whatever the machine zone', () => {
    expect(formatKstTime(Date.UTC(2025, 11, 9, 5, 30, 7))).toBe('14:30:07');
    expect(formatKstTime(Date.UTC(2025, 11, 9, 15, 0, 0))).toBe('00:00:00');
  });
});

describe('ageParts', () => {
  it('picks the unit an operator reads at a glance', () => {
    expect(ageParts(400)).toEqual({ unit: 'justNow', count: 0 });
    expect(ageParts(3_200)).toEqual({ unit: 'seconds', count: 3 });
    expect(ageParts(125_000)).toEqual({ unit: 'minutes', count: 2 });
    expect(ageParts(2 * 3_600_000)).toEqual({ unit: 'hours', count: 2 });
    expect(ageParts(-50)).toEqual({ unit: 'justNow', count: 0 });
  });
});

describe('vehicleColor', () => {
  it('puts state before speed and bands speed at 5, 30 and 60 km/h', () => {
    expect(vehicleColor(VehicleFlag.Arrears | VehicleFlag.Drowsy, 0)).toBe(VEHICLE_COLOR_ARREARS);
    expect(vehicleColor(VehicleFlag.Drowsy, 900)).toBe(VEHICLE_COLOR_DROWSY);
    expect(vehicleColor(0, 60 * SPEED_SCALE)).toBe(VEHICLE_COLOR_MEDIUM);
    expect(vehicleColor(0, 60 * SPEED_SCALE + 1)).toBe(VEHICLE_COLOR_FAST);
  });
});
