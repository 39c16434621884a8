/**
 * Plate photos: the reads and photo routes, and — in the embedded default, where the simulator
 * plays the upstream — a generated picture of each read plate written to `vehicle_exterior_image`
 * as the upstream's cameras would, so the evidence is visible on a fresh machine.
 */
import fp from 'fastify-plugin';
import { writesSeedTables } from '../config';
import { plateSvgBase64 } from '../plate-image/plate-svg';
import { platePhotoRoutes } from '../routes/plate-photos';
import { writePlatePhotos } from '../store/plate-photo-repository';

/** What the generated picture of a failed read shows: the camera caught no readable plate. */
const UNREADABLE_PLATE = '? ? ?';

export default fp(
  async (app) => {
    if (!app.config.KAFKA_BROKERS && writesSeedTables(app.config)) {
      app.ingest.addAfterApply(async (rows) => {
        const photos = [...rows.arrears_detection, ...rows.missing_person_detection].flatMap(
          (row) =>
            row.image_id === null
              ? []
              : [
                  {
                    imageId: row.image_id,
                    sessionId: null,
                    imageBase64: plateSvgBase64(
                      row.car_plate_number ?? UNREADABLE_PLATE,
                      row.detected_time,
                    ),
                    plateText: row.car_plate_number ?? '',
                  },
                ],
        );
        await writePlatePhotos(app.store.db, app.store.kind, photos);
      });
    }
    await app.register(platePhotoRoutes);
  },
  { name: 'plate-photos', dependencies: ['fleet', 'auth', 'alerts'] },
);
