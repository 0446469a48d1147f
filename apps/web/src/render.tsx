import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, screensReady, type ReadyScreens } from './app';

/** Starts the app, with the screens whose code main.tsx already has. */
export const start = (screens: ReadyScreens): void => {
  performance.mark('mandate:app');
  screensReady(screens);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
};
