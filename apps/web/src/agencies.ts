import { useEffect, useState } from 'react';

/** Agency names of every city's directory (GET /api/v1/session, public), keyed `city/agency`, fetched once per tab. */
let directory: Promise<Map<string, string>> | null = null;
const loadDirectory = () =>
  (directory ??= fetch('/api/v1/session', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : { cities: [] }))
    .then((info: { cities?: { id: string; agencies?: { id: string; name: string }[] }[] }) => {
      const map = new Map<string, string>();
      for (const city of info.cities ?? []) for (const a of city.agencies ?? []) map.set(`${city.id}/${a.id}`, a.name);
      return map;
    })
    .catch(() => {
      directory = null;
      return new Map<string, string>();
    }));

/** The agency names of one city's directory, by agency id (empty until they come). */
export const useAgencyNames = (cityId: string): Map<string, string> => {
  const [names, setNames] = useState<Map<string, string>>(() => new Map());
  useEffect(() => {
    let live = true;
    void loadDirectory().then((all) => {
      if (!live) return;
      const mine = new Map<string, string>();
      for (const [key, name] of all) if (key.startsWith(`${cityId}/`)) mine.set(key.slice(cityId.length + 1), name);
      setNames(mine);
    });
    return () => {
      live = false;
    };
  }, [cityId]);
  return names;
};

/** An agency's name: the directory's for its id, else as written (else the id itself). */
export const agencyName = (names: ReadonlyMap<string, string>, agencyId: string | null | undefined, written?: string): string =>
  agencyId ? (names.get(agencyId) ?? written ?? agencyId) : (written ?? '');
