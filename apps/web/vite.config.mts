import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

/** What the entry (src/main.tsx) runs before React: kept out of the 'app' chunk, which the entry would otherwise wait for. */
const ENTRY_MODULES = ['main.tsx', 'api.ts', 'paging.ts', 'session.ts', 'screens.ts', 'styles.css'];
/**
 * The 'app' chunk: React, the router and the code the screens share, one file instead of a handful of tiny
 * shared chunks (each one more request a cold load waits for). Not the screens (pages/: a chunk each),
 * nor render.tsx: a dynamic entry inside a group broke its exports (rolldown 1.1).
 */
const inTheAppChunk = (id: string) => {
  const file = id.replace(/\\/g, '/');
  if (/\/node_modules\/(react|react-dom|scheduler|react-router|react-router-dom)\//.test(file)) return true;
  const source = /\/apps\/web\/src\/(.+)$/.exec(file)?.[1];
  return !!source && !source.startsWith('pages/') && source !== 'render.tsx' && !ENTRY_MODULES.includes(source);
};

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
    rolldownOptions: {
      output: {
        // Two chunks before any screen: the entry and 'app' (inTheAppChunk).
        codeSplitting: {
          // The group takes only the modules it names: the entry's stay in the entry.
          includeDependenciesRecursively: false,
          groups: [{ name: (id: string) => (inTheAppChunk(id) ? 'app' : null), debugName: 'app' }],
        },
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
