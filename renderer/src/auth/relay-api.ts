/**
 * REST calls to the relay (the one the socket is on: live/relay-origin.ts). Every answer becomes a
 * result, never a throw: `{ok: true, value}` or the relay's `{error: {code, message}}` with its HTTP status, so
 * screens can show why something was refused. 401 on an authenticated call ends the session.
 */
import type { LoginRequest, LoginResponse } from '../../../shared/auth';
import type { ErrorBody, ErrorCode } from '../../../shared/errors';
import type { AppStore } from '../store';
import { activeRelay, relayCandidates, setActiveRelay } from '../live/relay-origin';
import { endSession } from './end-session';

/** The relay's error, or one the client met on the way (no answer at all). */
export interface RelayError {
  status: number;
  code: ErrorCode | 'network_error' | 'timeout';
  message: string;
  /** From a 429's Retry-After header, in seconds. */
  retryAfterSec?: number;
}

export type RelayResult<T> = { ok: true; value: T } | { ok: false; error: RelayError };

const HTTP_UNAUTHORIZED = 401;
const LOGIN_PATH = '/api/auth/login';
const NO_STATUS = 0;

/** Reads a failed response into a RelayError. */
async function readError(response: Response): Promise<RelayError> {
  let code: RelayError['code'] = 'internal_error';
  let message = response.statusText || `HTTP ${response.status}`;
  try {
    const body = (await response.json()) as Partial<ErrorBody>;
    if (body.error) {
      code = body.error.code as ErrorCode;
      message = body.error.message;
    }
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const retryAfter = Number(response.headers.get('retry-after'));
  return {
    status: response.status,
    code,
    message,
    ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSec: retryAfter } : {}),
  };
}

function networkError(error: unknown): RelayError {
  return {
    status: NO_STATUS,
    code: 'network_error',
    message: error instanceof Error ? error.message : String(error),
  };
}

/** A call that got no answer may go to the next relay only if repeating it changes nothing. */
function safeToRetryElsewhere(method: string, path: string): boolean {
  return method === 'GET' || method === 'HEAD' || path === LOGIN_PATH;
}

export async function relayRequest(
  path: string,
  init: { method?: string; body?: unknown; token?: string | null } = {},
): Promise<RelayResult<Response>> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  // The relay the socket is on (DESIGN §12); with no relay list, the page's own origin as before.
  // A state-changing call is never repeated elsewhere: no answer does not mean it was not done.
  const relays = safeToRetryElsewhere(method, path) ? relayCandidates() : [activeRelay()];
  let lastError: unknown;
  for (const relay of relays) {
    let response: Response;
    try {
      response = await fetch(new URL(path, relay), {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    } catch (error) {
      lastError = error;
      continue;
    }
    if (relay !== activeRelay()) setActiveRelay(relay);
    if (!response.ok) return { ok: false, error: await readError(response) };
    return { ok: true, value: response };
  }
  return { ok: false, error: networkError(lastError) };
}

export async function relayJson<T>(
  path: string,
  init: { method?: string; body?: unknown; token?: string | null } = {},
): Promise<RelayResult<T>> {
  const result = await relayRequest(path, init);
  if (!result.ok) return result;
  try {
    return { ok: true, value: (await result.value.json()) as T };
  } catch (error) {
    return { ok: false, error: networkError(error) };
  }
}

export function login(request: LoginRequest): Promise<RelayResult<LoginResponse>> {
  return relayJson<LoginResponse>(LOGIN_PATH, { method: 'POST', body: request });
}

/**
 * Calls the relay as the logged-in user. A 401 means the token expired or the user was disabled:
 * the session ends and the login screen says why.
 */
export function createAuthedApi(store: AppStore) {
  const withSession = async <T>(
    call: (token: string) => Promise<RelayResult<T>>,
  ): Promise<RelayResult<T>> => {
    const token = store.getState().session?.token ?? null;
    if (token === null) {
      return {
        ok: false,
        error: { status: HTTP_UNAUTHORIZED, code: 'unauthorized', message: 'not logged in' },
      };
    }
    const result = await call(token);
    // Only if the session is still the one the call was made with (not a newer login).
    if (
      !result.ok &&
      result.error.status === HTTP_UNAUTHORIZED &&
      store.getState().session?.token === token
    ) {
      endSession(store, 'expired');
    }
    return result;
  };
  return {
    json: <T>(path: string, init: { method?: string; body?: unknown } = {}) =>
      withSession((token) => relayJson<T>(path, { ...init, token })),
    request: (path: string, init: { method?: string; body?: unknown } = {}) =>
      withSession((token) => relayRequest(path, { ...init, token })),
  };
}

export type AuthedApi = ReturnType<typeof createAuthedApi>;
