import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/**
 * The app (src/render.tsx: React, the router, the shared code) is loaded by the entry with a dynamic
 * import, so that the entry runs first and asks the opening screen's data; these links let the browser
 * fetch the app's chunks beside the entry instead of after it has run.
 */
const preloadTheApp = (): Plugin => ({
  name: 'mandate:preload-the-app',
  apply: 'build',
  transformIndexHtml: {
    order: 'post',
    handler(_html, { bundle }) {
      const chunks = Object.values(bundle ?? {}).filter((file) => file.type === 'chunk');
      const app = chunks.find((chunk) => chunk.facadeModuleId?.endsWith('/src/render.tsx'));
      if (!app) throw new Error('preload-the-app: no chunk for src/render.tsx');
      const files = new Set<string>();
      const visit = (fileName: string) => {
        const chunk = chunks.find((c) => c.fileName === fileName);
        if (!chunk || files.has(fileName) || chunk.isEntry) return;
        files.add(fileName);
        chunk.imports.forEach(visit);
      };
      visit(app.fileName);
      return [...files].map((file) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' as const }));
    },
  },
});

// Built into dist/apps/web, which the embedded platform and the gateway serve at `/`.
export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), preloadTheApp()],
  build: {
    outDir: resolve(import.meta.dirname, '../../dist/apps/web'),
    emptyOutDir: true,
    // The bundle budget is checked by scripts/web-budget.js, not by a warning nobody reads.
    chunkSizeWarningLimit: 2000,
    // .vite/manifest.json: which chunks each entry and dynamic import loads, read by the budget check.
    manifest: true,
    rolldownOptions: {
      output: {
        // Two chunks before any screen: the entry (main.tsx and the little it needs to ask a screen's data
        // early) and 'app': React, the router and the code the screens share. Without the group the shared
        // code comes as a handful of tiny chunks, each one more request a cold load waits for.
        codeSplitting: {
          // The group takes only what its test names: the entry's few modules stay in the entry.
          includeDependenciesRecursively: false,
          groups: [
            {
              name: 'app',
              test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]|apps[\\/]web[\\/]src[\\/](?!pages[\\/]|main\.tsx|api\.ts|paging\.ts|session\.ts|styles\.css|render\.tsx)/,
            },
          ],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
