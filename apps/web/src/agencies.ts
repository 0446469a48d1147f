import { useEffect, useState } from 'react';
import { api } from './api';

type Directory = { cityId: string; agencies: { id: string; name: string }[] };

/** Agency names by city (GET /api/v1/directory answers the signed-in city's), each city fetched once per tab. */
const directories = new Map<string, Promise<Map<string, string>>>();
const loadDirectory = (cityId: string) => {
  let names = directories.get(cityId);
  if (!names) {
    names = api<Directory>('/api/v1/directory')
      .then((answer) => new Map(answer.agencies.map((agency) => [agency.id, agency.name])))
      .catch(() => {
        directories.delete(cityId);
        return new Map<string, string>();
      });
    directories.set(cityId, names);
  }
  return names;
};

/** The agency names of the signed-in person's city, by agency id (empty until they come). */
export const useAgencyNames = (cityId: string): Map<string, string> => {
  const [names, setNames] = useState<Map<string, string>>(() => new Map());
  useEffect(() => {
    let live = true;
    void loadDirectory(cityId).then((all) => live && setNames(all));
    return () => {
      live = false;
    };
  }, [cityId]);
  return names;
};

/** An agency's name: the directory's for its id, else as written (else the id itself). */
export const agencyName = (names: ReadonlyMap<string, string>, agencyId: string | null | undefined, written?: string): string =>
  agencyId ? (names.get(agencyId) ?? written ?? agencyId) : (written ?? '');
