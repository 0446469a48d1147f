import { api, query } from './api';

/** One page of a list the API pages: its items and the cursor of the next page (none on the last). */
export type Page<T> = { items?: T[]; next?: string | null };

type Params = Record<string, string | number | boolean | undefined | null>;

export type PagingOptions<T> = {
  /** Items asked per page (most lists give 200 at most). */
  pageSize?: number;
  /** A bound on the pages asked, however long the list. */
  maxPages?: number;
  /** Once aborted (the screen went away), no further page is asked and what came so far is answered. */
  signal?: AbortSignal;
  /** Told every item so far after each page (a progress count). */
  onPage?: (loaded: readonly T[]) => void;
};

/** The address of one page of a list (the first without a cursor). */
export const pageOf = (path: string, params: Params, pageSize: number, cursor?: string): string => `${path}${query({ ...params, limit: pageSize, cursor })}`;

/** Every item of a paged list: asks page after page, following the `next` cursor. */
export const fetchAllPages = async <T>(
  path: string,
  params: Params = {},
  { pageSize = 200, maxPages = 50, signal, onPage }: PagingOptions<T> = {},
): Promise<T[]> => {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await api<Page<T>>(pageOf(path, params, pageSize, cursor));
    if (signal?.aborted) break;
    items.push(...(result.items ?? []));
    onPage?.(items);
    if (!result.next) break;
    cursor = result.next;
  }
  return items;
};

/** A plan's tasks come 1,000 to a page: a plan of hundreds of tasks in one call. */
const PLAN_TASKS_PAGE = 1000;
/** The list of a plan's tasks (GET /api/v1/plans/:planId/tasks), before its query. */
export const planTasksPath = (planId: string) => `/api/v1/plans/${encodeURIComponent(planId)}/tasks`;

/** Every task of a plan, in document order: now or as of an instant, all or one lead agency's. */
export const fetchPlanTasks = <T>(planId: string, filters: { asOf?: string; agency?: string } = {}, options?: PagingOptions<T>): Promise<T[]> =>
  fetchAllPages<T>(planTasksPath(planId), filters, { pageSize: PLAN_TASKS_PAGE, ...options });

/** What the plan page asks first: the plan, its counts (all, by leader) and its tasks' first page. */
export const planPagePaths = (planId: string) => {
  const plan = `/api/v1/plans/${encodeURIComponent(planId)}`;
  return { plan, counts: `${plan}/counts`, leaderCounts: `${plan}/counts?by=supervisor`, firstTasks: pageOf(planTasksPath(planId), {}, PLAN_TASKS_PAGE) };
};
