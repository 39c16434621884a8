/**
 * District names large enough to read across a room, Korean over English, above the vehicles
 * (deck.gl, in the `district-labels` slot of the overlay's order). With `counts`, each district's
 * number of open alerts sits above its name (the heat view). Renders nothing.
 */
import { TextLayer } from '@deck.gl/layers';
import { useEffect, useMemo, useState } from 'react';
import { markLabelsDrawn } from '../../map/map-status';
import { BASEMAP_COLORS, MAP_FONT_FAMILY, type DistrictLabels } from '../../map/basemap-style';
import { useMapContext } from '../../map/map-context';
import { DISTRICT_LABELS, loadLabelFonts } from '../../map/map-fonts';
import { useAppStore } from '../../store';
import { openAlertsByDistrict } from '../district-heat';
import {
  EN_COMPACT_OFFSET,
  EN_COMPACT_SIZE_PX,
  EN_OFFSET,
  EN_SIZE_PX,
  isCompact,
  KO_COMPACT_SIZE_PX,
  KO_SIZE_PX,
  placedWallDistricts,
} from './wall-label-placement';

const OWNER = 'district-labels';
/** The heat view's count sits above the Korean name. */
const COUNT_SIZE_PX = 38;
const COUNT_COMPACT_SIZE_PX = 28;
const COUNT_OFFSET: [number, number] = [0, -38];
const COUNT_COMPACT_OFFSET: [number, number] = [0, -26];
const ATLAS_FONT_SIZE_PX = 64;
const ATLAS_BUFFER_PX = 8;
const ATLAS_SDF_RADIUS_PX = 16;
const OUTLINE_WIDTH = 5;
const FONT_WEIGHT = 700;
const DIGITS = '0123456789+';

type LabelFeature = DistrictLabels['features'][number];

function hexToRgba(hex: string): [number, number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255];
}

const TEXT_COLOR = hexToRgba(BASEMAP_COLORS.labelText);
const EN_COLOR: [number, number, number, number] = [0xb8, 0xc4, 0xd6, 255];
const OUTLINE_COLOR = hexToRgba(BASEMAP_COLORS.labelHalo);
const CHARACTER_SET = [
  ...new Set(
    DISTRICT_LABELS.features.flatMap((f) => [
      ...`${f.properties.name}${f.properties.name_en}${DIGITS}`,
    ]),
  ),
];

const COMMON = {
  getPosition: (f: LabelFeature) => f.geometry.coordinates as [number, number],
  sizeUnits: 'pixels' as const,
  fontFamily: `"${MAP_FONT_FAMILY}", sans-serif`,
  fontWeight: FONT_WEIGHT,
  characterSet: CHARACTER_SET,
  fontSettings: {
    sdf: true,
    fontSize: ATLAS_FONT_SIZE_PX,
    buffer: ATLAS_BUFFER_PX,
    radius: ATLAS_SDF_RADIUS_PX,
  },
  outlineWidth: OUTLINE_WIDTH,
  outlineColor: OUTLINE_COLOR,
  getTextAnchor: 'middle' as const,
  getAlignmentBaseline: 'center' as const,
  pickable: false,
};

export function KioskDistrictLabels({ counts: withCounts }: { counts: boolean }) {
  const { layers, map } = useMapContext();
  // The wall's camera is fixed, but the window (and so the scale) may change.
  const [cameraMoves, setCameraMoves] = useState(0);
  useEffect(() => {
    const moved = (): void => setCameraMoves((n) => n + 1);
    map.on('moveend', moved);
    map.on('resize', moved);
    return () => {
      map.off('moveend', moved);
      map.off('resize', moved);
    };
  }, [map]);
  const alertsById = useAppStore((state) => state.alertsById);
  const counts = useMemo(
    () => (withCounts ? openAlertsByDistrict(alertsById) : null),
    [withCounts, alertsById],
  );

  useEffect(() => {
    let cancelled = false;
    // The atlas is drawn once from the shipped font: wait for its files (map-fonts.ts).
    void loadLabelFonts(DISTRICT_LABELS).then(() => {
      if (cancelled) return;
      const container = map.getContainer();
      const placed = placedWallDistricts(
        (lon, lat) => map.project([lon, lat]),
        { width: container.clientWidth, height: container.clientHeight },
        counts,
      );
      const shown = DISTRICT_LABELS.features.filter((f) => placed.has(f.properties.code));
      const counted =
        counts === null ? [] : shown.filter((f) => (counts.get(f.properties.code) ?? 0) > 0);
      layers.set(OWNER, [
        new TextLayer<LabelFeature>({
          ...COMMON,
          id: 'kiosk-district-names-ko',
          data: shown,
          getText: (f) => f.properties.name,
          getSize: (f) => (isCompact(f) ? KO_COMPACT_SIZE_PX : KO_SIZE_PX),
          getColor: TEXT_COLOR,
        }),
        new TextLayer<LabelFeature>({
          ...COMMON,
          id: 'kiosk-district-names-en',
          data: shown,
          getText: (f) => f.properties.name_en,
          getSize: (f) => (isCompact(f) ? EN_COMPACT_SIZE_PX : EN_SIZE_PX),
          getColor: EN_COLOR,
          getPixelOffset: (f) => (isCompact(f) ? EN_COMPACT_OFFSET : EN_OFFSET),
        }),
        counted.length === 0
          ? null
          : new TextLayer<LabelFeature>({
              ...COMMON,
              id: 'kiosk-district-counts',
              data: counted,
              getText: (f) => String(counts?.get(f.properties.code) ?? 0),
              updateTriggers: { getText: counts },
              getSize: (f) => (isCompact(f) ? COUNT_COMPACT_SIZE_PX : COUNT_SIZE_PX),
              getColor: TEXT_COLOR,
              getPixelOffset: (f) => (isCompact(f) ? COUNT_COMPACT_OFFSET : COUNT_OFFSET),
            }),
      ]);
      markLabelsDrawn();
    });
    return () => {
      cancelled = true;
    };
  }, [layers, map, counts, cameraMoves]);

  useEffect(() => () => layers.set(OWNER, null), [layers]);

  return null;
}
