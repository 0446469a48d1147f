import { prefetch } from './api';
import { planPagePaths } from './paging';
import { loadSession } from './session';
import type { ReadyScreens } from './app';
import './styles.css';

// User Timing marks (mandate:*) show where a load's time goes, in the browser's profiler and the web bench.
performance.mark('mandate:entry');

// The entry is a few kilobytes with no React in it, so it runs as soon as it arrives: a cold load of a
// plan page asks the plan's data and the screen's code here, all in flight while React itself loads
// (./render), instead of one after the other once the whole app has been parsed.
const opening = /^\/plans\/([^/]+)\/?$/.exec(location.pathname);
let screens: Promise<ReadyScreens> = Promise.resolve({});
if (opening && loadSession()) {
  prefetch(Object.values(planPagePaths(decodeURIComponent(opening[1]))));
  // Without it the router loads the screen lazily itself, and reports a failure there.
  screens = import('./pages/plan').then(
    (screen) => ({ plan: screen.default }),
    () => ({}),
  );
}

Promise.all([import('./render'), screens])
  .then(([app, ready]) => app.start(ready))
  .catch((failure: unknown) => {
    console.error(failure);
    // Without the app nothing else can say so: a plain message, in both languages.
    const root = document.getElementById('root');
    if (root)
      root.innerHTML =
        '<p role="alert">Không tải được ứng dụng, vui lòng tải lại trang.</p><p role="alert" lang="en">The app could not be loaded: please reload the page.</p>';
  });
