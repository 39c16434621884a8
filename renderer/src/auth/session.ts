/**
 * The logged-in session: the relay's token and who it names. Kept in sessionStorage (this window
 * only, gone when it closes), so a reload stays logged in but a new window asks again.
 */
import { z } from 'zod';
import type { SessionUser } from '../../../shared/auth';
import { roleSchema } from '../../../shared/roles';

export const SESSION_STORAGE_KEY = 'controlRoom.session';

export interface Session {
  token: string;
  user: SessionUser;
}

const sessionSchema = z.object({
  token: z.string().min(1),
  user: z.object({ username: z.string().min(1), role: roleSchema }),
});

/** A stored session, or null for anything missing, corrupt or from an older shape. */
export function parseSession(text: string | null | undefined): Session | null {
  if (!text) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = sessionSchema.safeParse(json);
  if (!parsed.success) return null;
  const { token, user } = parsed.data;
  return { token, user: { username: user.username, role: user.role } };
}

/** Storage can be missing (Node tests) or blocked (privacy modes): then nothing is kept. */
function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

export function readStoredSession(): Session | null {
  try {
    return parseSession(storage()?.getItem(SESSION_STORAGE_KEY));
  } catch {
    return null;
  }
}

export function storeSession(session: Session | null): void {
  try {
    const store = storage();
    if (session === null) store?.removeItem(SESSION_STORAGE_KEY);
    else store?.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Not kept: a reload asks for the login again, which is safe.
  }
}
