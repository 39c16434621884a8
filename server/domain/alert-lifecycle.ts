/**
 * The alert lifecycle: creating an alert from a detection, merging repeats into it, escalating it
 * past its deadline, and the commands people send (`new → acknowledged → dispatched → resolved`).
 * Every change returns a new alert with `version + 1`; a command made against another version is
 * refused, so of two supervisors acting at once exactly one wins.
 */
import {
  MAX_COMMENTS_PER_ALERT,
  SEVERITY_RANK,
  type Alert,
  type AlertComment,
  type AlertCommand,
  type AlertCommandName,
  type AlertStatus,
  type Severity,
} from '../../shared/alerts';
import type { AuditAction } from '../../shared/audit';
import type { Detection } from './alert-rules';
import { fail, HTTP, ok, type Outcome } from './outcome';
import { authorizeAssign, type Actor } from './permissions';

export interface AlertPolicy {
  /** A repeat within this long of an open alert's last detection merges into it. */
  mergeWindowMs: number;
  /** How long an alert of each severity may stay unacknowledged before it escalates. */
  deadlineMs: Readonly<Record<Severity, number>>;
}

const MINUTE_MS = 60_000;

export const DEFAULT_ALERT_POLICY: AlertPolicy = {
  mergeWindowMs: 10 * MINUTE_MS,
  deadlineMs: {
    critical: 2 * MINUTE_MS,
    high: 5 * MINUTE_MS,
    medium: 10 * MINUTE_MS,
    low: 30 * MINUTE_MS,
  },
};

/** The id and seq of an alert the store has not saved yet; the store assigns both. */
export const UNSAVED = 0;

export function isOpen(status: AlertStatus): boolean {
  return status !== 'resolved';
}

export function maxSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/**
 * The deadline counts from when the relay created the alert, not from the detection: people can
 * only react to what they were shown (a Kafka backlog replayed after an outage must not arrive
 * already escalated).
 */
export function deadlineOf(createdMs: number, severity: Severity, policy: AlertPolicy): number {
  return createdMs + policy.deadlineMs[severity];
}

export function createAlert(d: Detection, policy: AlertPolicy, nowMs: number): Alert {
  return {
    id: UNSAVED,
    type: d.type,
    severity: d.severity,
    status: 'new',
    escalated: false,
    version: 1,
    seq: UNSAVED,
    count: 1,
    firstSeenMs: d.atMs,
    lastSeenMs: d.atMs,
    createdMs: nowMs,
    updatedMs: nowMs,
    deadlineMs: deadlineOf(nowMs, d.severity, policy),
    carId: d.carId,
    plate: d.plate,
    lon: d.position?.lon ?? null,
    lat: d.position?.lat ?? null,
    dongCode: d.place?.dongCode ?? null,
    dongName: d.place?.dongName ?? null,
    districtCode: d.place?.districtCode ?? null,
    districtName: d.place?.districtName ?? null,
    evidence: d.evidence,
    maskedFields: [],
    assignee: null,
    acknowledgedBy: null,
    acknowledgedAtMs: null,
    dispatchedBy: null,
    dispatchedAtMs: null,
    resolvedBy: null,
    resolvedAtMs: null,
    resolution: null,
    resolutionNote: null,
    commentCount: 0,
  };
}

/**
 * Whether a detection is a repeat of this alert: same type and vehicle, open, inside the window.
 * A pipeline alarm (PIPELINE_HEALTH, keyed by the alarm) is one condition until it clears, however
 * long that takes: its open alert takes every repeat, so there is never a second one.
 */
export function canMerge(
  alert: Alert,
  vehicleKey: string,
  d: Detection,
  policy: AlertPolicy,
): boolean {
  return (
    isOpen(alert.status) &&
    alert.type === d.type &&
    vehicleKey === d.vehicleKey &&
    (d.type === 'PIPELINE_HEALTH' || Math.abs(d.atMs - alert.lastSeenMs) <= policy.mergeWindowMs)
  );
}

/**
 * Merges a repeat: count + 1, the latest detection's time, position and evidence, the higher
 * severity (a worse repeat may shorten the deadline, never lengthen it).
 */
export function mergeDetection(
  alert: Alert,
  d: Detection,
  policy: AlertPolicy,
  nowMs: number,
): Alert {
  const newer = d.atMs >= alert.lastSeenMs;
  const severity = maxSeverity(alert.severity, d.severity);
  const merged: Alert = {
    ...alert,
    count: alert.count + 1,
    firstSeenMs: Math.min(alert.firstSeenMs, d.atMs),
    lastSeenMs: Math.max(alert.lastSeenMs, d.atMs),
    severity,
    deadlineMs: Math.min(alert.deadlineMs, deadlineOf(alert.createdMs, severity, policy)),
    version: alert.version + 1,
    updatedMs: nowMs,
  };
  if (newer) {
    merged.evidence = d.evidence;
    merged.carId = d.carId ?? alert.carId;
    merged.plate = d.plate ?? alert.plate;
    if (d.position) {
      merged.lon = d.position.lon;
      merged.lat = d.position.lat;
      merged.dongCode = d.place?.dongCode ?? null;
      merged.dongName = d.place?.dongName ?? null;
      merged.districtCode = d.place?.districtCode ?? null;
      merged.districtName = d.place?.districtName ?? null;
    }
  }
  return merged;
}

