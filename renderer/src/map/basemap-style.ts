/**
 * The offline basemap: a MapLibre style built in code from the local Busan GeoJSON (no tiles, no
 * glyph server, no sprites), so the map needs nothing but the relay that serves this client.
 *
 * The palette stays in navy and blue-grey: vehicles use red, magenta, orange, blue, cyan, green
 * and yellow (see vehicle-colors.ts), and none of those may be mistaken for the ground.
 */
import type { LngLatBoundsLike, StyleSpecification } from 'maplibre-gl';
import type { FeatureCollection, Point } from 'geojson';
import type { Language } from '../i18n/language';

/** Required credit for the KOSTAT boundaries (KOGL Type 1); always visible on the map. */
export const MAP_ATTRIBUTION = '행정구역 경계: 통계청 SGIS (2018), 공공누리 제1유형';

/** Busan's extent (west, south, east, north), fitted at start. */
export const BUSAN_BOUNDS: LngLatBoundsLike = [
  [128.76, 34.88],
  [129.31, 35.39],
];
/** How far the operator may pan beyond Busan, in degrees: enough to centre any edge district. */
const PAN_MARGIN_DEG = 0.35;
export const PAN_BOUNDS: LngLatBoundsLike = [
  [128.76 - PAN_MARGIN_DEG, 34.88 - PAN_MARGIN_DEG],
  [129.31 + PAN_MARGIN_DEG, 35.39 + PAN_MARGIN_DEG],
];
export const MIN_ZOOM = 8;
/** Boundaries are ~1 m precise; closer than this shows nothing more. */
export const MAX_ZOOM = 17;

/** The Korean font shipped with the client (@fontsource/noto-sans-kr), used for map labels. */
export const MAP_FONT_FAMILY = 'Noto Sans KR';

export const BASEMAP_COLORS = {
  /** Sea: the background, dark navy. */
  sea: '#07111f',
  /** Land: neighbourhood polygons, a blue-grey clearly lighter than the sea. */
  land: '#1f2835',
  dongLine: '#3a475a',
  districtLine: '#6b7c93',
  labelText: '#e2e8f0',
  labelHalo: '#07111f',
} as const;

export const SOURCE_DONGS = 'dongs';
export const SOURCE_DISTRICTS = 'districts';

export interface BasemapUrls {
  districts: string;
  dongs: string;
}

export interface DistrictLabelProperties {
  code: string;
  name: string;
  name_en: string;
}

export type DistrictLabels = FeatureCollection<Point, DistrictLabelProperties>;

/** The label property per language: Korean names, or their romanisation in English. */
export function labelField(language: Language): 'name' | 'name_en' {
  return language === 'en' ? 'name_en' : 'name';
}

/**
 * The style without labels: district names are a deck.gl layer (DistrictLabelLayer) so they draw
 * above the vehicle dots, which sit on top of the whole MapLibre canvas.
 */
export function buildBasemapStyle(urls: BasemapUrls): StyleSpecification {
  return {
    version: 8,
    name: 'busan-control-room',
    sources: {
      [SOURCE_DONGS]: { type: 'geojson', data: urls.dongs },
      [SOURCE_DISTRICTS]: { type: 'geojson', data: urls.districts },
    },
    layers: [
      { id: 'sea', type: 'background', paint: { 'background-color': BASEMAP_COLORS.sea } },
      {
        id: 'land',
        type: 'fill',
        source: SOURCE_DONGS,
        // Dongs tile the land without gaps, so their fill is the coastline too.
        paint: { 'fill-color': BASEMAP_COLORS.land, 'fill-antialias': true },
      },
      {
        id: 'dong-boundaries',
        type: 'line',
        source: SOURCE_DONGS,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': BASEMAP_COLORS.dongLine,
          'line-width': ['interpolate', ['linear'], ['zoom'], 9, 0.4, 14, 1.2],
        },
      },
      {
        id: 'district-boundaries',
        type: 'line',
        source: SOURCE_DISTRICTS,
        layout: { 'line-join': 'round' },
        paint: {
          'line-color': BASEMAP_COLORS.districtLine,
          'line-width': ['interpolate', ['linear'], ['zoom'], 9, 1.2, 14, 3],
        },
      },
    ],
  };
}
