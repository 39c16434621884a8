/**
 * Which relay the socket talks to when there are several (DESIGN §12): a list of relay addresses
 * (the kiosk URL's `?relays=a,b`, the desktop settings), tried in turn. On a lost link or a failed
 * connect the client moves to the next address, and catches up there by sequence; with one
 * address (the usual case: the page's own relay, or a load balancer) nothing rotates.
 *
 * Pure: parsing and the turn order, no sockets. URL trust is decided by parsing (`new URL`), never
 * by looking at substrings.
 */

import { MAX_RELAY_ADDRESSES, RELAYS_QUERY_PARAM } from '../../../shared/ipc';

/** More than this is a mistake (or an attack on the client); the rest is ignored. */
export const MAX_RELAYS = MAX_RELAY_ADDRESSES;

/**
 * The relay origins in `list` (comma-separated text or an array), in order, without duplicates:
 * `host:port` gets the page's scheme; only http(s) origins count; paths and queries are dropped.
 */
export function parseRelayList(
  list: string | readonly string[] | null | undefined,
  pageUrl: string,
): string[] {
  const items = (typeof list === 'string' ? list.split(',') : (list ?? []))
    .map((item) => item.trim())
    .filter(Boolean);
  const page = new URL(pageUrl);
  const origins: string[] = [];
  for (const item of items) {
    const origin = relayOrigin(item, page.protocol);
    if (origin && !origins.includes(origin)) origins.push(origin);
    if (origins.length === MAX_RELAYS) break;
  }
  return origins;
}

function relayOrigin(item: string, pageProtocol: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(item) ? item : `${pageProtocol}//${item}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  return url.origin;
}

/**
 * The relays a page uses: `?relays=` when given, else the configured list, else the page's own
 * origin (the relay, or the load balancer, that served it).
 */
export function relaysForPage(pageUrl: string, configured?: readonly string[] | null): string[] {
  const fromQuery = parseRelayList(new URL(pageUrl).searchParams.get(RELAYS_QUERY_PARAM), pageUrl);
  if (fromQuery.length > 0) return fromQuery;
  const fromSettings = parseRelayList(configured, pageUrl);
  if (fromSettings.length > 0) return fromSettings;
  return [new URL(pageUrl).origin];
}

/** The turn order over a fixed list of relays. */
export class RelayRotation {
  private index = 0;

  constructor(private readonly relays: readonly string[]) {
    if (relays.length === 0) throw new Error('RelayRotation needs at least one relay');
  }

  /** The relay to connect to now. */
  current(): string {
    return this.relays[this.index]!;
  }

  /** Whether there is another relay to move to. */
  get rotates(): boolean {
    return this.relays.length > 1;
  }

  /**
   * The link to the current relay was lost or could not be made: the next relay in the list
   * (wrapping around, so a relay that comes back is tried again in its turn).
   */
  next(): string {
    this.index = (this.index + 1) % this.relays.length;
    return this.current();
  }

  /** A connection held: its relay stays current. */
  connected(origin: string): void {
    const at = this.relays.indexOf(origin);
    if (at >= 0) this.index = at;
  }
}
