/**
 * The wall display (`/kiosk`): the same client in kiosk mode. No login prompt — a device
 * credential or a notice saying how to get one — then the views of `?views=…&rotate=…`.
 */
import { useEffect, useState } from 'react';
import { Bi } from './Bi';
import { CredentialNeeded } from './CredentialNeeded';
import { KioskFeedBanner } from './KioskFeedBanner';
import { KioskHeader } from './KioskHeader';
import { KIOSK_TEXT } from './kiosk-text';
import { parseKioskQuery, type KioskConfig } from './kiosk-query';
import { KioskRoot } from './KioskRoot';
import { KioskScreen } from './KioskScreen';
import { useDeviceSession } from './use-device-session';
import './kiosk.css';

function readConfig(): KioskConfig {
  const config = parseKioskQuery(window.location.search);
  if (config.ignored.length > 0) {
    console.warn(`kiosk: unknown views ignored: ${config.ignored.join(', ')}`);
  }
  return config;
}

export function KioskApp() {
  const [config] = useState(readConfig);
  const { session, refuse } = useDeviceSession();

  useEffect(() => {
    document.documentElement.lang = 'ko';
    document.title = `${KIOSK_TEXT.title.ko} — 상황판 (${KIOSK_TEXT.title.en} wall)`;
  }, []);

  switch (session.phase) {
    case 'ready':
      return (
        <KioskScreen key={session.token} token={session.token} config={config} onRefused={refuse} />
      );
    case 'problem':
      return (
        <KioskRoot state="credential">
          <CredentialNeeded problem={session.problem} />
        </KioskRoot>
      );
    case 'unreachable':
    case 'checking':
      return (
        <KioskRoot state={session.phase}>
          <KioskHeader />
          <section className="kiosk-notice">
            <p className="kiosk-notice__title">
              <Bi
                text={session.phase === 'checking' ? KIOSK_TEXT.checking : KIOSK_TEXT.connecting}
              />
            </p>
            {session.phase === 'unreachable' && (
              <p className="kiosk-notice__reason">
                <Bi text={KIOSK_TEXT.connectingRetry} />
              </p>
            )}
          </section>
          <KioskFeedBanner />
        </KioskRoot>
      );
  }
}
