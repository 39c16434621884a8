/**
 * The interlock registry on the relay (seed 001 §4, docs/INTERLOCK-REGISTRY.md): refreshes the
 * relay's installers, subjects and devices from the interlock system's tables (on a schedule, at
 * start and when an admin asks), imports a registry file (CSV) with a validation report, and lists
 * subjects and devices with their obligations, calibration, log, open violations and monitoring.
 * Refreshes and imports are audited (counts only, never personal data); listings are masked.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { SYSTEM_ACTOR } from '../../shared/audit';
import type { StoreKind } from '../../shared/events';
import type { InterlockDevice, InterlockMasterData } from '../../shared/interlock';
import {
  MAX_REPORTED_PROBLEMS,
  registryImportBodySchema,
  registryImportQuerySchema,
  registryListQuerySchema,
  type RecalibrationRequestView,
  type RegistryDeviceView,
  type RegistryImportReport,
  type RegistryKind,
  type RegistryRefreshResult,
  type RegistryRowProblem,
  type RegistryStatus,
  type RegistrySubjectView,
} from '../../shared/registry';
import { calibrationNotice, requestStanding } from '../domain/interlock-calibration';
import { maskIdentifier, maskName } from '../domain/masking';
import { monitoringState, type MonitoringPolicy } from '../domain/interlock-monitoring';
import { logDueMs } from '../domain/interlock-rules';
import { fail, HTTP, ok, zodMessage, type Outcome } from '../domain/outcome';
import { authorize, type Actor } from '../domain/permissions';
import { appendAudit } from '../store/audit-repository';
import {
  findDevices,
  listDeviceDueStates,
  listRegistryDevices,
  listRegistrySubjects,
  monitoringCounts,
  openCalibrationRequests,
  openViolationCounts,
  registryCounts,
  upsertMasterData,
  type RegistryDeviceRow,
  type StoredCalibrationRequest,
} from '../store/interlock-repository';
import type { Database } from '../store/schema';
import { readRegistryCsv } from './registry-csv';
import {
  checkDevices,
  checkOperators,
  checkSubjects,
  type NumberedRow,
  type RowsChecked,
} from './registry-rows';
import { readRegistryTables } from './registry-tables';

const MS_PER_DAY = 86_400_000;

export interface RegistryPolicy extends MonitoringPolicy {
  noticeDays: number;
  recalibrationDueDays: number;
}

export interface RegistryServiceOptions {
  db: Kysely<Database>;
  kind: StoreKind;
  policy: RegistryPolicy;
  refreshIntervalMs: number;
  /** Rows the relay could not use are logged here (ids and reasons; never personal data). */
  warn: (details: object, message: string) => void;
  now?: () => number;
}

/** Subject fields hidden in every listing (personal data; the violation unmask reveals them). */
function maskSubject<
  T extends { name: string; licenceNumber: string | null; phone: string | null },
>(subject: T): T & { maskedFields: string[] } {
  const maskedFields = ['name'];
  if (subject.licenceNumber !== null) maskedFields.push('licenceNumber');
  if (subject.phone !== null) maskedFields.push('phone');
  return {
    ...subject,
    name: maskName(subject.name),
    licenceNumber: subject.licenceNumber === null ? null : maskIdentifier(subject.licenceNumber),
    phone: subject.phone === null ? null : maskIdentifier(subject.phone),
    maskedFields,
  };
}

export class RegistryService {
  private readonly db: Kysely<Database>;
  private readonly now: () => number;
  private lastRefresh: RegistryRefreshResult | null = null;
  /** The content of the last refresh this relay stored: an unchanged registry is not rewritten. */
  private lastDigest: string | null = null;
  private refreshing: Promise<RegistryRefreshResult> | null = null;

  constructor(private readonly options: RegistryServiceOptions) {
    this.db = options.db;
    this.now = options.now ?? Date.now;
  }

  get policy(): RegistryPolicy {
    return this.options.policy;
  }

