import districtLabelsText from '../../../resources/map/district-labels.geojson?raw';
import { MAP_FONT_FAMILY, type DistrictLabels } from './basemap-style';

/** The weight MapLibre asks for when it rasterises glyphs from a family without a weight name. */
const LABEL_FONT_WEIGHT = 400;
/** Any size works: loading is per face, and the face is chosen by family, weight and range. */
const PROBE_FONT_SIZE_PX = 16;

/**
 * Loads the font faces that cover every label, in both languages.
 *
 * The shipped font is split into unicode-range files that browsers fetch only for text that uses
 * them. Map labels are drawn on a canvas (deck.gl's font atlas; MapLibre's local glyphs), which
 * never triggers those fetches, and the atlas keeps what it drew, so a label drawn before its file
 * arrived would stay in a fallback font. Loading with the labels' own text fetches exactly those.
 */
export async function loadLabelFonts(labels: DistrictLabels): Promise<void> {
  if (typeof document === 'undefined' || !document.fonts) return;
  const text = labels.features
    .map((feature) => `${feature.properties.name} ${feature.properties.name_en}`)
    .join(' ');
  const font = `${LABEL_FONT_WEIGHT} ${PROBE_FONT_SIZE_PX}px "${MAP_FONT_FAMILY}"`;
  try {
    await document.fonts.load(font, text);
  } catch (error) {
    // Labels then draw with a fallback font: degraded, not broken.
    console.warn('map label font did not load', error);
  }
}

export function parseDistrictLabels(text: string): DistrictLabels {
  return JSON.parse(text) as DistrictLabels;
}

/** Small enough to bundle as text (a data: URL would be refused by the CSP's connect-src). */
export const DISTRICT_LABELS = parseDistrictLabels(districtLabelsText);
