/**
 * Request signing for the police TCS link (seed 001 §9: 데이터 암호화 및 검증). The relay signs
 * each request with the shared secret; TCS (and the local mock) checks the signature and that
 * the timestamp is fresh, so a captured request cannot be replayed later or altered.
 *
 * Signature: HMAC-SHA256, hex, of `timestamp + '.' + body`, where the timestamp is the epoch
 * milliseconds sent in `X-TCS-Timestamp` and the body is the exact JSON text sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TCS_HEADERS = {
  timestamp: 'x-tcs-timestamp',
  signature: 'x-tcs-signature',
  idempotencyKey: 'idempotency-key',
} as const;

/** A request whose timestamp is further than this from the receiver's clock is refused. */
export const MAX_TIMESTAMP_SKEW_MS = 5 * 60_000;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function signTcsRequest(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Constant-time comparison, so the check does not leak how much of a forgery was right. */
export function verifyTcsSignature(
  secret: string,
  timestamp: string,
  body: string,
  signature: string,
): boolean {
  const given = signature.trim().toLowerCase();
  if (!HEX_SHA256.test(given)) return false;
  const expected = Buffer.from(signTcsRequest(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(given, 'hex'));
}

/** Whether a timestamp header is epoch milliseconds within the allowed skew of `nowMs`. */
export function isFreshTimestamp(timestamp: string, nowMs: number): boolean {
  if (!/^\d{1,16}$/.test(timestamp)) return false;
  return Math.abs(nowMs - Number(timestamp)) <= MAX_TIMESTAMP_SKEW_MS;
}
