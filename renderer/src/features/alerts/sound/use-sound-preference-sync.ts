import { useEffect } from 'react';
import { useAppStore } from '../../../store';
import { storeSoundMuted } from './sound-preference';

/** Keeps the mute switch for the next start. */
export function useSoundPreferenceSync(): void {
  const muted = useAppStore((state) => state.soundMuted);
  useEffect(() => storeSoundMuted(muted), [muted]);
}
