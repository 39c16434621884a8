/**
 * How each topic's rows change the live fleet, in dependency order: who the vehicles are, then
 * sessions, then what they do. The one place to add a topic that moves or marks vehicles. Plate
 * reads are not here: they flag a vehicle only through the hit rule (server/ingest/plate-hits.ts).
 */
import type { TopicName, TopicRow } from '../../shared/topics';
import type { FleetState } from '../fleet/fleet-state';
import type { DecodedRows } from './decode';

type FleetApplier<T extends TopicName> = readonly [
  T,
  (fleet: FleetState, row: TopicRow<T>) => void,
];

const applier = <T extends TopicName>(
  topic: T,
  apply: (fleet: FleetState, row: TopicRow<T>) => void,
): FleetApplier<T> => [topic, apply];

export const FLEET_APPLIERS = [
  applier('uservehicle', (fleet, row) => fleet.applyUservehicle(row)),
  applier('driving_session', (fleet, row) => void fleet.applySession(row)),
  applier('driving_session_info', (fleet, row) => void fleet.applyInfo(row)),
  applier('drowsy_drive', (fleet, row) => void fleet.applyDrowsy(row)),
] as const;

export function applyToFleet(fleet: FleetState, rows: DecodedRows): void {
  for (const [topic, apply] of FLEET_APPLIERS) {
    const apply_ = apply as (fleet: FleetState, row: unknown) => void;
    for (const row of rows[topic]) apply_(fleet, row);
  }
}
