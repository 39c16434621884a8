/**
 * What the client draws under the vehicles (`GET /api/basemap`): the bundled boundaries alone, or
 * also streets from the deployment's offline archive (BASEMAP_TILES, served by the relay) or from
 * its own tile service's style (BASEMAP_STYLE). DESIGN §13.
 */
export type BasemapTileFormat = 'pbf' | 'png' | 'jpg' | 'webp';

export type BasemapConfig =
  | { kind: 'none'; attribution: string | null }
  | {
      kind: 'tiles';
      /** Relay-relative tile URL template (`/tiles/{z}/{x}/{y}.pbf`). */
      tiles: string;
      format: BasemapTileFormat;
      minZoom: number;
      maxZoom: number;
      bounds: [number, number, number, number] | null;
      /** The credit for the street data: BASEMAP_ATTRIBUTION, else the archive's own. */
      attribution: string | null;
    }
  | {
      kind: 'style';
      /** The deployment's own MapLibre style URL. */
      style: string;
      attribution: string | null;
    };

/** The tile endpoint's path prefix on the relay. */
export const BASEMAP_TILE_PATH = '/tiles';
