/**
 * One violation in full, in the right dock: what happened and when (KST), where, the driver
 * (masked as the relay sends it; a supervisor may unmask this one record, audited by the relay),
 * the device and its installer, the evidence timeline, the TCS hand-off's history, and for a
 * major violation the hand-off request for roles that may ask for it.
 */
import { formatBac } from '../../../../shared/bac';
import { useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  MAX_DISPATCH_NOTE_LENGTH,
  type Dispatch,
  type Violation,
} from '../../../../shared/interlock';
import { can, type Action } from '../../../../shared/roles';
import { formatKstDateTime, formatKstMoment } from '../../lib/format-time';
import { useNow } from '../../lib/use-now';
import { useAppStore } from '../../store';
import { requestDispatch, unmaskViolation } from './interlock-api';
import { interlockErrorText } from './interlock-errors';
import { useRelayError } from '../../lib/use-relay-error';
import { ActionButton } from '../detail/ActionsBar';
import { CommentForm } from '../detail/CommentForm';
import { DetailField as Field, MaskedField } from '../detail/DetailField';
import { DetailHead } from '../detail/DetailHead';
import { displayInstaller } from '../detail/display-names';
import { Timeline, type TimelineEntry } from '../detail/Timeline';
import '../detail/detail.css';
import { violationStatusLabel } from './interlock-labels';
import { dispatchOfViolation } from './interlock-list';
import { showDispatch } from './selection';
import { evidenceEntries, handoffSteps, type HandoffStep } from './violation-evidence';
import { violationPlace } from './violation-place';

const CLOCK_TICK_MS = 1000;
/** "YYYY-MM-DD" of formatKstDateTime. */
const DATE_LENGTH = 10;

export function ViolationDetail() {
  const violation = useAppStore((state) =>
    state.selectedViolationId === null
      ? undefined
      : state.violationsById[state.selectedViolationId],
  );
  const select = useAppStore((state) => state.selectViolation);
  const otherSelected = useAppStore(
    (state) => state.selectedAlertId !== null || state.selectedIndex !== null,
  );

  // An alert or a vehicle opens in the same place: the violation gives way.
  useEffect(() => {
    if (otherSelected) select(null);
  }, [otherSelected, select]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || useAppStore.getState().auditOpen) return;
      // Esc in an open dialog (the takeover form) closes the dialog, not the violation.
      if (document.querySelector('dialog[open]') !== null) return;
      select(null);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [select]);

  if (violation === undefined) return null;
  // Keyed by id: another violation starts with no unmasked data, no note and no old error.
  return <ViolationDetailPanel key={violation.id} violation={violation} />;
}

