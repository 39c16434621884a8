/**
 * The relay's error shape (DESIGN §6): REST answers `{error:{code,message}}` with the status as
 * the HTTP status; socket command acknowledgements carry the status inside the error.
 */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  /** The command named an older version than the alert has: reload and try again. */
  'stale_version',
  /** The alert's status does not allow the command (e.g. acknowledge a resolved alert). */
  'illegal_transition',
  /** The thing to create exists already (e.g. a duplicate username). */
  'conflict',
  'rate_limited',
  /** The request body is larger than the relay accepts (413). */
  'payload_too_large',
  /** The database cannot be reached right now (503): nothing was changed, try again shortly. */
  'store_unavailable',
  'internal_error',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiError {
  status: number;
  code: ErrorCode;
  message: string;
}

/** The JSON body of every REST error response. */
export interface ErrorBody {
  error: { code: ErrorCode | string; message: string };
}
