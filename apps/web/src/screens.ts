import type { ComponentType } from 'react';
import type { Role } from './session';

// No React here: main.tsx uses this before React has loaded.

type ScreenModule = { default: ComponentType };

/** Each screen's code (a chunk of its own: a phone on a slow line loads the one it opens) and its address. */
export const SCREENS = {
  dashboard: { path: '/', load: (): Promise<ScreenModule> => import('./pages/dashboard') },
  plans: { path: '/plans', load: (): Promise<ScreenModule> => import('./pages/plans') },
  plan: { path: '/plans/:planId', load: (): Promise<ScreenModule> => import('./pages/plan') },
  task: { path: '/tasks/:taskId', load: (): Promise<ScreenModule> => import('./pages/task') },
  inbox: { path: '/inbox', load: (): Promise<ScreenModule> => import('./pages/inbox') },
  import: { path: '/import', load: (): Promise<ScreenModule> => import('./pages/import') },
  reports: { path: '/reports', load: (): Promise<ScreenModule> => import('./pages/reports') },
  audit: { path: '/audit', load: (): Promise<ScreenModule> => import('./pages/audit') },
  directory: { path: '/directory', load: (): Promise<ScreenModule> => import('./pages/directory') },
};
export type ScreenName = keyof typeof SCREENS;

/** Where a role lands: an agency's officers on their inbox, everyone else on the dashboard. */
export const home = (role: Role): string => (role === 'agency' ? '/inbox' : '/');

/** A segment of an address as written, or null where its percent-encoding is malformed. */
const decoded = (segment: string): string | null => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
};

/** The screen an address opens, with its parameters (`:planId` is one segment); null for any other address. */
export const screenAt = (pathname: string): { name: ScreenName; params: Record<string, string> } | null => {
  const parts = pathname.split('/').filter(Boolean).map(decoded);
  if (parts.some((part) => part === null)) return null; // the router answers such an address itself
  for (const [name, screen] of Object.entries(SCREENS) as [ScreenName, (typeof SCREENS)[ScreenName]][]) {
    const pattern = screen.path.split('/').filter(Boolean);
    if (pattern.length !== parts.length) continue;
    const params: Record<string, string> = {};
    if (pattern.every((segment, i) => (segment.startsWith(':') ? ((params[segment.slice(1)] = parts[i]!), true) : segment === parts[i])))
      return { name, params };
  }
  return null;
};

const ready = new Map<ScreenName, ComponentType>();

/**
 * Loads a screen's code ahead of the router (main.tsx, on a cold load, beside React), so that the router
 * draws it at once: a lazy screen would show a Suspense fallback first, which React 19 keeps up at least
 * 300 ms before revealing the screen.
 */
export const preloadScreen = async (name: ScreenName): Promise<void> => {
  ready.set(name, (await SCREENS[name].load()).default);
};

/** The screen's component when its code is already here. */
export const readyScreen = (name: ScreenName): ComponentType | undefined => ready.get(name);
