import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TotpStatus } from '../../../../shared/two-factor';
import { relayJson } from '../../auth/relay-api';
import { useAppStore } from '../../store';
import { EnrolmentStep } from './EnrolmentStep';
import type { RelayError } from '../../auth/relay-api';
import { twoFactorErrorText } from './two-factor-text';
import './two-factor.css';

/**
 * The signed-in person's own two-factor sign-in, from the header: enrol (QR code, first code,
 * recovery codes), see it is on and how many recovery codes are left, or turn it off with a code
 * where the role does not require it. Walls (viewers) have device credentials: no button.
 */
export function TwoFactorButton() {
  const { t } = useTranslation();
  const token = useAppStore((state) => state.session?.token ?? null);
  const role = useAppStore((state) => state.session?.user.role ?? null);
  const [open, setOpen] = useState(false);
  if (token === null || role === null || role === 'viewer') return null;
  return (
    <>
      <button
        type="button"
        className="header-button"
        data-testid="two-factor-open"
        onClick={() => setOpen(true)}
      >
        {t('twoFactor.menu')}
      </button>
      {open && <TwoFactorDialog token={token} onClose={() => setOpen(false)} />}
    </>
  );
}

function TwoFactorDialog(props: { token: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { token } = props;
  const [status, setStatus] = useState<TotpStatus | null>(null);
  const [error, setError] = useState<RelayError | 'required' | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const result = await relayJson<TotpStatus>('/api/auth/totp', { token });
    if (result.ok) setStatus(result.value);
    else setError(result.error);
  }, [token]);

  useEffect(() => {
    void load();
  }, [load]);

  const disable = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (busy || code.trim() === '') return;
    setBusy(true);
    const result = await relayJson<TotpStatus>('/api/auth/totp/disable', {
      method: 'POST',
      token,
      body: { code: code.trim() },
    });
    setBusy(false);
    setCode('');
    if (!result.ok) {
      setError(result.error);
      return;
    }
    setError(null);
    setStatus(result.value);
  };

  return (
    <div
      className="two-factor__overlay"
      role="dialog"
      aria-modal="true"
      data-testid="two-factor-dialog"
    >
      {status !== null && !status.enabled ? (
        <EnrolmentStep
          as={{ token }}
          required={status.required}
          onDone={() => void load()}
          onCancel={props.onClose}
          cancelLabel={t('twoFactor.close')}
        />
      ) : (
        <form className="login__form" onSubmit={(event) => void disable(event)} noValidate>
          <h1 className="login__title">{t('twoFactor.menu')}</h1>
          {status !== null && (
            <p className="two-factor__prompt" data-testid="two-factor-status">
              {t('twoFactor.statusOn', { count: status.recoveryCodesLeft })}
            </p>
          )}
          {status?.required && <p className="two-factor__prompt">{t('twoFactor.requiredOn')}</p>}
          {status !== null && !status.required && (
            <label className="login__field">
              <span>{t('twoFactor.disablePrompt')}</span>
              <input
                className="two-factor__code-input"
                data-testid="two-factor-disable-code"
                name="one-time-code"
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={6}
                value={code}
                onChange={(event) => setCode(event.target.value)}
              />
            </label>
          )}
          {error !== null && (
            <p className="login__message is-error" role="alert" data-testid="totp-error">
              {error === 'required' ? t('twoFactor.errors.required') : twoFactorErrorText(t, error)}
            </p>
          )}
          {status !== null && !status.required && (
            <button
              className="login__submit"
              data-testid="two-factor-disable"
              type="submit"
              disabled={busy}
            >
              {t('twoFactor.disable')}
            </button>
          )}
          <div className="two-factor__links">
            <button
              type="button"
              className="two-factor__link"
              data-testid="two-factor-close"
              onClick={props.onClose}
            >
              {t('twoFactor.close')}
            </button>
          </div>
        </form>
      )}
    </div>
  );
}
