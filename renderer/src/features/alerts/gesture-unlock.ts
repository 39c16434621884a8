/**
 * Browsers allow audio (and notification prompts) only after a user gesture. The first click or
 * key press anywhere (the login button counts) unlocks both.
 */
import { alertSound } from './sound/alert-sound';
import { requestNotificationPermission } from './notifications';

export function installGestureUnlock(): () => void {
  const options = { capture: true } as const;
  const onGesture = (): void => {
    alertSound.unlock();
    requestNotificationPermission();
    if (alertSound.unlocked) remove();
  };
  const remove = (): void => {
    window.removeEventListener('pointerdown', onGesture, options);
    window.removeEventListener('keydown', onGesture, options);
  };
  window.addEventListener('pointerdown', onGesture, options);
  window.addEventListener('keydown', onGesture, options);
  return remove;
}
