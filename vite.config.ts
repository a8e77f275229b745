import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The renderer as a plain web page (npm run web / build:web): root src/ui, output dist-web/,
 * relative base so that the build also works from app:// or a file, ES-module worker.
 * The Electron build (electron-vite) reuses the same root and plugin.
 */
const repoRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('./src/ui', import.meta.url)),
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist-web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
  // The library imports simulations/*.yaml from outside the root.
  server: { fs: { allow: [repoRoot] }, host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
