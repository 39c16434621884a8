/**
 * Place names above the vehicle dots (deck.gl: MapLibre's own symbols sit under the whole overlay,
 * where dense traffic covered them): Busan's 16 districts at every zoom and, from neighbourhood
 * zoom on, its 206 neighbourhoods (동), so "동래구 온천3동" in an alert can be found on the map.
 * Names never overlap: on every camera move they are placed by priority (label-placement.ts),
 * districts before neighbourhoods. They appear only once the areas they name are drawn.
 * Renders nothing.
 */
import { TextLayer } from '@deck.gl/layers';
import type { Map as MaplibreMap } from 'maplibre-gl';
import { useEffect } from 'react';
import { useAppStore } from '../../store';
import { markLabelsDrawn } from '../map-status';
import {
  BASEMAP_COLORS,
  labelField,
  MAP_FONT_FAMILY,
  SOURCE_DISTRICTS,
  SOURCE_DONGS,
  type DistrictLabels,
} from '../basemap-style';
import { estimateTextSize, placeLabels, type LabelBox } from '../label-placement';
import { useMapContext } from '../map-context';
import { DISTRICT_LABELS, DONG_LABELS, loadLabelFonts } from '../map-fonts';

const OWNER = 'district-labels';
const DISTRICT_SIZE_PX = 16;
const DONG_SIZE_PX = 12;
/** Neighbourhood names from this zoom on: below it they would only crowd out the districts. */
export const DONG_LABEL_MIN_ZOOM = 12;
const DISTRICT_PRIORITY = 2;
const DONG_PRIORITY = 1;
/** The font atlas is rendered large and scaled down, so the outline stays crisp. */
const ATLAS_FONT_SIZE_PX = 64;
const ATLAS_BUFFER_PX = 8;
const ATLAS_SDF_RADIUS_PX = 16;
/** Outline width as a fraction of the glyph: a dark halo that separates names from dots. */
const OUTLINE_WIDTH = 4;
const DISTRICT_FONT_WEIGHT = 700;
const DONG_FONT_WEIGHT = 400;

type LabelFeature = DistrictLabels['features'][number];

function hexToRgba(hex: string): [number, number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255];
}

const TEXT_COLOR = hexToRgba(BASEMAP_COLORS.labelText);
/** Neighbourhood names a step dimmer than district names: they are the finer grain. */
const DONG_TEXT_COLOR: [number, number, number, number] = [0xb8, 0xc4, 0xd6, 255];
const OUTLINE_COLOR = hexToRgba(BASEMAP_COLORS.labelHalo);
const ALL_LABELS: DistrictLabels = {
  type: 'FeatureCollection',
  features: [...DISTRICT_LABELS.features, ...DONG_LABELS.features],
};
/** Every character of both languages' names, so switching language needs no new atlas. */
const CHARACTER_SET = [
  ...new Set(
    ALL_LABELS.features.flatMap((f) => [...`${f.properties.name}${f.properties.name_en}`]),
  ),
];

/** Resolves once both boundary sources have loaded: a name never shows before its area. */
function whenAreasLoaded(map: MaplibreMap): Promise<void> {
  const loaded = () => {
    try {
      return map.isSourceLoaded(SOURCE_DISTRICTS) && map.isSourceLoaded(SOURCE_DONGS);
    } catch {
      // The style (and so the sources) is not there yet.
      return false;
    }
  };
  if (loaded()) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (!loaded()) return;
      map.off('sourcedata', check);
      map.off('idle', check);
      resolve();
    };
    map.on('sourcedata', check);
    map.on('idle', check);
  });
}

/** The names with room on screen now, districts first. */
function visibleLabels(
  map: MaplibreMap,
  field: 'name' | 'name_en',
): { districts: LabelFeature[]; dongs: LabelFeature[] } {
  const withDongs = map.getZoom() >= DONG_LABEL_MIN_ZOOM;
  const boxes: LabelBox[] = [];
  const add = (features: LabelFeature[], size: number, priority: number, kind: string) => {
    for (const feature of features) {
      const [lon, lat] = feature.geometry.coordinates as [number, number];
      const point = map.project([lon, lat]);
      const { width, height } = estimateTextSize(feature.properties[field], size);
      boxes.push({
        id: `${kind}:${feature.properties.code}`,
        x: point.x,
        y: point.y,
        width,
        height,
        priority,
      });
    }
  };
  add(DISTRICT_LABELS.features, DISTRICT_SIZE_PX, DISTRICT_PRIORITY, 'd');
  if (withDongs) add(DONG_LABELS.features, DONG_SIZE_PX, DONG_PRIORITY, 'n');
  const container = map.getContainer();
  const kept = placeLabels(boxes, { width: container.clientWidth, height: container.clientHeight });
  return {
    districts: DISTRICT_LABELS.features.filter((f) => kept.has(`d:${f.properties.code}`)),
    dongs: withDongs ? DONG_LABELS.features.filter((f) => kept.has(`n:${f.properties.code}`)) : [],
  };
}

function textLayer(
  id: string,
  data: LabelFeature[],
  field: 'name' | 'name_en',
  size: number,
  weight: number,
  color: [number, number, number, number],
) {
  return new TextLayer<LabelFeature>({
    id,
    data,
    getPosition: (f) => f.geometry.coordinates as [number, number],
    getText: (f) => f.properties[field],
    updateTriggers: { getText: field },
    getSize: size,
    sizeUnits: 'pixels',
    getColor: color,
    fontFamily: `"${MAP_FONT_FAMILY}", sans-serif`,
    fontWeight: weight,
    characterSet: CHARACTER_SET,
    fontSettings: {
      sdf: true,
      fontSize: ATLAS_FONT_SIZE_PX,
      buffer: ATLAS_BUFFER_PX,
      radius: ATLAS_SDF_RADIUS_PX,
    },
    outlineWidth: OUTLINE_WIDTH,
    outlineColor: OUTLINE_COLOR,
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: false,
  });
}

export function DistrictLabelLayer() {
  const { map, layers } = useMapContext();
  const language = useAppStore((state) => state.language);

  useEffect(() => {
    let cancelled = false;
    let frame = 0;
    let shown = '';
    const field = labelField(language);

    const place = (): void => {
      frame = 0;
      const { districts, dongs } = visibleLabels(map, field);
      const key = [...districts, ...dongs].map((f) => f.properties.code).join(',');
      if (key === shown) return;
      shown = key;
      layers.set(OWNER, [
        textLayer('dong-labels', dongs, field, DONG_SIZE_PX, DONG_FONT_WEIGHT, DONG_TEXT_COLOR),
        textLayer(OWNER, districts, field, DISTRICT_SIZE_PX, DISTRICT_FONT_WEIGHT, TEXT_COLOR),
      ]);
    };
    const schedule = (): void => {
      if (frame === 0) frame = requestAnimationFrame(place);
    };

    // The atlas is drawn once from the shipped font: wait for its files, or it would be drawn in a
    // fallback face and kept. And wait for the areas, so no name floats over an empty sea.
    void Promise.all([loadLabelFonts(ALL_LABELS), whenAreasLoaded(map)]).then(() => {
      if (cancelled) return;
      place();
      map.on('move', schedule);
      map.on('resize', schedule);
      markLabelsDrawn();
    });
    return () => {
      cancelled = true;
      cancelAnimationFrame(frame);
      map.off('move', schedule);
      map.off('resize', schedule);
      layers.set(OWNER, null);
    };
  }, [map, layers, language]);

  return null;
}
