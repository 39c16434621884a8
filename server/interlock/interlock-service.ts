/**
 * Interlock violations on the relay: stores device events (once each), turns them and overdue
 * dates into violations through the pure rules, raises an INTERLOCK alert in the inbox for each
 * major one (through the alert service, so it is merged, audited and pushed like any alert).
 * Every change goes through the change feed (server/changes/change-feed.ts), which delivers it and
 * catches clients up; this file says which violations a snapshot holds.
 *
 * Events, their violations and the violations' audit events commit in one transaction. The inbox
 * alert follows in its own; a major violation without its alert (a crash in between) gets it on
 * the next ingest or check, because alert sources are idempotent.
 */
import type { Kysely } from 'kysely';
import type { Alert } from '../../shared/alerts';
import { SYSTEM_ACTOR } from '../../shared/audit';
import type { StoreKind } from '../../shared/events';
import type {
  InterlockMasterData,
  Violation,
  ViolationGrade,
  ViolationListQuery,
  ViolationRule,
} from '../../shared/interlock';
import type { TopicRow } from '../../shared/topics';
import type { ChangeFeed, ChangeTransaction } from '../changes/change-feed';
import type { Detection, Place, Position } from '../domain/alert-rules';
import { maskViolation, unmaskedViolation } from '../domain/interlock-masking';
import {
  alertSeverityOf,
  deviceDatesAfter,
  initialStatus,
  normaliseToken,
  RULE_GRADES,
  overdueViolations,
  violationOfEvent,
  type ViolationDraft,
} from '../domain/interlock-rules';
import {
  fulfils,
  recalibrationRequestOf,
  DEFAULT_RECALIBRATION_DUE_DAYS,
} from '../domain/interlock-calibration';
import {
  DEFAULT_MONITORING_REPEAT_COUNT,
  DEFAULT_MONITORING_WINDOW_DAYS,
  escalationOf,
  type MonitoringPolicy,
} from '../domain/interlock-monitoring';
import { fail, HTTP, ok, type Outcome } from '../domain/outcome';
import { authorize, type Actor } from '../domain/permissions';
import { appendAudit } from '../store/audit-repository';
import {
  findDevices,
  fulfilCalibrationRequest,
  insertCalibrationRequest,
  lastEscalationSince,
  minorViolationsSince,
  openCalibrationRequests,
  type MonitoringKey,
  findViolation,
  findViolations,
  findViolationsBySourceKeys,
  insertEvents,
  insertViolation,
  listDeviceDueStates,
  listViolations,
  setViolationAlert,
  updateDeviceDates,
  upsertMasterData,
  type DeviceRecord,
  type StoredViolation,
} from '../store/interlock-repository';
import type { Database } from '../store/schema';

const MS_PER_DAY = 86_400_000;
/** Patterns raised per subject in one pass (a backlog of minors escalates over a few passes). */
const MAX_ESCALATIONS_PER_PASS = 10;

/** The rules' settings (server/config.ts: MONITORING_*, RECALIBRATION_DUE_DAYS). */
export interface InterlockPolicy extends MonitoringPolicy {
  recalibrationDueDays: number;
}
export const DEFAULT_INTERLOCK_POLICY: InterlockPolicy = {
  repeatCount: DEFAULT_MONITORING_REPEAT_COUNT,
  windowMs: DEFAULT_MONITORING_WINDOW_DAYS * MS_PER_DAY,
  recalibrationDueDays: DEFAULT_RECALIBRATION_DUE_DAYS,
};

/** Major violations linked to their alert per run (a backlog is worked off run by run). */
const ALERT_LINK_BATCH = 200;
/** A snapshot holds the newest this many violations, plus every unfinished major one. */
export const SNAPSHOT_NEWEST_VIOLATIONS = 200;
const SNAPSHOT_UNFINISHED_MAX = 5000;
/** The alert source id of a violation's inbox alert. */
export const alertSourceOf = (sourceKey: string) => `interlock_violation:${sourceKey}`;

