/**
 * An audit event in words: what was done ("경보 확인" / "Alert acknowledged"), to what ("경보 #42"),
 * and what changed, field by field in the reader's language ("상태: 신규 → 확인됨"), with times in
 * KST and codes (statuses, roles, rules) as the words the rest of the app uses for them.
 *
 * Pure: the caller passes a translator that looks a key up and falls back to the text given, so an
 * action or field added to the relay later still reads as its code rather than breaking the screen.
 */
import { formatBac } from '../../../../shared/bac';
import type { AuditEvent } from '../../../../shared/audit';
import type { Language } from '../../i18n/language';
import { formatKstDateTime } from '../../lib/format-time';
import { placeName } from '../detail/place-names';

/** Looks `key` up in the reader's language; `fallback` when there is no such key. */
export interface Translate {
  (key: string, fallback: string, vars?: Readonly<Record<string, string | number>>): string;
  /**
   * The reader's language, for names that are data rather than resources (a neighbourhood's
   * English name comes from the boundary data). Korean when not given.
   */
  language?: Language;
}

export interface AuditChange {
  field: string;
  /** Absent when the event records a value rather than a change (a creation, a login). */
  before?: string;
  after: string;
}

export interface AuditDescription {
  action: string;
  target: string;
  changes: AuditChange[];
  /** The changes as one line, for the table cell and its tooltip. */
  summary: string;
}

/** Bookkeeping every change touches; listing it would hide what actually changed. */
const NOISE = new Set([
  'version',
  'updatedMs',
  'seq',
  'source',
  'evidenceEventIds',
  'idempotencyKey',
  'awaitingPerson',
  'maskedFields',
  // Administrative codes beside the names that say the same (dongName, districtName).
  'dongCode',
  'districtCode',
]);
/**
 * What a record's first event shows (a creation has no "before"): the fields a person identifies
 * it by, not every column.
 */
const HEADLINE_FIELDS = [
  'type',
  'severity',
  'rule',
  'grade',
  'plate',
  'districtName',
  'dongName',
  'bac',
  'state',
  'violationId',
  'requestNote',
  'username',
  'role',
  'ip',
  'reason',
  'expiresAtMs',
  'fields',
  'imageId',
  'rows',
  'filters',
  'alertId',
  'name',
  // Two-factor sign-in: how many failures, until when locked, what is left, which second step.
  'failures',
  'lockedUntilMs',
  'left',
  'recoveryCodes',
  'secondFactor',
];
const MAX_VALUE_CHARS = 60;
export const MAX_SUMMARY_CHARS = 240;
/** Fields whose value is an id of another record, written `#12`. */
const ID_FIELDS = new Set(['alertId', 'violationId', 'dispatchId']);
/** `status` means a different vocabulary by entity. */
const STATUS_WORDS: Readonly<Record<string, string>> = {
  alert: 'alertStatus',
  violation: 'interlock.status',
};
/** Fields whose values are codes with words elsewhere in the app. */
const CODE_WORDS: Readonly<Record<string, string>> = {
  state: 'tcs.state',
  role: 'roles',
  resolution: 'resolution',
  severity: 'severity',
  type: 'alertType',
  rule: 'interlock.rule',
  grade: 'interlock.grade',
  manualOutcome: 'tcs.outcome',
  actorRole: 'roles',
  secondFactor: 'audit.secondFactor',
  trigger: 'audit.trigger',
};
const LOGIN_REASONS: Readonly<Record<string, string>> = {
  'wrong credentials': 'audit.reasons.wrongCredentials',
  disabled: 'audit.reasons.disabled',
  // A refused two-factor code (server/auth/two-factor-service.ts).
  'code wrong': 'audit.reasons.codeWrong',
  'code malformed': 'audit.reasons.codeMalformed',
  'code replayed': 'audit.reasons.codeReplayed',
  'recovery code wrong or used': 'audit.reasons.recoveryCodeWrong',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function clip(text: string): string {
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 1)}…` : text;
}

export function fieldWord(t: Translate, field: string): string {
  return t(`audit.fields.${field}`, field);
}

export function actionWord(t: Translate, action: string): string {
  return t(`audit.actions.${action}`, action);
}

/** One value in words, by its field (and, for `status`, the entity it belongs to). */
export function valueWords(t: Translate, field: string, value: unknown, entity: string): string {
  if (value === null || value === undefined || value === '') return t('audit.none', '—');
  if (typeof value === 'boolean') return value ? t('audit.yes', 'yes') : t('audit.no', 'no');
  if (typeof value === 'number') {
    if (field.endsWith('Ms') || field === 'at') return formatKstDateTime(value);
    if (ID_FIELDS.has(field)) return `#${value}`;
    if (field === 'bac') return formatBac(value);
    if (field === 'lon' || field === 'lat') return value.toFixed(5);
    return value.toLocaleString('en-US');
  }
  if (typeof value === 'string') {
    const vocabulary = field === 'status' ? STATUS_WORDS[entity] : CODE_WORDS[field];
    if (vocabulary) return t(`${vocabulary}.${value}`, value);
    if (field === 'reason' && LOGIN_REASONS[value]) return t(LOGIN_REASONS[value], value);
    if (field === 'districtName' || field === 'dongName') {
      const place = { districtName: null, dongName: null, [field]: value };
      return placeName(place, t.language ?? 'ko') || value;
    }
    return clip(value);
  }
  if (Array.isArray(value)) {
    // Revealed or masked fields are field names: say them as fields.
    return clip(
      value
        .map((item) =>
          field === 'fields' && typeof item === 'string'
            ? fieldWord(t, item)
            : valueWords(t, '', item, entity),
        )
        .join(', '),
    );
  }
  if (isRecord(value)) {
    // Export filters and the like: "상태 신규, 최대 건수 5000".
    return clip(
      Object.entries(value)
        .map(([key, inner]) => `${fieldWord(t, key)} ${filterValueWords(t, key, inner, entity)}`)
        .join(', '),
    );
  }
  return clip(JSON.stringify(value));
}

