import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LoginResponse } from '../../../shared/auth';
import { isLoginChallenge, type LoginChallenge } from '../../../shared/two-factor';
import { LanguageSwitch } from '../features/header/LanguageSwitch';
import { CodeStep } from '../features/two-factor/CodeStep';
import { EnrolmentStep } from '../features/two-factor/EnrolmentStep';
import { passwordLogin } from '../features/two-factor/two-factor-api';
import '../features/two-factor/two-factor.css';
import './login.css';
import { useAppStore } from '../store';
import type { RelayError } from './relay-api';

const HTTP_UNAUTHORIZED = 401;
const HTTP_TOO_MANY = 429;

/** Large type: the login is used at a console, sometimes on a wall, in Korean first. */
export function LoginScreen() {
  const { t } = useTranslation();
  const storeLogin = useAppStore((state) => state.login);
  const notice = useAppStore((state) => state.authNotice);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** After a right password where two-factor sign-in applies: the code or enrolment step. */
  const [challenge, setChallenge] = useState<LoginChallenge | null>(null);

  const describe = (failure: RelayError): string => {
    if (failure.status === HTTP_TOO_MANY) {
      return failure.retryAfterSec === undefined
        ? t('auth.errors.rateLimitedSoon')
        : t('auth.errors.rateLimited', { seconds: String(failure.retryAfterSec) });
    }
    if (failure.status === HTTP_UNAUTHORIZED) {
      return failure.message.includes('disabled')
        ? t('auth.errors.disabled')
        : t('auth.errors.credentials');
    }
    if (failure.code === 'network_error') return t('auth.errors.network');
    return t('auth.errors.other', { message: failure.message });
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (busy) return;
    if (username.trim() === '' || password === '') {
      setError(t('auth.errors.required'));
      return;
    }
    setBusy(true);
    setError(null);
    const result = await passwordLogin({ username, password });
    setBusy(false);
    if (!result.ok) {
      setError(describe(result.error));
      return;
    }
    if (isLoginChallenge(result.value)) {
      setPassword('');
      setChallenge(result.value);
      return;
    }
    signIn(result.value);
  };

  const signIn = (session: LoginResponse): void => {
    storeLogin({ token: session.token, user: session.user });
  };

  /** Back to the password: a step that expired or someone else at the console. */
  const restart = (): void => {
    setChallenge(null);
    setError(null);
  };

  const message = error ?? (notice === null ? null : t(`auth.notice.${notice}`));

  return (
    <main className="login">
      <div className="login__language">
        <LanguageSwitch />
      </div>
      {challenge?.secondFactor === 'totp' && (
        <CodeStep challenge={challenge} onSignedIn={signIn} onCancel={restart} />
      )}
      {challenge?.secondFactor === 'enrol' && (
        <EnrolmentStep
          as={{ ticket: challenge.ticket }}
          required
          onDone={(result) => (result.session ? signIn(result.session) : restart())}
          onCancel={restart}
        />
      )}
      {challenge === null && (
        <form
          className="login__form"
          data-testid="login-form"
          onSubmit={(event) => void onSubmit(event)}
          noValidate
        >
          <h1 className="login__title">{t('auth.title')}</h1>
          <p className="login__subtitle">{t('auth.subtitle')}</p>
          <label className="login__field">
            <span>{t('auth.username')}</span>
            <input
              data-testid="login-username"
              name="username"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              autoFocus
              value={username}
              onChange={(event) => setUsername(event.target.value)}
            />
          </label>
          <label className="login__field">
            <span>{t('auth.password')}</span>
            <input
              data-testid="login-password"
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
          {/* The slot keeps its room whether or not a message shows: the card never jumps. */}
          <div className="login__message-slot">
            {message !== null && (
              <p
                className={error !== null ? 'login__message is-error' : 'login__message'}
                data-testid="login-error"
                role="alert"
              >
                {message}
              </p>
            )}
          </div>
          <button
            className="login__submit"
            data-testid="login-submit"
            type="submit"
            disabled={busy}
          >
            {busy ? t('auth.submitting') : t('auth.submit')}
          </button>
        </form>
      )}
    </main>
  );
}
