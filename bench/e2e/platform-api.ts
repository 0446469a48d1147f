// What the benches read from a running platform through its API, as a client does.
type Json = Record<string, any>;

export const getJson = async (base: string, url: string, token: string): Promise<Json> => {
  const res = await fetch(`${base}${url}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Json;
};

/** Every plan the token's city has, each with all its tasks (pages of 200). */
export const plansWithTasks = async (base: string, token: string): Promise<{ plan: Json; tasks: Json[] }[]> => {
  const out: { plan: Json; tasks: Json[] }[] = [];
  for (const plan of (await getJson(base, '/api/v1/plans', token)).items as Json[]) {
    const tasks: Json[] = [];
    let cursor: string | null = null;
    do {
      const page: Json = await getJson(base, `/api/v1/plans/${plan.id}/tasks?limit=200${cursor ? `&cursor=${cursor}` : ''}`, token);
      tasks.push(...(page.items as Json[]));
      cursor = page.next;
    } while (cursor);
    out.push({ plan, tasks });
  }
  return out;
};
