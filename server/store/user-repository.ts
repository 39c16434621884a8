/** App users: who may log in, with which role. */
import type { Kysely, Selectable } from 'kysely';
import type { User } from '../../shared/auth';
import type { Role } from '../../shared/roles';
import { formatKstSql, parseTimestamp } from '../../shared/time';
import type { AppUserTable, Database } from './schema';

export interface StoredUser extends User {
  passwordHash: string;
  /** The generation a session token must carry to be accepted. */
  tokenGeneration: number;
}

function toUser(row: Selectable<AppUserTable>): StoredUser {
  return {
    username: row.username,
    role: row.role as Role,
    disabled: Number(row.disabled) !== 0,
    createdAtMs: parseTimestamp(row.created_at) ?? 0,
    updatedAtMs: parseTimestamp(row.updated_at) ?? 0,
    passwordHash: row.password_hash,
    tokenGeneration: Number(row.token_generation),
  };
}

export async function findUser(
  db: Kysely<Database>,
  username: string,
): Promise<StoredUser | undefined> {
  const row = await db
    .selectFrom('app_user')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function listUsers(db: Kysely<Database>): Promise<StoredUser[]> {
  const rows = await db.selectFrom('app_user').selectAll().orderBy('username').execute();
  return rows.map(toUser);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('app_user')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Inserts a user; false when the username is taken. */
export async function insertUser(
  db: Kysely<Database>,
  user: { username: string; role: Role; passwordHash: string },
  nowMs: number,
): Promise<boolean> {
  const now = formatKstSql(nowMs);
  const result = await db
    .insertInto('app_user')
    .orIgnore()
    .values({
      username: user.username,
      role: user.role,
      password_hash: user.passwordHash,
      disabled: 0,
      created_at: now,
      updated_at: now,
    })
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function updateUser(
  db: Kysely<Database>,
  username: string,
  patch: { role?: Role; disabled?: boolean; passwordHash?: string },
  nowMs: number,
): Promise<void> {
  await db
    .updateTable('app_user')
    .set((eb) => ({
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.disabled !== undefined && { disabled: patch.disabled ? 1 : 0 }),
      ...(patch.passwordHash !== undefined && { password_hash: patch.passwordHash }),
      // A new password ends every session opened with the old one; so does disabling, or
      // enabling the account again would bring its old sessions and device credentials back.
      ...((patch.passwordHash !== undefined || patch.disabled === true) && {
        token_generation: eb('token_generation', '+', 1),
      }),
      updated_at: formatKstSql(nowMs),
    }))
    .where('username', '=', username)
    .execute();
}

/**
 * Ends every session and device credential of a user (tokens of an older generation are refused).
 * false when there is no such user.
 */
export async function bumpTokenGeneration(
  db: Kysely<Database>,
  username: string,
  nowMs: number,
): Promise<boolean> {
  const result = await db
    .updateTable('app_user')
    .set((eb) => ({
      token_generation: eb('token_generation', '+', 1),
      updated_at: formatKstSql(nowMs),
    }))
    .where('username', '=', username)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