/** Query filters arrive as text (`status=new,acknowledged`, `limit=5000`): each code in words. */
function filterValueWords(t: Translate, key: string, value: unknown, entity: string): string {
  if (typeof value !== 'string') return valueWords(t, key, value, entity);
  const field = key === 'entity' ? '' : key;
  if (/^\d+$/u.test(value) && !field.endsWith('Ms')) return Number(value).toLocaleString('en-US');
  const parts = value.split(',').map((part) => {
    if (key === 'action') return actionWord(t, part);
    return valueWords(t, field, part, key === 'status' ? 'alert' : entity);
  });
  return parts.join(', ');
}

/** The changes of one event: what differs between before and after, or what was recorded. */
export function auditChanges(t: Translate, event: AuditEvent): AuditChange[] {
  const { before, after, entityType: entity } = event;
  const changes: AuditChange[] = [];
  if (isRecord(before) && isRecord(after)) {
    for (const key of Object.keys(after)) {
      if (NOISE.has(key) || same(before[key], after[key])) continue;
      if (key in before) {
        changes.push({
          field: fieldWord(t, key),
          before: valueWords(t, key, before[key], entity),
          after: valueWords(t, key, after[key], entity),
        });
      } else {
        changes.push({ field: fieldWord(t, key), after: valueWords(t, key, after[key], entity) });
      }
    }
  } else if (isRecord(after)) {
    const keys = Object.keys(after).filter((key) => !NOISE.has(key));
    const headline = keys.filter((key) => HEADLINE_FIELDS.includes(key));
    // A record of few fields (a login's address) is shown whole; a created record by its headline.
    const shown = headline.length > 0 ? headline : keys;
    for (const key of shown) {
      if (after[key] === null || after[key] === undefined) continue;
      changes.push({ field: fieldWord(t, key), after: valueWords(t, key, after[key], entity) });
    }
  } else if (after !== null && after !== undefined) {
    changes.push({ field: '', after: valueWords(t, '', after, entity) });
  }
  return changes;
}

/** What the event was done to, in words: "경보 #42", "사용자 kim", "감사 기록". */
export function auditTarget(t: Translate, event: AuditEvent): string {
  const { entityType, entityId } = event;
  const entityWord = t(`audit.entity.${entityType}`, entityType);
  if (entityType === 'export') {
    if (entityId === 'alerts') return t('audit.targets.exportAlerts', entityId);
    if (entityId === 'audit') return t('audit.targets.exportAudit', entityId);
  }
  if (entityId === null) return entityWord;
  return t(`audit.targets.${entityType}`, `${entityWord} ${entityId}`, { id: entityId });
}

export function changesLine(changes: readonly AuditChange[]): string {
  const line = changes
    .map((c) => {
      const value = c.before === undefined ? c.after : `${c.before} → ${c.after}`;
      return c.field === '' ? value : `${c.field}: ${value}`;
    })
    .join(' · ');
  return line.length > MAX_SUMMARY_CHARS ? `${line.slice(0, MAX_SUMMARY_CHARS - 1)}…` : line;
}

export function describeAuditEvent(t: Translate, event: AuditEvent): AuditDescription {
  const changes = auditChanges(t, event);
  return {
    action: actionWord(t, event.action),
    target: auditTarget(t, event),
    changes,
    summary: changesLine(changes),
  };
}
