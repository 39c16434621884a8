/** The bundled place labels (with each area's bbox), read as the client reads them. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DistrictLabels } from '../../renderer/src/map/basemap-style';

const MAP_DIR = resolve(import.meta.dirname, '../../resources/map');

export const DISTRICT_LABELS_FILE = JSON.parse(
  readFileSync(resolve(MAP_DIR, 'district-labels.geojson'), 'utf8'),
) as DistrictLabels;
export const DONG_LABELS_FILE = JSON.parse(
  readFileSync(resolve(MAP_DIR, 'dong-labels.geojson'), 'utf8'),
) as DistrictLabels;
