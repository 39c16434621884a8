import { FleetBuffer } from './fleet-buffer';

/** The app's one live fleet: filled by the socket client, drawn by the vehicle layer. */
export const fleet = new FleetBuffer();
