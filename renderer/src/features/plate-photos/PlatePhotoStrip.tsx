/**
 * The proof of a plate hit: each read's photo beside the plate as the camera read it, the time
 * and, where the message carried one, the OCR confidence. Several reads of a merged alert show as
 * a strip, newest first. Only for roles that may see photos (not walls, not viewers).
 */
import { useTranslation } from 'react-i18next';
import { can, type Role } from '../../../../shared/roles';
import { formatKstDateTime } from '../../lib/format-time';
import { formatPercent } from '../../lib/format-money';
import { useAlertReads, type ReadWithPhoto } from './use-alert-reads';
import './plate-photos.css';

export function PlatePhotoStrip({
  alertId,
  count,
  role,
}: {
  alertId: number;
  /** The alert's detection count: a new merged read refetches the strip. */
  count: number;
  role: Role;
}) {
  if (!can(role, 'alert.photo')) return null;
  return <PhotoStrip alertId={alertId} count={count} />;
}

function PhotoStrip({ alertId, count }: { alertId: number; count: number }) {
  const { t } = useTranslation();
  const state = useAlertReads(alertId, count);
  return (
    <section className="plate-photos" aria-label={t('platePhoto.title')} data-testid="plate-photos">
      <h3 className="plate-photos__heading">{t('platePhoto.title')}</h3>
      {state.status === 'loading' && (
        <p className="plate-photos__note">{t('platePhoto.loading')}</p>
      )}
      {state.status === 'error' && (
        <p className="plate-photos__note" role="alert">
          {t('platePhoto.listError', { message: state.error.message })}
        </p>
      )}
      {state.status === 'ready' && state.reads.length === 0 && (
        <p className="plate-photos__note">{t('platePhoto.none')}</p>
      )}
      {state.status === 'ready' && state.reads.length > 0 && (
        <ol className="plate-photos__strip" data-testid="plate-photo-strip">
          {state.reads.map((read) => (
            <PhotoCard key={read.detectionId} read={read} />
          ))}
        </ol>
      )}
    </section>
  );
}

function PhotoCard({ read }: { read: ReadWithPhoto }) {
  const { t } = useTranslation();
  return (
    <li
      className="plate-photos__card"
      data-testid="plate-photo-card"
      data-detection={read.detectionId}
    >
      <div className="plate-photos__frame">
        {read.photoUrl !== null ? (
          <img
            className="plate-photos__image"
            src={read.photoUrl}
            alt={t('platePhoto.alt', { plate: read.plateText ?? '' })}
            data-testid="plate-photo-image"
          />
        ) : (
          <span className="plate-photos__placeholder" data-testid="plate-photo-missing">
            {read.photoError !== null
              ? t('platePhoto.photoError', { message: read.photoError.message })
              : read.photoPath === null
                ? t('platePhoto.noImage')
                : t('platePhoto.loading')}
          </span>
        )}
      </div>
      <dl className="plate-photos__facts">
        <dt>{t('platePhoto.readText')}</dt>
        <dd className="plate-photos__plate" data-testid="plate-photo-text">
          {read.plateText ?? t('drawer.unknown')}
        </dd>
        <dt>{t('platePhoto.confidence')}</dt>
        <dd data-testid="plate-photo-confidence">
          {read.ocrConfidence === null
            ? t('platePhoto.noConfidence')
            : formatPercent(read.ocrConfidence)}
        </dd>
        <dt>{t('platePhoto.readAt')}</dt>
        <dd>
          {read.detectedMs === null
            ? t('drawer.unknown')
            : `${formatKstDateTime(read.detectedMs)} KST`}
        </dd>
      </dl>
    </li>
  );
}
