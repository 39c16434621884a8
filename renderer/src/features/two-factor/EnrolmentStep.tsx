import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TotpConfirmResponse, TotpEnrolment } from '../../../../shared/two-factor';
import { confirmEnrolment, startEnrolment, type EnrolAs } from './two-factor-api';
import type { RelayError } from '../../auth/relay-api';
import { twoFactorErrorText } from './two-factor-text';
import { RecoveryCodes } from './RecoveryCodes';

/** The secret is grouped in fours so it can be typed into an app without losing one's place. */
const SECRET_GROUP = 4;

/**
 * Enrolment in two-factor sign-in: the QR code and the secret (shown this once), then the first
 * code from the app, then the recovery codes. At a sign-in whose role requires it this runs with
 * the sign-in's ticket; `onDone` gets the relay's answer (with the session in that case).
 */
export function EnrolmentStep(props: {
  as: EnrolAs;
  required: boolean;
  title?: string;
  /** The way out's label (at a sign-in: back to the password). */
  cancelLabel?: string;
  onDone: (result: TotpConfirmResponse) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const { as } = props;
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [confirmed, setConfirmed] = useState<TotpConfirmResponse | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<RelayError | 'required' | null>(null);

  useEffect(() => {
    let live = true;
    void startEnrolment(as).then((result) => {
      if (!live) return;
      if (result.ok) setEnrolment(result.value);
      else setError(result.error);
    });
    return () => {
      live = false;
    };
    // One enrolment per mount: a new secret each time would void the one being scanned.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (busy || enrolment === null) return;
    if (code.trim() === '') {
      setError('required');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await confirmEnrolment(as, code.trim());
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      setCode('');
      return;
    }
    setConfirmed(result.value);
  };

  if (confirmed !== null) {
    return (
      <RecoveryCodes codes={confirmed.recoveryCodes} onContinue={() => props.onDone(confirmed)} />
    );
  }

  return (
    <form
      className="login__form two-factor__enrol"
      data-testid="totp-enrol-form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
    >
      <h1 className="login__title">{props.title ?? t('twoFactor.enrolTitle')}</h1>
      <p className="two-factor__prompt">
        {props.required ? t('twoFactor.enrolRequired') : t('twoFactor.enrolVoluntary')}
      </p>
      {enrolment === null ? (
        error === null && (
          <p className="two-factor__prompt" data-testid="totp-enrol-loading">
            {t('twoFactor.loading')}
          </p>
        )
      ) : (
        <div className="two-factor__qr-row">
          <img
            className="two-factor__qr"
            data-testid="totp-qr"
            src={enrolment.qrDataUrl}
            alt={t('twoFactor.qrAlt')}
            width={200}
            height={200}
          />
          <div className="two-factor__manual">
            <span className="two-factor__manual-label">{t('twoFactor.manualKey')}</span>
            <code
              className="two-factor__secret"
              data-testid="totp-secret"
              data-secret={enrolment.secret}
            >
              {groups(enrolment.secret)}
            </code>
            <span className="two-factor__account">
              {t('twoFactor.account', { account: enrolment.account, issuer: enrolment.issuer })}
            </span>
          </div>
        </div>
      )}
      <label className="login__field">
        <span>{t('twoFactor.confirmPrompt')}</span>
        <input
          className="two-factor__code-input"
          data-testid="totp-enrol-code"
          name="one-time-code"
          autoComplete="one-time-code"
          inputMode="numeric"
          maxLength={6}
          disabled={enrolment === null}
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
      </label>
      {error !== null && (
        <p className="login__message is-error" data-testid="totp-error" role="alert">
          {error === 'required' ? t('twoFactor.errors.required') : twoFactorErrorText(t, error)}
        </p>
      )}
      <button
        className="login__submit"
        data-testid="totp-enrol-submit"
        type="submit"
        disabled={busy || enrolment === null}
      >
        {busy ? t('twoFactor.verifying') : t('twoFactor.confirm')}
      </button>
      <div className="two-factor__links">
        <button
          type="button"
          className="two-factor__link"
          data-testid="totp-cancel"
          onClick={props.onCancel}
        >
          {props.cancelLabel ?? t('twoFactor.back')}
        </button>
      </div>
    </form>
  );
}

function groups(secret: string): string {
  return secret.match(new RegExp(`.{1,${SECRET_GROUP}}`, 'g'))?.join(' ') ?? secret;
}
