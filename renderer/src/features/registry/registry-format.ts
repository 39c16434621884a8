/** How registry dates and standings read on the screen. Pure. */
import type { CalibrationStandingView } from '../../../../shared/registry';
import { formatKstDateTime } from '../../lib/format-time';

const DATE_LENGTH = 10;

/** The KST calendar date (YYYY-MM-DD), or a dash. */
export function formatKstDate(epochMs: number | null): string {
  return epochMs === null ? '—' : formatKstDateTime(epochMs).slice(0, DATE_LENGTH);
}

/** The CSS tone of a calibration's standing. */
export function standingTone(standing: CalibrationStandingView): 'ok' | 'notice' | 'bad' {
  return standing === 'overdue' ? 'bad' : standing === 'due_soon' ? 'notice' : 'ok';
}