export interface InterlockServiceOptions {
  db: Kysely<Database>;
  /** Every change is written through it; the service defines the `violation` entity on it. */
  feed: ChangeFeed;
  kind: StoreKind;
  /** The inbox: `AlertService.ingest`. */
  raiseAlerts: (detections: Detection[], nowMs: number) => Promise<Alert[]>;
  /** The live position of a vehicle, when the fleet knows it. */
  positionOf: (carId: string) => Position | null;
  placeAt: (lon: number, lat: number) => Place | null;
  onViolationCreated?: (rule: ViolationRule, grade: ViolationGrade) => void;
  policy?: InterlockPolicy;
  now?: () => number;
}

/** What an audit event keeps of a violation: never the subject's personal data. */
export function violationAuditView(v: Violation | StoredViolation['violation']) {
  return {
    rule: v.rule,
    grade: v.grade,
    status: v.status,
    version: v.version,
    deviceId: v.device.deviceId,
    subjectId: v.subject?.subjectId ?? null,
    plate: v.plate,
    occurredMs: v.occurredMs,
    bac: v.bac,
    evidenceEventIds: v.evidenceEventIds,
  };
}

export class InterlockService {
  private readonly db: Kysely<Database>;
  private readonly now: () => number;
  readonly policy: InterlockPolicy;

  constructor(private readonly options: InterlockServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
    this.policy = options.policy ?? DEFAULT_INTERLOCK_POLICY;
    options.feed.define('violation', {
      load: (db, ids) => findViolations(db, ids),
      snapshot: async (db) => [
        ...(await listViolations(db, { limit: SNAPSHOT_NEWEST_VIOLATIONS })),
        ...(await listViolations(db, {
          grade: ['major'],
          status: ['open', 'dispatching'],
          limit: SNAPSHOT_UNFINISHED_MAX,
        })),
      ],
      // The subject's personal data is masked for every role (unmask reveals one record).
      mask: (violation) => maskViolation(violation),
    });
  }

  /** Resolves when every change written so far is delivered. */
  drain(): Promise<void> {
    return this.options.feed.drain();
  }

  saveMasterData(data: InterlockMasterData, nowMs: number = this.now()): Promise<void> {
    return upsertMasterData(this.db, this.options.kind, data, nowMs);
  }

  /** Stores a batch of device events and derives their violations; returns the new ones. */
  async ingest(rows: readonly TopicRow<'interlock_event'>[], nowMs: number): Promise<Violation[]> {
    if (rows.length === 0) return [];
    const created = await this.options.feed.transact(async (tx) => {
      const fresh = await insertEvents(tx.db, rows, nowMs);
      const freshRows = rows
        .filter((r) => fresh.has(r.event_id))
        .sort((a, b) => a.occurred_at - b.occurred_at);
      const devices = await findDevices(
        tx.db,
        freshRows.map((r) => r.device_id),
      );
      await this.moveDeviceDates(tx.db, devices, freshRows, nowMs);
      const drafts: ViolationDraft[] = [];
      for (const row of freshRows) {
        const draft = violationOfEvent(row);
        if (draft) drafts.push(draft);
      }
      await this.followCalibrations(tx, freshRows, devices, nowMs);
      const ids = await this.insertDrafts(tx, drafts, devices, nowMs);
      return [...ids, ...(await this.escalate(tx, drafts, devices, nowMs))];
    });
    await this.linkAlerts(nowMs);
    return findViolations(this.db, created);
  }

  /**
   * Overdue calibrations and log submissions at `nowMs` (the plugin calls it every minute).
   * Returns the violations that are new.
   */
  async checkOverdue(nowMs: number = this.now()): Promise<Violation[]> {
    const drafts = (await listDeviceDueStates(this.db)).flatMap((d) => overdueViolations(d, nowMs));
    const known = new Set(
      (
        await findViolationsBySourceKeys(
          this.db,
          drafts.map((d) => d.sourceKey),
        )
      ).map((v) => v.sourceKey),
    );
    const fresh = drafts.filter((d) => !known.has(d.sourceKey));
    // A violation found twice (a redelivery, another relay) is inserted once: source keys are unique.
    const created =
      fresh.length === 0
        ? []
        : await this.options.feed.transact(async (tx) => {
            const devices = await findDevices(
              tx.db,
              fresh.map((d) => d.deviceId),
            );
            const ids = await this.insertDrafts(tx, fresh, devices, nowMs);
            return [...ids, ...(await this.escalate(tx, fresh, devices, nowMs))];
          });
    await this.linkAlerts(nowMs);
    return findViolations(this.db, created);
  }