function ViolationDetailPanel({ violation }: { violation: Violation }) {
  const { t } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const language = useAppStore((state) => state.language);
  const select = useAppStore((state) => state.selectViolation);
  const dispatch = useAppStore((state) => dispatchOfViolation(state.dispatchesById, violation));
  const now = useNow(CLOCK_TICK_MS);
  const [unmasked, setUnmasked] = useState<Violation | null>(null);
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  // Cleared by itself once it no longer holds ("not connected" after the link is back).
  const { error, showRelayError, setError } = useRelayError();

  const allowed = (action: Action): boolean => role !== null && can(role, action);
  const at = (ms: number): string => `${formatKstMoment(ms, now)} KST`;
  const shown = unmasked ?? violation;
  const subject = shown.subject;
  const masked = (field: string): boolean => shown.maskedFields.includes(field);
  const place = violationPlace(violation, language);
  const statusText = t(`interlock.status.${violationStatusLabel(violation.status, dispatch)}`);
  const mayRequest = violation.status === 'open' && violation.dispatchId === null;

  const unmask = async (): Promise<void> => {
    setError(null);
    const result = await unmaskViolation(violation.id);
    if (result.ok) setUnmasked(result.value.violation);
    else showRelayError(interlockErrorText(t, result.error), result.error);
  };

  const request = async (): Promise<void> => {
    setPending(true);
    setError(null);
    const result = await requestDispatch(violation, note);
    setPending(false);
    if (result.ok) setNote('');
    else showRelayError(interlockErrorText(t, result.error), result.error);
  };

  return (
    <aside
      className={`detail violation-detail violation-detail--${violation.grade}`}
      data-testid="violation-detail"
      data-violation-id={violation.id}
      data-grade={violation.grade}
      data-status={violation.status}
      data-version={violation.version}
      aria-labelledby="violation-detail-title"
    >
      <div className="detail__body">
        <DetailHead
          titleId="violation-detail-title"
          title={t(`interlock.rule.${violation.rule}`)}
          closeTestId="violation-detail-close"
          closeLabel={t('interlock.close')}
          onClose={() => select(null)}
        />
        <div className="detail__chips">
          <span
            className={`grade-chip grade-chip--${violation.grade}`}
            title={t(`interlock.gradeHint.${violation.grade}`)}
          >
            {t(`interlock.grade.${violation.grade}`)} ·{' '}
            {t(`interlock.gradeHint.${violation.grade}`)}
          </span>
          <span
            className={`violation-status violation-status--${violation.status}`}
            data-testid="violation-detail-status"
          >
            {statusText}
          </span>
        </div>

        <dl className="detail__fields">
          <Field
            testId="violation-occurred"
            label={t('interlock.detail.occurred')}
            value={at(violation.occurredMs)}
          />
          <Field
            testId="violation-plate"
            label={t('interlock.detail.plate')}
            value={violation.plate ?? t('interlock.unknownPlate')}
            strong
          />
          <Field
            testId="violation-place"
            label={t('interlock.detail.place')}
            value={place || t('interlock.unknownPlace')}
          />
          {violation.bac !== null && (
            <Field
              testId="violation-bac"
              label={t('interlock.detail.bac')}
              value={formatBac(violation.bac)}
              alarm
            />
          )}
        </dl>

        {error !== null && (
          <p className="detail__error" data-testid="violation-action-error" role="alert">
            {error}
          </p>
        )}

        {violation.grade === 'major' && (
          <section className="detail__section" aria-label={t('interlock.detail.handoff')}>
            <h3 className="detail__heading">{t('interlock.detail.handoff')}</h3>
            {dispatch === undefined && !allowed('dispatch.request') && (
              <p className="detail__muted">{t('interlock.detail.noHandoff')}</p>
            )}
            {allowed('dispatch.request') && mayRequest && (
              <CommentForm
                className="detail__resolve"
                textTestId="violation-request-note"
                submitTestId="violation-request-dispatch"
                label={t('interlock.detail.requestNote')}
                placeholder={t('interlock.detail.requestNote')}
                maxLength={MAX_DISPATCH_NOTE_LENGTH}
                value={note}
                onChange={setNote}
                onSubmit={() => void request()}
                submitLabel={t('interlock.detail.request')}
                primary
                busy={pending}
              />
            )}
            {allowed('dispatch.request') && !mayRequest && dispatch === undefined && (
              <ActionButton
                testId="violation-request-dispatch"
                label={t('interlock.detail.request')}
                disabled
                reason={t('interlock.detail.requestNotPossible', { status: statusText })}
                onClick={() => undefined}
              />
            )}
            {dispatch !== undefined && (
              <div className="violation-detail__handoff">
                <span
                  className={`dispatch-state dispatch-state--${dispatch.state}`}
                  data-testid="violation-dispatch-state"
                  data-state={dispatch.state}
                >
                  {t(`tcs.state.${dispatch.state}`)}
                </span>
                {dispatch.caseNumber !== null && (
                  <span className="violation-detail__case">
                    {t('tcs.caseNumber')} {dispatch.caseNumber}
                  </span>
                )}
                <button
                  type="button"
                  className="panel-button"
                  data-testid="violation-show-dispatch"
                  onClick={() => showDispatch(dispatch.id)}
                >
                  {t('interlock.detail.showInTcs')}
                </button>
              </div>
            )}
            {dispatch !== undefined && <HandoffTimeline dispatch={dispatch} at={at} />}
          </section>
        )}

        <section className="detail__section">
          <h3 className="detail__heading">{t('interlock.detail.subject')}</h3>
          {unmasked !== null && (
            <p className="detail__unmasked" data-testid="violation-unmasked">
              {t('interlock.detail.unmasked')}
            </p>
          )}
          {subject === null ? (
            <p className="detail__muted">{t('interlock.noSubject')}</p>
          ) : (
            <dl
              className="detail__fields"
              data-testid="violation-subject"
              data-masked={masked('name')}
            >
              <MaskedField
                testId="violation-subject-name"
                label={t('interlock.detail.name')}
                value={subject.name}
                masked={masked('name')}
              />
              <MaskedField
                testId="violation-subject-licence"
                label={t('interlock.detail.licence')}
                value={subject.licenceNumber}
                masked={masked('licenceNumber')}
              />
              <MaskedField
                testId="violation-subject-phone"
                label={t('interlock.detail.phone')}
                value={subject.phone}
                masked={masked('phone')}
              />
              <Field
                testId="violation-subject-obligation"
                label={t('interlock.detail.obligation')}
                value={`${kstDate(subject.obligationStartMs)} ~ ${kstDate(subject.obligationEndMs)}`}
              />
            </dl>
          )}
          {allowed('pii.unmask') && violation.maskedFields.length > 0 && unmasked === null && (
            <div className="violation-detail__unmask">
              <ActionButton
                testId="violation-unmask"
                label={t('interlock.detail.unmask')}
                onClick={() => void unmask()}
              />
            </div>
          )}
        </section>

        <section className="detail__section">
          <h3 className="detail__heading">{t('interlock.detail.device')}</h3>
          <dl className="detail__fields">
            <Field
              testId="violation-device-serial"
              label={t('interlock.detail.serial')}
              value={violation.device.serialNumber ?? '—'}
            />
            <Field
              testId="violation-device-model"
              label={t('interlock.detail.model')}
              value={violation.device.model ?? '—'}
            />
            <Field
              testId="violation-device-id"
              label={t('interlock.detail.deviceId')}
              value={violation.device.deviceId}
            />
            <Field
              testId="violation-installer"
              label={t('interlock.detail.installer')}
              value={
                violation.device.operatorName === null
                  ? (violation.device.operatorId ?? '—')
                  : displayInstaller(violation.device.operatorName, language)
              }
            />
          </dl>
        </section>

        <section className="detail__section">
          <h3 className="detail__heading">{t('interlock.detail.evidence')}</h3>
          <EvidenceTimeline violation={violation} at={at} />
        </section>
      </div>
    </aside>
  );
}

