/**
 * The alert inbox on the relay: turns detections into stored alerts, applies people's commands
 * and escalations, writes an audit event for every change, and tells listeners (the socket
 * adapter) about each committed change.
 *
 * Every change runs through one queue. That makes the version check and the write one step (two
 * supervisors acting at once: exactly one wins), and makes change seqs commit in order, so a
 * client catching up with "everything after seq N" cannot miss a change that committed late.
 */
import type { Kysely } from 'kysely';
import {
  alertCommandSchemas,
  type Alert,
  type AlertComment,
  type AlertCommandName,
  type AlertCommentPage,
  type AlertCommentPageQuery,
  type AlertListQuery,
} from '../../shared/alerts';
import { SYSTEM_ACTOR, type AuditAction } from '../../shared/audit';
import { can } from '../../shared/roles';
import type { Detection } from '../domain/alert-rules';
import {
  alertAuditView,
  applyCommand,
  canMerge,
  COMMAND_AUDIT_ACTION,
  createAlert,
  escalateIfDue,
  mergeDetection,
  type AlertPolicy,
  type AnyAlertCommand,
} from '../domain/alert-lifecycle';
import { unmaskedAlert, maskEvidence } from '../domain/masking';
import { fail, HTTP, ok, zodMessage, type Outcome } from '../domain/outcome';
import { authorize, COMMAND_ACTIONS, forbidden, type Actor } from '../domain/permissions';
import {
  findAlert,
  findOpenAlertOfVehicle,
  hasSource,
  insertAlert,
  insertComment,
  listAlerts,
  listComments,
  listDueForEscalation,
  listSnapshot,
  recordSource,
  setAlertSeq,
  updateAlert,
} from '../store/alert-repository';
import { appendAudit } from '../store/audit-repository';
import type { Database } from '../store/schema';

/** A connecting client also gets the alerts resolved this recently. */
export const SNAPSHOT_RESOLVED_WINDOW_MS = 24 * 60 * 60_000;

const SYSTEM: { username: string; role: 'system' } = { username: SYSTEM_ACTOR, role: 'system' };
/** Who a system comment is by (the domain names the commenter; the audit records `system`). */
const SYSTEM_COMMENTER: Actor = { username: SYSTEM_ACTOR, role: 'admin' };

export type AlertListener = (alert: Alert) => void;
/** A new comment; told before the alert change it caused (whose commentCount counts it). */
export type CommentListener = (comment: AlertComment) => void;

export interface AlertServiceOptions {
  db: Kysely<Database>;
  policy: AlertPolicy;
  /** Whether someone may be assigned alerts (an active user whose role may work them). */
  isAssignable: (username: string) => Promise<boolean>;
  /** Counts changes by audit action (metrics). */
  onChangeCounted?: (action: AuditAction) => void;
  now?: () => number;
}

/** Another relay on the same database changed the alert between our read and our write. */
class ConcurrentChangeError extends Error {}

export class AlertService {
  private queue: Promise<unknown> = Promise.resolve();
  /** Changes written by the running task, counted once its transaction committed. */
  private uncounted: AuditAction[] = [];
  private readonly listeners = new Set<AlertListener>();
  private readonly commentListeners = new Set<CommentListener>();
  private readonly db: Kysely<Database>;
  private readonly now: () => number;

  constructor(private readonly options: AlertServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
  }

