/**
 * The preload API the desktop shell gives the page (`window.controlRoomDesktop`): named,
 * single-purpose functions; subscriptions return an unsubscribe. Both ends import these types;
 * the main process validates every payload with the schemas below.
 */
import { z } from 'zod';

export const WALL_VIEWS = ['map', 'alerts', 'kpi', 'heat'] as const;
export type WallView = (typeof WALL_VIEWS)[number];

export const MIN_ROTATE_SECONDS = 5;
export const MAX_ROTATE_SECONDS = 3600;

const relayUrlSchema = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (
        (u.protocol === 'http:' || u.protocol === 'https:') &&
        u.username === '' &&
        u.password === ''
      );
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');

/** The page's query parameter listing the relays it may move between (renderer/src/live). */
export const RELAYS_QUERY_PARAM = 'relays';
export const MAX_RELAY_ADDRESSES = 16;

export const wallScreenSchema = z.object({
  /** Electron display id; screens without one take the displays in order. */
  displayId: z.number().int().nonnegative().optional(),
  views: z.array(z.enum(WALL_VIEWS)).min(1).max(WALL_VIEWS.length),
  rotateSeconds: z.number().int().min(MIN_ROTATE_SECONDS).max(MAX_ROTATE_SECONDS).default(30),
});
export type WallScreen = z.output<typeof wallScreenSchema>;

export const desktopSettingsSchema = z.object({
  /** The relay to show; unset → the app starts the embedded relay itself. */
  relayUrl: relayUrlSchema.nullable().default(null),
  /**
   * Other relays of the same deployment (DESIGN §12): when the link to one is lost the page moves
   * to the next (passed to it as `?relays=`, RELAYS_QUERY_PARAM).
   */
  relays: z.array(relayUrlSchema).max(MAX_RELAY_ADDRESSES).default([]),
  language: z.enum(['ko', 'en']).default('ko'),
  kiosk: z.boolean().default(false),
  wall: z.array(wallScreenSchema).max(16).default([]),
  sound: z.boolean().default(true),
  /** A wall's device credential (issued by an admin); kept by the shell, never shown. */
  deviceToken: z.string().min(1).max(4096).nullable().default(null),
});
export type DesktopSettings = z.output<typeof desktopSettingsSchema>;
/** What the page may change (the device credential is set by an admin on the machine only). */
export const settingsPatchSchema = desktopSettingsSchema
  .omit({ deviceToken: true })
  .partial()
  .strict();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

export const notifySchema = z
  .object({
    alertId: z.string().min(1).max(100),
    title: z.string().min(1).max(200),
    body: z.string().max(1000),
  })
  .strict();
export type NotifyRequest = z.input<typeof notifySchema>;

export const unacknowledgedCountSchema = z.number().int().min(0).max(1_000_000);

/** IPC channel names: one per function, never a generic forwarder. */
export const IPC = {
  getSettings: 'settings:get',
  updateSettings: 'settings:update',
  notify: 'notify:critical',
  setUnacknowledged: 'tray:unacknowledged',
  focusAlert: 'alert:focus',
} as const;

export interface DesktopApi {
  readonly isDesktop: true;
  readonly platform: string;
  getSettings(): Promise<DesktopSettings>;
  updateSettings(patch: SettingsPatch): Promise<DesktopSettings>;
  /** A native notification for a critical alert; clicking it focuses the alert. */
  notifyCritical(request: NotifyRequest): Promise<void>;
  /** The tray shows this many unacknowledged alerts. */
  setUnacknowledgedCount(count: number): void;
  /** Called when a notification is clicked; returns the unsubscribe. */
  onFocusAlert(listener: (alertId: string) => void): () => void;
}
