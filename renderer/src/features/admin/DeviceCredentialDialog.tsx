/**
 * A wall's new device credential, shown once: the kiosk address to paste into the wall's browser
 * (the token rides in the fragment, which browsers never send to servers or write to logs) and the
 * same address as a QR code, drawn here from the text (qrcode, no network).
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceTokenResponse } from '../../../../shared/auth';
import { DEVICE_FRAGMENT_PARAM } from '../../kiosk/device-credential';
import { formatKstDateTime } from '../../lib/format-time';
import { activeRelay } from '../../live/relay-origin';

/** Pixels of the QR image: a phone or a wall's camera reads it from across a desk. */
const QR_SIZE_PX = 280;
const QR_MARGIN_MODULES = 2;
/** How long "copied" stays on the button. */
const COPIED_MS = 2000;

export function kioskAddress(origin: string, token: string): string {
  const url = new URL('/kiosk', origin);
  url.hash = `${DEVICE_FRAGMENT_PARAM}=${token}`;
  return url.toString();
}

export function DeviceCredentialDialog({
  credential,
  onClose,
}: {
  credential: DeviceTokenResponse;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const address = kioskAddress(activeRelay(), credential.token);
  const [qr, setQr] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    let cancelled = false;
    void QRCode.toDataURL(address, {
      width: QR_SIZE_PX,
      margin: QR_MARGIN_MODULES,
      errorCorrectionLevel: 'M',
    }).then((url) => {
      if (!cancelled) setQr(url);
    });
    return () => {
      cancelled = true;
    };
  }, [address]);

  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), COPIED_MS);
    return () => clearTimeout(timer);
  }, [copied]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [onClose]);

  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(address);
      setCopied(true);
    } catch {
      // No clipboard permission (an http page, a locked-down browser): the text stays selectable.
      document.querySelector<HTMLTextAreaElement>('[data-testid="admin-device-address"]')?.select();
    }
  };

  return (
    <div className="admin-dialog__backdrop" role="presentation">
      <div
        className="admin-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="admin-device-title"
        data-testid="admin-device-dialog"
        data-username={credential.username}
      >
        <h3 id="admin-device-title" className="admin-dialog__title">
          {t('admin.device.title', { username: credential.username })}
        </h3>
        <div className="admin-dialog__body">
          <div className="admin-dialog__address">
            <label htmlFor="admin-device-address">{t('admin.device.address')}</label>
            <textarea
              id="admin-device-address"
              data-testid="admin-device-address"
              readOnly
              rows={4}
              value={address}
              onFocus={(event) => event.target.select()}
            />
            <div className="admin-dialog__row">
              <button
                type="button"
                className="panel-button"
                data-testid="admin-device-copy"
                onClick={() => void copy()}
              >
                {copied ? t('admin.device.copied') : t('admin.device.copy')}
              </button>
              <span className="admin-dim" data-testid="admin-device-expires">
                {t('admin.device.expires', { at: formatKstDateTime(credential.expiresAtMs) })}
              </span>
            </div>
            <p className="admin-warning">{t('admin.device.once')}</p>
            <p className="admin-dim">{t('admin.device.desktop')}</p>
          </div>
          <figure className="admin-dialog__qr">
            {qr === null ? (
              <div className="admin-dialog__qr-placeholder" />
            ) : (
              <img
                src={qr}
                width={QR_SIZE_PX}
                height={QR_SIZE_PX}
                alt={t('admin.device.qr')}
                data-testid="admin-device-qr"
              />
            )}
            <figcaption className="admin-dim">{t('admin.device.qr')}</figcaption>
          </figure>
        </div>
        <div className="admin-dialog__actions">
          <button
            type="button"
            className="panel-button"
            data-testid="admin-device-close"
            onClick={onClose}
          >
            {t('admin.device.close')}
          </button>
        </div>
      </div>
    </div>
  );
}
