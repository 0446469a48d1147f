import { prefetch } from './api';
import { planPagePaths } from './paging';
import { home, preloadScreen, screenAt } from './screens';
import { loadSession } from './session';
import './styles.css';

// User Timing marks (mandate:*) show where a load's time goes, in the browser's profiler and the web bench.
performance.mark('mandate:entry');

// The entry is a few kilobytes with no React in it, so it runs as soon as it arrives: on a cold load it
// asks the opening screen's code (and the plan page's data) here, in flight while React itself loads
// (./render), instead of one after the other once the whole app has been parsed.
const session = loadSession();
const opening = session ? screenAt(location.pathname === '/' ? home(session.actor.role) : location.pathname) : null;
if (opening?.name === 'plan') prefetch(Object.values(planPagePaths(opening.params.planId)));
// A failure here is the router's to report: it loads the screen lazily itself.
const screenCode = opening ? preloadScreen(opening.name).catch(() => undefined) : undefined;

Promise.all([import('./render'), screenCode])
  .then(([app]) => app.start())
  .catch((failure: unknown) => {
    console.error(failure);
    // Without the app nothing else can say so: a plain message, in both languages.
    const root = document.getElementById('root');
    if (root)
      root.innerHTML =
        '<p role="alert">Không tải được ứng dụng, vui lòng tải lại trang.</p><p role="alert" lang="en">The app could not be loaded: please reload the page.</p>';
  });
