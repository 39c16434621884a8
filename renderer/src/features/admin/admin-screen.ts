/** Opening the admin screen, optionally on one user (from an audit row about them). */
import { useAppStore } from '../../store';

let focusUser: string | null = null;

export function openAdminScreen(username: string | null = null): void {
  focusUser = username;
  useAppStore.getState().setAdminOpen(true);
}

/** The user the screen was opened on, once: the screen marks and scrolls to them when it loads. */
export function takeFocusUser(): string | null {
  const username = focusUser;
  focusUser = null;
  return username;
}
