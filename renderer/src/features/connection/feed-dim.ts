/**
 * Whether the map's vehicles are shown as last seen rather than live: set by the feed banner
 * (ConnectionLostBanner) from the connection state, read by the vehicle layer, which dims the
 * dots so a stopped feed never passes for a frozen city in full colour. A tiny signal outside
 * React and the store: the layer reads it in its draw loop.
 */
type Listener = (dimmed: boolean) => void;

let dimmed = false;
const listeners = new Set<Listener>();

export const feedDim = {
  get dimmed(): boolean {
    return dimmed;
  },
  set(next: boolean): void {
    if (next === dimmed) return;
    dimmed = next;
    for (const listener of listeners) listener(next);
  },
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The vehicles' opacity while the feed is not live: still visible, plainly not current. */
export const DIMMED_VEHICLE_OPACITY = 0.35;
