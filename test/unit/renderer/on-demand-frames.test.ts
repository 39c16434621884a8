import { describe, expect, it } from 'vitest';
import {
  HEARTBEAT_MS,
  IDLE_FRAMES_BEFORE_SLEEP,
  OnDemandFrames,
  type FrameScheduler,
} from '../../../renderer/src/map/on-demand-frames';

/** A browser frame clock driven by the test: `tick()` runs the frame's callbacks. */
class FakeFrames implements FrameScheduler {
  private callbacks = new Map<number, FrameRequestCallback>();
  private nextHandle = 1;
  time = 0;

  request(callback: FrameRequestCallback): number {
    const handle = this.nextHandle++;
    this.callbacks.set(handle, callback);
    return handle;
  }

  cancel(handle: number): void {
    this.callbacks.delete(handle);
  }

  private timers = new Map<number, { callback: () => void; due: number }>();

  setTimer(callback: () => void, ms: number): number {
    const handle = this.nextHandle++;
    this.timers.set(handle, { callback, due: this.time + ms });
    return handle;
  }

  clearTimer(handle: number): void {
    this.timers.delete(handle);
  }

  get timersPending(): number {
    return this.timers.size;
  }

  get scheduled(): number {
    return this.callbacks.size;
  }

  tick(): void {
    const due = [...this.callbacks.values()];
    this.callbacks.clear();
    this.time += 16;
    for (const [handle, timer] of [...this.timers]) {
      if (timer.due > this.time) continue;
      this.timers.delete(handle);
      timer.callback();
    }
    for (const callback of due) callback(this.time);
  }
}

/** A render loop like luma.gl's AnimationLoop: asks for the next frame after every frame. */
function startLoop(frames: OnDemandFrames): { ran: number; id: number } {
  const loop = { ran: 0, id: 0 };
  const frame = () => {
    loop.ran++;
    loop.id = frames.requestAnimationFrame(frame);
  };
  loop.id = frames.requestAnimationFrame(frame);
  return loop;
}

describe('OnDemandFrames', () => {
  it('runs the loop for a while, then sleeps without asking the browser for frames', () => {
    const browser = new FakeFrames();
    const frames = new OnDemandFrames(browser);
    const loop = startLoop(frames);
    for (let i = 0; i < IDLE_FRAMES_BEFORE_SLEEP + 2; i++) browser.tick();
    expect(loop.ran).toBe(IDLE_FRAMES_BEFORE_SLEEP);
    expect(frames.sleeping).toBe(true);
    expect(browser.scheduled).toBe(0);
  });

  it('runs one frame per heartbeat while asleep, and none once the loop is cancelled', () => {
    const browser = new FakeFrames();
    const frames = new OnDemandFrames(browser, 2);
    const loop = startLoop(frames);
    // Two seconds of 16 ms frames: two idle frames, then one per heartbeat.
    const frameCount = Math.round(2000 / 16);
    for (let i = 0; i < frameCount; i++) browser.tick();
    const beats = Math.floor((frameCount * 16) / HEARTBEAT_MS);
    expect(loop.ran).toBeGreaterThanOrEqual(2 + beats - 1);
    expect(loop.ran).toBeLessThanOrEqual(2 + beats);
    expect(frames.sleeping).toBe(true);
    frames.cancelAnimationFrame(loop.id);
    expect(browser.timersPending).toBe(0);
    for (let i = 0; i < frameCount; i++) browser.tick();
    expect(loop.ran).toBeLessThanOrEqual(2 + beats);
  });

  it('wakes on activity: the parked frame runs at the next browser frame and the loop goes on', () => {
    const browser = new FakeFrames();
    const frames = new OnDemandFrames(browser, 5);
    const loop = startLoop(frames);
    for (let i = 0; i < 20; i++) browser.tick();
    expect(loop.ran).toBe(5);
    frames.wake();
    expect(frames.sleeping).toBe(false);
    for (let i = 0; i < 20; i++) browser.tick();
    expect(loop.ran).toBe(10);
  });

  it('keeps running while activity keeps coming (a render each frame)', () => {
    const browser = new FakeFrames();
    const frames = new OnDemandFrames(browser, 5);
    const loop = startLoop(frames);
    for (let i = 0; i < 50; i++) {
      frames.wake();
      browser.tick();
    }
    expect(loop.ran).toBe(50);
  });

  it('cancels a scheduled frame and a parked one', () => {
    const browser = new FakeFrames();
    const frames = new OnDemandFrames(browser, 2);
    const loop = startLoop(frames);
    frames.cancelAnimationFrame(loop.id);
    browser.tick();
    expect(loop.ran).toBe(0);
    expect(browser.scheduled).toBe(0);

    const parked = startLoop(frames);
    for (let i = 0; i < 5; i++) browser.tick();
    expect(frames.sleeping).toBe(true);
    const ranBeforeCancel = parked.ran;
    frames.cancelAnimationFrame(parked.id);
    frames.wake();
    browser.tick();
    expect(parked.ran).toBe(ranBeforeCancel);
    expect(browser.scheduled).toBe(0);
  });

  it('ignores a cancel of a frame that already ran', () => {
    const browser = new FakeFrames();
    const frames = new OnDemandFrames(browser, 10);
    const loop = startLoop(frames);
    const first = loop.id;
    browser.tick();
    frames.cancelAnimationFrame(first);
    browser.tick();
    expect(loop.ran).toBe(2);
  });
});
