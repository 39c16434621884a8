/** Many relays (DESIGN §12): what a relay says about itself in /healthz and its `health` event. */

export interface ClusterHealth {
  /** This relay's INSTANCE_ID. */
  instance: string;
  /** Work that runs on one relay at a time (TCS worker, sweeps, retention): held here or not. */
  leases: Record<string, boolean>;
  /**
   * The Redis link between relays; null on a relay without REDIS_URL. While it is down this relay
   * still serves its own clients live (changes from other relays come from the store, within the
   * change feed's poll), so the status stays `ok` on that account.
   */
  redis: { up: boolean; reason: string | null; sinceMs: number } | null;
}
