import { createContext, useContext } from 'react';
import type { Session } from './session';

export const SessionContext = createContext<{ session: Session; signOut: () => void } | null>(null);

/** The signed-in session; screens are only rendered with one. */
export const useSession = () => {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in screen');
  return value;
};
