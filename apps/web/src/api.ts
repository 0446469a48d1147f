import { loadSession } from './session';

/** A refusal or failure of the API, with the problem+json it answered. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/** What a failure says, for a `<p className="error">` (an ApiError's detail, or any error's message). */
export const messageOf = (failure: unknown): string => (failure instanceof Error ? failure.message : String(failure));

type Options = { method?: string; body?: unknown; ifMatch?: string | number; raw?: BodyInit; contentType?: string; accept?: string };

let onUnauthorized: () => void = () => undefined;
/** What to do when the server no longer accepts the token (sign in again). */
export const whenUnauthorized = (handler: () => void) => {
  onUnauthorized = handler;
};

/** Calls the API with the session's token and answers the response itself (its status, headers, a non-JSON body); throws an ApiError as `api` does. */
export const request = async (path: string, options: Options = {}): Promise<Response> => {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  const session = loadSession();
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.contentType) headers['content-type'] = options.contentType;
  if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
  const response = await fetch(path, {
    method: options.method ?? 'GET',
    headers,
    body: options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
  });
  if (response.ok) return response;
  let problem: { type?: string; title?: string; detail?: string } = {};
  try {
    problem = (await response.json()) as typeof problem;
  } catch {
    // not problem+json
  }
  if (response.status === 401) onUnauthorized();
  throw new ApiError(response.status, problem.type ?? '', problem.detail ?? problem.title ?? response.statusText);
};

const load = async <T>(path: string, options: Options): Promise<T> => {
  const response = await request(path, options);
  return (response.status === 204 ? undefined : await response.json()) as T;
};

/** Answers asked ahead of the screen that needs them, each taken once by that screen's own call, while fresh. */
const prefetched = new Map<string, { answer: Promise<unknown>; at: number }>();
const FRESH_MS = 10_000;

/**
 * Starts the GETs a screen is about to make while its code is still on the way (a lazy chunk), so that
 * the two overlap; the screen's `api(path)` for the same path then takes that answer instead of asking.
 */
export const prefetch = (paths: readonly string[]): void => {
  for (const path of paths) {
    if (prefetched.has(path)) continue;
    const answer = load(path, {});
    answer.catch(() => undefined); // the screen's own call reports the failure
    prefetched.set(path, { answer, at: Date.now() });
  }
};

/** Calls the API and answers its JSON. */
export const api = async <T>(path: string, options: Options = {}): Promise<T> => {
  const early = (options.method ?? 'GET') === 'GET' ? prefetched.get(path) : undefined;
  if (early) {
    prefetched.delete(path);
    // Asked before the app could listen for a refused token (main.tsx): a 401 signs out here as anywhere.
    if (Date.now() - early.at < FRESH_MS)
      return early.answer.catch((failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 401) onUnauthorized();
        throw failure;
      }) as Promise<T>;
  }
  return load<T>(path, options);
};

/** Calls the API and answers the body as a file (downloads: reports, audit export). */
export const download = async (path: string, fileName: string): Promise<void> => {
  const response = await request(path);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

/** A query string from the defined values only. */
export const query = (values: Record<string, string | number | boolean | undefined | null>): string => {
  const entries = Object.entries(values).filter(([, v]) => v !== undefined && v !== null && v !== '');
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
};
