/**
 * Recognises "the store cannot be reached" among the errors a query can throw (mysql2 through
 * Kysely, better-sqlite3), so that callers answer 503 with a reason instead of 500, and the ingest
 * path waits and retries instead of giving up. Everything else stays an internal error.
 */
import type { ApiError } from '../../shared/errors';
import { HTTP } from '../domain/outcome';

/**
 * Error codes of a connection that is refused, lost, or never comes: socket errors (Node), the
 * mysql2 protocol and pool, and the MariaDB server going away or refusing more connections.
 */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR',
  'PROTOCOL_ENQUEUE_AFTER_QUIT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_QUERY_INTERRUPTED',
  'ER_LOCK_WAIT_TIMEOUT',
  // Embedded SQLite: another writer holds the file past busy_timeout.
  'SQLITE_BUSY',
]);

/** mysql2 says these in messages only (no code): a pool closed, a dead connection reused. */
const UNAVAILABLE_MESSAGES = [
  /pool is closed/i,
  /connection is in closed state/i,
  /connection lost/i,
  /queue limit reached/i,
];

/** How deep `cause` chains are followed (Kysely and our own wrappers add a level or two). */
const MAX_CAUSE_DEPTH = 5;

/** The driver code (or message) that makes `error` a store outage, or null when it is not one. */
export function storeUnavailableReason(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && current; depth++) {
    if (typeof current !== 'object') return null;
    const { code, message, fatal, cause, errors } = current as {
      code?: unknown;
      message?: unknown;
      fatal?: unknown;
      cause?: unknown;
      errors?: unknown;
    };
    if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return code;
    // A fatal mysql2 error means the connection is gone, whatever the code.
    if (fatal === true && typeof code === 'string') return code;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => m.test(message))) {
      return message;
    }
    // Node reports a refused dual-stack connect as an AggregateError of per-address errors.
    if (Array.isArray(errors) && errors.length > 0) {
      const inner = storeUnavailableReason(errors[0]);
      if (inner) return inner;
    }
    current = cause;
  }
  return null;
}

export function isStoreUnavailable(error: unknown): boolean {
  return storeUnavailableReason(error) !== null;
}

/** The refusal a caller gets while the store is down: 503, code `store_unavailable`, the reason. */
export function storeUnavailableError(reason: string): ApiError {
  return {
    status: HTTP.serviceUnavailable,
    code: 'store_unavailable',
    message: `the database cannot be reached (${reason}); nothing was changed, try again shortly`,
  };
}

/**
 * What a caller is told when a command failed with `error`: 503 while the store is down,
 * otherwise a generic 500 (details stay in the log).
 */
export function apiErrorOf(error: unknown): ApiError {
  const reason = storeUnavailableReason(error);
  if (reason) return storeUnavailableError(reason);
  return { status: HTTP.internal, code: 'internal_error', message: 'internal error' };
}
