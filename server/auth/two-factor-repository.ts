/** The two-factor tables (migration 0010): one TOTP enrolment per user, and recovery code hashes. */
import type { Generated, Kysely } from 'kysely';
import type { Database } from '../store/schema';

export interface UserTotpTable {
  username: string;
  secret: string;
  enabled_at: number | null;
  created_at: number;
  last_step: number;
  failed_attempts: number;
  locked_until: number;
}

export interface UserRecoveryCodeTable {
  id: Generated<number>;
  username: string;
  code_hash: string;
  used_at: number | null;
}

type TwoFactorTables = {
  user_totp: UserTotpTable;
  user_recovery_code: UserRecoveryCodeTable;
};

type Db = Kysely<Database>;
const tables = (db: Db) => db.withTables<TwoFactorTables>();

export interface StoredTotp {
  username: string;
  secret: string;
  enabledAtMs: number | null;
  lastStep: number;
  failedAttempts: number;
  lockedUntilMs: number;
}

/** MariaDB returns BIGINT as text (bigNumberStrings); SQLite as a number. */
const num = (v: unknown): number => Number(v);

export async function findTotp(db: Db, username: string): Promise<StoredTotp | undefined> {
  const row = await tables(db)
    .selectFrom('user_totp')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    username: row.username,
    secret: row.secret,
    enabledAtMs: row.enabled_at === null ? null : num(row.enabled_at),
    lastStep: num(row.last_step),
    failedAttempts: num(row.failed_attempts),
    lockedUntilMs: num(row.locked_until),
  };
}

/** Users whose TOTP is in force (for the user list). */
export async function enabledTotpUsers(db: Db): Promise<Set<string>> {
  const rows = await tables(db)
    .selectFrom('user_totp')
    .select('username')
    .where('enabled_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.username));
}

/** Starts (or restarts) an enrolment: a new secret, not in force until confirmed. */
export async function savePendingTotp(
  db: Db,
  username: string,
  secret: string,
  nowMs: number,
): Promise<void> {
  await tables(db).deleteFrom('user_totp').where('username', '=', username).execute();
  await tables(db)
    .insertInto('user_totp')
    .values({
      username,
      secret,
      enabled_at: null,
      created_at: nowMs,
      last_step: 0,
      failed_attempts: 0,
      locked_until: 0,
    })
    .execute();
}

/** Puts a pending enrolment in force with its first accepted step and new recovery codes. */
export async function enableTotp(
  db: Db,
  username: string,
  step: number,
  codeHashes: readonly string[],
  nowMs: number,
): Promise<boolean> {
  const result = await tables(db)
    .updateTable('user_totp')
    .set({ enabled_at: nowMs, last_step: step, failed_attempts: 0, locked_until: 0 })
    .where('username', '=', username)
    .where('enabled_at', 'is', null)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) return false;
  await tables(db).deleteFrom('user_recovery_code').where('username', '=', username).execute();
  await tables(db)
    .insertInto('user_recovery_code')
    .values(codeHashes.map((code_hash) => ({ username, code_hash, used_at: null })))
    .execute();
  return true;
}

/**
 * Records an accepted code: its step, so it is never accepted again (false when another request
 * accepted this or a later step first), and the failure count starts over.
 */
export async function acceptStep(db: Db, username: string, step: number): Promise<boolean> {
  const result = await tables(db)
    .updateTable('user_totp')
    .set({ last_step: step, failed_attempts: 0, locked_until: 0 })
    .where('username', '=', username)
    .where('last_step', '<', step)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Counts a wrong code; from `maxFailures` on, locks code entry until `lockUntilMs`. */
export async function recordFailure(
  db: Db,
  username: string,
  maxFailures: number,
  lockUntilMs: number,
): Promise<{ failures: number; lockedUntilMs: number }> {
  const current = await findTotp(db, username);
  if (!current) return { failures: 0, lockedUntilMs: 0 };
  const failures = current.failedAttempts + 1;
  const lockedUntilMs = failures >= maxFailures ? lockUntilMs : current.lockedUntilMs;
  await tables(db)
    .updateTable('user_totp')
    .set({ failed_attempts: failures >= maxFailures ? 0 : failures, locked_until: lockedUntilMs })
    .where('username', '=', username)
    .execute();
  return { failures, lockedUntilMs };
}

export async function unusedRecoveryCodes(
  db: Db,
  username: string,
): Promise<{ id: number; codeHash: string }[]> {
  const rows = await tables(db)
    .selectFrom('user_recovery_code')
    .select(['id', 'code_hash'])
    .where('username', '=', username)
    .where('used_at', 'is', null)
    .execute();
  return rows.map((r) => ({ id: num(r.id), codeHash: r.code_hash }));
}

/** Marks a recovery code used; false when another request used it first. */
export async function useRecoveryCode(db: Db, id: number, nowMs: number): Promise<boolean> {
  const result = await tables(db)
    .updateTable('user_recovery_code')
    .set({ used_at: nowMs })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Removes a user's TOTP and recovery codes; false when there was none. */
export async function deleteTotp(db: Db, username: string): Promise<boolean> {
  const result = await tables(db)
    .deleteFrom('user_totp')
    .where('username', '=', username)
    .executeTakeFirst();
  await tables(db).deleteFrom('user_recovery_code').where('username', '=', username).execute();
  return Number(result.numDeletedRows) > 0;
}
