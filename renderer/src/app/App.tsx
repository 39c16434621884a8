import { useEffect } from 'react';
import { ConnectionLostBanner } from '../features/connection/ConnectionLostBanner';
import { Header } from '../features/header/Header';
import { Legend } from '../features/legend/Legend';
import { VehicleDrawer } from '../features/vehicle-drawer/VehicleDrawer';
import { useLanguageSync } from '../i18n/use-language-sync';
import { fleet } from '../live/fleet';
import { startSocketClient } from '../live/socket-client';
import { DistrictLabelLayer } from '../map/layers/DistrictLabelLayer';
import { VehicleLayer } from '../map/layers/VehicleLayer';
import { MapView } from '../map/MapView';
import { installControlRoomHook } from '../qa/control-room-hook';
import { useAppStore } from '../store';

export function App() {
  useLanguageSync();

  useEffect(() => startSocketClient({ fleet, store: useAppStore }), []);
  useEffect(
    () => installControlRoomHook(fleet, (index) => useAppStore.getState().selectVehicle(index)),
    [],
  );

  return (
    <div className="app">
      <MapView>
        <VehicleLayer />
        <DistrictLabelLayer />
      </MapView>
      <Header />
      <ConnectionLostBanner />
      <Legend />
      <VehicleDrawer />
    </div>
  );
}
