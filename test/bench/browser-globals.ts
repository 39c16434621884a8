/**
 * The few browser APIs the benchmark's own page code uses. test/ is type-checked without the DOM
 * library (tsconfig.node.json), so they are declared here, narrowly, instead of pulling the whole
 * DOM into the Node program.
 */
export interface BenchBrowser {
  document: {
    getElementById(id: string): unknown;
  };
  sessionStorage: { getItem(key: string): string | null };
  location: { href: string };
  requestAnimationFrame(callback: (frameTimeMs: number) => void): number;
}

export const browser = globalThis as unknown as BenchBrowser;

/** Update timing as the product's QA hook reports it (window.__controlRoom.updateTiming()). */
export interface UpdateTiming {
  /** Position updates that arrived so far. */
  arrived: number;
  /** Main-thread ms spent decoding and applying them, summed. */
  applyMs: number;
  /** Number of the oldest update kept; the arrays start with it. */
  first: number;
  /** When each update's handler started. */
  arrivedAtMs: number[];
  /** When the relay built each update's frame, on the page's clock (NaN: did not decode). */
  sentAtMs: number[];
  /** When each update was first drawn, or null while it has not been. */
  drawnAtMs: (number | null)[];
}
