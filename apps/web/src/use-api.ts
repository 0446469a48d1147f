import { useCallback, useEffect, useState } from 'react';
import { api, messageOf } from './api';

/** Loads one API resource for a screen; `reload` fetches it again (after an action). */
export const useApi = <T>(path: string | null) => {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    setLoading(true);
    api<T>(path)
      .then((value) => live && (setData(value), setError(null)))
      .catch((failure: unknown) => live && setError(messageOf(failure)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, loading, reload };
};
