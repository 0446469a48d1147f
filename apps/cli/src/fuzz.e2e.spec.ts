// Every operation of the generated OpenAPI document, called with bodies, queries and path parameters
// fast-check draws from its schemas (and with junk): nothing may answer 5xx.
import fc from 'fast-check';
import { controllersOf, BUILT_IN_CONTROLLERS, routesOf, signToken, type RequestActor } from '@mandate/http';
import type { Role } from '@mandate/kernel';
import { embeddedDeployment, TEST_SECRET } from './testing/deployments';

jest.setTimeout(300_000);
type Json = Record<string, any>;
type Schema = Json;

const RUNS = Number(process.env.FUZZ_RUNS ?? 20);
/** Text near the edges: what PostgreSQL refuses (NUL, UTF-16 halves without their pair) must be a 400, not a 500. */
const JUNK_TEXT = [
  '',
  'Quý II/2025',
  '2024-Q1',
  '2025-06-30',
  'so-tu-phap',
  '../..',
  '%00',
  'ﾟ∀ﾟ',
  'a\u0000b',
  '\u0000',
  'xin chào \ud83d',
  '\udc00',
  'trước ngày 31/12/99999',
];

/** Values a JSON Schema (OpenAPI 3.0 dialect, as zod writes it) admits, and some near its edges. */
const arbitraryOf = (schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> => {
  if (!schema || depth > 4) return fc.jsonValue({ maxDepth: 2 });
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...(variants as Schema[]).map((s) => arbitraryOf(s, depth + 1)));
  if (schema.enum) return fc.constantFrom(...(schema.enum as unknown[]));
  const nullable = (a: fc.Arbitrary<unknown>) => (schema.nullable ? fc.option(a, { nil: null }) : a);
  switch (schema.type) {
    case 'string':
      switch (schema.format) {
        case 'date-time':
          return nullable(fc.date({ min: new Date('2000-01-01'), max: new Date('2040-01-01'), noInvalidDate: true }).map((d) => d.toISOString()));
        case 'uuid':
          return nullable(fc.uuid());
        case 'email':
          return nullable(fc.emailAddress());
        case 'uri':
          return nullable(fc.webUrl());
        default:
          return nullable(fc.oneof(fc.string({ maxLength: Math.min(Number(schema.maxLength ?? 60), 60) }), fc.constantFrom(...JUNK_TEXT)));
      }
    case 'integer':
      return nullable(fc.integer({ min: Math.max(Number(schema.minimum ?? -1000), -1e9), max: Math.min(Number(schema.maximum ?? 100_000), 1e9) }));
    case 'number':
      return nullable(fc.double({ noNaN: true, min: -1e6, max: 1e6 }));
    case 'boolean':
      return nullable(fc.boolean());
    case 'array':
      return nullable(fc.array(arbitraryOf(schema.items as Schema, depth + 1), { maxLength: Math.min(Number(schema.maxItems ?? 5), 5) }));
    case 'object': {
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = new Set<string>((schema.required as string[] | undefined) ?? []);
      return nullable(
        fc.record(Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, arbitraryOf(v, depth + 1)])), {
          requiredKeys: [...required].filter((k) => k in properties),
        }),
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
};

