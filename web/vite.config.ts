import { defineConfig } from 'vite';

/**
 * The workbench UI, built to web/dist and served by the API at `/` (api/routes/web.routes.ts).
 * JSX goes through esbuild's automatic runtime, so no React plugin is needed for a production build.
 */
export default defineConfig({
  base: '/',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: { manualChunks: { echarts: ['echarts'], react: ['react', 'react-dom', 'react-router'] } },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/healthz': 'http://127.0.0.1:8080' } },
});
