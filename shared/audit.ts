/** The audit trail: every change to an alert or a user, every unmask and export, every login. */
import { z } from 'zod';
import { decimal } from './decimal';
import type { Role } from './roles';

export const AUDIT_ACTIONS = [
  'alert.create',
  /** A repeat detection merged into an open alert (count, last seen, position). */
  'alert.merge',
  'alert.escalate',
  'alert.ack',
  'alert.assign',
  'alert.comment',
  'alert.dispatch',
  'alert.resolve',
  'pii.unmask',
  /** A plate photo was opened (which alert, which image; never the bytes). */
  'alert.photo',
  'export.csv',
  'user.create',
  'user.update',
  'user.device_token',
  /** Every device credential (and session) of an account ended by an admin. */
  'user.device_token_revoke',
  'auth.login',
  'auth.login_failed',
  /** A wrong or replayed two-factor code (or recovery code) after a right password. */
  'auth.totp_failed',
  /** A recovery code was used in place of a TOTP code (it will not work again). */
  'auth.recovery_code_used',
  /** Too many wrong codes in a row: code entry is locked for a while (`lockedUntilMs`). */
  'auth.totp_locked',
  /** Two-factor sign-in came into force for a user (after their first code). */
  'user.totp_enrolled',
  /** A user turned their own two-factor sign-in off (with a current code). */
  'user.totp_disabled',
  /** An admin removed a user's two-factor sign-in (a lost phone): they enrol again. */
  'user.totp_reset',
  /** Interlock violations (the relay derives them) and TCS hand-offs (people and the worker). */
  'violation.create',
  'violation.status',
  /** A major violation was linked to its inbox alert (a new version, so walls show the link). */
  'violation.link',
  'dispatch.request',
  'dispatch.approve',
  /** The worker started an attempt (claimed the hand-off). */
  'dispatch.send',
  'dispatch.accept',
  'dispatch.reject',
  /** An attempt failed (5xx, time-out): waiting to retry, or out of attempts (manual). */
  'dispatch.fail',
  /** An attempt that never finished (relay stopped or crashed): sent again with the same key. */
  'dispatch.interrupt',
  'dispatch.retry',
  'dispatch.takeover',
  /** An admin started a QA scenario on the embedded simulator (docs/TESTING.md). */
  'scenario.load',
  /** The interlock registry was read from the interlock system's tables (counts, not rows). */
  'registry.refresh',
  /** An admin imported a registry file (CSV): rows accepted and refused, never their values. */
  'registry.import',
  /** A failed calibration opened a re-calibration request (P-04); a later pass fulfilled it. */
  'calibration.request',
  'calibration.fulfil',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AUDIT_ENTITY_TYPES = [
  'alert',
  'user',
  'export',
  'violation',
  'dispatch',
  /** A vehicle's driver fields were read (`pii.unmask`; entity id: the car id). */
  'vehicle',
  /** A QA scenario (entity id: its name). */
  'scenario',
  /** The interlock registry (entity id: the kind imported, or null for a refresh). */
  'registry',
  /** A re-calibration request (entity id: its id). */
  'calibration_request',
] as const;
export type AuditEntityType = (typeof AUDIT_ENTITY_TYPES)[number];

/** The actor name of changes the relay makes itself (merges, escalations). */
export const SYSTEM_ACTOR = 'system';

export interface AuditEvent {
  /** Increasing; an alert's `seq` is the id of the audit event of its last change. */
  id: number;
  atMs: number;
  actor: string;
  /** The actor's role at the time; `system` for the relay itself. */
  actorRole: Role | 'system' | null;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string | null;
  /** JSON of the entity before and after the change (personal data never included). */
  before: unknown;
  after: unknown;
}

export const DEFAULT_AUDIT_LIST_LIMIT = 200;
export const MAX_AUDIT_LIST_LIMIT = 10_000;

/** `GET /api/audit` (and `/api/audit.csv`): newest first. */
export const auditQuerySchema = z.object({
  /** `alert`, or one entity: `alert:42`, `user:kim`. */
  entity: z
    .string()
    .trim()
    .regex(
      new RegExp(`^(${AUDIT_ENTITY_TYPES.join('|')})(:[^\\s]{1,128})?$`),
      'entity must be a type or type:id (alert:42)',
    )
    .optional(),
  actor: z.string().trim().min(1).max(64).optional(),
  action: z.enum(AUDIT_ACTIONS, 'action is not a known audit action').optional(),
  /** From this moment (epoch ms, inclusive). */
  from: optionalEpochMs('from'),
  /** Up to this moment (epoch ms, exclusive). */
  to: optionalEpochMs('to'),
  /** Paging: only events older than this id (the previous page's `nextBefore`). */
  before: decimal(
    z.number('before must be a number').int('before must be a whole number').min(1).optional(),
  ),
  limit: decimal(
    z
      .number('limit must be a number')
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(MAX_AUDIT_LIST_LIMIT, `limit must be at most ${MAX_AUDIT_LIST_LIMIT}`)
      .default(DEFAULT_AUDIT_LIST_LIMIT),
  ),
});
export type AuditQuery = z.output<typeof auditQuerySchema>;

function optionalEpochMs(name: string) {
  return decimal(
    z
      .number(`${name} must be epoch milliseconds`)
      .int(`${name} must be epoch milliseconds`)
      .min(0, `${name} must be epoch milliseconds`)
      .optional(),
  );
}

/** `GET /api/audit` */
export interface AuditListResponse {
  events: AuditEvent[];
  /** Pass as `before` for the next (older) page; null when this page was the last. */
  nextBefore: number | null;
}
