import { useEffect } from 'react';
import type { Alert } from '../../../shared/alerts';
import type { MeResponse } from '../../../shared/auth';
import { api } from '../auth/api';
import { endSession } from '../auth/end-session';
import { LoginScreen } from '../auth/LoginScreen';
import { useSessionPersistence } from '../auth/use-session-persistence';
import { desktopApi } from '../desktop/desktop-api';
import { AlertDetail } from '../features/alerts/AlertDetail';
import { AlertInbox } from '../features/alerts/AlertInbox';
import { placeText } from '../features/alerts/districts';
import { installGestureUnlock } from '../features/alerts/gesture-unlock';
import { startAlertNotifier, startTrayCount } from '../features/alerts/notifications';
import { startAlertSound } from '../features/alerts/sound/alert-sound';
import { useSoundPreferenceSync } from '../features/alerts/sound/use-sound-preference-sync';
import { AuditView } from '../features/audit/AuditView';
import { ConnectionLostBanner } from '../features/connection/ConnectionLostBanner';
import { AdminView } from '../features/admin/AdminView';
import { Header } from '../features/header/Header';
import { InterlockPanels } from '../features/interlock/InterlockPanels';
import { ViolationDetail } from '../features/interlock/ViolationDetail';
import { Legend } from '../features/legend/Legend';
import { TimeBar } from '../features/replay/TimeBar';
import { Toasts } from '../features/toasts/Toasts';
import { VehicleDrawer } from '../features/vehicle-drawer/VehicleDrawer';
import { i18n } from '../i18n';
import { useLanguageSync } from '../i18n/use-language-sync';
import { alertCommands } from '../live/alert-commands';
import { fleet, shownFleet } from '../live/fleet';
import { startSocketClient } from '../live/socket-client';
import { AlertLayer } from '../map/layers/AlertLayer';
import { DistrictLabelLayer } from '../map/layers/DistrictLabelLayer';
import { VehicleLayer } from '../map/layers/VehicleLayer';
import { ViolationLayer } from '../map/layers/ViolationLayer';
import { FollowLayer } from '../features/follow/FollowLayer';
import { MapTools } from '../features/search/MapTools';
import { PlaceFocusLayer } from '../features/search/PlaceFocusLayer';
import { DistrictHeatFill } from '../kiosk/map/DistrictHeatFill';
import { MapView } from '../map/MapView';
import { installControlRoomHook } from '../qa/control-room-hook';
import { useAppStore } from '../store';

export function App() {
  useLanguageSync();
  useSessionPersistence();
  useSoundPreferenceSync();
  // Installed before login: the login click is the gesture that allows sound.
  useEffect(() => installGestureUnlock(), []);

  const token = useAppStore((state) => state.session?.token ?? null);
  if (token === null) return <LoginScreen />;
  // Keyed by token: a new login starts a fresh connection and fresh screens.
  return <ControlRoom key={token} token={token} />;
}

/** In the language of the moment the notification shows. */
const notificationText = {
  title: (alert: Alert) =>
    i18n.t('notification.title', {
      severity: i18n.t(`severity.${alert.severity}`),
      type: i18n.t(`alertType.${alert.type}`),
    }),
  body: (alert: Alert) =>
    i18n.t('notification.body', {
      plate: alert.plate ?? i18n.t('inbox.unknownPlate'),
      place: placeText(alert, useAppStore.getState().language) || i18n.t('inbox.unknownPlace'),
    }),
};

function ControlRoom({ token }: { token: string }) {
  const auditOpen = useAppStore((state) => state.auditOpen);
  const mapFilters = useAppStore((state) => state.mapFilters);
  const adminOpen = useAppStore((state) => state.adminOpen);

  useEffect(
    () =>
      startSocketClient({
        fleet,
        store: useAppStore,
        commands: alertCommands,
        getAuth: () => {
          const { lastSeq } = useAppStore.getState();
          return lastSeq > 0 ? { token, lastSeq } : { token };
        },
        onAuthRefused: () => endSession(useAppStore, 'expired'),
      }),
    [token],
  );

  // A role can change while logged in (the relay then drops the socket): on every connect the
  // relay's view of the user replaces the one from the login.
  useEffect(
    () =>
      useAppStore.subscribe((state, previous) => {
        if (!state.connected || previous.connected) return;
        void api.json<MeResponse>('/api/auth/me').then((result) => {
          if (result.ok) useAppStore.getState().setSessionUser(result.value.user);
        });
      }),
    [],
  );

  useEffect(() => startAlertSound(useAppStore), []);
  useEffect(() => startAlertNotifier(useAppStore, notificationText, desktopApi()), []);
  useEffect(() => startTrayCount(useAppStore, desktopApi()), []);
  useEffect(
    () =>
      installControlRoomHook(
        fleet,
        (index) => useAppStore.getState().selectVehicle(index),
        () => shownFleet.current,
      ),
    [],
  );

  return (
    <div className="app">
      <MapView>
        <VehicleLayer />
        <DistrictLabelLayer />
        <AlertLayer />
        {mapFilters.violations && <ViolationLayer />}
        {mapFilters.districtHeat && <DistrictHeatFill />}
        <PlaceFocusLayer />
        <FollowLayer />
        <MapTools />
      </MapView>
      <Header />
      <ConnectionLostBanner />
      <Legend />
      <TimeBar />
      {auditOpen ? (
        <AuditView />
      ) : adminOpen ? (
        <AdminView />
      ) : (
        <>
          <AlertInbox />
          <InterlockPanels />
          <AlertDetail />
          <ViolationDetail />
          <VehicleDrawer />
        </>
      )}
      <Toasts />
    </div>
  );
}
