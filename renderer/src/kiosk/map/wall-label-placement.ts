/**
 * Which district names the wall draws (issue 19: "사상구부산진구" ran together on the wall): each
 * name is its Korean line over its English one; a name is drawn only where it touches no name
 * placed before it. Districts with open alerts (the heat view's counts) come first, then the
 * large districts, then the compact centre. Pure: the projection comes in, codes go out.
 */
import { estimateTextSize, placeLabels, type LabelBox } from '../../map/label-placement';
import { DISTRICT_LABELS } from '../../map/map-fonts';

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
export const KO_SIZE_PX = 30;
export const KO_COMPACT_SIZE_PX = 21;
export const EN_SIZE_PX = 18;
export const EN_COMPACT_SIZE_PX = 14;
/** English sits under the Korean name. */
export const EN_OFFSET: [number, number] = [0, 24];
export const EN_COMPACT_OFFSET: [number, number] = [0, 17];
/** The names' outlines already keep neighbours apart; a wall wants as many of the 16 as fit. */
const WALL_LABEL_MARGIN_PX = 1;

export function isCompact(f: { properties: { code: string } }): boolean {
  return COMPACT_DISTRICTS.has(f.properties.code);
}

/** The codes of the districts whose names to draw. */
export function placedWallDistricts(
  project: (lon: number, lat: number) => { x: number; y: number },
  screen: { width: number; height: number },
  counts: ReadonlyMap<string, number> | null,
): Set<string> {
  const boxes: LabelBox[] = DISTRICT_LABELS.features.map((f) => {
    const compact = isCompact(f);
    const [lon, lat] = f.geometry.coordinates as [number, number];
    const at = project(lon, lat);
    const ko = estimateTextSize(f.properties.name, compact ? KO_COMPACT_SIZE_PX : KO_SIZE_PX);
    const en = estimateTextSize(f.properties.name_en, compact ? EN_COMPACT_SIZE_PX : EN_SIZE_PX);
    const enOffset = (compact ? EN_COMPACT_OFFSET : EN_OFFSET)[1];
    const top = at.y - ko.height / 2;
    const bottom = at.y + enOffset + en.height / 2;
    const alerted = (counts?.get(f.properties.code) ?? 0) > 0;
    return {
      id: f.properties.code,
      x: at.x,
      y: (top + bottom) / 2,
      width: Math.max(ko.width, en.width),
      height: bottom - top,
      priority: (alerted ? 2 : 0) + (compact ? 0 : 1),
    };
  });
  return placeLabels(boxes, screen, WALL_LABEL_MARGIN_PX);
}
