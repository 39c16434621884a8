import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * One build for the three Electron parts. The renderer build is also what the relay serves over
 * HTTP, so a browser and the desktop window run the same client.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      lib: { entry: resolve(__dirname, 'main/index.ts') },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      lib: { entry: resolve(__dirname, 'main/preload/index.ts') },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    publicDir: resolve(__dirname, 'resources/public'),
    plugins: [react()],
    build: {
      // RENDERER_OUT_DIR lets parallel work build its own client (the relay's CLIENT_DIR) without
      // overwriting another build mid-test; unset, it is the out/renderer the relay serves.
      outDir: process.env.RENDERER_OUT_DIR ?? resolve(__dirname, 'out/renderer'),
      emptyOutDir: true,
      chunkSizeWarningLimit: 4096,
      rollupOptions: { input: resolve(__dirname, 'renderer/index.html') },
    },
    server: { port: 5173 },
  },
});
