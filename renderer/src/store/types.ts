import type { Alert, AlertComment, AlertCommentPage } from '../../../shared/alerts';
import type { SessionUser } from '../../../shared/auth';
import type { HealthSnapshot } from '../../../shared/events';
import type { VehicleEntry, VehicleTableUpdate } from '../../../shared/vehicles';
import type { Session } from '../auth/session';
import type { AlertCommentsView } from '../features/alerts/alert-comments';
import type { AlertFilters, AlertsById } from '../features/alerts/alert-list';
import type { Language } from '../i18n/language';
import type { ChangesSlice } from './changes-slice';
import type { InterlockSlice } from './interlock-slice';
import type { MapSlice } from './map-slice';
import type { ReplaySlice } from './replay-slice';

/** The Socket.IO link to the relay. Times are monotonic ms (performance.now()). */
export interface ConnectionSlice {
  connected: boolean;
  /** When the client started trying, so "no frame for 15 s" also holds before the first frame. */
  startedAt: number;
  /** When the link dropped, or null while connected (and before the first connect). */
  disconnectedSince: number | null;
  /** The relay's last error or disconnect reason, for the indicator's tooltip. */
  lastError: string | null;
  health: HealthSnapshot | null;
  setConnected: () => void;
  setDisconnected: (now: number, reason: string) => void;
  setHealth: (health: HealthSnapshot) => void;
}

/**
 * Vehicle metadata (what a frame's index means) and the operator's selection. Positions are not
 * here: they change every frame and live in the FleetBuffer outside React.
 */
export interface FleetSlice {
  /**
   * Vehicle table keyed by index. Mutated in place on upserts (see applyVehicleTable); entries
   * themselves are replaced, never mutated, so selecting one entry re-renders on its change.
   */
  vehicles: Map<number, VehicleEntry>;
  /** The relay's table version after the last update applied. */
  tableVersion: number;
  /** Local change counter: bumps on every table update so list views can re-render. */
  tableRevision: number;
  /** Live vehicles on the map (from the fleet buffer, copied here when it changes). */
  liveCount: number;
  selectedIndex: number | null;
  applyVehicleTable: (update: VehicleTableUpdate) => void;
  setLiveCount: (count: number) => void;
  selectVehicle: (index: number | null) => void;
}

/** Why the login screen is showing, when it is not the first visit. */
export type AuthNotice = 'expired' | 'loggedOut';

/** Who is logged in (mirrored to sessionStorage by useSessionPersistence). */
export interface SessionSlice {
  session: Session | null;
  authNotice: AuthNotice | null;
  login: (session: Session) => void;
  logout: (notice?: AuthNotice | null) => void;
  /** The relay's current view of the user (a role can change while logged in). */
  setSessionUser: (user: SessionUser) => void;
}

/**
 * The alert inbox: every alert the relay sent, by id (each the newest version seen), the selection
 * and the inbox filters. (The seq to catch up from is the changes slice's.)
 */
export interface AlertsSlice {
  alertsById: AlertsById;
  /** The first snapshot arrived (before it, an empty inbox means "loading", not "none"). */
  alertsLoaded: boolean;
  selectedAlertId: number | null;
  alertFilters: AlertFilters;
  /** One alert change (or a command's answer): kept only when newer than the copy held. */
  upsertAlert: (alert: Alert) => void;
  /**
   * The alerts of a catch-up on (re)connect: merged by version, never replacing newer copies; a
   * full snapshot (`full`) also drops those it does not name.
   */
  mergeAlertSnapshot: (alerts: Alert[], full?: boolean) => void;
  selectAlert: (id: number | null) => void;
  setAlertFilter: <K extends keyof AlertFilters>(key: K, value: AlertFilters[K]) => void;
  /** On logout: nothing of one user's session stays for the next. */
  clearAlerts: () => void;
  /** The selected alert's comments (paged from the relay, live ones added); null until read. */
  alertComments: AlertCommentsView | null;
  /** The newest page of an alert's comments arrived (kept only while it is selected). */
  showAlertComments: (alertId: number, page: AlertCommentPage) => void;
  /** An older page of the shown alert's comments arrived. */
  showOlderAlertComments: (alertId: number, page: AlertCommentPage) => void;
  /** One `alertComment` event: added when it belongs to the alert whose comments are shown. */
  addAlertComment: (comment: AlertComment) => void;
}

export type ToastTone = 'error' | 'info';

export interface Toast {
  id: number;
  tone: ToastTone;
  text: string;
}

/** Panels that drop from the header into the same corner; two open at once overlapped. */
export type HeaderPanel = 'kpis' | 'registry';

export interface UiSlice {
  language: Language;
  soundMuted: boolean;
  inboxCollapsed: boolean;
  auditOpen: boolean;
  /** The admin screen (users, devices, who is signed in) replaces the map's panels. */
  adminOpen: boolean;
  /** The header's drop-down panel that is open (KPIs or the registry): one at a time. */
  headerPanel: HeaderPanel | null;
  toasts: Toast[];
  setLanguage: (language: Language) => void;
  setSoundMuted: (muted: boolean) => void;
  setInboxCollapsed: (collapsed: boolean) => void;
  setAuditOpen: (open: boolean) => void;
  setAdminOpen: (open: boolean) => void;
  setHeaderPanel: (panel: HeaderPanel | null) => void;
  pushToast: (toast: Omit<Toast, 'id'>) => void;
  dismissToast: (id: number) => void;
}

export type AppState = ConnectionSlice &
  FleetSlice &
  UiSlice &
  SessionSlice &
  AlertsSlice &
  InterlockSlice &
  ChangesSlice &
  ReplaySlice &
  MapSlice;