  /** Called with every committed change, unmasked and in seq order; the caller masks. */
  onChange(listener: AlertListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called with every committed comment, before the alert change it caused. */
  onComment(listener: CommentListener): () => void {
    this.commentListeners.add(listener);
    return () => this.commentListeners.delete(listener);
  }

  /** Resolves when every change queued so far is done. */
  async drain(): Promise<void> {
    await this.serial(async () => undefined);
  }

  /** Merges each detection into its vehicle's open alert, or creates one. */
  async ingest(detections: Detection[], nowMs: number): Promise<Alert[]> {
    if (detections.length === 0) return [];
    return this.serial(async () => {
      const changed = new Map<number, Alert>();
      await this.db.transaction().execute(async (trx) => {
        for (const d of detections) {
          // At-least-once delivery: a detection already counted is not counted again.
          if (await hasSource(trx, d.sourceId)) continue;
          const open = await findOpenAlertOfVehicle(trx, d.type, d.vehicleKey);
          let alert: Alert;
          if (open && canMerge(open, d.vehicleKey, d, this.options.policy)) {
            alert = mergeDetection(open, d, this.options.policy, nowMs);
            alert = await this.saveChange(trx, open, alert, SYSTEM, 'alert.merge', nowMs);
          } else {
            alert = await this.saveNew(trx, createAlert(d, this.options.policy, nowMs), d, nowMs);
          }
          await recordSource(trx, d.sourceId, alert.id, nowMs);
          changed.set(alert.id, alert);
        }
      });
      const alerts = [...changed.values()].sort((a, b) => a.seq - b.seq);
      this.publish(alerts);
      return alerts;
    });
  }

  /** Escalates every unacknowledged alert past its deadline (a change by `system`). */
  async escalateDue(nowMs: number = this.now()): Promise<Alert[]> {
    return this.serial(async () => {
      const due = await listDueForEscalation(this.db, nowMs);
      if (due.length === 0) return [];
      const escalated: Alert[] = [];
      await this.db.transaction().execute(async (trx) => {
        for (const alert of due) {
          const next = escalateIfDue(alert, nowMs);
          if (next) {
            escalated.push(
              await this.saveChange(trx, alert, next, SYSTEM, 'alert.escalate', nowMs),
            );
          }
        }
      });
      this.publish(escalated);
      return escalated;
    });
  }

  /**
   * A person's command, checked in the order a client can act on: the role (403), the body (400),
   * the alert (404), its version and status (409). REST and socket commands both come here.
   */
  async command(
    actor: Actor,
    name: AlertCommandName,
    id: number,
    body: unknown,
  ): Promise<Outcome<Alert>> {
    const refused = authorize(actor.role, COMMAND_ACTIONS[name]);
    if (refused) return { ok: false, error: refused };
    const parsed = alertCommandSchemas[name].safeParse(body);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const command = { name, body: parsed.data } as AnyAlertCommand;
    if (command.name === 'assign' && command.body.username !== null) {
      const username = command.body.username;
      if (username !== actor.username && !can(actor.role, 'alert.assign')) {
        return { ok: false, error: forbidden(actor.role, 'alert.assign') };
      }
      if (!(await this.options.isAssignable(username))) {
        return fail(
          HTTP.badRequest,
          'bad_request',
          `username: no active user ${username} who may work alerts`,
        );
      }
    }
    return this.serial(async () => {
      const nowMs = this.now();
      const alert = await findAlert(this.db, id);
      if (!alert) return fail<Alert>(HTTP.notFound, 'not_found', `no alert ${id}`);
      const outcome = applyCommand(alert, command, actor, nowMs);
      if (!outcome.ok) return outcome;
      if (!outcome.value.changed) return ok(alert);
      let saved: Alert;
      let comment: AlertComment | undefined;
      try {
        saved = await this.db.transaction().execute(async (trx) => {
          const next = outcome.value.alert;
          const extra: Record<string, unknown> = {};
          const draft = outcome.value.comment;
          if (draft) {
            comment = await insertComment(trx, draft);
            extra.comment = comment.text;
          }
          if (command.name === 'resolve' && command.body.note) extra.note = command.body.note;
          if (command.name === 'dispatch' && command.body.note) extra.note = command.body.note;
          return this.saveChange(
            trx,
            alert,
            next,
            actor,
            COMMAND_AUDIT_ACTION[command.name],
            nowMs,
            extra,
          );
        });
      } catch (error) {
        if (error instanceof ConcurrentChangeError) {
          return fail<Alert>(
            HTTP.conflict,
            'stale_version',
            `alert ${id} was changed at the same time: reload and try again`,
          );
        }
        throw error;
      }
      if (comment) {
        for (const listener of this.commentListeners) listener(comment);
      }
      this.publish([saved]);
      return ok(saved);
    });
  }

  /**
   * A comment the relay writes itself (`system`) on an open alert: why something changed that no
   * person did (a plate left its list with the newest daily snapshot). Audited and sent like a
   * person's comment; resolved alerts and alerts at their comment cap are left alone.
   */
  async systemComment(id: number, text: string): Promise<Alert | undefined> {
    return this.serial(async () => {
      const nowMs = this.now();
      const alert = await findAlert(this.db, id);
      if (!alert || alert.status === 'resolved') return undefined;
      const command = { name: 'comment', body: { text } } as AnyAlertCommand;
      const outcome = applyCommand(alert, command, SYSTEM_COMMENTER, nowMs);
      if (!outcome.ok || !outcome.value.changed) return undefined;
      let comment: AlertComment | undefined;
      const saved = await this.db.transaction().execute(async (trx) => {
        const draft = outcome.value.comment;
        if (draft) comment = await insertComment(trx, draft);
        return this.saveChange(trx, alert, outcome.value.alert, SYSTEM, 'alert.comment', nowMs, {
          comment: text,
        });
      });
      if (comment) {
        for (const listener of this.commentListeners) listener(comment);
      }
      this.publish([saved]);
      return saved;
    });
  }

  /** The record with its personal data, for a role that may unmask; every call is audited. */
  async unmask(actor: Actor, id: number): Promise<Outcome<Alert>> {
    const refused = authorize(actor.role, 'pii.unmask');
    if (refused) return { ok: false, error: refused };
    const alert = await findAlert(this.db, id);
    if (!alert) return fail(HTTP.notFound, 'not_found', `no alert ${id}`);
    await appendAudit(this.db, {
      atMs: this.now(),
      actor: actor.username,
      actorRole: actor.role,
      action: 'pii.unmask',
      entityType: 'alert',
      entityId: String(id),
      // Which fields were revealed, never their values.
      after: { fields: maskEvidence(alert.evidence).maskedFields },
    });
    this.options.onChangeCounted?.('pii.unmask');
    return ok(unmaskedAlert(alert));
  }

  /** Unmasked: callers mask before anything leaves the relay. */
  get(id: number): Promise<Alert | undefined> {
    return findAlert(this.db, id);
  }

  /** Unmasked: callers mask before anything leaves the relay. */
  list(query: AlertListQuery): Promise<Alert[]> {
    return listAlerts(this.db, query);
  }

  /** One page of an alert's comments (404 when there is no such alert). */
  async comments(id: number, query: AlertCommentPageQuery): Promise<Outcome<AlertCommentPage>> {
    const alert = await findAlert(this.db, id);
    if (!alert) return fail(HTTP.notFound, 'not_found', `no alert ${id}`);
    return ok(await listComments(this.db, id, query));
  }

  /**
   * Runs `deliver` with a connecting client's snapshot inside the change queue, so no change can
   * commit between the snapshot and the moment `deliver` subscribes the client to changes.
   */
  async withSnapshot(afterSeq: number | null, deliver: (alerts: Alert[]) => void): Promise<void> {
    await this.serial(async () => {
      const alerts = await listSnapshot(
        this.db,
        this.now() - SNAPSHOT_RESOLVED_WINDOW_MS,
        afterSeq,
      );
      deliver(alerts);
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      this.uncounted = [];
      try {
        return await task();
      } finally {
        this.uncounted = [];
      }
    });
    // One failed task must not block the ones after it.
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** After commit: counts the changes and tells the listeners. */
  private publish(alerts: Alert[]): void {
    for (const action of this.uncounted) this.options.onChangeCounted?.(action);
    this.uncounted = [];
    for (const alert of alerts) {
      for (const listener of this.listeners) listener(alert);
    }
  }

  private async saveNew(
    trx: Kysely<Database>,
    draft: Alert,
    d: Detection,
    nowMs: number,
  ): Promise<Alert> {
    const id = await insertAlert(trx, draft, d.vehicleKey);
    const alert = { ...draft, id };
    const seq = await appendAudit(trx, {
      atMs: nowMs,
      actor: SYSTEM.username,
      actorRole: SYSTEM.role,
      action: 'alert.create',
      entityType: 'alert',
      entityId: String(id),
      after: { ...alertAuditView(alert), source: d.sourceId },
    });
    await setAlertSeq(trx, id, seq);
    this.uncounted.push('alert.create');
    return { ...alert, seq };
  }

  /** Audits a change and writes it with the audit event's id as its seq. */
  private async saveChange(
    trx: Kysely<Database>,
    before: Alert,
    after: Alert,
    actor: { username: string; role: Actor['role'] | 'system' },
    action: AuditAction,
    nowMs: number,
    extra: Record<string, unknown> = {},
  ): Promise<Alert> {
    const seq = await appendAudit(trx, {
      atMs: nowMs,
      actor: actor.username,
      actorRole: actor.role,
      action,
      entityType: 'alert',
      entityId: String(before.id),
      before: alertAuditView(before),
      after: { ...alertAuditView(after), ...extra },
    });
    const saved = { ...after, seq };
    if (!(await updateAlert(trx, saved, before.version))) throw new ConcurrentChangeError();
    this.uncounted.push(action);
    return saved;
  }
}
