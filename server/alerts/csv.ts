/**
 * CSV exports for people who open them in Excel: UTF-8 with a byte-order mark (without it Excel
 * reads Korean as mojibake), Korean headers and labels, times in KST.
 */
import { stringify } from 'csv-stringify/sync';
import type { Alert, AlertStatus, AlertType, Resolution, Severity } from '../../shared/alerts';
import type { AuditEvent } from '../../shared/audit';
import { formatBac } from '../../shared/bac';
import { formatKstSql } from '../../shared/time';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const TYPE_LABEL: Readonly<Record<AlertType, string>> = {
  DROWSY: '졸음운전',
  ARREARS_HIT: '체납차량',
  MISSING_PERSON_HIT: '실종자 차량',
  INTERLOCK: '음주운전 방지장치',
  PIPELINE_HEALTH: '파이프라인 경보',
};
const MS_PER_MINUTE = 60_000;
const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  low: '낮음',
  medium: '보통',
  high: '높음',
  critical: '긴급',
};
const STATUS_LABEL: Readonly<Record<AlertStatus, string>> = {
  new: '신규',
  acknowledged: '확인',
  dispatched: '출동',
  resolved: '종결',
};
const RESOLUTION_LABEL: Readonly<Record<Resolution, string>> = {
  handled: '처리 완료',
  false_alarm: '오탐',
  duplicate: '중복',
};

/** Text Excel would run as a formula (`=HYPERLINK(…)` typed into a comment): shown as text instead. */
const FORMULA_START = /^[=+\-@\t\r]/;

function safeCell(value: string | number): string | number {
  return typeof value === 'string' && FORMULA_START.test(value) ? `'${value}` : value;
}

function safeRow(row: (string | number)[]): (string | number)[] {
  return row.map(safeCell);
}

/** `2025-12-09 14:30:00` in KST; empty for no time. */
export function kstText(ms: number | null): string {
  return ms === null ? '' : formatKstSql(ms).slice(0, 19);
}

function evidenceText(alert: Alert): string {
  const e = alert.evidence;
  switch (e.type) {
    case 'DROWSY':
      return `눈 감김 ${e.gazeClosure ?? '-'}회, 고개 떨굼 ${e.headDrop ?? '-'}회`;
    case 'ARREARS_HIT':
      return (
        `체납액 ${e.amountKrw?.toLocaleString('ko-KR') ?? '-'}원, 고지 ${e.noticeCount ?? '-'}회` +
        (e.ocrConfidence === null ? '' : `, 판독 신뢰도 ${e.ocrConfidence}`)
      );
    case 'MISSING_PERSON_HIT':
      return `실종자 ${e.name ?? '-'} (${e.ageBand === null ? '-' : `${e.ageBand}대`} ${e.sex ?? ''})`.trim();
    case 'INTERLOCK':
      return `위반 ${e.violationId}${e.bac === null ? '' : `, 혈중알코올농도 ${formatBac(e.bac)}`}`;
    case 'PIPELINE_HEALTH':
      return e.alarm === 'consumer_lag'
        ? `컨슈머 지연 ${e.value.toLocaleString('ko-KR')}건 (기준 ${e.threshold.toLocaleString('ko-KR')}건)`
        : `토픽 ${e.topic ?? '-'} 수신 중단 ${Math.round(e.value / MS_PER_MINUTE)}분 (기준 ${Math.round(e.threshold / MS_PER_MINUTE)}분)`;
  }
}

/** The alerts as given (already masked by the caller). */
export function alertsCsv(alerts: Alert[]): string {
  return stringify(
    alerts.map((a) =>
      safeRow([
        a.id,
        TYPE_LABEL[a.type],
        SEVERITY_LABEL[a.severity],
        STATUS_LABEL[a.status],
        a.escalated ? '예' : '',
        a.count,
        kstText(a.firstSeenMs),
        kstText(a.lastSeenMs),
        kstText(a.deadlineMs),
        a.plate ?? '',
        a.districtName ?? '',
        a.dongName ?? '',
        a.lon ?? '',
        a.lat ?? '',
        evidenceText(a),
        a.assignee ?? '',
        a.acknowledgedBy ?? '',
        kstText(a.acknowledgedAtMs),
        a.dispatchedBy ?? '',
        kstText(a.dispatchedAtMs),
        a.resolvedBy ?? '',
        kstText(a.resolvedAtMs),
        a.resolution ? RESOLUTION_LABEL[a.resolution] : '',
        a.resolutionNote ?? '',
        a.commentCount,
        a.version,
      ]),
    ),
    {
      bom: true,
      header: true,
      columns: [
        '번호',
        '유형',
        '심각도',
        '상태',
        '에스컬레이션',
        '감지 횟수',
        '최초 감지(KST)',
        '최근 감지(KST)',
        '확인 기한(KST)',
        '차량번호',
        '구·군',
        '읍·면·동',
        '경도',
        '위도',
        '근거',
        '담당자',
        '확인자',
        '확인 시각(KST)',
        '출동 지시자',
        '출동 시각(KST)',
        '종결자',
        '종결 시각(KST)',
        '종결 사유',
        '종결 메모',
        '댓글 수',
        '버전',
      ],
    },
  );
}

export function auditCsv(events: AuditEvent[]): string {
  return stringify(
    events.map((e) =>
      safeRow([
        e.id,
        kstText(e.atMs),
        e.actor,
        e.actorRole ?? '',
        e.action,
        e.entityType,
        e.entityId ?? '',
        e.before === null ? '' : JSON.stringify(e.before),
        e.after === null ? '' : JSON.stringify(e.after),
      ]),
    ),
    {
      bom: true,
      header: true,
      columns: [
        '번호',
        '시각(KST)',
        '사용자',
        '역할',
        '행위',
        '대상 유형',
        '대상',
        '변경 전',
        '변경 후',
      ],
    },
  );
}
