import type { ReactNode } from 'react';
import { Bi } from '../Bi';
import type { Bilingual } from '../kiosk-text';

/** A key figure: its label in both languages over a number big enough to read across a room. */
export function Figure({
  label,
  value,
  detail,
  alarm = false,
  testId,
  dataValue,
  beside = false,
}: {
  label: Bilingual;
  value: ReactNode;
  detail?: ReactNode;
  /** Someone must act: the number turns the alarm colour (steady) and the tile's border flashes. */
  alarm?: boolean;
  testId?: string;
  /** The figure as plain data for scripts (`data-value`). */
  dataValue?: number | string;
  /** The detail beside the number rather than under it. */
  beside?: boolean;
}) {
  return (
    <div
      className={`kiosk-figure${alarm ? ' kiosk-figure--alarm' : ''}${
        beside ? ' kiosk-figure--beside' : ''
      }`}
      data-testid={testId}
      data-value={dataValue}
    >
      <div className="kiosk-figure__label">
        <Bi text={label} />
      </div>
      <div className="kiosk-figure__body">
        <div className="kiosk-figure__value">{value}</div>
        {detail !== undefined && <div className="kiosk-figure__detail">{detail}</div>}
      </div>
    </div>
  );
}
