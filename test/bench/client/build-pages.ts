/**
 * Builds the two pages the client benchmark opens, into .cache/bench/ (never into out/, which
 * other test runs on this machine serve):
 *   - the product client, with the product's own electron-vite configuration (same plugins, same
 *     target, same minification) and only the output folder changed;
 *   - the naive page (test/bench/naive), with plain Vite.
 */
import { join } from 'node:path';
import { build as electronViteBuild } from 'electron-vite';
import { build as viteBuild } from 'vite';
import { ROOT } from '../relay-child';

export const BENCH_BUILD_DIR = join(ROOT, '.cache/bench');
/** electron-vite puts the renderer in <outDir>/renderer. */
export const PRODUCT_CLIENT_DIR = join(BENCH_BUILD_DIR, 'app/renderer');
export const NAIVE_PAGE_DIR = join(BENCH_BUILD_DIR, 'naive');

export interface BuiltPages {
  productDir: string;
  naiveDir: string;
  productBuildMs: number;
  naiveBuildMs: number;
}

export async function buildPages(): Promise<BuiltPages> {
  const productBuildMs = await buildProductPage();
  const naiveBuildMs = await buildNaivePage();
  return { productDir: PRODUCT_CLIENT_DIR, naiveDir: NAIVE_PAGE_DIR, productBuildMs, naiveBuildMs };
}

/** Builds the product client; returns how long it took (ms). */
export async function buildProductPage(): Promise<number> {
  const started = Date.now();
  await electronViteBuild({
    root: ROOT,
    logLevel: 'error',
    build: { outDir: join(BENCH_BUILD_DIR, 'app') },
  });
  return Date.now() - started;
}

/** Builds the naive page; returns how long it took (ms). */
export async function buildNaivePage(): Promise<number> {
  const started = Date.now();
  await viteBuild({
    configFile: false,
    root: join(ROOT, 'test/bench/naive'),
    base: './',
    logLevel: 'error',
    build: { outDir: NAIVE_PAGE_DIR, emptyOutDir: true, chunkSizeWarningLimit: 4096 },
  });
  return Date.now() - started;
}
