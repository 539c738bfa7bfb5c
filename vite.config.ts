import react from '@vitejs/plugin-react';
import path from 'node:path';
import { defineConfig } from 'vite';

// The dashboard (index.html) and the embeddable chart page (embed.html), built to dist/web and
// served by the API server on the same origin. DuckDB-WASM's wasm and worker files are bundled
// (imported with ?url), never fetched from a CDN.
export default defineConfig({
  root: path.resolve(__dirname, 'web'),
  plugins: [react()],
  build: {
    outDir: path.resolve(__dirname, 'dist/web'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: {
        main: path.resolve(__dirname, 'web/index.html'),
        embed: path.resolve(__dirname, 'web/embed.html'),
      },
    },
  },
  server: {
    proxy: {
      '/cubejs-api': 'http://127.0.0.1:4000',
      '/auth': 'http://127.0.0.1:4000',
      '/api': 'http://127.0.0.1:4000',
    },
  },
});
