/**
 * REST follows the socket's relay (DESIGN §12): after a failover an acknowledgement goes to the
 * relay the socket moved to, a read that gets no answer tries the next relay, and a state-changing
 * call is never repeated elsewhere. Real HTTP servers on loopback; one address is closed.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { relayJson, relayRequest } from '../../../renderer/src/auth/relay-api';
import {
  activeRelay,
  relayCandidates,
  resetRelayOrigin,
  setActiveRelay,
  setRelayList,
} from '../../../renderer/src/live/relay-origin';

let live: Server;
let liveOrigin: string;
let deadOrigin: string;
const requests: string[] = [];

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

beforeAll(async () => {
  live = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ relay: 'live' }));
  });
  liveOrigin = await listen(live);
  // A port that was just free and is closed again: connecting to it is refused, as to a dead relay.
  const closed = createServer();
  deadOrigin = await listen(closed);
  await new Promise((resolve) => closed.close(resolve));
});

afterAll(() => new Promise((resolve) => live.close(resolve)));

afterEach(() => {
  resetRelayOrigin();
  requests.length = 0;
});

describe('relay origin', () => {
  it('is the page origin with no list, and the list in turn order from the active relay', () => {
    expect(activeRelay()).toBe('http://localhost');
    setRelayList(['http://a:1', 'http://b:2', 'http://c:3']);
    expect(activeRelay()).toBe('http://a:1');
    setActiveRelay('http://b:2/socket.io/?EIO=4');
    expect(activeRelay()).toBe('http://b:2');
    expect(relayCandidates()).toEqual(['http://b:2', 'http://c:3', 'http://a:1']);
  });

  it('sends calls to the relay the socket connected to', async () => {
    setRelayList([deadOrigin, liveOrigin]);
    setActiveRelay(liveOrigin);
    const result = await relayJson<{ relay: string }>('/api/kpis', {
      method: 'POST',
      body: { x: 1 },
    });
    expect(result).toEqual({ ok: true, value: { relay: 'live' } });
    expect(requests).toEqual(['POST /api/kpis']);
  });

  it('moves a read that got no answer to the next relay, and stays there', async () => {
    setRelayList([deadOrigin, liveOrigin]);
    const result = await relayJson<{ relay: string }>('/api/alerts');
    expect(result.ok).toBe(true);
    expect(activeRelay()).toBe(liveOrigin);
    expect(requests).toEqual(['GET /api/alerts']);
  });

  it('never repeats a state-changing call on another relay', async () => {
    setRelayList([deadOrigin, liveOrigin]);
    const result = await relayRequest('/api/alerts/1/ack', { method: 'POST', body: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('network_error');
    expect(requests).toEqual([]);
    expect(activeRelay()).toBe(deadOrigin);
  });
});
