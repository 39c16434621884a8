/** How pure domain functions report a refusal: the status and reason the adapters pass on. */
import type { ApiError } from '../../shared/errors';

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ApiError };

export const ok = <T>(value: T): Outcome<T> => ({ ok: true, value });

export const fail = <T = never>(
  status: number,
  code: ApiError['code'],
  message: string,
): Outcome<T> => ({ ok: false, error: { status, code, message } });

export const HTTP = {
  badRequest: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  payloadTooLarge: 413,
  tooManyRequests: 429,
  internal: 500,
  serviceUnavailable: 503,
} as const;

/** A schema failure as one line naming its field: `role: must be one of viewer, …`. */
export function zodMessage(error: {
  issues: readonly { path: readonly PropertyKey[]; message: string }[];
}): string {
  const issue = error.issues[0];
  if (!issue) return 'bad request';
  const field = issue.path.map(String).join('.');
  if (field === '') return `body: ${issue.message}`;
  return issue.message.startsWith(field) ? issue.message : `${field}: ${issue.message}`;
}
