/** A response as the e2e suites look at it: status, headers, the JSON body (or {}), and the raw bytes. */
export type Answer = { status: number; headers: Headers; body: Record<string, any>; bytes: Buffer };

/**
 * Calls a deployment's API with a bearer token (or the promise of one, as signToken gives it): a body
 * that is a Buffer or a string goes as it is (with `type`), anything else as JSON.
 */
export const apiCaller =
  (baseUrl: () => string) =>
  async (
    method: string,
    url: string,
    token: string | Promise<string>,
    body?: unknown,
    type = 'application/json',
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const response = await fetch(`${baseUrl()}${url}`, {
      method,
      headers: { authorization: `Bearer ${await token}`, ...(body === undefined ? {} : { 'content-type': type }), ...headers },
      body: body === undefined ? undefined : Buffer.isBuffer(body) || typeof body === 'string' ? (body as RequestInit['body']) : JSON.stringify(body),
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    const body_ = (response.headers.get('content-type') ?? '').includes('json') && bytes.length ? JSON.parse(bytes.toString('utf8')) : {};
    return { status: response.status, headers: response.headers, body: body_, bytes };
  };

/** A problem answer as [status, its type's last segment]: `[404, 'city-not-found']`. */
export const problemOf = (answer: Answer): [number, string] => [
  answer.status,
  String(answer.body.type ?? '')
    .split('/')
    .at(-1) ?? '',
];
