/**
 * A wall's device credential: a long-lived token an admin issues for a `viewer` account
 * (`POST /api/users/:username/device-token`). It arrives in the address fragment
 * (`/kiosk#device=<token>`), which browsers never send to servers or write to their logs; the wall
 * keeps it in localStorage, so it survives a reboot of its browser, and clears the fragment from
 * the address bar so nobody reads it off the screen. Pure apart from the injected storage and URL.
 */
import type { MeResponse, SessionUser } from '../../../shared/auth';
import type { RelayResult } from '../auth/relay-api';

export const DEVICE_TOKEN_STORAGE_KEY = 'controlRoom.deviceToken';
export const DEVICE_FRAGMENT_PARAM = 'device';
/** The shell's own limit for a stored credential (shared/ipc.ts `deviceToken`). */
const MAX_TOKEN_LENGTH = 4096;
/** JWTs are base64url parts joined by dots; anything else cannot be one of the relay's tokens. */
const TOKEN_PATTERN = /^[A-Za-z0-9._~+/=-]+$/;

export function isPlausibleToken(token: string): boolean {
  return token.length > 0 && token.length <= MAX_TOKEN_LENGTH && TOKEN_PATTERN.test(token);
}

/** The `device` parameter of a fragment such as `#device=abc&x=1`, or null. */
export function tokenFromFragment(hash: string): string | null {
  const fragment = hash.startsWith('#') ? hash.slice(1) : hash;
  if (fragment === '') return null;
  const token = new URLSearchParams(fragment).get(DEVICE_FRAGMENT_PARAM)?.trim() ?? '';
  return isPlausibleToken(token) ? token : null;
}

export interface CredentialEnvironment {
  location: Pick<Location, 'hash' | 'pathname' | 'search'>;
  /** history.replaceState: changes the address bar without a reload or a history entry. */
  replaceUrl: (url: string) => void;
  /** localStorage, or null where storage is blocked (then the fragment works until a reload). */
  storage: Pick<Storage, 'getItem' | 'setItem'> | null;
}

/**
 * The credential to use: a new one from the fragment (stored, replacing any older one) or the one
 * stored before. Any fragment is removed from the address bar, a credential or not.
 */
export function takeDeviceCredential(env: CredentialEnvironment): string | null {
  const { location, storage } = env;
  const fromFragment = tokenFromFragment(location.hash);
  if (location.hash !== '') env.replaceUrl(`${location.pathname}${location.search}`);
  if (fromFragment !== null) {
    try {
      storage?.setItem(DEVICE_TOKEN_STORAGE_KEY, fromFragment);
    } catch {
      // Not kept: the wall works until its browser restarts.
    }
    return fromFragment;
  }
  try {
    const stored = storage?.getItem(DEVICE_TOKEN_STORAGE_KEY) ?? null;
    return stored !== null && isPlausibleToken(stored) ? stored : null;
  } catch {
    return null;
  }
}

/** Why a wall shows the credential notice instead of its views. */
export type CredentialProblem =
  /** No credential at all: nobody set this wall up yet. */
  | 'missing'
  /** The relay refused it: expired, revoked (account disabled) or from another relay. */
  | 'refused'
  /** A valid login of a role other than viewer: walls show only what a viewer may see. */
  | 'notViewer';

export type Verification =
  | { kind: 'valid'; user: SessionUser }
  | { kind: 'problem'; problem: CredentialProblem }
  /** The relay did not answer (or failed): not the credential's fault, so try again. */
  | { kind: 'unreachable'; message: string };

const HTTP_UNAUTHORIZED = 401;
const HTTP_FORBIDDEN = 403;

/** What `GET /api/auth/me` with the credential says about it. */
export function classifyVerification(result: RelayResult<MeResponse>): Verification {
  if (result.ok) {
    const user = result.value.user;
    return user.role === 'viewer'
      ? { kind: 'valid', user }
      : { kind: 'problem', problem: 'notViewer' };
  }
  const { status } = result.error;
  if (status === HTTP_UNAUTHORIZED || status === HTTP_FORBIDDEN) {
    return { kind: 'problem', problem: 'refused' };
  }
  return { kind: 'unreachable', message: result.error.message };
}
