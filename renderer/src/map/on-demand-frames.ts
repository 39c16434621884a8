/**
 * Animation frames for deck.gl's render loop only while something may need drawing.
 *
 * deck.gl asks for an animation frame after every frame, draw or not, to check whether anything
 * changed. On an idle map (vehicles stepping once a second on a slow GPU, a wall between updates)
 * that check still makes the browser run a whole frame on the main thread sixty times a second:
 * most of the client's main-thread time per update at 50,000 vehicles (docs/PERFORMANCE.md).
 * This provider lets the loop sleep after a run of frames without activity, and wakes it on
 * anything that can need a draw: a layer change, a deck.gl render, a map move or resize, pointer
 * input. The next frame then runs exactly as it would have. While asleep one frame still runs
 * every HEARTBEAT_MS.
 */

/** The browser's frame scheduling, injected so the logic is testable without a browser. */
export interface FrameScheduler {
  request(callback: FrameRequestCallback): number;
  cancel(handle: number): void;
  setTimer(callback: () => void, ms: number): number;
  clearTimer(handle: number): void;
}

/**
 * Frames the loop runs after the last activity before it sleeps: the one that does what the
 * activity asked for (a draw after a layer change, a hover pick after a pointer move). A frame
 * costs the main thread ~1 ms of browser lifecycle work even when nothing is drawn; each idle
 * frame more after every draw was a tenth of the client's main-thread time at 50,000 vehicles.
 */
export const IDLE_FRAMES_BEFORE_SLEEP = 1;
/**
 * While asleep, one frame runs this often (ms), for what deck.gl finishes on its own (a font
 * atlas or an icon that loaded). Every 250 ms cost ~3 ms of main thread a second at 50,000
 * vehicles; a late icon showing within a second is soon enough.
 */
export const HEARTBEAT_MS = 1000;

/** The loop's one outstanding request: scheduled with the browser, or parked while asleep. */
interface Request {
  id: number;
  callback: FrameRequestCallback;
  handle: number | null;
}

/** Matches luma.gl's AnimationFrameProvider (deck.gl's `animationFrameProvider` prop). */
export class OnDemandFrames {
  private framesSinceActivity = 0;
  private nextId = 1;
  private pending: Request | null = null;
  private heartbeat: number | null = null;

  constructor(
    private readonly scheduler: FrameScheduler,
    private readonly idleFrames = IDLE_FRAMES_BEFORE_SLEEP,
  ) {}

  /** Whether the loop is parked, waiting for a wake-up. */
  get sleeping(): boolean {
    return this.pending !== null && this.pending.handle === null;
  }

  requestAnimationFrame = (callback: FrameRequestCallback): number => {
    const request: Request = { id: this.nextId++, callback, handle: null };
    this.pending = request;
    if (this.framesSinceActivity < this.idleFrames) {
      this.framesSinceActivity++;
      this.schedule(request);
    } else {
      this.heartbeat ??= this.scheduler.setTimer(this.beat, HEARTBEAT_MS);
    }
    return request.id;
  };

  cancelAnimationFrame = (id: number): void => {
    const request = this.pending;
    if (request === null || request.id !== id) return;
    if (request.handle !== null) this.scheduler.cancel(request.handle);
    this.pending = null;
    this.stopHeartbeat();
  };

  /** Something may need drawing: keep the loop running, or start the parked frame now. */
  wake = (): void => {
    this.framesSinceActivity = 0;
    this.stopHeartbeat();
    const request = this.pending;
    if (request !== null && request.handle === null) {
      this.framesSinceActivity++;
      this.schedule(request);
    }
  };

  /** One frame while asleep; the loop's next request parks it again. */
  private readonly beat = (): void => {
    this.heartbeat = null;
    const request = this.pending;
    if (request !== null && request.handle === null) this.schedule(request);
  };

  private stopHeartbeat(): void {
    if (this.heartbeat === null) return;
    this.scheduler.clearTimer(this.heartbeat);
    this.heartbeat = null;
  }

  private schedule(request: Request): void {
    request.handle = this.scheduler.request((time) => {
      if (this.pending === request) this.pending = null;
      request.callback(time);
    });
  }
}