describe('Fuzzing every operation of the OpenAPI document', () => {
  let deployment: Awaited<ReturnType<typeof embeddedDeployment>>;
  let document: Json;
  let known: { planId: string; taskId: string };

  beforeAll(async () => {
    deployment = await embeddedDeployment();
    const response = await fetch(`${deployment.url()}/api/docs-json`);
    expect(response.status).toBe(200);
    document = (await response.json()) as Json;
    const office = { authorization: `Bearer ${await signToken(TEST_SECRET, { userId: 'fuzz', role: 'office', agencyId: null, cityId: 'ha-noi' })}` };
    const plans = (await (await fetch(`${deployment.url()}/api/v1/plans`, { headers: office })).json()) as Json;
    const planId = plans.items[0].id as string;
    const tasks = (await (await fetch(`${deployment.url()}/api/v1/plans/${planId}/tasks?limit=1`, { headers: office })).json()) as Json;
    known = { planId, taskId: tasks.items[0].id };
  });
  afterAll(() => deployment?.stop());

  it('documents every route the platform serves, with the permission it needs; /api/docs is a page', async () => {
    const routes = routesOf([...BUILT_IN_CONTROLLERS, ...controllersOf(deployment.platform().modules)]);
    const documented = Object.entries(document.paths as Json).flatMap(([path, ops]) => Object.keys(ops as Json).map((m) => `${m.toUpperCase()} ${path}`));
    expect(routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort()).toEqual(documented.sort());
    const statusOp = document.paths['/api/v1/tasks/{taskId}/status'].post;
    expect(statusOp).toMatchObject({
      'x-permission': 'tasks.act',
      'x-roles': ['office', 'planning', 'agency', 'unit'],
      requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
    });
    expect(document.paths['/health'].get.security).toEqual([]);
    const page = await fetch(`${deployment.url()}/api/docs`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('swagger');
  });

  it('answers every operation, whatever it is sent, without a 5xx', async () => {
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    const operations = Object.entries(document.paths as Json).flatMap(([path, ops]) =>
      Object.entries(ops as Json).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Json })),
    );
    for (const { path, method, op } of operations) {
      const role = ((op['x-roles'] as Role[] | undefined) ?? ['office'])[0];
      const actor: RequestActor = {
        userId: 'fuzzer',
        role,
        cityId: role === 'operator' ? 'platform' : 'ha-noi',
        agencyId: role === 'agency' ? 'so-tu-phap' : role === 'planning' ? 'so-ke-hoach-dau-tu' : null,
      };
      const params = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => p.name as string);
      const queries = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema as Schema | undefined;
      const pathValue = (name: string) =>
        fc.oneof(
          fc.constant((known as Record<string, string>)[name] ?? 'so-tu-phap'),
          fc.uuid(),
          fc.string({ minLength: 1, maxLength: 40 }).map(encodeURIComponent),
          fc.constant('%00'),
        );
      const request = fc.record({
        path: fc.tuple(...(params.length ? params.map(pathValue) : [fc.constant('')])),
        query: fc.record(
          Object.fromEntries(
            queries.map((q) => [
              q.name as string,
              fc.option(fc.oneof(arbitraryOf(q.schema as Schema), fc.string({ maxLength: 20 }), fc.constantFrom(...JUNK_TEXT)), { nil: undefined }),
            ]),
          ),
        ),
        body: fc.oneof(arbitraryOf(bodySchema), fc.jsonValue({ maxDepth: 3 }), fc.constantFrom('{"unterminated', '[]', 'null', '"x"')),
        raw: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ path: values, query, body, raw }) => {
          let i = 0;
          const url = new URL(`${deployment.url()}${path.replace(/\{\w+\}/g, () => String(values[i++]))}`);
          for (const [name, value] of Object.entries(query))
            if (value !== undefined) url.searchParams.set(name, typeof value === 'string' ? value : JSON.stringify(value));
          const hasBody = ['POST', 'PUT', 'PATCH'].includes(method);
          const controller = new AbortController();
          const response = await fetch(url, {
            method,
            headers: { authorization: `Bearer ${await signToken(TEST_SECRET, actor)}`, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
            body: hasBody ? (raw && typeof body === 'string' ? body : JSON.stringify(body)) : undefined,
            signal: controller.signal,
          });
          if (response.headers.get('content-type')?.startsWith('text/event-stream')) controller.abort();
          else await response.arrayBuffer();
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          if (response.status >= 500) failures.push(`${method} ${url.pathname}${url.search} ${JSON.stringify(body).slice(0, 200)} -> ${response.status}`);
          return true;
        }),
        { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261202) },
      );
    }
    expect(failures).toEqual([]);
    // The fuzzer reached the operations themselves, not only the doors: some calls succeed, many are refused as invalid.
    const count = (from: number, to: number) => [...statuses].filter(([s]) => s >= from && s < to).reduce((n, [, c]) => n + c, 0);
    expect(count(200, 300)).toBeGreaterThan(operations.length);
    expect(count(400, 500)).toBeGreaterThan(operations.length);
    expect(statuses.get(401) ?? 0).toBe(0);
  });
});
