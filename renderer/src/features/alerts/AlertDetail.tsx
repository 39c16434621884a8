/**
 * One alert in full: where, which vehicle, the evidence, the timeline and comments (AlertComments), and the
 * actions the person's role allows (keyboard: A acknowledge, C claim, D dispatch, R resolve,
 * Esc close). Commands go over the socket with the version shown; the relay's refusal is shown
 * as it comes (a stale version means someone else was first).
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAX_NOTE_LENGTH,
  RESOLUTIONS,
  type Alert,
  type Resolution,
  type UnmaskResponse,
} from '../../../../shared/alerts';
import type { AssigneeListResponse } from '../../../../shared/auth';
import { can, type Role } from '../../../../shared/roles';
import { api } from '../../auth/api';
import { formatKstMoment } from '../../lib/format-time';
import { relayErrorText } from '../../lib/relay-error-text';
import { useNow } from '../../lib/use-now';
import { useAppStore } from '../../store';
import { ActionButton, ActionsBar } from '../detail/ActionsBar';
import { CommentForm } from '../detail/CommentForm';
import { DetailField } from '../detail/DetailField';
import { DetailHead } from '../detail/DetailHead';
import { Timeline, type TimelineEntry } from '../detail/Timeline';
import '../detail/detail.css';
import { AlertCommentBox, AlertComments } from './AlertComments';
import { PlatePhotoStrip } from '../plate-photos/PlatePhotoStrip';
import { AlertEvidence } from './AlertEvidence';
import { AlertTypeIcon } from './AlertTypeIcon';
import { placeText } from './districts';
import { useAlertCommand } from './use-alert-command';
import { ReplayFromHere } from '../replay/ReplayFromHere';

const CLOCK_TICK_MS = 1000;

export function AlertDetail() {
  const alert = useAppStore((state) =>
    state.selectedAlertId === null ? undefined : state.alertsById[state.selectedAlertId],
  );
  const selectAlert = useAppStore((state) => state.selectAlert);
  const vehicleSelected = useAppStore((state) => state.selectedIndex !== null);

  // A vehicle clicked on the map opens its drawer in the same place: the alert gives way.
  useEffect(() => {
    if (vehicleSelected) selectAlert(null);
  }, [vehicleSelected, selectAlert]);

  if (alert === undefined) return null;
  // Keyed by id: another alert starts with a clean form, no unmasked data and no old error.
  return <AlertDetailPanel key={alert.id} alert={alert} />;
}

/** Whether a key press is meant for a text field rather than a shortcut. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

function AlertDetailPanel({ alert }: { alert: Alert }) {
  const { t } = useTranslation();
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const username = useAppStore((state) => state.session?.user.username ?? null);
  const language = useAppStore((state) => state.language);
  const selectAlert = useAppStore((state) => state.selectAlert);
  const now = useNow(CLOCK_TICK_MS);
  const { run, pending, error, setError } = useAlertCommand();
  const [unmasked, setUnmasked] = useState<Alert | null>(null);
  const [resolution, setResolution] = useState<Resolution>('handled');
  const [note, setNote] = useState('');
  const resolutionRef = useRef<HTMLSelectElement>(null);

  const allowed = (action: Parameters<typeof can>[1]): boolean =>
    role !== null && can(role, action);
  const open = alert.status !== 'resolved';
  const mine = username !== null && alert.assignee === username;

  const ack = (): void => void run('ack', { id: alert.id, version: alert.version });
  const claim = (): void =>
    void run('assign', { id: alert.id, version: alert.version, username: mine ? null : username });
  const dispatch = (): void => void run('dispatch', { id: alert.id, version: alert.version });
  const resolve = async (): Promise<void> => {
    const done = await run('resolve', {
      id: alert.id,
      version: alert.version,
      resolution,
      ...(note.trim() === '' ? {} : { note: note.trim() }),
    });
    if (done) setNote('');
  };
  const unmask = async (): Promise<void> => {
    setError(null);
    const result = await api.json<UnmaskResponse>(`/api/alerts/${alert.id}/unmask`, {
      method: 'POST',
    });
    if (result.ok) setUnmasked(result.value.alert);
    else setError(relayErrorText(t, result.error));
  };

  // Shortcuts act on what is on screen, with the same checks as the buttons; the key listener
  // reads them through a ref, refreshed after every render, so it is installed once.
  const shortcuts = useRef<Record<string, (() => void) | null>>({});
  useEffect(() => {
    shortcuts.current = {
      a: allowed('alert.ack') && alert.status === 'new' ? ack : null,
      c: allowed('alert.claim') && open ? claim : null,
      d: allowed('alert.dispatch') && alert.status === 'acknowledged' ? dispatch : null,
      r: allowed('alert.resolve') && open ? () => resolutionRef.current?.focus() : null,
    };
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (useAppStore.getState().auditOpen) return;
      if (event.key === 'Escape') {
        selectAlert(null);
        return;
      }
      const action = shortcuts.current[event.key.toLowerCase()];
      if (action) {
        event.preventDefault();
        action();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [selectAlert]);

  const shown = unmasked ?? alert;
  const place = placeText(alert, language);
  const at = (ms: number): string => `${formatKstMoment(ms, now)} KST`;
  const byAt = (by: string | null, ms: number | null): string | null =>
    by === null || ms === null ? null : t('detail.byAt', { by, at: at(ms) });
  const statusText = t(`alertStatus.${alert.status}`);
  const notNow = t('detail.notAllowedNow', { status: statusText });
  const hasActions =
    allowed('alert.ack') ||
    allowed('alert.claim') ||
    allowed('alert.dispatch') ||
    allowed('alert.resolve') ||
    (allowed('pii.unmask') && alert.maskedFields.length > 0);

  const resolvedText =
    alert.resolution === null
      ? (byAt(alert.resolvedBy, alert.resolvedAtMs) ?? '—')
      : `${byAt(alert.resolvedBy, alert.resolvedAtMs) ?? ''} · ${t(`resolution.${alert.resolution}`)}` +
        (alert.resolutionNote ? ` — ${alert.resolutionNote}` : '');
  const steps: TimelineEntry[] = [
    step('first', t('detail.firstSeen'), at(alert.firstSeenMs), 'alert-first-seen', true),
    step('last', t('detail.lastSeen'), at(alert.lastSeenMs), 'alert-last-seen', true),
    step(
      'ack',
      t('detail.acknowledged'),
      byAt(alert.acknowledgedBy, alert.acknowledgedAtMs),
      'alert-acknowledged-by',
    ),
    step(
      'dispatch',
      t('detail.dispatched'),
      byAt(alert.dispatchedBy, alert.dispatchedAtMs),
      'alert-dispatched-by',
    ),
    {
      ...step('resolve', t('detail.resolved'), resolvedText, 'alert-resolved-by'),
      tone: alert.resolvedAtMs === null ? 'pending' : 'done',
    },
  ];

  return (
    <aside
      className={`detail${alert.escalated && open ? ' is-escalated' : ''}`}
      data-testid="alert-detail"
      data-alert-id={alert.id}
      data-status={alert.status}
      data-version={alert.version}
      aria-labelledby="alert-detail-title"
    >
      <div className="detail__body">
        <DetailHead
          titleId="alert-detail-title"
          className={`type--${alert.type}`}
          title={
            <>
              <AlertTypeIcon type={alert.type} size={26} />
              {t(`alertType.${alert.type}`)}
            </>
          }
          closeTestId="alert-detail-close"
          closeLabel={t('detail.close')}
          onClose={() => selectAlert(null)}
        />
        <div className="detail__chips">
          <span className={`severity-chip severity-chip--${alert.severity}`}>
            {t(`severity.${alert.severity}`)}
          </span>
          <span
            className={`status-chip status-chip--${alert.status}`}
            data-testid="alert-detail-status"
          >
            {statusText}
          </span>
          {alert.escalated && <span className="escalated-chip">{t('inbox.escalated')}</span>}
          {alert.count > 1 && (
            <span className="alert-row__count">{t('inbox.merged', { count: alert.count })}</span>
          )}
        </div>

        <dl className="detail__fields">
          {/* A pipeline alarm is about the system: no vehicle and no place to show as unknown. */}
          {alert.type !== 'PIPELINE_HEALTH' && (
            <>
              <DetailField
                testId="alert-plate"
                label={t('detail.plate')}
                value={alert.plate ?? t('inbox.unknownPlate')}
                strong
              />
              <DetailField
                testId="alert-place"
                label={t('detail.place')}
                value={place || t('inbox.unknownPlace')}
              />
            </>
          )}
          <DetailField
            testId="alert-count"
            label={t('detail.count')}
            value={t('detail.countValue', { count: alert.count })}
          />
          <DetailField
            testId="alert-assignee"
            label={t('detail.assignee')}
            value={alert.assignee ?? t('detail.nobody')}
          />
          {alert.status === 'new' && (
            <DetailField
              testId="alert-deadline"
              label={t('detail.deadline')}
              value={at(alert.deadlineMs)}
            />
          )}
        </dl>
        {alert.type !== 'PIPELINE_HEALTH' && <ReplayFromHere alert={alert} />}

        {error !== null && (
          <p className="detail__error" data-testid="alert-action-error" role="alert">
            {error}
          </p>
        )}

        {hasActions && (
          <ActionsBar
            label={t('detail.actions')}
            after={
              <>
                {allowed('alert.assign') && open && role !== null && (
                  <AssigneePicker
                    alert={alert}
                    role={role}
                    disabled={pending !== null}
                    onAssign={(assignee) =>
                      void run('assign', {
                        id: alert.id,
                        version: alert.version,
                        username: assignee,
                      })
                    }
                  />
                )}
                {allowed('alert.resolve') && open && (
                  <CommentForm
                    className="detail__resolve"
                    textTestId="alert-resolve-note"
                    submitTestId="alert-resolve"
                    label={t('detail.note')}
                    placeholder={t('detail.notePlaceholder')}
                    maxLength={MAX_NOTE_LENGTH}
                    value={note}
                    onChange={setNote}
                    onSubmit={() => void resolve()}
                    submitLabel={t('detail.resolve')}
                    shortcut="R"
                    busy={pending !== null}
                    before={
                      <label className="filter">
                        <span className="filter__label">{t('detail.resolution')}</span>
                        <select
                          ref={resolutionRef}
                          data-testid="alert-resolution"
                          value={resolution}
                          onChange={(event) => setResolution(event.target.value as Resolution)}
                        >
                          {RESOLUTIONS.map((r) => (
                            <option key={r} value={r}>
                              {t(`resolution.${r}`)}
                            </option>
                          ))}
                        </select>
                      </label>
                    }
                  />
                )}
              </>
            }
          >
            {allowed('alert.ack') && (
              <ActionButton
                testId="alert-ack"
                label={t('detail.ack')}
                shortcut="A"
                primary
                disabled={alert.status !== 'new'}
                busy={pending === 'ack'}
                reason={alert.status === 'new' ? null : notNow}
                onClick={ack}
              />
            )}
            {allowed('alert.claim') && (
              <ActionButton
                testId="alert-assign"
                label={mine ? t('detail.unclaim') : t('detail.claim')}
                shortcut="C"
                disabled={!open}
                busy={pending === 'assign'}
                reason={open ? null : notNow}
                onClick={claim}
              />
            )}
            {allowed('alert.dispatch') && (
              <ActionButton
                testId="alert-dispatch"
                label={t('detail.dispatch')}
                shortcut="D"
                disabled={alert.status !== 'acknowledged'}
                busy={pending === 'dispatch'}
                reason={alert.status === 'acknowledged' ? null : notNow}
                onClick={dispatch}
              />
            )}
            {allowed('pii.unmask') && alert.maskedFields.length > 0 && unmasked === null && (
              <ActionButton
                testId="alert-unmask"
                label={t('detail.unmask')}
                onClick={() => void unmask()}
              />
            )}
          </ActionsBar>
        )}

        <section className="detail__section">
          <h3 className="detail__heading">{t('detail.evidence')}</h3>
          {unmasked !== null && (
            <p className="detail__unmasked" data-testid="alert-unmasked">
              {t('detail.unmasked')}
            </p>
          )}
          <AlertEvidence evidence={shown.evidence} maskedFields={shown.maskedFields} />
        </section>

        {(alert.type === 'ARREARS_HIT' || alert.type === 'MISSING_PERSON_HIT') && role !== null && (
          <PlatePhotoStrip alertId={alert.id} count={alert.count} role={role} />
        )}

        <section className="detail__section">
          <h3 className="detail__heading">{t('detail.timeline')}</h3>
          <Timeline testId="alert-timeline" entries={steps} />
        </section>

        <AlertComments alert={alert} at={at} />
      </div>
      {/* Pinned below the scrolling body: the comment box and its 등록 button are always in view. */}
      {allowed('alert.comment') && <AlertCommentBox alert={alert} />}
    </aside>
  );
}

