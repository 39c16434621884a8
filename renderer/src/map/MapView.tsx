/**
 * Owns the one MapLibre map and the one deck.gl overlay. Layer components are its children: they
 * render nothing and register deck.gl layers through MapContext.
 */
import { MapboxOverlay, type MapboxOverlayProps } from '@deck.gl/mapbox';
import {
  AttributionControl,
  Map as MaplibreMap,
  NavigationControl,
  setWorkerUrl,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// maplibre-gl 6 is ESM-only and finds its worker next to its own module, which a bundle moves:
// the worker is shipped as an asset and named explicitly (a file URL also satisfies the CSP,
// which forbids blob: workers).
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import districtsUrl from '../../../resources/map/districts.geojson?url';
import dongsUrl from '../../../resources/map/dongs.geojson?url';
import { markBasemapReady, markDeckRendered, reportStreets, setQaMap } from './map-status';
import {
  BUSAN_BOUNDS,
  buildBasemapStyle,
  MAP_ATTRIBUTION,
  MAP_FONT_FAMILY,
  MAX_ZOOM,
  MIN_ZOOM,
  PAN_BOUNDS,
} from './basemap-style';
import { useAppStore } from '../store';
import { DeckLayerRegistry, MapContext, type MapContextValue } from './map-context';
import { DISTRICT_LABELS, loadLabelFonts } from './map-fonts';
import { OnDemandFrames } from './on-demand-frames';
import { applyStreets } from './streets';

setWorkerUrl(workerUrl);

/**
 * Room around Busan when fitting: clears the header (64 px) at the top and the legend strip
 * (34 px + 8 px margin, see styles.css) at the bottom, so neither covers the city at start.
 */
const FIT_PADDING = { top: 88, bottom: 60, left: 32, right: 32 };
/**
 * The alert inbox docks on the left (styles.css `--inbox-width`: 440 px, 12 px from the edge):
 * while it is open, the map's centre shifts right so Busan's west is not hidden beneath it.
 */
const INBOX_CLEARANCE_PX = 440 + 12;
/** Pointer input on the map wakes deck.gl's loop: hover and click picking run in its next frame. */
const WAKING_POINTER_EVENTS = ['pointermove', 'pointerdown', 'pointerup', 'wheel'] as const;

/**
 * Asset URLs made absolute: MapLibre fetches GeoJSON inside its worker, where a relative URL would
 * resolve against the worker script's address instead of the page's.
 */
function absolute(url: string): string {
  return new URL(url, window.location.href).href;
}

/** The bundled basemap (boundaries only); streets, where the deployment has them, join it. */
function bundledStyle() {
  return buildBasemapStyle({ districts: absolute(districtsUrl), dongs: absolute(dongsUrl) });
}

/**
 * `wall`: a wall display (kiosk) — nobody pans, zooms or clicks, so no zoom buttons and no
 * handlers, and no room kept for an inbox it does not have; its own camera fits the city.
 */
export function MapView({ children, wall = false }: { children?: ReactNode; wall?: boolean }) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [context, setContext] = useState<MapContextValue | null>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (container === null) return;
    let disposed = false;

    const map = new MaplibreMap({
      container,
      style: bundledStyle(),
      bounds: BUSAN_BOUNDS,
      fitBoundsOptions: { padding: FIT_PADDING },
      maxBounds: PAN_BOUNDS,
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      // A control room map stays north-up and flat.
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      renderWorldCopies: false,
      interactive: !wall,
      attributionControl: false,
      // No glyph server: CJK glyphs are drawn from the shipped font.
      localIdeographFontFamily: MAP_FONT_FAMILY,
    });
    // The inbox's room is camera padding, so fitting (now) and later moves both keep clear of it.
    if (!wall && !useAppStore.getState().inboxCollapsed) {
      map.setPadding({ top: 0, bottom: 0, right: 0, left: INBOX_CLEARANCE_PX });
      map.fitBounds(BUSAN_BOUNDS, { padding: FIT_PADDING, animate: false });
    }
    map.touchZoomRotate.disableRotation();
    map.keyboard.disableRotation();
    map.addControl(
      // Not collapsed: the licence requires the credit to be visible.
      new AttributionControl({ compact: false, customAttribution: MAP_ATTRIBUTION }),
      'bottom-right',
    );
    if (!wall) map.addControl(new NavigationControl({ showCompass: false }), 'bottom-right');

    // Overlay mode (interleaved: false): deck.gl 9.4's interleaved mode reads map internals that
    // maplibre-gl 6 removed and draws nothing.
    // deck.gl's render loop runs only while something may need a draw (on-demand-frames.ts).
    const frames = new OnDemandFrames({
      request: (callback) => requestAnimationFrame(callback),
      cancel: (handle) => cancelAnimationFrame(handle),
      setTimer: (callback, ms) => window.setTimeout(callback, ms),
      clearTimer: (handle) => window.clearTimeout(handle),
    });
    const layers = new DeckLayerRegistry(frames.wake);
    const overlayProps: MapboxOverlayProps & { animationFrameProvider: OnDemandFrames } = {
      interleaved: false,
      layers: [],
      // No multisampling: every deck.gl layer here smooths its own edges, and on a software
      // renderer (SwiftShader, no GPU) 4× multisampling doubles the cost of each draw.
      deviceProps: { webgl: { antialias: false } },
      // Not in deck.gl's prop types, but passed through to its luma.gl AnimationLoop.
      animationFrameProvider: frames,
      onAfterRender: () => {
        frames.wake();
        markDeckRendered();
        layers.rendered();
      },
    };
    const overlay = new MapboxOverlay(overlayProps);
    map.on('move', frames.wake);
    map.on('resize', frames.wake);
    for (const type of WAKING_POINTER_EVENTS) {
      container.addEventListener(type, frames.wake, { passive: true });
    }
    layers.attach(overlay);
    map.addControl(overlay);
    setQaMap(map);
    setContext({ map, layers });

    // The label font loads while the basemap does; labels themselves are a deck.gl layer
    // (DistrictLabelLayer) so they draw above the vehicle dots.
    const fontsReady = loadLabelFonts(DISTRICT_LABELS);
    const basemapDrawn = new Promise<void>((resolve) => map.once('idle', () => resolve()));
    void Promise.all([fontsReady, basemapDrawn]).then(() => {
      if (!disposed) markBasemapReady();
    });

    return () => {
      disposed = true;
      for (const type of WAKING_POINTER_EVENTS) container.removeEventListener(type, frames.wake);
      setQaMap(null);
      setContext(null);
      map.remove();
    };
  }, [wall]);

  // The deployment's streets (GET /api/basemap), named in the language of the moment.
  const language = useAppStore((state) => state.language);
  useEffect(() => {
    if (context === null) return;
    void applyStreets(context.map, bundledStyle(), language, reportStreets);
  }, [context, language]);

  const inboxCollapsed = useAppStore((state) => state.inboxCollapsed);
  useEffect(() => {
    if (context === null || wall) return;
    const left = inboxCollapsed ? 0 : INBOX_CLEARANCE_PX;
    if (context.map.getPadding().left !== left) {
      context.map.easeTo({ padding: { top: 0, bottom: 0, right: 0, left }, duration: 300 });
    }
  }, [context, inboxCollapsed, wall]);

  return (
    <>
      <div ref={containerRef} className="map" data-testid="map" />
      {context !== null && <MapContext value={context}>{children}</MapContext>}
    </>
  );
}