  /**
   * Reads the registry tables and stores what they hold. One refresh at a time on this relay (a
   * second caller gets the running one). `actor` is the admin who asked; audited when asked for,
   * at start, or when the registry changed.
   */
  refresh(
    trigger: RegistryRefreshResult['trigger'],
    actor: Actor | null = null,
  ): Promise<RegistryRefreshResult> {
    this.refreshing ??= this.runRefresh(trigger, actor).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** The admin's refresh: `settings.manage`. */
  async refreshAsAdmin(actor: Actor): Promise<Outcome<RegistryRefreshResult>> {
    const refused = authorize(actor.role, 'settings.manage');
    if (refused) return { ok: false, error: refused };
    return ok(await this.refresh('admin', actor));
  }

  private async runRefresh(
    trigger: RegistryRefreshResult['trigger'],
    actor: Actor | null,
  ): Promise<RegistryRefreshResult> {
    const atMs = this.now();
    let result: RegistryRefreshResult;
    try {
      const tables = await readRegistryTables(this.db);
      const digest = createHash('sha256').update(JSON.stringify(tables)).digest('hex');
      const changed = digest !== this.lastDigest;
      const { data, skipped, problems } = await this.check(tables, atMs);
      if (problems.length > 0) {
        this.options.warn(
          { problems: problems.slice(0, MAX_REPORTED_PROBLEMS), skipped },
          'registry rows skipped',
        );
      }
      if (changed) await this.store(data, atMs);
      this.lastDigest = digest;
      result = {
        atMs,
        ok: true,
        operators: data.operators.length,
        subjects: data.subjects.length,
        devices: data.devices.length,
        skipped,
        error: null,
        trigger,
      };
      if (changed || trigger !== 'schedule') await this.auditRefresh(result, actor);
    } catch (error) {
      result = {
        atMs,
        ok: false,
        operators: 0,
        subjects: 0,
        devices: 0,
        skipped: 0,
        error: (error as Error).message,
        trigger,
      };
      this.options.warn({ err: error }, 'registry refresh failed');
    }
    this.lastRefresh = result;
    return result;
  }

  private async auditRefresh(result: RegistryRefreshResult, actor: Actor | null): Promise<void> {
    await appendAudit(this.db, {
      atMs: result.atMs,
      actor: actor?.username ?? SYSTEM_ACTOR,
      actorRole: actor?.role ?? 'system',
      action: 'registry.refresh',
      entityType: 'registry',
      entityId: null,
      after: {
        trigger: result.trigger,
        operators: result.operators,
        subjects: result.subjects,
        devices: result.devices,
        skipped: result.skipped,
      },
    });
  }

  /** Checks table rows in dependency order: devices may name the operators and subjects read. */
  private async check(
    tables: { operators: NumberedRow[]; subjects: NumberedRow[]; devices: NumberedRow[] },
    nowMs: number,
  ): Promise<{ data: InterlockMasterData; skipped: number; problems: object[] }> {
    const operators = checkOperators(tables.operators);
    const subjects = checkSubjects(tables.subjects);
    const known = await this.knownIds();
    for (const o of operators.accepted) known.operators.add(o.operatorId);
    for (const s of subjects.accepted) known.subjects.add(s.subjectId);
    const devices = checkDevices(tables.devices, known, nowMs);
    const named = (table: string, checked: RowsChecked<unknown>) =>
      checked.problems.map((p) => ({ table, row: p.line, column: p.column, reason: p.reason }));
    return {
      data: {
        operators: operators.accepted,
        subjects: subjects.accepted,
        devices: devices.accepted,
      },
      skipped: operators.refusedRows + subjects.refusedRows + devices.refusedRows,
      problems: [
        ...named('registry_operator', operators),
        ...named('registry_user', subjects),
        ...named('registry_device', devices),
      ],
    };
  }

  private async knownIds(): Promise<{ subjects: Set<string>; operators: Set<string> }> {
    const subjects = await this.db.selectFrom('interlock_subject').select('subject_id').execute();
    const operators = await this.db
      .selectFrom('interlock_operator')
      .select('operator_id')
      .execute();
    return {
      subjects: new Set(subjects.map((s) => s.subject_id)),
      operators: new Set(operators.map((o) => o.operator_id)),
    };
  }

  /**
   * Stores checked master data. A device first seen without a log date counts its monthly log
   * from now: the registry does not say when its last log was, and calling every such device
   * overdue on the first day would bury the real ones (the device log stream moves it on).
   */
  private async store(data: InterlockMasterData, nowMs: number): Promise<void> {
    const stored = await findDevices(
      this.db,
      data.devices.filter((d) => d.lastLogSubmittedMs === null).map((d) => d.deviceId),
    );
    const devices: InterlockDevice[] = data.devices.map((d) =>
      d.lastLogSubmittedMs === null && !stored.has(d.deviceId)
        ? { ...d, lastLogSubmittedMs: nowMs }
        : d,
    );
    await upsertMasterData(this.db, this.options.kind, { ...data, devices }, nowMs);
  }

  /**
   * `POST /api/registry/import?kind=` (admins: `settings.manage`). Accepted rows are stored,
   * refused ones are reported per line and column; the file as a whole is refused (400) when it
   * cannot be read. Audited with the counts.
   */
  async importCsv(
    actor: Actor,
    query: unknown,
    body: unknown,
  ): Promise<Outcome<RegistryImportReport>> {
    const refused = authorize(actor.role, 'settings.manage');
    if (refused) return { ok: false, error: refused };
    const parsed = registryImportQuerySchema.safeParse(query);
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    let text: string;
    let fileName = parsed.data.fileName;
    if (typeof body === 'string') {
      text = body;
    } else {
      const json = registryImportBodySchema.safeParse(body);
      if (!json.success) {
        return fail(
          HTTP.badRequest,
          'bad_request',
          'the body must be the CSV file (text/csv) or {csv, fileName?}',
        );
      }
      text = json.data.csv;
      fileName = json.data.fileName ?? fileName;
    }
    if (text.trim() === '') return fail(HTTP.badRequest, 'bad_request', 'the file is empty');
    const { kind } = parsed.data;
    const read = readRegistryCsv(text, kind);
    if (!read.ok) return fail(HTTP.badRequest, 'bad_request', read.reason);
    const atMs = this.now();
    const checked = await this.checkKind(kind, read.rows, atMs);
    const problems: RegistryRowProblem[] = [...read.problems, ...checked.problems].sort(
      (a, b) => a.line - b.line,
    );
    const data: InterlockMasterData = { operators: [], subjects: [], devices: [] };
    if (kind === 'operators') data.operators = checked.accepted as InterlockMasterData['operators'];
    if (kind === 'subjects') data.subjects = checked.accepted as InterlockMasterData['subjects'];
    if (kind === 'devices') data.devices = checked.accepted as InterlockMasterData['devices'];
    if (checked.accepted.length > 0) await this.store(data, atMs);
    const report: RegistryImportReport = {
      kind,
      fileName: fileName ?? null,
      rows: read.rows.length + read.refusedRows,
      accepted: checked.accepted.length,
      refused: read.refusedRows + checked.refusedRows,
      problems: problems.slice(0, MAX_REPORTED_PROBLEMS),
      problemsTruncated: problems.length > MAX_REPORTED_PROBLEMS,
      ignoredColumns: read.ignoredColumns,
      atMs,
      by: actor.username,
    };
    await appendAudit(this.db, {
      atMs,
      actor: actor.username,
      actorRole: actor.role,
      action: 'registry.import',
      entityType: 'registry',
      entityId: kind,
      // Counts and where the problems were, never the values (they may be personal data).
      after: {
        fileName: report.fileName,
        rows: report.rows,
        accepted: report.accepted,
        refused: report.refused,
        refusedLines: [...new Set(problems.map((p) => p.line))].slice(0, MAX_REPORTED_PROBLEMS),
      },
    });
    return ok(report);
  }

  private async checkKind(
    kind: RegistryKind,
    rows: NumberedRow[],
    nowMs: number,
  ): Promise<RowsChecked<unknown>> {
    switch (kind) {
      case 'operators':
        return checkOperators(rows);
      case 'subjects':
        return checkSubjects(rows);
      case 'devices':
        return checkDevices(rows, await this.knownIds(), nowMs);
    }
  }

  // ── Listings ─────────────────────────────────────────────────────────────────────────────────

  private requestView(r: StoredCalibrationRequest, nowMs: number): RecalibrationRequestView {
    return {
      id: r.id,
      deviceId: r.deviceId,
      failedMs: r.failedMs,
      dueMs: r.dueMs,
      fulfilledMs: r.fulfilledMs,
      standing: requestStanding(r, nowMs),
    };
  }

  private deviceView(
    d: RegistryDeviceRow,
    openViolations: Map<string, number>,
    requests: Map<string, StoredCalibrationRequest>,
    nowMs: number,
  ): RegistryDeviceView {
    const notice = calibrationNotice(
      d.lastCalibrationMs,
      d.installMs,
      nowMs,
      this.options.policy.noticeDays,
    );
    const logDue = logDueMs({
      deviceId: d.deviceId,
      installMs: d.installMs,
      lastCalibrationMs: d.lastCalibrationMs,
      lastLogSubmittedMs: d.lastLogSubmittedMs,
      obligationStartMs: null,
      obligationEndMs: null,
    });
    const request = requests.get(d.deviceId);
    return {
      ...d,
      calibrationDueMs: notice.dueMs,
      calibration: notice.standing,
      logDueMs: logDue,
      logOverdue: nowMs > logDue,
      openViolations: openViolations.get(d.deviceId) ?? 0,
      recalibration: request ? this.requestView(request, nowMs) : null,
    };
  }

  private async newestRequests(
    deviceIds: readonly string[] | null,
  ): Promise<Map<string, StoredCalibrationRequest>> {
    // Oldest first: the last one per device wins.
    const open = await openCalibrationRequests(this.db, deviceIds);
    return new Map(open.map((r) => [r.deviceId, r]));
  }

  /** `GET /api/registry/devices` */
  async listDevices(query: unknown): Promise<Outcome<RegistryDeviceView[]>> {
    const parsed = registryListQuerySchema.safeParse(query ?? {});
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const nowMs = this.now();
    const rows = await listRegistryDevices(this.db, { limit: parsed.data.limit });
    const counts = await openViolationCounts(this.db, 'device_id');
    const requests = await this.newestRequests(rows.map((d) => d.deviceId));
    return ok(rows.map((d) => this.deviceView(d, counts, requests, nowMs)));
  }

  /** `GET /api/registry/subjects` (masked); `flagged=true`: only those under closer monitoring. */
  async listSubjects(query: unknown): Promise<Outcome<RegistrySubjectView[]>> {
    const parsed = registryListQuerySchema.safeParse(query ?? {});
    if (!parsed.success) return fail(HTTP.badRequest, 'bad_request', zodMessage(parsed.error));
    const nowMs = this.now();
    const { windowMs } = this.options.policy;
    const monitoring = await monitoringCounts(this.db, nowMs - windowMs);
    const flaggedIds = [...monitoring].filter(([, m]) => m.minors.length > 0).map(([id]) => id);
    const subjects = await listRegistrySubjects(
      this.db,
      parsed.data.limit,
      parsed.data.flagged === 'true' ? flaggedIds : null,
    );
    const devices = await listRegistryDevices(this.db, {
      subjectIds: subjects.map((s) => s.subjectId),
    });
    const deviceCounts = await openViolationCounts(this.db, 'device_id');
    const subjectCounts = await openViolationCounts(this.db, 'subject_id');
    const requests = await this.newestRequests(devices.map((d) => d.deviceId));
    // Newest installed first: the first per subject is its device now.
    const deviceOf = new Map<string, RegistryDeviceRow>();
    for (const d of devices)
      if (d.subjectId && !deviceOf.has(d.subjectId)) deviceOf.set(d.subjectId, d);
    return ok(
      subjects.map((s) => {
        const device = deviceOf.get(s.subjectId);
        const m = monitoring.get(s.subjectId);
        const state = monitoringState(
          (m?.minors ?? []).map((occurredMs, i) => ({
            violationId: i,
            occurredMs,
            evidenceEventIds: [],
          })),
          null,
          nowMs,
          this.options.policy,
        );
        return maskSubject({
          ...s,
          obliged: nowMs >= s.obligationStartMs && nowMs <= s.obligationEndMs,
          device: device ? this.deviceView(device, deviceCounts, requests, nowMs) : null,
          openViolations: subjectCounts.get(s.subjectId) ?? 0,
          monitoring: {
            flagged: state.flagged,
            minorCount: state.minorCount,
            escalations: m?.escalations ?? 0,
            untilMs: state.untilMs,
          },
        });
      }),
    );
  }

  /** `GET /api/registry/status` */
  async status(): Promise<RegistryStatus> {
    const nowMs = this.now();
    const { policy } = this.options;
    const counts = await registryCounts(this.db);
    const monitoring = await monitoringCounts(this.db, nowMs - policy.windowMs);
    const notices = (await listDeviceDueStates(this.db)).map(
      (d) => calibrationNotice(d.lastCalibrationMs, d.installMs, nowMs, policy.noticeDays).standing,
    );
    const open = await openCalibrationRequests(this.db, null);
    return {
      lastRefresh: this.lastRefresh,
      refreshIntervalMs: this.options.refreshIntervalMs,
      counts: {
        ...counts,
        flagged: [...monitoring.values()].filter((m) => m.minors.length > 0).length,
        calibrationDueSoon: notices.filter((s) => s === 'due_soon').length,
        calibrationOverdue: notices.filter((s) => s === 'overdue').length,
        recalibrationOpen: open.length,
      },
      policy: {
        repeatCount: policy.repeatCount,
        windowDays: Math.round(policy.windowMs / MS_PER_DAY),
        noticeDays: policy.noticeDays,
        recalibrationDueDays: policy.recalibrationDueDays,
      },
    };
  }
}