/** A step of the alert's timeline: who and when, or "—" while it has not happened. */
function step(
  key: string,
  what: string,
  value: string | null,
  testId: string,
  happened = value !== null,
): TimelineEntry {
  return {
    key,
    what,
    tone: happened ? 'done' : 'pending',
    parts: [{ text: value ?? '—', testId }],
  };
}

/** Supervisors assign anyone who may work alerts (the relay lists them). */
function AssigneePicker({
  alert,
  role,
  disabled,
  onAssign,
}: {
  alert: Alert;
  role: Role;
  disabled: boolean;
  onAssign: (username: string | null) => void;
}) {
  const { t } = useTranslation();
  const [assignees, setAssignees] = useState<string[]>([]);
  useEffect(() => {
    let cancelled = false;
    void api.json<AssigneeListResponse>('/api/assignees').then((result) => {
      if (!cancelled && result.ok) setAssignees(result.value.assignees.map((a) => a.username));
    });
    return () => {
      cancelled = true;
    };
  }, [role]);
  const options =
    alert.assignee !== null && !assignees.includes(alert.assignee)
      ? [alert.assignee, ...assignees]
      : assignees;
  return (
    <label className="filter detail__assign">
      <span className="filter__label">{t('detail.assignTo')}</span>
      <select
        data-testid="alert-assignee-select"
        value={alert.assignee ?? ''}
        disabled={disabled}
        onChange={(event) => onAssign(event.target.value === '' ? null : event.target.value)}
      >
        <option value="">{t('detail.nobody')}</option>
        {options.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
