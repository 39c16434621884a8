import { useTranslation } from 'react-i18next';
import type { AlertEvidence as Evidence } from '../../../../shared/alerts';
import { formatKstDateTime } from '../../lib/format-time';
import { formatKrw, formatPercent } from '../../lib/format-money';
import { DetailField, MaskedField } from '../detail/DetailField';
import { ruleLabelKey } from '../interlock/interlock-labels';
import { formatBac } from '../../../../shared/bac';
import { formatKpiValue } from '../kpis/kpi-format';

const MS_PER_MINUTE = 60_000;

/** A row; `masked`: the field the relay may mask (shown by MaskedField). */
type Row = readonly [testId: string, label: string, value: string, masked?: string];

/** What the detection saw, by alert type. Masked fields say so instead of showing nothing. */
export function AlertEvidence({
  evidence,
  maskedFields,
}: {
  evidence: Evidence;
  maskedFields: readonly string[];
}) {
  const { t } = useTranslation();
  const unknown = t('drawer.unknown');
  const times = (count: number | null): string =>
    count === null ? unknown : t('detail.timesValue', { count });

  let rows: Row[];
  switch (evidence.type) {
    case 'DROWSY':
      rows = [
        ['evidence-gaze-closure', t('detail.gazeClosure'), times(evidence.gazeClosure)],
        ['evidence-head-drop', t('detail.headDrop'), times(evidence.headDrop)],
        ['evidence-session', t('detail.session'), evidence.sessionId],
      ];
      break;
    case 'ARREARS_HIT':
      rows = [
        [
          'evidence-amount',
          t('detail.amount'),
          evidence.amountKrw === null ? unknown : formatKrw(evidence.amountKrw),
        ],
        ['evidence-notices', t('detail.notices'), times(evidence.noticeCount)],
        [
          'evidence-ocr',
          t('detail.ocrConfidence'),
          evidence.ocrConfidence === null ? unknown : formatPercent(evidence.ocrConfidence),
        ],
        [
          'evidence-arrears-user',
          t('detail.arrearsUser'),
          evidence.arrearsUserId ?? '',
          'arrearsUserId',
        ],
        ['evidence-image', t('detail.image'), evidence.imageId ?? unknown],
      ];
      break;
    case 'MISSING_PERSON_HIT': {
      const age =
        evidence.age !== null
          ? t('detail.ageValue', { age: String(evidence.age) })
          : evidence.ageBand !== null
            ? t('detail.ageBand', { band: String(evidence.ageBand) })
            : unknown;
      rows = [
        ['evidence-name', t('detail.name'), evidence.name ?? '', 'name'],
        ['evidence-age', t('detail.age'), age],
        [
          'evidence-sex',
          t('detail.sex'),
          evidence.sex === '남' ? t('sex.male') : evidence.sex === '여' ? t('sex.female') : unknown,
        ],
        [
          'evidence-description',
          t('detail.description'),
          evidence.description ?? '',
          'description',
        ],
        [
          'evidence-reported-at',
          t('detail.reportedAt'),
          evidence.reportedAtMs === null
            ? unknown
            : `${formatKstDateTime(evidence.reportedAtMs)} KST`,
        ],
        ['evidence-missing-id', t('detail.missingId'), evidence.missingId ?? unknown],
      ];
      break;
    }
    case 'INTERLOCK': {
      const ruleKey = ruleLabelKey(evidence.rule);
      rows = [
        ['evidence-violation', t('detail.violation'), evidence.violationId],
        ['evidence-device', t('detail.device'), evidence.deviceId ?? unknown],
        // In words, as the violations panel says it; a rule this client does not know as written.
        ['evidence-rule', t('detail.rule'), ruleKey ? t(ruleKey) : (evidence.rule ?? unknown)],
        [
          'evidence-bac',
          t('detail.bac'),
          evidence.bac === null ? unknown : formatBac(evidence.bac),
        ],
      ];
      // The hand-off ended in a case: the number the police will know it by.
      if (evidence.tcsCaseNumber) {
        rows.push(['evidence-tcs-case', t('detail.tcsCase'), evidence.tcsCaseNumber]);
      }
      break;
    }
    case 'PIPELINE_HEALTH':
      // The alarm as the KPI panel words it; no vehicle, no place.
      rows = [
        [
          'evidence-pipeline-alarm',
          t('detail.pipelineAlarm'),
          evidence.alarm === 'consumer_lag'
            ? t('kpi.alarmLag', {
                value: formatKpiValue(evidence.value, 'messages'),
                threshold: formatKpiValue(evidence.threshold, 'messages'),
              })
            : t('kpi.alarmStalled', {
                topic: evidence.topic ?? unknown,
                minutes: String(Math.round(evidence.value / MS_PER_MINUTE)),
              }),
        ],
        [
          'evidence-pipeline-since',
          t('detail.pipelineSince'),
          `${formatKstDateTime(evidence.sinceMs)} KST`,
        ],
      ];
      break;
  }

  return (
    <dl
      className="detail__fields"
      data-testid="alert-evidence"
      data-masked={maskedFields.length > 0}
    >
      {rows.map(([testId, label, value, field]) =>
        field === undefined ? (
          <DetailField key={testId} testId={testId} label={label} value={value} />
        ) : (
          <MaskedField
            key={testId}
            testId={testId}
            label={label}
            value={value === '' ? null : value}
            masked={maskedFields.includes(field)}
          />
        ),
      )}
    </dl>
  );
}