  /** Unmasked: callers mask before anything leaves the relay. */
  async get(id: number): Promise<Violation | undefined> {
    return (await findViolation(this.db, id))?.violation;
  }

  /** Unmasked, with the natural key the hand-off's idempotency key derives from. */
  getStored(id: number): Promise<StoredViolation | undefined> {
    return findViolation(this.db, id);
  }

  /** Unmasked: callers mask before anything leaves the relay. */
  list(query: ViolationListQuery): Promise<Violation[]> {
    return listViolations(this.db, query);
  }

  /** The record with the subject's personal data, for a role that may unmask; audited. */
  async unmask(actor: Actor, id: number): Promise<Outcome<Violation>> {
    const refused = authorize(actor.role, 'pii.unmask');
    if (refused) return { ok: false, error: refused };
    const stored = await findViolation(this.db, id);
    if (!stored) return fail(HTTP.notFound, 'not_found', `no violation ${id}`);
    await appendAudit(this.db, {
      atMs: this.now(),
      actor: actor.username,
      actorRole: actor.role,
      action: 'pii.unmask',
      entityType: 'violation',
      entityId: String(id),
      // Which fields were revealed, never their values.
      after: { fields: maskViolation(stored.violation).maskedFields },
    });
    return ok(unmaskedViolation(stored.violation));
  }

  private async moveDeviceDates(
    trx: Kysely<Database>,
    devices: Map<string, DeviceRecord>,
    rows: readonly TopicRow<'interlock_event'>[],
    nowMs: number,
  ): Promise<void> {
    const dates = new Map<
      string,
      {
        lastCalibrationMs: number | null;
        lastLogSubmittedMs: number | null;
        lastEventMs: number | null;
      }
    >();
    const later = (a: number | null, b: number | undefined) =>
      b === undefined ? a : a === null ? b : Math.max(a, b);
    for (const row of rows) {
      if (!devices.has(row.device_id)) continue;
      const current = dates.get(row.device_id) ?? {
        lastCalibrationMs: null,
        lastLogSubmittedMs: null,
        lastEventMs: null,
      };
      const moved = deviceDatesAfter(row);
      dates.set(row.device_id, {
        lastCalibrationMs: later(current.lastCalibrationMs, moved.lastCalibrationMs),
        lastLogSubmittedMs: later(current.lastLogSubmittedMs, moved.lastLogSubmittedMs),
        lastEventMs: later(current.lastEventMs, row.occurred_at),
      });
    }
    for (const [deviceId, after] of dates) {
      await updateDeviceDates(trx, devices.get(deviceId)!, after, nowMs);
    }
  }

