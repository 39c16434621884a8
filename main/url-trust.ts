/**
 * Which URLs the desktop window may show or open. Decided by parsing, never by substring: an
 * address like `https://evil.example/?next=http://127.0.0.1:8787` must not pass as the relay.
 */
export function parseUrl(raw: string): URL | null {
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/** True when `candidate` is on exactly the relay's origin (scheme, host and port). */
export function isRelayUrl(candidate: string, relayUrl: string): boolean {
  const url = parseUrl(candidate);
  const relay = parseUrl(relayUrl);
  if (!url || !relay) return false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  return url.origin === relay.origin && url.username === '' && url.password === '';
}

/** Links a person may open in their own browser: plain https (and http) only, no credentials. */
export function isExternalLinkAllowed(candidate: string): boolean {
  const url = parseUrl(candidate);
  if (!url) return false;
  return (
    (url.protocol === 'https:' || url.protocol === 'http:') &&
    url.username === '' &&
    url.password === ''
  );
}
