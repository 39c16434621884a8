/**
 * A supervisor takes a hand-off over and records what became of it: filed with TCS by other
 * means (with the case number), withdrawn, or a duplicate; a note is required (the relay's
 * takeoverSchema). Sent against the version the client holds (kept current by the socket), so a
 * change the client has not seen yet is refused (409) rather than overwritten.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MANUAL_OUTCOMES,
  MAX_CASE_NUMBER_LENGTH,
  MAX_DISPATCH_NOTE_LENGTH,
  type Dispatch,
  type ManualOutcome,
} from '../../../../shared/interlock';
import { useRelayError } from '../../lib/use-relay-error';
import { dispatchCommand } from './interlock-api';
import { interlockErrorText } from './interlock-errors';

export function TakeoverDialog({ dispatch, onClose }: { dispatch: Dispatch; onClose: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<ManualOutcome>('filed_manually');
  const [caseNumber, setCaseNumber] = useState(dispatch.caseNumber ?? '');
  const [note, setNote] = useState('');
  const [pending, setPending] = useState(false);
  const { error, showRelayError, setError } = useRelayError();
  const dialogRef = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
  }, []);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setPending(true);
    setError(null);
    const result = await dispatchCommand(dispatch, { takeover: { outcome, caseNumber, note } });
    setPending(false);
    if (result.ok) onClose();
    else showRelayError(interlockErrorText(t, result.error), result.error);
  };

  return (
    <dialog
      ref={dialogRef}
      className="takeover"
      data-testid="dispatch-takeover-form"
      aria-labelledby="takeover-title"
      onClose={onClose}
    >
      <form className="takeover__form" onSubmit={(event) => void submit(event)}>
        <h3 id="takeover-title" className="takeover__title">
          {t('tcs.takeoverTitle', { id: String(dispatch.id) })}
        </h3>
        <label className="filter">
          <span className="filter__label">{t('tcs.outcomeLabel')}</span>
          <select
            data-testid="dispatch-takeover-outcome"
            value={outcome}
            onChange={(event) => setOutcome(event.target.value as ManualOutcome)}
          >
            {MANUAL_OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {t(`tcs.outcome.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span className="filter__label">{t('tcs.caseNumberInput')}</span>
          <input
            data-testid="dispatch-takeover-case"
            value={caseNumber}
            maxLength={MAX_CASE_NUMBER_LENGTH}
            placeholder={t('tcs.caseNumberPlaceholder')}
            onChange={(event) => setCaseNumber(event.target.value)}
          />
        </label>
        <label className="filter">
          <span className="filter__label">{t('tcs.note')}</span>
          <textarea
            className="detail__textarea"
            data-testid="dispatch-takeover-note"
            required
            rows={3}
            maxLength={MAX_DISPATCH_NOTE_LENGTH}
            placeholder={t('tcs.notePlaceholder')}
            value={note}
            onChange={(event) => setNote(event.target.value)}
          />
        </label>
        {error !== null && (
          <p className="detail__error" data-testid="dispatch-takeover-error" role="alert">
            {error}
          </p>
        )}
        <div className="takeover__buttons">
          <button type="button" className="action-button" onClick={onClose}>
            {t('tcs.cancel')}
          </button>
          <button
            type="submit"
            className="action-button is-primary"
            data-testid="dispatch-takeover-submit"
            disabled={pending || note.trim() === ''}
            aria-busy={pending}
          >
            {t('tcs.submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
