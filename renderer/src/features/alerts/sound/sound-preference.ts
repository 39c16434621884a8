/** Whether alert sounds are muted, kept between sessions (like the language). */
const STORAGE_KEY = 'control-room.soundMuted';

export function readStoredSoundMuted(): boolean {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'true';
  } catch {
    return false;
  }
}

export function storeSoundMuted(muted: boolean): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, String(muted));
  } catch {
    // Not persisting is harmless: the next start rings, which is the safe default.
  }
}
