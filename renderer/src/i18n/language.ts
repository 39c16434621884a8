/** The languages the client ships, and where the operator's choice is kept between sessions. */
export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'ko';

const STORAGE_KEY = 'control-room.language';

/** The part of Web Storage used here; typed locally so node-side tests can import this file too. */
interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

function storage(): KeyValueStorage | undefined {
  return (globalThis as { localStorage?: KeyValueStorage }).localStorage;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The persisted language, or Korean. Storage can be missing (tests) or blocked (privacy modes). */
export function readStoredLanguage(): Language {
  try {
    const stored = storage()?.getItem(STORAGE_KEY);
    return isLanguage(stored) ? stored : DEFAULT_LANGUAGE;
  } catch {
    return DEFAULT_LANGUAGE;
  }
}

export function storeLanguage(language: Language): void {
  try {
    storage()?.setItem(STORAGE_KEY, language);
  } catch {
    // Not persisting is harmless: the next start falls back to Korean.
  }
}
