/**
 * One violation in full, in the right dock: what happened and when (KST), where, the driver
 * (masked as the relay sends it; a supervisor may unmask this one record, audited by the relay),
 * the device and its installer, the evidence timeline, the TCS hand-off's history, and for a
 * major violation the hand-off request for roles that may ask for it.
 */
import { useEffect, useState, type FormEvent } from 'react';
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
import { violationStatusLabel } from './interlock-labels';
import { dispatchOfViolation, formatBac } from './interlock-list';
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
  const [error, setError] = useState<string | null>(null);

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
    else setError(interlockErrorText(t, result.error));
  };

  const request = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await requestDispatch(violation, note);
    setPending(false);
    if (result.ok) setNote('');
    else setError(interlockErrorText(t, result.error));
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
      <div className="detail__head">
        <h2 id="violation-detail-title" className="detail__title">
          {t(`interlock.rule.${violation.rule}`)}
        </h2>
        <button
          type="button"
          className="drawer__close"
          data-testid="violation-detail-close"
          aria-label={t('interlock.close')}
          title={`${t('interlock.close')} (Esc)`}
          onClick={() => select(null)}
        >
          ×
        </button>
      </div>
      <div className="detail__chips">
        <span
          className={`grade-chip grade-chip--${violation.grade}`}
          title={t(`interlock.gradeHint.${violation.grade}`)}
        >
          {t(`interlock.grade.${violation.grade}`)} · {t(`interlock.gradeHint.${violation.grade}`)}
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
            <form className="detail__resolve" onSubmit={(event) => void request(event)}>
              <textarea
                className="detail__textarea"
                data-testid="violation-request-note"
                aria-label={t('interlock.detail.requestNote')}
                placeholder={t('interlock.detail.requestNote')}
                maxLength={MAX_DISPATCH_NOTE_LENGTH}
                rows={2}
                value={note}
                onChange={(event) => setNote(event.target.value)}
              />
              <button
                type="submit"
                className="action-button is-primary is-resolve"
                data-testid="violation-request-dispatch"
                disabled={pending}
                aria-busy={pending}
              >
                {t('interlock.detail.request')}
              </button>
            </form>
          )}
          {allowed('dispatch.request') && !mayRequest && dispatch === undefined && (
            <button
              type="button"
              className="action-button"
              data-testid="violation-request-dispatch"
              disabled
              title={t('interlock.detail.requestNotPossible', { status: statusText })}
            >
              {t('interlock.detail.request')}
            </button>
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
            <Field
              testId="violation-subject-name"
              label={t('interlock.detail.name')}
              value={subject.name}
            />
            <Field
              testId="violation-subject-licence"
              label={t('interlock.detail.licence')}
              value={subject.licenceNumber ?? '—'}
            />
            <Field
              testId="violation-subject-phone"
              label={t('interlock.detail.phone')}
              value={subject.phone ?? '—'}
            />
            <Field
              testId="violation-subject-obligation"
              label={t('interlock.detail.obligation')}
              value={`${kstDate(subject.obligationStartMs)} ~ ${kstDate(subject.obligationEndMs)}`}
            />
          </dl>
        )}
        {allowed('pii.unmask') && violation.maskedFields.length > 0 && unmasked === null && (
          <button
            type="button"
            className="action-button violation-detail__unmask"
            data-testid="violation-unmask"
            onClick={() => void unmask()}
          >
            {t('interlock.detail.unmask')}
          </button>
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
            value={violation.device.operatorName ?? violation.device.operatorId ?? '—'}
          />
        </dl>
      </section>

      <section className="detail__section">
        <h3 className="detail__heading">{t('interlock.detail.evidence')}</h3>
        <EvidenceTimeline violation={violation} at={at} />
      </section>
    </aside>
  );
}

function kstDate(ms: number): string {
  return formatKstDateTime(ms).slice(0, DATE_LENGTH);
}

function EvidenceTimeline({ violation, at }: { violation: Violation; at: (ms: number) => string }) {
  const { t } = useTranslation();
  const entries = evidenceEntries(violation);
  return (
    <ol className="timeline" data-testid="violation-evidence">
      {entries.map((entry, i) => (
        <li
          key={entry.eventId ?? i}
          className={`timeline__item timeline__item--${entry.result}`}
          data-testid="violation-evidence-event"
          data-event-id={entry.eventId ?? ''}
        >
          <time className="timeline__time" dateTime={new Date(entry.atMs).toISOString()}>
            {at(entry.atMs)}
          </time>
          <div className="timeline__body">
            <span className="timeline__what">{t(`interlock.event.${entry.kind}`)}</span>
            {entry.bac !== null && <span className="timeline__bac">{formatBac(entry.bac)}</span>}
            <span className="timeline__result">{t(`interlock.result.${entry.result}`)}</span>
          </div>
          {entry.eventId !== null && <code className="timeline__id">{entry.eventId}</code>}
        </li>
      ))}
      {violation.evidenceEventIds.length === 0 && (
        <li className="timeline__note">{t('interlock.detail.noEvidence')}</li>
      )}
    </ol>
  );
}

function stepText(t: ReturnType<typeof useTranslation>['t'], step: HandoffStep): string {
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
  const steps = handoffSteps(dispatch);
  return (
    <ol className="timeline" data-testid="violation-handoff">
      {steps.map((step, i) => (
        <li key={i} className={`timeline__item timeline__item--${step.kind}`}>
          <time className="timeline__time" dateTime={new Date(step.atMs).toISOString()}>
            {at(step.atMs)}
          </time>
          <div className="timeline__body">
            <span className="timeline__what">{stepText(t, step)}</span>
          </div>
          {(step.kind === 'requested' || step.kind === 'manual') && step.note !== null && (
            <p className="timeline__note">{step.note}</p>
          )}
        </li>
      ))}
    </ol>
  );
}

function Field({
  testId,
  label,
  value,
  strong = false,
  alarm = false,
}: {
  testId: string;
  label: string;
  value: string;
  strong?: boolean;
  alarm?: boolean;
}) {
  const classes = [strong ? 'is-strong' : '', alarm ? 'is-alarm' : ''].filter(Boolean).join(' ');
  return (
    <div className="detail__field">
      <dt>{label}</dt>
      <dd data-testid={testId} className={classes || undefined}>
        {value}
      </dd>
    </div>
  );
}