  /**
   * Closer monitoring (server/domain/interlock-monitoring.ts): for each subject (or device without
   * one) that just got a minor violation, raises a repeated pattern to one major `repeated_minor`
   * violation. Its source key names the minor that completed the pattern, so a second look (a
   * redelivery, another relay) finds it stored. Returns the new violations' ids.
   */
  private async escalate(
    tx: ChangeTransaction,
    drafts: readonly ViolationDraft[],
    devices: Map<string, DeviceRecord>,
    nowMs: number,
  ): Promise<number[]> {
    const keys = new Map<string, MonitoringKey>();
    for (const d of drafts) {
      if (d.grade !== 'minor') continue;
      const subjectId = devices.get(d.deviceId)?.subjectId ?? null;
      const key: MonitoringKey = subjectId ? { subjectId } : { deviceId: d.deviceId };
      keys.set(subjectId ?? `device:${d.deviceId}`, key);
    }
    const ids: number[] = [];
    const sinceMs = nowMs - this.policy.windowMs;
    for (const [name, key] of keys) {
      const minors = await minorViolationsSince(tx.db, key, sinceMs);
      let last = await lastEscalationSince(tx.db, key, sinceMs);
      for (let pass = 0; pass < MAX_ESCALATIONS_PER_PASS; pass++) {
        const escalation = escalationOf(name, minors, last, nowMs, this.policy);
        if (!escalation) break;
        const completing = minors.find(
          (m) => m.violationId === escalation.minorViolationIds.at(-1),
        )!;
        const draft: ViolationDraft = {
          sourceKey: escalation.sourceKey,
          rule: 'repeated_minor',
          grade: RULE_GRADES.repeated_minor,
          deviceId: completing.deviceId,
          occurredMs: escalation.occurredMs,
          bac: null,
          lon: null,
          lat: null,
          evidenceEventIds: escalation.evidenceEventIds,
        };
        const known = devices.has(draft.deviceId)
          ? devices
          : await findDevices(tx.db, [draft.deviceId]);
        ids.push(...(await this.insertDrafts(tx, [draft], known, nowMs)));
        last = escalation.occurredMs;
      }
    }
    return ids;
  }

  /**
   * Calibration results (seed P-04): a failed calibration opens a re-calibration request due
   * `recalibrationDueDays` later; a later pass of the same device fulfils the open ones. Both
   * audited (system), in the events' transaction.
   */
  private async followCalibrations(
    tx: ChangeTransaction,
    rows: readonly TopicRow<'interlock_event'>[],
    devices: Map<string, DeviceRecord>,
    nowMs: number,
  ): Promise<void> {
    const results = rows
      .filter((r) => normaliseToken(r.event_type) === 'calibration')
      .map((r) => ({
        eventId: r.event_id,
        deviceId: r.device_id,
        occurredMs: r.occurred_at,
        passed: normaliseToken(r.result) !== 'fail',
      }));
    if (results.length === 0) return;
    const audit = (
      action: 'calibration.request' | 'calibration.fulfil',
      id: number,
      after: object,
    ) =>
      appendAudit(tx.db, {
        atMs: nowMs,
        actor: SYSTEM_ACTOR,
        actorRole: 'system',
        action,
        entityType: 'calibration_request',
        entityId: String(id),
        after,
      });
    for (const result of results) {
      const request = recalibrationRequestOf(result, this.policy.recalibrationDueDays);
      if (request) {
        const id = await insertCalibrationRequest(
          tx.db,
          { ...request, subjectId: devices.get(result.deviceId)?.subjectId ?? null },
          nowMs,
        );
        if (id !== null) {
          await audit('calibration.request', id, {
            deviceId: request.deviceId,
            failedEventId: request.failedEventId,
            dueMs: request.dueMs,
          });
        }
        continue;
      }
      for (const open of await openCalibrationRequests(tx.db, [result.deviceId])) {
        if (!fulfils(open, result)) continue;
        if (
          await fulfilCalibrationRequest(tx.db, open.id, result.occurredMs, result.eventId, nowMs)
        ) {
          await audit('calibration.fulfil', open.id, {
            deviceId: open.deviceId,
            passedEventId: result.eventId,
          });
        }
      }
    }
  }

