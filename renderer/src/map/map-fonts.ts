import fontStylesheet from '@fontsource/noto-sans-kr/400.css?raw';
import type { FontFacesSpecification } from 'maplibre-gl';
import districtLabelsText from '../../../resources/map/district-labels.geojson?raw';
import dongLabelsText from '../../../resources/map/dong-labels.geojson?raw';
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
/** The 206 neighbourhoods (동) the same way: a label point, the names and the area's bbox. */
export const DONG_LABELS = parseDistrictLabels(dongLabelsText);

/**
 * The shipped font's files (regular weight), one per unicode range, as fontsource splits it. The
 * ranges are read from fontsource's own stylesheet, the URLs from the build (hashed assets).
 */
const FONT_FILE_URLS = import.meta.glob<string>(
  '../../../node_modules/@fontsource/noto-sans-kr/files/noto-sans-kr-*-400-normal.woff2',
  { query: '?url', import: 'default', eager: true },
);

/** `unicode-range` of each file in the stylesheet text, by file name. */
export function fontFileRanges(css: string): Map<string, string[]> {
  const ranges = new Map<string, string[]>();
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/files\/([^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (file && range)
      ranges.set(
        file,
        range.split(',').map((part) => part.trim()),
      );
  }
  return ranges;
}

/**
 * The style's `font-faces` for every font name its labels ask for: MapLibre then draws street
 * names (unknown until their tiles arrive) from the shipped font, fetching only the files whose
 * ranges the names use, and waits for them: no glyph server, no fallback face kept in its atlas.
 */
export function mapFontFaces(fontNames: readonly string[]): FontFacesSpecification {
  const ranges = fontFileRanges(fontStylesheet);
  const faces = Object.entries(FONT_FILE_URLS).flatMap(([path, url]) => {
    const range = ranges.get(path.slice(path.lastIndexOf('/') + 1));
    return range ? [{ url, 'unicode-range': range }] : [];
  });
  return Object.fromEntries(fontNames.map((name) => [name, faces]));
}
