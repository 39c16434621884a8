/**
 * Kiosk windows ignore the keys a passer-by could use to close, reload or inspect them.
 * Decided from the key event alone, so it is unit-tested without Electron.
 */
export interface KeyInput {
  type: string;
  key: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

const BLOCKED_PLAIN_KEYS = new Set(['F5', 'F11', 'F12']);
const BLOCKED_MODIFIED_KEYS = new Set(['w', 'q', 'r', 'n', 't', 'p', 's', 'o', 'i', 'j', 'm', 'h']);

export function isBlockedInKiosk(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  if (BLOCKED_PLAIN_KEYS.has(input.key)) return true;
  if (input.alt && (input.key === 'F4' || input.key === 'Tab' || input.key === 'Home')) return true;
  if ((input.control || input.meta) && BLOCKED_MODIFIED_KEYS.has(input.key.toLowerCase()))
    return true;
  if (input.key === 'Escape') return true; // leaving full screen
  return false;
}
