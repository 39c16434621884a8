/**
 * District names large enough to read across a room, Korean over English, above the vehicles
 * (deck.gl, in the `district-labels` slot of the overlay's order). With `counts`, each district's
 * number of open alerts sits above its name (the heat view). Renders nothing.
 */
import { TextLayer } from '@deck.gl/layers';
import { useEffect, useMemo } from 'react';
import { markLabelsDrawn } from '../../map/map-status';
import { BASEMAP_COLORS, MAP_FONT_FAMILY, type DistrictLabels } from '../../map/basemap-style';
import { useMapContext } from '../../map/map-context';
import { DISTRICT_LABELS, loadLabelFonts } from '../../map/map-fonts';
import { useAppStore } from '../../store';
import { openAlertsByDistrict } from '../district-heat';

const OWNER = 'district-labels';
/**
 * Busan's old centre packs seven small districts (중구 is 3 km²) where the label points lie a
 * name's width apart at wall zoom; their names are drawn smaller so they do not run together.
 * The rest get room to be large. By district code (area under 20 km²).
 */
const COMPACT_DISTRICTS: ReadonlySet<string> = new Set([
  '21010', // 중구
  '21020', // 서구
  '21030', // 동구
  '21040', // 영도구
  '21060', // 동래구
  '21130', // 연제구
  '21140', // 수영구
]);
const KO_SIZE_PX = 30;
const KO_COMPACT_SIZE_PX = 21;
const EN_SIZE_PX = 18;
const EN_COMPACT_SIZE_PX = 14;
const COUNT_SIZE_PX = 38;
const COUNT_COMPACT_SIZE_PX = 28;
/** English sits under the Korean name, the count above it. */
const EN_OFFSET: [number, number] = [0, 24];
const EN_COMPACT_OFFSET: [number, number] = [0, 17];
const COUNT_OFFSET: [number, number] = [0, -38];
const COUNT_COMPACT_OFFSET: [number, number] = [0, -26];

const isCompact = (f: LabelFeature): boolean => COMPACT_DISTRICTS.has(f.properties.code);
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
  const { layers } = useMapContext();
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
      const counted =
        counts === null
          ? []
          : DISTRICT_LABELS.features.filter((f) => (counts.get(f.properties.code) ?? 0) > 0);
      layers.set(OWNER, [
        new TextLayer<LabelFeature>({
          ...COMMON,
          id: 'kiosk-district-names-ko',
          data: DISTRICT_LABELS.features,
          getText: (f) => f.properties.name,
          getSize: (f) => (isCompact(f) ? KO_COMPACT_SIZE_PX : KO_SIZE_PX),
          getColor: TEXT_COLOR,
        }),
        new TextLayer<LabelFeature>({
          ...COMMON,
          id: 'kiosk-district-names-en',
          data: DISTRICT_LABELS.features,
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
  }, [layers, counts]);

  useEffect(() => () => layers.set(OWNER, null), [layers]);

  return null;
}
