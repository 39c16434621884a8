/** RELAY_PEERS (DESIGN §12): origins only, since they go into a CSP and a CORS allow-list. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config';
import { contentSecurityPolicy } from '../../../server/routes/client';

describe('RELAY_PEERS', () => {
  it('is empty by default: one relay, the page calls only its own origin', () => {
    expect(loadConfig({}).RELAY_PEERS).toEqual([]);
    expect(contentSecurityPolicy()).toContain("connect-src 'self' ws: wss:;");
  });

  it('reads a comma-separated list of origins, without duplicates, into the page policy', () => {
    const peers = loadConfig({
      RELAY_PEERS:
        'https://relay-b.example:8787, http://10.0.0.3:8787/,https://relay-b.example:8787',
    }).RELAY_PEERS;
    expect(peers).toEqual(['https://relay-b.example:8787', 'http://10.0.0.3:8787']);
    expect(contentSecurityPolicy(peers)).toContain(
      "connect-src 'self' ws: wss: https://relay-b.example:8787 http://10.0.0.3:8787;",
    );
  });

  it.each([
    'relay-b:8787',
    'ftp://relay-b',
    'https://relay-b/api',
    'https://relay-b/?x=1',
    'https://user:pw@relay-b',
    "https://relay-b; script-src 'unsafe-inline'",
  ])('refuses %s, naming the variable', (value) => {
    expect(() => loadConfig({ RELAY_PEERS: value })).toThrow(ConfigError);
    try {
      loadConfig({ RELAY_PEERS: value });
    } catch (error) {
      expect((error as ConfigError).variable).toBe('RELAY_PEERS');
    }
  });
});
