/**
 * The alert inbox on the relay: turns detections into stored alerts, applies people's commands
 * and escalations. Every change goes through the change feed (server/changes/change-feed.ts): the
 * alert and its audit event in one transaction, the audit id as the alert's `seq`; the feed
 * delivers it, catches clients up and builds their snapshot (this file only says which alerts a
 * snapshot holds). The version check and the write happen in one feed transaction: two
 * supervisors acting at once, exactly one wins.
 */
import type { Kysely } from 'kysely';
import {
  alertCommandSchemas,
  bulkAckSchema,
  MAX_COMMENTS_PER_ALERT,
  type Alert,
  type BulkAckResponse,
  type BulkAckResult,
  type AlertComment,
  type AlertCommandName,
  type AlertCommentPage,
  type AlertCommentPageQuery,
  type AlertListQuery,
} from '../../shared/alerts';
import { SYSTEM_ACTOR, type AuditAction } from '../../shared/audit';
import { can } from '../../shared/roles';
import {
  ConcurrentChangeError,
  type ChangeFeed,
  type ChangeTransaction,
} from '../changes/change-feed';
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
  type CommentDraft,
} from '../domain/alert-lifecycle';
import { alertFollowingDispatch, type FollowedDispatch } from '../domain/alert-follows-dispatch';
import { maskAlert, unmaskedAlert, maskEvidence } from '../domain/masking';
import { fail, HTTP, ok, zodMessage, type Outcome } from '../domain/outcome';
import { authorize, COMMAND_ACTIONS, forbidden, type Actor } from '../domain/permissions';
import {
  findAlert,
  findAlerts,
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

/** A client starting from a snapshot also gets the alerts resolved this recently. */
export const SNAPSHOT_RESOLVED_WINDOW_MS = 24 * 60 * 60_000;

const SYSTEM: { username: string; role: 'system' } = { username: SYSTEM_ACTOR, role: 'system' };
/** A system change that met another relay's change to the same alert is tried this often. */
const SYSTEM_CHANGE_ATTEMPTS = 3;
/** Who a system comment is by (the domain names the commenter; the audit records `system`). */
const SYSTEM_COMMENTER: Actor = { username: SYSTEM_ACTOR, role: 'admin' };

/** A new comment; told before the feed delivers the alert change it caused (whose commentCount counts it). */
export type CommentListener = (comment: AlertComment) => void;

export interface AlertServiceOptions {
  db: Kysely<Database>;
  /** Every change is written through it; the service defines the `alert` entity on it. */
  feed: ChangeFeed;
  policy: AlertPolicy;
  /** Whether someone may be assigned alerts (an active user whose role may work them). */
  isAssignable: (username: string) => Promise<boolean>;
  /** Counts changes by audit action (metrics). */
  onChangeCounted?: (action: AuditAction) => void;
  now?: () => number;
}

/**
 * An acknowledgement's note, kept as a comment by the acknowledger so it reads in the alert's
 * thread where people look (the audit event carries it too). None when the alert is at its
 * comment cap: the acknowledgement matters more than the copy of its note.
 */
function ackNoteComment(
  alert: Alert,
  command: AnyAlertCommand,
  actor: Actor,
  nowMs: number,
): CommentDraft | undefined {
  if (command.name !== 'ack' || !command.body.note) return undefined;
  if (alert.commentCount >= MAX_COMMENTS_PER_ALERT) return undefined;
  return { alertId: alert.id, by: actor.username, atMs: nowMs, text: command.body.note };
}

export class AlertService {
  private readonly commentListeners = new Set<CommentListener>();
  private readonly db: Kysely<Database>;
  private readonly now: () => number;

  constructor(private readonly options: AlertServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
    options.feed.define('alert', {
      load: (db, ids) => findAlerts(db, ids),
      snapshot: (db, nowMs) => listSnapshot(db, nowMs - SNAPSHOT_RESOLVED_WINDOW_MS),
      // Personal data is masked for every role: it is revealed one record at a time (unmask).
      mask: (alert) => maskAlert(alert),
    });
  }

  /** Called with every committed comment, before the alert change it caused. */
  onComment(listener: CommentListener): () => void {
    this.commentListeners.add(listener);
    return () => this.commentListeners.delete(listener);
  }

  /** Resolves when every change written so far is delivered. */
  drain(): Promise<void> {
    return this.options.feed.drain();
  }

  /** Merges each detection into its vehicle's open alert, or creates one. */
  async ingest(detections: Detection[], nowMs: number): Promise<Alert[]> {
    if (detections.length === 0) return [];
    const counted: AuditAction[] = [];
    const changed = new Map<number, Alert>();
    await this.options.feed.transact(async (tx) => {
      for (const d of detections) {
        // At-least-once delivery: a detection already counted is not counted again.
        if (await hasSource(tx.db, d.sourceId)) continue;
        const open = await findOpenAlertOfVehicle(tx.db, d.type, d.vehicleKey);
        let alert: Alert;
        if (open && canMerge(open, d.vehicleKey, d, this.options.policy)) {
          alert = mergeDetection(open, d, this.options.policy, nowMs);
          alert = await this.saveChange(tx, open, alert, SYSTEM, 'alert.merge', nowMs);
          counted.push('alert.merge');
        } else {
          alert = await this.saveNew(tx, createAlert(d, this.options.policy, nowMs), d, nowMs);
          counted.push('alert.create');
        }
        await recordSource(tx.db, d.sourceId, alert.id, nowMs);
        changed.set(alert.id, alert);
      }
    });
    this.count(counted);
    return [...changed.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Escalates every unacknowledged alert past its deadline (a change by `system`). */
  async escalateDue(nowMs: number = this.now()): Promise<Alert[]> {
    const escalated = await this.options.feed.transact(async (tx) => {
      const saved: Alert[] = [];
      for (const alert of await listDueForEscalation(tx.db, nowMs)) {
        const next = escalateIfDue(alert, nowMs);
        if (next)
          saved.push(await this.saveChange(tx, alert, next, SYSTEM, 'alert.escalate', nowMs));
      }
      return saved;
    });
    this.count(escalated.map(() => 'alert.escalate'));
    return escalated;
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
    let comment: AlertComment | undefined;
    let changedBy: AuditAction | undefined;
    let result: Outcome<Alert>;
    try {
      result = await this.options.feed.transact(async (tx): Promise<Outcome<Alert>> => {
        const nowMs = this.now();
        const alert = await findAlert(tx.db, id);
        if (!alert) return fail<Alert>(HTTP.notFound, 'not_found', `no alert ${id}`);
        const outcome = applyCommand(alert, command, actor, nowMs);
        if (!outcome.ok) return outcome;
        if (!outcome.value.changed) return ok(alert);
        let next = outcome.value.alert;
        const extra: Record<string, unknown> = {};
        const draft = outcome.value.comment ?? ackNoteComment(alert, command, actor, nowMs);
        if (draft) {
          comment = await insertComment(tx.db, draft);
          extra.comment = comment.text;
          if (!outcome.value.comment) next = { ...next, commentCount: next.commentCount + 1 };
        }
        if (command.name === 'ack' && command.body.note) extra.note = command.body.note;
        if (command.name === 'resolve' && command.body.note) extra.note = command.body.note;
        if (command.name === 'dispatch' && command.body.note) extra.note = command.body.note;
        const action = COMMAND_AUDIT_ACTION[command.name];
        const saved = await this.saveChange(tx, alert, next, actor, action, nowMs, extra);
        changedBy = action;
        return ok(saved);
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
    if (changedBy) this.count([changedBy]);
    if (comment) {
      for (const listener of this.commentListeners) listener(comment);
    }
    return result;
  }

  /**
   * A supervisor acknowledges several alerts at once with one note (`POST /api/alerts/ack-bulk`).
   * Each alert goes through `command` on its own: its own version check, feed transaction, audit
   * event and broadcast, so one refusal (stale version, already acknowledged, gone) is reported
   * for that alert with its reason and does not hold back the others.
   */
  async acknowledgeMany(actor: Actor, body: unknown): Promise<Outcome<BulkAckResponse>> {
    const refused = authorize(actor.role, 'alert.ack');
    if (refused) return { ok: false, error: refused };
    const parsed = bulkAckSchema.safeParse(body);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const { items, note } = parsed.data;
    const results: BulkAckResult[] = [];
    for (const item of items) {
      const outcome = await this.command(actor, 'ack', item.id, {
        version: item.version,
        ...(note ? { note } : {}),
      });
      results.push(
        outcome.ok
          ? { id: item.id, ok: true, alert: outcome.value }
          : { id: item.id, ok: false, error: outcome.error },
      );
    }
    const acknowledged = results.filter((result) => result.ok).length;
    return ok({ results, acknowledged, refused: results.length - acknowledged });
  }

  /**
   * Resolves an open alert as the relay itself (`system`, audited with that role): the condition a
   * system alert stood for has ended (a pipeline alarm cleared). The version is read in the same
   * transaction, so a person's change a moment earlier is never overwritten; an alert already
   * resolved is left alone. Returns the resolved alert, or undefined when there was nothing to do.
   */
  async resolveBySystem(id: number, note: string): Promise<Alert | undefined> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.resolveOnceBySystem(id, note);
      } catch (error) {
        // Another relay changed it between our read and write: read it again.
        if (!(error instanceof ConcurrentChangeError) || attempt >= SYSTEM_CHANGE_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  private async resolveOnceBySystem(id: number, note: string): Promise<Alert | undefined> {
    const saved = await this.options.feed.transact(async (tx) => {
      const nowMs = this.now();
      const alert = await findAlert(tx.db, id);
      if (!alert || alert.status === 'resolved') return undefined;
      const command = {
        name: 'resolve',
        body: { version: alert.version, resolution: 'handled', note },
      } as AnyAlertCommand;
      const outcome = applyCommand(alert, command, SYSTEM_COMMENTER, nowMs);
      if (!outcome.ok || !outcome.value.changed) return undefined;
      return this.saveChange(tx, alert, outcome.value.alert, SYSTEM, 'alert.resolve', nowMs, {
        note,
      });
    });
    if (saved) this.count(['alert.resolve']);
    return saved;
  }

  /**
   * A comment the relay writes itself (`system`) on an open alert: why something changed that no
   * person did (a plate left its list with the newest daily snapshot). Audited and sent like a
   * person's comment; resolved alerts and alerts at their comment cap are left alone.
   */
  async systemComment(id: number, text: string): Promise<Alert | undefined> {
    let comment: AlertComment | undefined;
    const saved = await this.options.feed.transact(async (tx) => {
      const nowMs = this.now();
      const alert = await findAlert(tx.db, id);
      if (!alert || alert.status === 'resolved') return undefined;
      const command = { name: 'comment', body: { text } } as AnyAlertCommand;
      const outcome = applyCommand(alert, command, SYSTEM_COMMENTER, nowMs);
      if (!outcome.ok || !outcome.value.changed) return undefined;
      const draft = outcome.value.comment;
      if (draft) comment = await insertComment(tx.db, draft);
      return this.saveChange(tx, alert, outcome.value.alert, SYSTEM, 'alert.comment', nowMs, {
        comment: text,
      });
    });
    if (saved) this.count(['alert.comment']);
    if (comment) {
      for (const listener of this.commentListeners) listener(comment);
    }
    return saved;
  }

  /**
   * Moves an INTERLOCK alert along with its TCS hand-off (server/domain/alert-follows-dispatch.ts),
   * in the hand-off's own feed transaction, as `system` (audited with the hand-off's id). Returns
   * the changed alert, or null when it already agreed or is gone.
   */
  async followDispatch(
    tx: ChangeTransaction,
    alertId: number,
    dispatch: FollowedDispatch,
    nowMs: number,
  ): Promise<Alert | null> {
    const alert = await findAlert(tx.db, alertId);
    if (!alert) return null;
    const following = alertFollowingDispatch(alert, dispatch, nowMs);
    if (!following) return null;
    const saved = await this.saveChange(
      tx,
      alert,
      following.alert,
      SYSTEM,
      following.action,
      nowMs,
      {
        dispatchId: dispatch.id,
        dispatchState: dispatch.state,
        ...(dispatch.caseNumber !== null && { caseNumber: dispatch.caseNumber }),
      },
    );
    this.count([following.action]);
    return saved;
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

  /** After commit: counts the changes (metrics). */
  private count(actions: readonly AuditAction[]): void {
    for (const action of actions) this.options.onChangeCounted?.(action);
  }

  private async saveNew(
    tx: ChangeTransaction,
    draft: Alert,
    d: Detection,
    nowMs: number,
  ): Promise<Alert> {
    const id = await insertAlert(tx.db, draft, d.vehicleKey);
    const alert = { ...draft, id };
    const seq = await tx.audit({
      atMs: nowMs,
      actor: SYSTEM.username,
      actorRole: SYSTEM.role,
      action: 'alert.create',
      entityType: 'alert',
      entityId: String(id),
      after: { ...alertAuditView(alert), source: d.sourceId },
    });
    await setAlertSeq(tx.db, id, seq);
    const created = { ...alert, seq };
    tx.remember({ entity: 'alert', record: created, seq });
    return created;
  }

  /** Audits a change and writes it with the audit event's id as its seq. */
  private async saveChange(
    tx: ChangeTransaction,
    before: Alert,
    after: Alert,
    actor: { username: string; role: Actor['role'] | 'system' },
    action: AuditAction,
    nowMs: number,
    extra: Record<string, unknown> = {},
  ): Promise<Alert> {
    const seq = await tx.audit({
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
    if (!(await updateAlert(tx.db, saved, before.version))) throw new ConcurrentChangeError();
    tx.remember({ entity: 'alert', record: saved, seq });
    return saved;
  }
}
