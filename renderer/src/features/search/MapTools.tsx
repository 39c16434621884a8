/**
 * The map's tool strip, top left beside the inbox: search, follow and what is shown. Rendered
 * inside <MapView> (search and follow move its camera).
 */
import { useAppStore } from '../../store';
import { FollowBar } from '../follow/FollowBar';
import { MapFilterPanel } from '../map-filters/MapFilterPanel';
import { SearchBox } from './SearchBox';
import './map-tools.css';

export function MapTools() {
  const inboxCollapsed = useAppStore((state) => state.inboxCollapsed);
  return (
    <div
      className={inboxCollapsed ? 'map-tools' : 'map-tools map-tools--beside-inbox'}
      data-testid="map-tools"
    >
      <SearchBox />
      <MapFilterPanel />
      <FollowBar />
    </div>
  );
}
