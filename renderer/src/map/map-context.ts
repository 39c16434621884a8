import { createContext, useContext } from 'react';
import type { LayersList } from '@deck.gl/core';
import type { MapboxOverlay } from '@deck.gl/mapbox';
import type { Map as MaplibreMap } from 'maplibre-gl';

/**
 * The deck.gl layers of the one overlay, by owner. Layer components set their entry (as often as
 * every animation frame) and the registry hands the whole list to the overlay in a stable order.
 */
/**
 * Draw order of the overlay's owners, bottom to top: a followed vehicle's trail and track under the
 * vehicles, labels above vehicles so district names stay readable in dense traffic, alerts above
 * everything.
 */
export const DECK_LAYER_ORDER = ['trails', 'vehicles', 'district-labels', 'alerts'] as const;

function orderOf(owner: string): number {
  const known = (DECK_LAYER_ORDER as readonly string[]).indexOf(owner);
  return known === -1 ? DECK_LAYER_ORDER.length : known;
}

export class DeckLayerRegistry {
  private readonly entries = new Map<string, LayersList>();
  private readonly renderListeners = new Set<() => void>();
  private overlay: MapboxOverlay | null = null;

  /** `onChange`: called on every change of the layers (wakes deck.gl's render loop). */
  constructor(private readonly onChange: () => void = () => {}) {}

  /** Connects the overlay; created after the registry so the overlay can report renders to it. */
  attach(overlay: MapboxOverlay): void {
    this.overlay = overlay;
    this.flush();
  }

  set(owner: string, layers: LayersList | null): void {
    if (layers === null) this.entries.delete(owner);
    else this.entries.set(owner, layers);
    this.flush();
  }

  /** Calls `listener` after every deck.gl render; returns the unsubscribe function. */
  onRendered(listener: () => void): () => void {
    this.renderListeners.add(listener);
    return () => {
      this.renderListeners.delete(listener);
    };
  }

  /** The overlay's onAfterRender. */
  rendered = (): void => {
    for (const listener of this.renderListeners) listener();
  };

  private flush(): void {
    const owners = [...this.entries.keys()].sort((a, b) => orderOf(a) - orderOf(b));
    this.overlay?.setProps({ layers: owners.map((owner) => this.entries.get(owner)!) });
    this.onChange();
  }
}

export interface MapContextValue {
  map: MaplibreMap;
  layers: DeckLayerRegistry;
}

export const MapContext = createContext<MapContextValue | null>(null);

/** The map and its layer registry; only for components rendered inside <MapView>. */
export function useMapContext(): MapContextValue {
  const value = useContext(MapContext);
  if (value === null) throw new Error('useMapContext must be used inside <MapView>');
  return value;
}
