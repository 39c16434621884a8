/** Groups of three digits. */
const THOUSANDS = /\B(?=(\d{3})+(?!\d))/g;

/** Korean won as operators write it: `₩1,250,000` (no decimals; the won has none in use). */
export function formatKrw(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}₩${String(Math.round(Math.abs(amount))).replace(THOUSANDS, ',')}`;
}

/** A 0–1 ratio as a whole percentage: `0.934` → `93%`. */
export function formatPercent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}
