/**
 * Which place names to draw so none overlap (issue 19: "사상구부산진구" at city zoom): labels are
 * taken in priority order and one is kept only if its box, with a margin, touches no box kept
 * before it. Pure: screen positions and sizes come in, ids to draw go out.
 *
 * A few hundred names (16 districts, 206 neighbourhoods) at most, so a greedy pass over plain
 * arrays is fast enough to run on every camera move.
 */
export interface LabelBox {
  id: string;
  /** Centre, in screen pixels. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Higher first; equal priorities keep their input order. */
  priority: number;
}

/** Empty space kept around each name, in pixels, so neighbours do not read as one word. */
export const LABEL_MARGIN_PX = 6;

/** Average advance of one character as a fraction of the font size. */
const WIDE_CHARACTER_EM = 1.0;
const NARROW_CHARACTER_EM = 0.58;
/** Line height as a fraction of the font size. */
const LINE_HEIGHT_EM = 1.25;

/** Hangul, CJK and full-width forms take a whole em; Latin letters about half of one. */
function isWide(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    (code >= 0x1100 && code <= 0x11ff) ||
    (code >= 0x2e80 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7af) ||
    (code >= 0xff00 && code <= 0xffef)
  );
}

/** An estimate of a one-line label's size, good enough to keep names apart. */
export function estimateTextSize(
  text: string,
  fontSizePx: number,
): { width: number; height: number } {
  let ems = 0;
  for (const char of text) ems += isWide(char) ? WIDE_CHARACTER_EM : NARROW_CHARACTER_EM;
  return { width: ems * fontSizePx, height: LINE_HEIGHT_EM * fontSizePx };
}

/** The ids of the labels to draw, within the screen of `width` × `height` pixels. */
export function placeLabels(
  labels: readonly LabelBox[],
  screen: { width: number; height: number },
  margin = LABEL_MARGIN_PX,
): Set<string> {
  const order = labels
    .map((label, index) => ({ label, index }))
    .sort((a, b) => b.label.priority - a.label.priority || a.index - b.index);
  const kept: { x0: number; y0: number; x1: number; y1: number }[] = [];
  const ids = new Set<string>();
  for (const { label } of order) {
    const halfW = label.width / 2 + margin;
    const halfH = label.height / 2 + margin;
    const box = {
      x0: label.x - halfW,
      y0: label.y - halfH,
      x1: label.x + halfW,
      y1: label.y + halfH,
    };
    // Off screen: nothing to draw, and it must not hide a name that is on screen.
    if (box.x1 < 0 || box.y1 < 0 || box.x0 > screen.width || box.y0 > screen.height) continue;
    if (kept.some((k) => box.x0 < k.x1 && box.x1 > k.x0 && box.y0 < k.y1 && box.y1 > k.y0)) {
      continue;
    }
    kept.push(box);
    ids.add(label.id);
  }
  return ids;
}
