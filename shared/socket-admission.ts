/**
 * How the relay refuses a socket for load (admission control), so the client can tell "busy, try
 * again shortly" from "your login is no longer valid". A load refusal is a `connect_error` whose
 * `data` is a SocketRefusalData with `code: 'overloaded'` and a retry hint; the message starts
 * with SOCKET_LOAD_REFUSAL_PREFIX (Korean first, as the client shows it as is).
 */

export const SOCKET_LOAD_REFUSAL_CODE = 'overloaded';
export const SOCKET_LOAD_REFUSAL_PREFIX = 'overloaded';

/** Why a socket was refused for load. */
export type SocketLoadReason = 'handshakes' | 'clients' | 'backlog';

/** `connect_error` `data` of a load refusal. */
export interface SocketRefusalData {
  code: typeof SOCKET_LOAD_REFUSAL_CODE;
  reason: SocketLoadReason;
  /** Try again after about this long (the relay adds jitter so a crowd spreads out). */
  retryAfterMs: number;
}

export const SOCKET_LOAD_REFUSALS: Readonly<Record<SocketLoadReason, string>> = {
  handshakes:
    'overloaded: 접속 요청이 몰려 잠시 후 다시 연결합니다 / too many clients connecting at once, retrying shortly',
  clients:
    'overloaded: 접속자 수 한도에 도달해 잠시 후 다시 연결합니다 / the relay has its maximum number of clients, retrying shortly',
  backlog:
    'overloaded: 다른 화면에 보낼 데이터가 밀려 있어 잠시 후 다시 연결합니다 / the relay is still sending to other clients, retrying shortly',
};

/** Whether a `connect_error` is a load refusal (to be retried after its hint). */
export function isLoadRefusal(error: { data?: unknown }): error is { data: SocketRefusalData } {
  const data = error.data as Partial<SocketRefusalData> | undefined;
  return (
    typeof data === 'object' &&
    data !== null &&
    data.code === SOCKET_LOAD_REFUSAL_CODE &&
    typeof data.retryAfterMs === 'number'
  );
}
