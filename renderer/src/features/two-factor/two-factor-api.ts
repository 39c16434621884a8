/**
 * The relay calls of two-factor sign-in. Sign-in steps carry the ticket the password step gave
 * (no session exists yet); a signed-in user's own enrolment carries the session token.
 */
import type { LoginRequest, LoginResponse } from '../../../../shared/auth';
import type {
  LoginResult,
  TotpConfirmResponse,
  TotpEnrolment,
} from '../../../../shared/two-factor';
import { relayJson, type RelayResult } from '../../auth/relay-api';

/** Whose enrolment: the holder of an `enrol` ticket, or the signed-in session. */
export type EnrolAs = { ticket: string } | { token: string };

/** The password step: a session, or a challenge for the second step. */
export function passwordLogin(request: LoginRequest): Promise<RelayResult<LoginResult>> {
  return relayJson<LoginResult>('/api/auth/login', { method: 'POST', body: request });
}

export function codeLogin(ticket: string, code: string): Promise<RelayResult<LoginResponse>> {
  return relayJson<LoginResponse>('/api/auth/login/totp', {
    method: 'POST',
    body: { ticket, code },
  });
}

export function startEnrolment(as: EnrolAs): Promise<RelayResult<TotpEnrolment>> {
  return relayJson<TotpEnrolment>('/api/auth/totp/enrol', {
    method: 'POST',
    ...('ticket' in as ? { body: { ticket: as.ticket } } : { body: {}, token: as.token }),
  });
}

export function confirmEnrolment(
  as: EnrolAs,
  code: string,
): Promise<RelayResult<TotpConfirmResponse>> {
  return relayJson<TotpConfirmResponse>('/api/auth/totp/confirm', {
    method: 'POST',
    ...('ticket' in as
      ? { body: { ticket: as.ticket, code } }
      : { body: { code }, token: as.token }),
  });
}
