/** Helpers for browser tests: the QA hook, screenshots as pixels. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Page } from '@playwright/test';
import { PNG } from 'pngjs';

export type Rgb = readonly [number, number, number];

export async function waitForLiveMap(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__controlRoom?.ready === true, undefined, {
    timeout: 60_000,
  });
}

export async function screenshotPixels(page: Page, path: string): Promise<PNG> {
  mkdirSync(dirname(path), { recursive: true });
  const buffer = await page.screenshot({ path });
  return PNG.sync.read(buffer);
}

export function pixelAt(png: PNG, x: number, y: number): Rgb {
  const i = (Math.round(y) * png.width + Math.round(x)) * 4;
  return [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
}

export function near(a: Rgb, b: Rgb, tolerance: number): boolean {
  return (
    Math.abs(a[0] - b[0]) <= tolerance &&
    Math.abs(a[1] - b[1]) <= tolerance &&
    Math.abs(a[2] - b[2]) <= tolerance
  );
}

export function hexToRgb(hex: string): Rgb {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

/** Counts pixels inside a rectangle whose colour is near any of `colors`. */
export function countColored(
  png: PNG,
  box: { x0: number; y0: number; x1: number; y1: number },
  colors: readonly Rgb[],
  tolerance: number,
): number {
  let n = 0;
  const x0 = Math.max(0, Math.floor(box.x0));
  const y0 = Math.max(0, Math.floor(box.y0));
  const x1 = Math.min(png.width - 1, Math.ceil(box.x1));
  const y1 = Math.min(png.height - 1, Math.ceil(box.y1));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const p = pixelAt(png, x, y);
      if (colors.some((c) => near(p, c, tolerance))) n++;
    }
  }
  return n;
}
