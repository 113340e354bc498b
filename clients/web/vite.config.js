import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

// Served by `linli serve` at /app/ (core/webapp.py); the API is the same origin's /graphql.
export default defineConfig({
  base: '/app/',
  plugins: [preact()],
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2020' },
  server: { proxy: { '/graphql': { target: 'http://127.0.0.1:8000', ws: true } } },
});
