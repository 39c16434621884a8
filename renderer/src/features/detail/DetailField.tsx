/**
 * One labelled value of a detail panel (alert, violation): a row of the panel's definition list.
 * MaskedField is the same row for personal data: it says when the relay masked the value rather
 * than showing an empty or unknown one, and marks a masked text (`김*수`) as such.
 */
import { useTranslation } from 'react-i18next';

export function DetailField({
  testId,
  label,
  value,
  strong = false,
  alarm = false,
}: {
  testId: string;
  label: string;
  value: string;
  /** The value the panel is about (a plate): larger. */
  strong?: boolean;
  /** A value over a legal limit (blood alcohol): in the alarm colour. */
  alarm?: boolean;
}) {
  const classes = [strong ? 'is-strong' : '', alarm ? 'is-alarm' : ''].filter(Boolean).join(' ');
  return (
    <div className="detail__field">
      <dt>{label}</dt>
      <dd data-testid={testId} className={classes || undefined}>
        {value}
      </dd>
    </div>
  );
}

export function MaskedField({
  testId,
  label,
  value,
  masked,
}: {
  testId: string;
  label: string;
  /** As the relay sent it: a masked text, or null where masking removed the value. */
  value: string | null;
  /** The relay masked this field for the person's role. */
  masked: boolean;
}) {
  const { t } = useTranslation();
  const text = value ?? (masked ? t('detail.masked') : t('drawer.unknown'));
  return (
    <div className="detail__field">
      <dt>{label}</dt>
      <dd
        data-testid={testId}
        data-masked={masked}
        className={masked ? 'is-masked' : undefined}
        title={masked ? t('detail.maskedHint') : undefined}
      >
        {text}
      </dd>
    </div>
  );
}
