/**
 * Busan's 16 district names, drawn by deck.gl above the vehicle dots (MapLibre's own symbols sit
 * under the whole overlay, where dense traffic covered them). Renders nothing itself.
 */
import { TextLayer } from '@deck.gl/layers';
import { useEffect } from 'react';
import { useAppStore } from '../../store';
import { markLabelsDrawn } from '../map-status';
import { BASEMAP_COLORS, labelField, MAP_FONT_FAMILY, type DistrictLabels } from '../basemap-style';
import { useMapContext } from '../map-context';
import { DISTRICT_LABELS, loadLabelFonts } from '../map-fonts';

const OWNER = 'district-labels';
const LABEL_SIZE_PX = 16;
/** The font atlas is rendered large and scaled down, so the outline stays crisp. */
const ATLAS_FONT_SIZE_PX = 64;
const ATLAS_BUFFER_PX = 8;
const ATLAS_SDF_RADIUS_PX = 16;
/** Outline width as a fraction of the glyph: a dark halo that separates names from dots. */
const OUTLINE_WIDTH = 4;
const LABEL_FONT_WEIGHT = 700;

type LabelFeature = DistrictLabels['features'][number];

function hexToRgba(hex: string): [number, number, number, number] {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff, 255];
}

const TEXT_COLOR = hexToRgba(BASEMAP_COLORS.labelText);
const OUTLINE_COLOR = hexToRgba(BASEMAP_COLORS.labelHalo);
/** Every character of both languages' names, so switching language needs no new atlas. */
const CHARACTER_SET = [
  ...new Set(
    DISTRICT_LABELS.features.flatMap((f) => [...`${f.properties.name}${f.properties.name_en}`]),
  ),
];

export function DistrictLabelLayer() {
  const { layers } = useMapContext();
  const language = useAppStore((state) => state.language);

  useEffect(() => {
    let cancelled = false;
    const field = labelField(language);
    // The atlas is drawn once from the shipped font: wait for its files, or it would be drawn in a
    // fallback face and kept.
    void loadLabelFonts(DISTRICT_LABELS).then(() => {
      if (cancelled) return;
      layers.set(OWNER, [
        new TextLayer<LabelFeature>({
          id: OWNER,
          data: DISTRICT_LABELS.features,
          getPosition: (f) => f.geometry.coordinates as [number, number],
          getText: (f) => f.properties[field],
          updateTriggers: { getText: field },
          getSize: LABEL_SIZE_PX,
          sizeUnits: 'pixels',
          getColor: TEXT_COLOR,
          fontFamily: `"${MAP_FONT_FAMILY}", sans-serif`,
          fontWeight: LABEL_FONT_WEIGHT,
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
        }),
      ]);
      markLabelsDrawn();
    });
    return () => {
      cancelled = true;
      layers.set(OWNER, null);
    };
  }, [layers, language]);

  return null;
}
