/**
 * Which relay REST calls go to (DESIGN §12). With one relay (or a load balancer) it is the page's
 * own origin, as before. With a relay list, REST follows the socket: the relay the socket last
 * connected to answers, so after a failover an acknowledgement is not sent to the relay that just
 * died. A call that gets no answer at all may try the other relays in turn (see relay-api.ts).
 */

import { relaysForPage } from './relay-rotation';

/** The page's own origin, where a page served by a relay (or opened in Electron) started. */
function pageOrigin(): string {
  return globalThis.location?.origin ?? 'http://localhost';
}

/** From the page's `?relays=` until the socket client says otherwise: sign-in comes first. */
function pageRelays(): string[] {
  return globalThis.location ? relaysForPage(globalThis.location.href) : [];
}

let relays: readonly string[] = pageRelays();
let active: string | null = relays[0] ?? null;

/** The relays this page may use, in turn order (the socket client's rotation list). */
export function setRelayList(list: readonly string[]): void {
  relays = [...list];
  if (active === null || !relays.includes(active)) active = relays[0] ?? null;
}

/** The socket connected to `origin`: REST goes there from now on. */
export function setActiveRelay(origin: string): void {
  active = new URL(origin).origin;
}

/** The relay REST calls go to now. */
export function activeRelay(): string {
  return active ?? pageOrigin();
}

/** The active relay first, then the others in turn order: where a call that got no answer retries. */
export function relayCandidates(): string[] {
  const first = activeRelay();
  const start = relays.indexOf(first);
  if (start < 0) return [first];
  return [...relays.slice(start), ...relays.slice(0, start)];
}

/** For tests: back to a page with no list. */
export function resetRelayOrigin(): void {
  relays = pageRelays();
  active = relays[0] ?? null;
}
