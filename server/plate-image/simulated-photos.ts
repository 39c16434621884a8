/**
 * The embedded default has no camera: the simulator plays the upstream's camera side and writes a
 * generated picture of each read plate with the read (vehicle_exterior_image, seed 000 §7), so an
 * alert's photo is there when the alert is.
 */
import type { SeedRows } from '../store/seed-writer';
import { plateSvgBase64 } from './plate-svg';

/** What the picture of a failed read shows: the camera caught no readable plate. */
const UNREADABLE_PLATE = '? ? ?';

export function withSimulatedPhotos(rows: SeedRows): SeedRows {
  const reads = [...(rows.arrears_detection ?? []), ...(rows.missing_person_detection ?? [])];
  const photos = reads.flatMap((read) =>
    read.image_id === null
      ? []
      : [
          {
            image_id: read.image_id,
            session_id: null,
            image_base64: plateSvgBase64(
              read.car_plate_number ?? UNREADABLE_PLATE,
              read.detected_time,
            ),
            plate_number: read.car_plate_number,
          },
        ],
  );
  return photos.length === 0 ? rows : { ...rows, vehicle_exterior_image: photos };
}
