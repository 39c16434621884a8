import type { WallView } from '../../../../shared/ipc';
import { VehicleLayer } from '../../map/layers/VehicleLayer';
import { MapView } from '../../map/MapView';
import { DistrictHeatFill } from './DistrictHeatFill';
import { KioskAlertMarkers } from './KioskAlertMarkers';
import { KioskCamera } from './KioskCamera';
import { KioskDistrictLabels } from './KioskDistrictLabels';

/**
 * The one map of a wall, shared by the map and heat views so a rotation does not build a new
 * WebGL map every turn. While another view shows, it stays (hidden) with no live layers, so it
 * draws nothing.
 */
export function KioskMap({
  view,
  sideWidth,
  footer,
}: {
  view: WallView;
  sideWidth: number;
  footer: number;
}) {
  const shown = view === 'map' || view === 'heat';
  return (
    <div className={shown ? 'kiosk-map' : 'kiosk-map kiosk-map--hidden'} aria-hidden={!shown}>
      <MapView wall>
        <KioskCamera sideWidth={sideWidth} footer={footer} />
        {view === 'heat' && <DistrictHeatFill />}
        {view === 'map' && <VehicleLayer />}
        {shown && <KioskDistrictLabels counts={view === 'heat'} />}
        {view === 'map' && <KioskAlertMarkers />}
      </MapView>
    </div>
  );
}
