import { vitePlugin as remix } from '@remix-run/dev';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  resolve: { alias: { '~': fileURLToPath(new URL('./app', import.meta.url)) } },
  // Workspace packages run from their own dist at run time, like the API's: not bundled, so the
  // generated Prisma client keeps its files beside it.
  ssr: {
    external: [
      '@herald/config',
      '@herald/contract',
      '@herald/db',
      '@herald/passwords',
      '@herald/preferences',
    ],
  },
  plugins: [
    !process.env.VITEST &&
      remix({
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_singleFetch: true,
          v3_lazyRouteDiscovery: true,
        },
      }),
  ],
});
