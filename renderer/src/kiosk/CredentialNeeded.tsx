import { Bi } from './Bi';
import type { CredentialProblem } from './device-credential';
import { fill, KIOSK_TEXT } from './kiosk-text';

/**
 * Full screen, large, in both languages: the wall has no (usable) device credential. Never a
 * login form — a wall has no keyboard and no one to type a password — but what an administrator
 * must do, with this display's own address.
 */
export function CredentialNeeded({ problem }: { problem: CredentialProblem }) {
  const text = KIOSK_TEXT.credential;
  const address = `${window.location.origin}${window.location.pathname}${window.location.search}`;
  return (
    <section
      className="kiosk-notice kiosk-notice--credential"
      data-testid="kiosk-credential-needed"
      data-problem={problem}
    >
      {/* Drawn, not an emoji: walls may have no emoji font. */}
      <svg className="kiosk-notice__icon" viewBox="0 0 24 24" aria-hidden="true">
        <rect x="4" y="10" width="16" height="12" rx="2" fill="currentColor" />
        <path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" strokeWidth="2.5" />
      </svg>
      <h1 className="kiosk-notice__title">
        <Bi text={text.title} />
      </h1>
      <p className="kiosk-notice__reason">
        <Bi text={text[problem]} />
      </p>
      <div className="kiosk-notice__steps">
        <h2 className="kiosk-notice__steps-title">
          <Bi text={text.adminTitle} inline />
        </h2>
        <ol>
          {text.steps.map((step, index) => (
            <li key={index}>
              <Bi text={fill(step, { address })} />
            </li>
          ))}
        </ol>
      </div>
      {problem !== 'missing' && (
        <p className="kiosk-notice__retry">
          <Bi text={text.retry} inline />
        </p>
      )}
    </section>
  );
}
