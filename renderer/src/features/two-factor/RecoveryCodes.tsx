import { useTranslation } from 'react-i18next';

/** The recovery codes, shown once right after enrolment; the relay keeps only their hashes. */
export function RecoveryCodes(props: { codes: string[]; onContinue: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="login__form" data-testid="totp-recovery">
      <h1 className="login__title">{t('twoFactor.recoveryTitle')}</h1>
      <p className="two-factor__prompt">{t('twoFactor.recoveryIntro')}</p>
      <ul className="two-factor__codes" data-testid="totp-recovery-codes">
        {props.codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button
        className="login__submit"
        data-testid="totp-recovery-continue"
        type="button"
        autoFocus
        onClick={props.onContinue}
      >
        {t('twoFactor.recoverySaved')}
      </button>
    </section>
  );
}
