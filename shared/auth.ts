/** Login, users and the socket handshake: the contract between the relay and its clients. */
import { z } from 'zod';
import { roleSchema, type Role } from './roles';

/** Lower-case ASCII staff ids: they end up in audit rows, CSV files and URLs. */
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{1,31}$/;
export const MIN_PASSWORD_LENGTH = 8;
/** Long enough for passphrases, short enough that hashing it is never a denial of service. */
export const MAX_PASSWORD_LENGTH = 200;
/** Names the relay itself acts under in the audit trail; nobody may log in as them. */
/** The account the relay's first start creates (with ADMIN_PASSWORD, or a generated one). */
export const FIRST_ADMIN_USERNAME = 'admin';
export const RESERVED_USERNAMES: readonly string[] = ['system', 'kiosk'];

export const usernameSchema = z
  .string('username must be text')
  .trim()
  .toLowerCase()
  .regex(
    USERNAME_PATTERN,
    'username must be 2–32 of a-z 0-9 . _ - (starting with a letter or digit)',
  );

export const passwordSchema = z
  .string('password must be text')
  .min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `password must be at most ${MAX_PASSWORD_LENGTH} characters`);

export const loginRequestSchema = z.object({
  username: z.string('username must be text').trim().toLowerCase().min(1, 'username is required'),
  password: z
    .string('password must be text')
    .min(1, 'password is required')
    .max(MAX_PASSWORD_LENGTH),
});
export type LoginRequest = z.input<typeof loginRequestSchema>;

/** Who is logged in: what the client needs to decide what to show. */
export interface SessionUser {
  username: string;
  role: Role;
}

export interface LoginResponse {
  /** Send as `Authorization: Bearer <token>` and as the socket handshake's `auth.token`. */
  token: string;
  /** Epoch ms when the token stops being accepted. */
  expiresAtMs: number;
  user: SessionUser;
}

/** A user as the admin screen sees it (never the password hash). */
export interface User extends SessionUser {
  disabled: boolean;
  /** Two-factor sign-in (TOTP) is in force for this user (shared/two-factor.ts). */
  twoFactorEnabled?: boolean;
  createdAtMs: number;
  updatedAtMs: number;
}

export const createUserSchema = z.object({
  username: usernameSchema.refine(
    (u) => !RESERVED_USERNAMES.includes(u),
    'username is reserved for the relay',
  ),
  password: passwordSchema,
  role: roleSchema,
});
export type CreateUserRequest = z.input<typeof createUserSchema>;

export const updateUserSchema = z
  .object({
    role: roleSchema.optional(),
    disabled: z.boolean('disabled must be true or false').optional(),
    password: passwordSchema.optional(),
  })
  .refine(
    (u) => u.role !== undefined || u.disabled !== undefined || u.password !== undefined,
    'give at least one of role, disabled, password',
  );
export type UpdateUserRequest = z.input<typeof updateUserSchema>;

const BAD_LAST_ALERT_SEQ =
  'bad handshake: auth.lastAlertSeq must be a whole number ≥ 0 (or left out)';
const BAD_LAST_SEQ = 'bad handshake: auth.lastSeq must be a whole number ≥ 0 (or left out)';
const SOCKET_AUTH_ERRORS_MISSING_TOKEN = 'unauthorized: no token (log in and pass auth.token)';

/** The Socket.IO handshake's `auth` object. */
export interface SocketAuth {
  token: string;
  /** A wall display says `wall`; left out, a desk (`desktop`). */
  client?: ClientKind;
  /**
   * The highest change `seq` the client has seen (shared/changes.ts). On reconnect the `changes`
   * catch-up then holds every record changed after it, whatever the entity, so nothing is missed
   * while the socket was away. Without it the client gets a full snapshot.
   */
  lastSeq?: number;
  /**
   * @deprecated The name of `lastSeq` before the change feed (it counted alert changes; the seq
   * is the same number). Accepted for one release so older clients keep catching up; `lastSeq`
   * wins when both are sent.
   */
  lastAlertSeq?: number;
}

const seqSchema = (message: string) =>
  z.number(message).int(message).nonnegative(message).optional();

/** What kind of screen a socket belongs to: a person's desk, or a wall display (the kiosk). */
export const CLIENT_KINDS = ['desktop', 'wall'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

export const socketAuthSchema = z.object({
  token: z.string(SOCKET_AUTH_ERRORS_MISSING_TOKEN).min(1, SOCKET_AUTH_ERRORS_MISSING_TOKEN),
  /** Said by the client, shown to admins only (who is signed in where); never a permission. */
  client: z.enum(CLIENT_KINDS).optional().catch(undefined),
  lastSeq: seqSchema(BAD_LAST_SEQ),
  lastAlertSeq: seqSchema(BAD_LAST_ALERT_SEQ),
});

/** Where a handshake asks to catch up from (`lastSeq`, or its old name), or null for a snapshot. */
export function handshakeLastSeq(
  auth: Pick<SocketAuth, 'lastSeq' | 'lastAlertSeq'>,
): number | null {
  return auth.lastSeq ?? auth.lastAlertSeq ?? null;
}

/** `connect_error` messages the relay sends when it refuses a socket. */
export const SOCKET_AUTH_ERRORS = {
  missingToken: SOCKET_AUTH_ERRORS_MISSING_TOKEN,
  badLastAlertSeq: BAD_LAST_ALERT_SEQ,
  badLastSeq: BAD_LAST_SEQ,
  invalidToken: 'unauthorized: invalid or expired token (log in again)',
  disabledUser: 'unauthorized: user unknown or disabled',
  revokedToken: 'unauthorized: the password was changed since this login (log in again)',
} as const;

/** `GET /api/users` */
export interface UserListResponse {
  users: User[];
}

/** `POST /api/users`, `PATCH /api/users/:username` */
export interface UserResponse {
  user: User;
}

/** `GET /api/auth/me` */
export interface MeResponse {
  user: SessionUser;
}

/** `GET /api/assignees`: who an alert may be assigned to. */
export interface AssigneeListResponse {
  assignees: SessionUser[];
}

/** `POST /api/users/:username/device-token`: a wall's credential (shown once, never stored). */
export interface DeviceTokenResponse {
  token: string;
  expiresAtMs: number;
  username: string;
}

/** One live connection (a socket) of a signed-in user, on whichever relay holds it. */
export interface LiveSession {
  socketId: string;
  username: string;
  role: Role;
  client: ClientKind;
  /** The relay's `INSTANCE_ID`. */
  instance: string;
  /** The client's address as the relay saw it. */
  address: string;
  connectedAtMs: number;
}

/** `GET /api/sessions` (admins). */
export interface SessionListResponse {
  sessions: LiveSession[];
  /**
   * `cluster`: every relay answered (the Socket.IO adapter's fetchSockets across relays); `local`:
   * only this relay's sockets (other relays did not answer in time).
   */
  scope: 'cluster' | 'local';
}
