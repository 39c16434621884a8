/**
 * Fits Busan into what the wall leaves free (header, footer, side panel; kiosk-layout.ts) and
 * again whenever the window changes size: nobody is there to pan. Renders nothing.
 *
 * The operators' pan limits are lifted: with the side panel on the left, centring the city in
 * the space beside it looks further west than an operator may pan, and the limits would pull the
 * city back under the panel.
 */
import { useEffect } from 'react';
import { useMapContext } from '../../map/map-context';
import { KIOSK_BOUNDS, KIOSK_HEADER_PX } from '../kiosk-layout';

const MARGIN_PX = 24;

export function KioskCamera({ sideWidth, footer }: { sideWidth: number; footer: number }) {
  const { map } = useMapContext();
  useEffect(() => {
    map.setMaxBounds(null);
    const fit = (): void => {
      map.fitBounds(KIOSK_BOUNDS, {
        padding: {
          top: KIOSK_HEADER_PX + MARGIN_PX,
          bottom: footer + MARGIN_PX,
          left: sideWidth + MARGIN_PX,
          right: MARGIN_PX,
        },
        animate: false,
      });
    };
    fit();
    map.on('resize', fit);
    return () => {
      map.off('resize', fit);
    };
  }, [map, sideWidth, footer]);
  return null;
}