  /** Inserts the drafts that are new (audited); returns their ids. */
  private async insertDrafts(
    tx: ChangeTransaction,
    drafts: readonly ViolationDraft[],
    devices: Map<string, DeviceRecord>,
    nowMs: number,
  ): Promise<number[]> {
    const ids: number[] = [];
    for (const draft of drafts) {
      const device = devices.get(draft.deviceId);
      const located =
        draft.lon !== null && draft.lat !== null ? { lon: draft.lon, lat: draft.lat } : null;
      // An event without a position is placed where the device's car was last seen.
      const position =
        located ??
        (draft.evidenceEventIds.length > 0 && device?.carId
          ? this.options.positionOf(device.carId)
          : null);
      const place = position ? this.options.placeAt(position.lon, position.lat) : null;
      const id = await insertViolation(
        tx.db,
        {
          ...draft,
          lon: position?.lon ?? null,
          lat: position?.lat ?? null,
          subjectId: device?.subjectId ?? null,
          carId: device?.carId ?? null,
          plate: device?.plate ?? null,
          dongName: place?.dongName ?? null,
          districtName: place?.districtName ?? null,
          status: initialStatus(draft.grade),
        },
        nowMs,
      );
      if (id === null) continue; // a redelivery: this evidence made its violation already
      const stored = await findViolation(tx.db, id);
      const seq = await tx.audit({
        atMs: nowMs,
        actor: SYSTEM_ACTOR,
        actorRole: 'system',
        action: 'violation.create',
        entityType: 'violation',
        entityId: String(id),
        after: stored ? { ...violationAuditView(stored.violation), source: draft.sourceKey } : null,
      });
      if (stored) tx.remember({ entity: 'violation', record: stored.violation, seq });
      this.options.onViolationCreated?.(draft.rule, draft.grade);
      ids.push(id);
    }
    return ids;
  }

  /** Gives every major violation without one its INTERLOCK alert, and links it. */
  private async linkAlerts(nowMs: number): Promise<void> {
    const unlinked = await this.db
      .selectFrom('interlock_violation')
      .select(['id', 'source_key'])
      .where('grade', '=', 'major')
      .where('alert_id', 'is', null)
      .orderBy('id')
      .limit(ALERT_LINK_BATCH)
      .execute();
    if (unlinked.length === 0) return;
    const violations: StoredViolation[] = [];
    for (const row of unlinked) {
      const stored = await findViolation(this.db, Number(row.id));
      if (stored) violations.push(stored);
    }
    await this.options.raiseAlerts(
      violations.map((v) => this.detectionOf(v)),
      nowMs,
    );
    // The alert service records which alert each source went into (also when it had been
    // raised before a crash): link from there.
    const sources = await this.db
      .selectFrom('alert_source')
      .select(['source_id', 'alert_id'])
      .where(
        'source_id',
        'in',
        violations.map((v) => alertSourceOf(v.sourceKey)),
      )
      .execute();
    const alertBySource = new Map(sources.map((s) => [s.source_id, Number(s.alert_id)]));
    const links = violations.flatMap(({ violation, sourceKey }) => {
      const alertId = alertBySource.get(alertSourceOf(sourceKey));
      return alertId === undefined ? [] : [{ violation, alertId }];
    });
    if (links.length === 0) return;
    await this.options.feed.transact(async (tx) => {
      for (const { violation, alertId } of links) {
        // Changed meanwhile (a hand-off moved it on): the next run links it.
        if (!(await setViolationAlert(tx.db, violation.id, alertId, violation.version))) continue;
        await tx.audit({
          atMs: nowMs,
          actor: SYSTEM_ACTOR,
          actorRole: 'system',
          action: 'violation.link',
          entityType: 'violation',
          entityId: String(violation.id),
          after: { alertId, version: violation.version + 1 },
        });
      }
    });
  }

  private detectionOf({ violation: v, sourceKey }: StoredViolation): Detection {
    const position = v.lon !== null && v.lat !== null ? { lon: v.lon, lat: v.lat } : null;
    return {
      sourceId: alertSourceOf(sourceKey),
      type: 'INTERLOCK',
      severity: alertSeverityOf(v.rule),
      atMs: v.occurredMs,
      // One alert per violation: each is its own TCS case, so repeats must not merge away.
      vehicleKey: `interlock:${v.id}`,
      carId: v.carId,
      plate: v.plate,
      position,
      place: position ? this.options.placeAt(position.lon, position.lat) : null,
      evidence: {
        type: 'INTERLOCK',
        violationId: String(v.id),
        deviceId: v.device.deviceId,
        rule: v.rule,
        bac: v.bac,
      },
    };
  }
}
