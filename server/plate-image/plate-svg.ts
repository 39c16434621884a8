/**
 * A generated picture of a Korean plate, for the embedded default (no camera): the simulator
 * writes one per plate read into `vehicle_exterior_image`, so the alert detail shows a photo on
 * a fresh machine. White plate, black characters, the usual proportions (520 × 110 mm), a faint
 * grey road behind it. Pure text: no image library, no dependency.
 */

/** The plate's real proportions (520 × 110 mm), drawn at this many pixels per mm. */
const PLATE_WIDTH_MM = 520;
const PLATE_HEIGHT_MM = 110;
const PIXELS_PER_MM = 0.6;
/** Road around the plate, like a crop of a camera still. */
const MARGIN_PX = 24;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** The SVG of a plate as written (`12가 3456`); `seed` varies the road shade between reads. */
export function plateSvg(plateText: string, seed = 0): string {
  const w = Math.round(PLATE_WIDTH_MM * PIXELS_PER_MM);
  const h = Math.round(PLATE_HEIGHT_MM * PIXELS_PER_MM);
  const width = w + 2 * MARGIN_PX;
  const height = h + 2 * MARGIN_PX;
  const shade = 90 + (Math.abs(Math.trunc(seed)) % 40);
  const road = `rgb(${shade},${shade},${shade + 6})`;
  const text = escapeXml(plateText);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}">` +
    `<rect width="${width}" height="${height}" fill="${road}"/>` +
    `<rect x="${MARGIN_PX}" y="${MARGIN_PX}" width="${w}" height="${h}" rx="6" ` +
    `fill="#fafafa" stroke="#222" stroke-width="3"/>` +
    `<text x="${width / 2}" y="${MARGIN_PX + h * 0.72}" text-anchor="middle" ` +
    `font-family="'Noto Sans KR','Noto Sans CJK KR',sans-serif" font-weight="700" ` +
    `font-size="${Math.round(h * 0.62)}" fill="#111" textLength="${Math.round(w * 0.88)}" ` +
    `lengthAdjust="spacingAndGlyphs">${text}</text>` +
    `</svg>`
  );
}

/** The row value the upstream writes: a data URL with base64 (seed 000 §5.4). */
export function plateSvgBase64(plateText: string, seed = 0): string {
  return `data:image/svg+xml;base64,${Buffer.from(plateSvg(plateText, seed), 'utf8').toString('base64')}`;
}
