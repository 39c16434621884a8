/**
 * The main-process side of the preload API: one handler per function, each checking that the call
 * comes from the relay's page and validating its input. Electron's ipcMain is injected.
 */
import { IPC, notifySchema, unacknowledgedCountSchema, type NotifyRequest } from '../shared/ipc';
import type { SettingsStore } from './settings-store';

export interface IpcEventLike {
  senderFrame: { url: string } | null;
}

export interface IpcMainLike {
  handle(channel: string, handler: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): void;
}

export interface IpcDeps {
  settings: SettingsStore;
  isTrustedUrl(url: string): boolean;
  showNotification(request: NotifyRequest): void;
  setUnacknowledgedCount(count: number): void;
}

export class IpcInputError extends Error {}

function checkSender(event: IpcEventLike, deps: IpcDeps): void {
  const url = event.senderFrame?.url ?? '';
  if (!deps.isTrustedUrl(url))
    throw new IpcInputError(`IPC from an untrusted page refused: ${url}`);
}

export function registerIpcHandlers(ipc: IpcMainLike, deps: IpcDeps): void {
  ipc.handle(IPC.getSettings, (event) => {
    checkSender(event, deps);
    const { deviceToken: _secret, ...visible } = deps.settings.get();
    return visible;
  });
  ipc.handle(IPC.updateSettings, (event, patch) => {
    checkSender(event, deps);
    const { deviceToken: _secret, ...visible } = deps.settings.update(patch);
    return visible;
  });
  ipc.handle(IPC.notify, (event, request) => {
    checkSender(event, deps);
    const parsed = notifySchema.safeParse(request);
    if (!parsed.success)
      throw new IpcInputError(`invalid notification: ${parsed.error.issues[0]?.message}`);
    deps.showNotification(parsed.data);
  });
  ipc.on(IPC.setUnacknowledged, (event, count) => {
    try {
      checkSender(event, deps);
    } catch {
      return;
    }
    const parsed = unacknowledgedCountSchema.safeParse(count);
    if (parsed.success) deps.setUnacknowledgedCount(parsed.data);
  });
}
