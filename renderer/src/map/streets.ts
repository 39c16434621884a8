/**
 * Puts the deployment's streets on the map (GET /api/basemap): nothing to do with the bundled
 * default, else the basemap style is replaced by one with streets in it, in the chosen language.
 * Layers other features added at run time (the wall's district heat) are carried over.
 */
import type { Map as MaplibreMap, StyleSpecification } from 'maplibre-gl';
import type { BasemapConfig } from '../../../shared/basemap';
import { relayJson } from '../auth/relay-api';
import type { Language } from '../i18n/language';
import { activeRelay } from '../live/relay-origin';
import { mapFontFaces } from './map-fonts';
import { STREET_FONT_NAMES, withOwnStyle, withStreetTiles } from './street-style';

/** What the map shows now, for QA: which streets, and whether the style with them has drawn. */
export interface StreetsState {
  kind: BasemapConfig['kind'] | 'unknown';
  drawn: boolean;
}

/** Where run-time layers go back: under the boundary lines, as they were added. */
const FIRST_BOUNDARY_LAYER = 'dong-boundaries';

function carryOver(
  previous: StyleSpecification | undefined,
  next: StyleSpecification,
  known: Set<string>,
): StyleSpecification {
  const extra = (previous?.layers ?? []).filter(
    (layer) => !known.has(layer.id) && !next.layers.some((other) => other.id === layer.id),
  );
  if (extra.length === 0) return next;
  const at = next.layers.findIndex((layer) => layer.id === FIRST_BOUNDARY_LAYER);
  const layers = [...next.layers];
  layers.splice(at < 0 ? layers.length : at, 0, ...extra);
  return { ...next, layers };
}

/**
 * Reads the relay's basemap and applies it; resolves with what is shown. `base` is the bundled
 * style the map was created with.
 */
export async function applyStreets(
  map: MaplibreMap,
  base: StyleSpecification,
  language: Language,
  onState: (state: StreetsState) => void,
): Promise<void> {
  const result = await relayJson<BasemapConfig>('/api/basemap');
  // No answer: the bundled basemap stays, which is what a map without streets shows anyway.
  if (!result.ok) return onState({ kind: 'unknown', drawn: true });
  const config = result.value;
  if (config.kind === 'none') return onState({ kind: 'none', drawn: true });
  const known = new Set(base.layers.map((layer) => layer.id));
  onState({ kind: config.kind, drawn: false });
  // Drawn: the new style has loaded and then everything in view (tiles included) has rendered.
  map.once('style.load', () => map.once('idle', () => onState({ kind: config.kind, drawn: true })));
  if (config.kind === 'tiles') {
    const style = withStreetTiles(
      base,
      config,
      activeRelay(),
      language,
      mapFontFaces(STREET_FONT_NAMES),
    );
    map.setStyle(style, { transformStyle: (previous) => carryOver(previous, style, known) });
    return;
  }
  map.setStyle(config.style, {
    transformStyle: (previous, own) =>
      carryOver(previous, withOwnStyle(own, base, config.attribution), known),
  });
}
