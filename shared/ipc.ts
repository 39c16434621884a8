/** The preload API the desktop shell gives the page (window.controlRoomDesktop). */
export interface DesktopApi {
  readonly isDesktop: true;
  readonly platform: string;
}