/** The escalated alert when it is unacknowledged past its deadline, else null. */
export function escalateIfDue(alert: Alert, nowMs: number): Alert | null {
  if (alert.status !== 'new' || alert.escalated || nowMs < alert.deadlineMs) return null;
  return { ...alert, escalated: true, version: alert.version + 1, updatedMs: nowMs };
}

/** From which statuses each command may be applied. */
export const COMMAND_FROM: Readonly<Record<AlertCommandName, readonly AlertStatus[]>> = {
  ack: ['new'],
  dispatch: ['acknowledged'],
  resolve: ['new', 'acknowledged', 'dispatched'],
  assign: ['new', 'acknowledged', 'dispatched'],
  comment: ['new', 'acknowledged', 'dispatched', 'resolved'],
};

const VERB: Readonly<Record<AlertCommandName, string>> = {
  ack: 'acknowledge',
  dispatch: 'dispatch',
  resolve: 'resolve',
  assign: 'assign',
  comment: 'comment on',
};

export const COMMAND_AUDIT_ACTION: Readonly<Record<AlertCommandName, AuditAction>> = {
  ack: 'alert.ack',
  assign: 'alert.assign',
  comment: 'alert.comment',
  dispatch: 'alert.dispatch',
  resolve: 'alert.resolve',
};

/** A comment the store has not saved yet; the store assigns its id. */
export type CommentDraft = Omit<AlertComment, 'id'>;

export interface CommandEffect {
  alert: Alert;
  /** false when the command asked for what already is (assigning the current assignee). */
  changed: boolean;
  /** The comment a `comment` command adds (the alert only counts it). */
  comment?: CommentDraft;
}

export type AnyAlertCommand = {
  [N in AlertCommandName]: { name: N; body: AlertCommand<N> };
}[AlertCommandName];

/**
 * Applies a person's command. The caller has checked the role against the matrix; this checks the
 * version, the transition, and who may be assigned by whom.
 */
export function applyCommand(
  alert: Alert,
  command: AnyAlertCommand,
  actor: Actor,
  nowMs: number,
): Outcome<CommandEffect> {
  const version = command.body.version;
  if (version !== undefined && version !== alert.version) {
    return fail(
      HTTP.conflict,
      'stale_version',
      `alert ${alert.id} is at version ${alert.version}, the ${command.name} was for version ${version}: reload and try again`,
    );
  }
  if (!COMMAND_FROM[command.name].includes(alert.status)) {
    return fail(
      HTTP.conflict,
      'illegal_transition',
      `cannot ${VERB[command.name]} alert ${alert.id}: it is ${alert.status}` +
        (command.name === 'dispatch' && alert.status === 'new' ? ' (acknowledge it first)' : ''),
    );
  }
  const next: Alert = { ...alert, version: alert.version + 1, updatedMs: nowMs };
  switch (command.name) {
    case 'ack':
      return ok({
        alert: {
          ...next,
          status: 'acknowledged',
          acknowledgedBy: actor.username,
          acknowledgedAtMs: nowMs,
        },
        changed: true,
      });
    case 'dispatch':
      return ok({
        alert: {
          ...next,
          status: 'dispatched',
          dispatchedBy: actor.username,
          dispatchedAtMs: nowMs,
        },
        changed: true,
      });
    case 'resolve':
      return ok({
        alert: {
          ...next,
          status: 'resolved',
          resolvedBy: actor.username,
          resolvedAtMs: nowMs,
          resolution: command.body.resolution,
          resolutionNote: command.body.note || null,
        },
        changed: true,
      });
    case 'assign': {
      const refused = authorizeAssign(actor, command.body.username, alert.assignee);
      if (refused) return { ok: false, error: refused };
      if (command.body.username === alert.assignee) return ok({ alert, changed: false });
      return ok({ alert: { ...next, assignee: command.body.username }, changed: true });
    }
    case 'comment':
      // A cap per alert: with the rate limit it bounds what one alert's history can grow to.
      if (alert.commentCount >= MAX_COMMENTS_PER_ALERT) {
        return fail(
          HTTP.conflict,
          'conflict',
          `alert ${alert.id} has ${alert.commentCount} comments, the most one alert may hold (${MAX_COMMENTS_PER_ALERT})`,
        );
      }
      return ok({
        alert: { ...next, commentCount: alert.commentCount + 1 },
        changed: true,
        comment: { alertId: alert.id, by: actor.username, atMs: nowMs, text: command.body.text },
      });
  }
}

/**
 * What the audit trail keeps of an alert: its lifecycle, not its evidence. Personal data must not
 * reach the audit table, where reading it would bypass the audited unmask.
 */
export function alertAuditView(alert: Alert): Record<string, unknown> {
  const { evidence: _evidence, maskedFields: _masked, seq: _seq, ...rest } = alert;
  return rest;
}