function kstDate(ms: number): string {
  return formatKstDateTime(ms).slice(0, DATE_LENGTH);
}

function EvidenceTimeline({ violation, at }: { violation: Violation; at: (ms: number) => string }) {
  const { t } = useTranslation();
  const entries: TimelineEntry[] = evidenceEntries(violation).map((entry, i) => ({
    key: entry.eventId ?? i,
    time: { text: at(entry.atMs), atMs: entry.atMs },
    what: t(`interlock.event.${entry.kind}`),
    parts: [
      ...(entry.bac === null ? [] : [{ text: formatBac(entry.bac), className: 'timeline__bac' }]),
      { text: t(`interlock.result.${entry.result}`), className: 'timeline__result' },
    ],
    tone: entry.result,
    code: entry.eventId,
    testId: 'violation-evidence-event',
    data: { 'event-id': entry.eventId ?? '' },
  }));
  return (
    <Timeline
      testId="violation-evidence"
      entries={entries}
      note={violation.evidenceEventIds.length === 0 ? t('interlock.detail.noEvidence') : undefined}
    />
  );
}

function stepText(t: TFunction, step: HandoffStep): string {
  switch (step.kind) {
    case 'requested':
      return t('interlock.step.requested', { by: step.by });
    case 'approved':
      return t('interlock.step.approved', { by: step.by });
    case 'attempt': {
      const { attempt } = step;
      const outcome = t(`interlock.attemptOutcome.${attempt.outcome}`);
      const status = attempt.httpStatus === null ? '' : ` (HTTP ${attempt.httpStatus})`;
      const text = t('interlock.step.attempt', {
        n: String(attempt.attemptNo),
        outcome: outcome + status,
      });
      if (attempt.caseNumber !== null) {
        return `${text} — ${t('tcs.caseNumber')} ${attempt.caseNumber}`;
      }
      return attempt.error === null ? text : `${text} — ${attempt.error}`;
    }
    case 'manual':
      return t('interlock.step.manual', { by: step.by, outcome: t(`tcs.outcome.${step.outcome}`) });
  }
}

function HandoffTimeline({ dispatch, at }: { dispatch: Dispatch; at: (ms: number) => string }) {
  const { t } = useTranslation();
  const entries: TimelineEntry[] = handoffSteps(dispatch).map((step, i) => ({
    key: i,
    time: { text: at(step.atMs), atMs: step.atMs },
    what: stepText(t, step),
    tone: step.kind,
    note: step.kind === 'requested' || step.kind === 'manual' ? step.note : null,
  }));
  return <Timeline testId="violation-handoff" entries={entries} />;
}
