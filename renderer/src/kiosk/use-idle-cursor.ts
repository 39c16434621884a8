/**
 * A wall's pointer hides itself: hidden from the start and again after a few seconds without
 * movement, so a mouse nudged by a cleaner does not leave an arrow on the screen.
 */
import { useEffect, useState } from 'react';

const IDLE_MS = 3000;

export function useIdleCursor(): boolean {
  const [hidden, setHidden] = useState(true);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const active = (): void => {
      setHidden(false);
      clearTimeout(timer);
      timer = setTimeout(() => setHidden(true), IDLE_MS);
    };
    window.addEventListener('pointermove', active, { passive: true });
    window.addEventListener('pointerdown', active, { passive: true });
    return () => {
      clearTimeout(timer);
      window.removeEventListener('pointermove', active);
      window.removeEventListener('pointerdown', active);
    };
  }, []);
  return hidden;
}
