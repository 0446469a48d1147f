import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';

/** Starts the app (main.tsx calls it once the opening screen's code, if any, is here too). */
export const start = (): void => {
  performance.mark('mandate:app');
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
};
