import { useEffect } from 'react';
import { fleet } from '../live/fleet';
import { startSocketClient } from '../live/socket-client';
import { installControlRoomHook } from '../qa/control-room-hook';
import { useAppStore } from '../store';
import { KioskFeedBanner } from './KioskFeedBanner';
import { KioskHeader } from './KioskHeader';
import type { KioskConfig } from './kiosk-query';
import { kioskFooterPx, sidePanelWidth } from './kiosk-layout';
import { KioskRoot } from './KioskRoot';
import { KioskRotation } from './KioskRotation';
import { KioskMap } from './map/KioskMap';
import { useRotation } from './use-rotation';
import { useViewport } from './use-viewport';
import { AlertBoard } from './views/AlertBoard';
import { HeatOverview } from './views/HeatOverview';
import { KpiBoard } from './views/KpiBoard';
import { MapOverview } from './views/MapOverview';

const MS_PER_SECOND = 1000;

/**
 * A signed-in wall: one socket (positions, alerts, health; it sends no commands), the views in
 * turn, the feed banner over them. Read-only by construction: nothing here can act.
 */
export function KioskScreen({
  token,
  config,
  onRefused,
}: {
  token: string;
  config: KioskConfig;
  onRefused: () => void;
}) {
  useEffect(
    () =>
      startSocketClient({
        fleet,
        store: useAppStore,
        getAuth: () => {
          const { lastSeq } = useAppStore.getState();
          // `client: 'wall'` lets admins tell walls from desks among who is signed in.
          return lastSeq > 0 ? { token, lastSeq, client: 'wall' } : { token, client: 'wall' };
        },
        onAuthRefused: onRefused,
      }),
    [token, onRefused],
  );
  // A REST call refused with 401 ends the store's session (auth/relay-api.ts): the same verdict.
  useEffect(
    () =>
      useAppStore.subscribe((state, previous) => {
        if (previous.session !== null && state.session === null) onRefused();
      }),
    [onRefused],
  );
  // Walls select nothing; the hook is there for readiness and pixel positions in browser tests.
  useEffect(() => installControlRoomHook(fleet, () => undefined), []);

  const rotateMs = config.rotateSeconds * MS_PER_SECOND;
  const position = useRotation(config.views, rotateMs);
  const { view } = position;
  const sideWidth = sidePanelWidth(useViewport().width);
  const hasMap = config.views.some((v) => v === 'map' || v === 'heat');
  const rotating = config.views.length > 1;

  return (
    <KioskRoot state="ready" view={view} sideWidth={sideWidth} rotating={rotating}>
      {hasMap && <KioskMap view={view} sideWidth={sideWidth} footer={kioskFooterPx(rotating)} />}
      <KioskHeader view={view} />
      <main className="kiosk-main">
        {view === 'map' && <MapOverview />}
        {view === 'alerts' && <AlertBoard footer={kioskFooterPx(rotating)} />}
        {view === 'kpi' && <KpiBoard />}
        {view === 'heat' && <HeatOverview />}
      </main>
      <KioskFeedBanner />
      {rotating && <KioskRotation views={config.views} position={position} rotateMs={rotateMs} />}
    </KioskRoot>
  );
}
