import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginResponse } from '../../../../shared/auth';
import type { LoginChallenge } from '../../../../shared/two-factor';
import { codeLogin } from './two-factor-api';
import type { RelayError } from '../../auth/relay-api';
import { twoFactorErrorText } from './two-factor-text';

/**
 * The second step of a sign-in: the code from the authenticator app, or a recovery code. Drawn
 * inside the login card, so the screen stays where the password was typed.
 */
export function CodeStep(props: {
  challenge: LoginChallenge;
  onSignedIn: (session: LoginResponse) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<RelayError | 'required' | null>(null);

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    if (code.trim() === '') {
      setError('required');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await codeLogin(props.challenge.ticket, code);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      setCode('');
      return;
    }
    props.onSignedIn(result.value);
  };

  return (
    <form
      className="login__form"
      data-testid="totp-form"
      onSubmit={(event) => void onSubmit(event)}
      noValidate
    >
      <h1 className="login__title">{t('twoFactor.codeTitle')}</h1>
      <p className="login__subtitle" data-testid="totp-user">
        {t('twoFactor.signedInAs', {
          username: props.challenge.user.username,
          role: t(`roles.${props.challenge.user.role}`),
        })}
      </p>
      <p className="two-factor__prompt">
        {recovery ? t('twoFactor.recoveryPrompt') : t('twoFactor.codePrompt')}
      </p>
      <label className="login__field">
        <span>{recovery ? t('twoFactor.recoveryCode') : t('twoFactor.code')}</span>
        <input
          key={recovery ? 'recovery' : 'totp'}
          className={recovery ? 'two-factor__recovery-input' : 'two-factor__code-input'}
          data-testid="totp-code"
          name={recovery ? 'recovery-code' : 'one-time-code'}
          autoComplete="one-time-code"
          inputMode={recovery ? 'text' : 'numeric'}
          autoCapitalize={recovery ? 'characters' : 'none'}
          spellCheck={false}
          maxLength={recovery ? 13 : 6}
          autoFocus
          value={code}
          onChange={(event) => setCode(event.target.value)}
        />
      </label>
      {error !== null && (
        <p className="login__message is-error" data-testid="totp-error" role="alert">
          {error === 'required' ? t('twoFactor.errors.required') : twoFactorErrorText(t, error)}
        </p>
      )}
      <button className="login__submit" data-testid="totp-submit" type="submit" disabled={busy}>
        {busy ? t('twoFactor.verifying') : t('twoFactor.verify')}
      </button>
      <div className="two-factor__links">
        <button
          type="button"
          className="two-factor__link"
          data-testid="totp-toggle-recovery"
          onClick={() => {
            setRecovery((value) => !value);
            setCode('');
            setError(null);
          }}
        >
          {recovery ? t('twoFactor.useApp') : t('twoFactor.useRecovery')}
        </button>
        <button
          type="button"
          className="two-factor__link"
          data-testid="totp-cancel"
          onClick={props.onCancel}
        >
          {t('twoFactor.back')}
        </button>
      </div>
    </form>
  );
}
