import '@fontsource/noto-sans-kr/400.css';
import '@fontsource/noto-sans-kr/700.css';
// Shared layouts first: every feature's sheet (imported with its components below) builds on them.
import './app/list-row.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/App';
import { i18n } from './i18n';
import { KioskApp } from './kiosk/KioskApp';
import { isKioskPath } from './kiosk/kiosk-query';
import './styles.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <I18nextProvider i18n={i18n}>
      {/* The relay serves this one client at `/` and `/kiosk` (wall displays). */}
      {isKioskPath(window.location.pathname) ? <KioskApp /> : <App />}
    </I18nextProvider>
  </StrictMode>,
);
