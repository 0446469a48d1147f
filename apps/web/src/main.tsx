import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { prefetch } from './api';
import { App } from './app';
import { planPagePaths } from './paging';
import { loadSession } from './session';
import './styles.css';

// A cold load asks the opening screen's data now, while the screen's code is still on the way (the plan
// page: hundreds of tasks); later screens' code is cached by the time people go there.
const opening = /^\/plans\/([^/]+)\/?$/.exec(location.pathname);
if (opening && loadSession()) prefetch(Object.values(planPagePaths(decodeURIComponent(opening[1]))));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
