/**
 * Blood alcohol (혈중알코올농도) written one way everywhere a person reads it: the desk's panels and
 * details, the audit log's words and the relay's CSV exports. Readings are carried as % BAC.
 */

const PERMILLE_PER_PERCENT = 10;

/**
 * A reading in both ways people write it: `0.050% (0.50‰)`. Korean law states the limit in %
 * (0.03%); some devices and reports use ‰.
 */
export function formatBac(bacPercent: number): string {
  return `${bacPercent.toFixed(3)}% (${(bacPercent * PERMILLE_PER_PERCENT).toFixed(2)}‰)`;
}
