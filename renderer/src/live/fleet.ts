import { FleetBuffer } from './fleet-buffer';

/** The app's one live fleet: filled by the socket client, drawn by the vehicle layer. */
export const fleet = new FleetBuffer();

/**
 * The city at a replayed moment (features/replay): filled from GET /api/fleet/at while the time
 * bar is off live. The live fleet keeps being fed underneath, so going back to live loses nothing.
 */
export const replayFleet = new FleetBuffer();

type ShownListener = (shown: FleetBuffer) => void;

/** Which fleet the map draws: the live one, or the replayed one. */
class ShownFleet {
  current: FleetBuffer = fleet;
  private readonly listeners = new Set<ShownListener>();

  show(next: FleetBuffer): void {
    if (next === this.current) return;
    this.current = next;
    for (const listener of this.listeners) listener(next);
  }

  subscribe(listener: ShownListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

export const shownFleet = new ShownFleet();
