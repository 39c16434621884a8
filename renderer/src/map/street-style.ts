/**
 * Streets from the deployment (DESIGN §13), merged into the offline basemap: a vector archive the
 * relay serves, drawn with @protomaps/basemaps' layers for the Protomaps schema (Korean names
 * first, English with the language switch); a raster archive as images; or the deployment's own
 * style with our boundaries added on top. Everything MapLibre draws lies under the deck.gl
 * overlay, so streets and their names are always under the vehicles.
 */
import { layers as protomapsLayers, namedFlavor, type Flavor } from '@protomaps/basemaps';
import type {
  FontFacesSpecification,
  LayerSpecification,
  SourceSpecification,
  StyleSpecification,
} from 'maplibre-gl';
import type { BasemapConfig } from '../../../shared/basemap';
import type { Language } from '../i18n/language';
import { BASEMAP_COLORS, SOURCE_DISTRICTS, SOURCE_DONGS } from './basemap-style';

export const SOURCE_STREETS = 'streets';

/**
 * The Protomaps dark flavour moved into this map's navy and blue-grey, with roads a step lighter
 * than the land, so none of the vehicle hues (vehicle-colors.ts) is mistaken for a road.
 */
const STREET_FLAVOR: Flavor = {
  ...namedFlavor('dark'),
  background: BASEMAP_COLORS.sea,
  earth: BASEMAP_COLORS.land,
  water: BASEMAP_COLORS.sea,
  buildings: '#263142',
  highway: '#7d8ca3',
  highway_casing_early: '#1b2330',
  highway_casing_late: '#1b2330',
  major: '#5f6f87',
  major_casing_early: '#1b2330',
  major_casing_late: '#1b2330',
  link: '#5f6f87',
  minor_a: '#4a5870',
  minor_b: '#414e64',
  minor_service: '#38445a',
  other: '#38445a',
  roads_label_major: '#c3ccd9',
  roads_label_major_halo: BASEMAP_COLORS.sea,
  roads_label_minor: '#a3aebf',
  roads_label_minor_halo: BASEMAP_COLORS.sea,
  ocean_label: '#5d6f88',
};

/**
 * Layers left out: the flavour's background (the basemap has its own sea), place names (the
 * KOSTAT district and neighbourhood names are ours, drawn above the vehicles) and anything that
 * needs a sprite sheet (POI icons, road shields, one-way arrows): no sprites are shipped.
 */
function wanted(layer: LayerSpecification): boolean {
  if (layer.type === 'background') return false;
  if (layer.id.startsWith('places_') || layer.id === 'pois') return false;
  const layout = (layer as { layout?: Record<string, unknown> }).layout;
  return !(layout && 'icon-image' in layout);
}

/** The fonts the Protomaps layers name: all drawn from the shipped Korean font (see map-fonts). */
export const STREET_FONT_NAMES = ['Noto Sans Regular', 'Noto Sans Medium', 'Noto Sans Italic'];

/** Street layers split into what goes under the boundaries and the names that go above them. */
export function streetLayers(language: Language): {
  under: LayerSpecification[];
  names: LayerSpecification[];
} {
  const all = protomapsLayers(SOURCE_STREETS, STREET_FLAVOR, { lang: language }).filter(wanted);
  return {
    under: all.filter((layer) => layer.type !== 'symbol'),
    names: all.filter((layer) => layer.type === 'symbol'),
  };
}

/** Attribution is HTML to MapLibre: the credit is text, so it is escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

type TilesConfig = Extract<BasemapConfig, { kind: 'tiles' }>;

/** The archive's tiles as a MapLibre source; `origin` makes the relay-relative template absolute. */
export function streetSource(config: TilesConfig, origin: string): SourceSpecification {
  const common = {
    tiles: [new URL(config.tiles, origin).href.replace(/%7B/g, '{').replace(/%7D/g, '}')],
    minzoom: config.minZoom,
    maxzoom: config.maxZoom,
    ...(config.bounds ? { bounds: config.bounds } : {}),
    ...(config.attribution ? { attribution: escapeHtml(config.attribution) } : {}),
  };
  return config.format === 'pbf'
    ? { type: 'vector', ...common }
    : { type: 'raster', tileSize: 256, ...common };
}

/** Layers of ours that are lines and fills (everything but the sea and the land under it). */
function isBoundary(layer: LayerSpecification): boolean {
  return layer.id === 'dong-boundaries' || layer.id === 'district-boundaries';
}

/**
 * The offline basemap with the archive's streets: sea, land, then streets, then our boundaries,
 * then street and water names.
 */
export function withStreetTiles(
  base: StyleSpecification,
  config: TilesConfig,
  origin: string,
  language: Language,
  fontFaces: FontFacesSpecification,
): StyleSpecification {
  const boundaries = base.layers.filter(isBoundary);
  const ground = base.layers.filter((layer) => !isBoundary(layer));
  const source = streetSource(config, origin);
  if (config.format !== 'pbf') {
    return {
      ...base,
      sources: { ...base.sources, [SOURCE_STREETS]: source },
      layers: [
        ...ground,
        { id: 'streets-raster', type: 'raster', source: SOURCE_STREETS },
        ...boundaries,
      ],
    };
  }
  const { under, names } = streetLayers(language);
  return {
    ...base,
    'font-faces': fontFaces,
    sources: { ...base.sources, [SOURCE_STREETS]: source },
    layers: [...ground, ...under, ...boundaries, ...names],
  };
}

/**
 * A deployment's own style (BASEMAP_STYLE) with our boundaries drawn over it, so districts and
 * neighbourhoods stay where the alerts name them. Its own sea and land replace ours.
 */
export function withOwnStyle(
  own: StyleSpecification,
  base: StyleSpecification,
  attribution: string | null,
): StyleSpecification {
  const boundaries = base.layers.filter(isBoundary);
  const dongs = base.sources[SOURCE_DONGS]!;
  return {
    ...own,
    sources: {
      ...own.sources,
      [SOURCE_DONGS]: attribution
        ? ({ ...(dongs as object), attribution: escapeHtml(attribution) } as SourceSpecification)
        : dongs,
      [SOURCE_DISTRICTS]: base.sources[SOURCE_DISTRICTS]!,
    },
    layers: [...own.layers, ...boundaries],
  };
}
