/** The alert rules' view of the live fleet and places (read-only, in memory). */
import type { FleetState } from '../fleet/fleet-state';
import type { RuleContext, VehicleRef } from '../domain/alert-rules';
import type { PlaceLookup } from '../geo/places';

export function fleetRuleContext(fleet: FleetState, placeAt: PlaceLookup): RuleContext {
  const vehicle = (carId: string | undefined): VehicleRef | null => {
    if (carId === undefined) return null;
    const index = fleet.indexOf(carId);
    if (index === undefined) return { carId, plate: null, position: null };
    const position = fleet.position(index);
    return {
      carId,
      plate: fleet.entry(index)?.plate ?? null,
      position: position ? { lon: position.lon, lat: position.lat } : null,
    };
  };
  return {
    vehicleOfSession: (sessionId) => vehicle(fleet.carOfSession(sessionId)),
    vehicleOfPlate: (plate) => vehicle(fleet.carOfPlate(plate)),
    placeAt,
  };
}
