// The permission matrix, exhaustively: every route of every service × every role, against the embedded
// platform. Routes are read from the controllers' decorators, so a new route is in the table by itself.
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { controllersOf, BUILT_IN_CONTROLLERS, routesOf, signToken, type RequestActor, type RouteDeclaration } from '@mandate/http';
import { allows, PERMISSIONS, ROLES, type Permission, type Role } from '@mandate/kernel';
import { embeddedDeployment, TEST_SECRET } from './testing/deployments';

jest.setTimeout(180_000);
type Json = Record<string, any>;

const MATRIX_DOC = path.resolve(__dirname, '../../../docs/permissions.md');
/** The actor each role is tried as: Hà Nội's, or the platform's for the operator. */
const actorOf = (role: Role, cityId = 'ha-noi'): RequestActor => ({
  userId: `${role}-matrix`,
  role,
  cityId: role === 'operator' ? 'platform' : cityId,
  agencyId: role === 'agency' ? 'so-tu-phap' : role === 'planning' ? 'so-ke-hoach-dau-tu' : role === 'unit' ? 'ubnd-huyen-soc-son' : null,
});

/** The permission matrix and which route needs what, as docs/permissions.md shows them. */
const matrixDocument = (routes: RouteDeclaration[]) =>
  [
    '# Permissions',
    '',
    "Generated from `libs/shared/kernel/src/permissions.ts` and the routes' `@Requires` by `apps/cli/src/permissions.e2e.spec.ts`",
    '(`UPDATE_DOCS=1` rewrites it); the same test calls every route as every role and checks that exactly these are refused.',
    "What depends on the case (the lead agency of this task, the agency of this report, another city's ids) is checked",
    'after this, by the deciders and the city-scoped reads.',
    '',
    `| permission | ${ROLES.join(' | ')} |`,
    `|---|${ROLES.map(() => ':-:').join('|')}|`,
    ...(Object.keys(PERMISSIONS) as Permission[]).map((p) => `| \`${p}\` | ${ROLES.map((r) => (allows(r, p) ? '✓' : '')).join(' | ')} |`),
    '',
    '| route | permission |',
    '|---|---|',
    ...routes.map((r) => `| \`${r.method} ${r.path}\` | ${r.permission === 'public' ? 'public (no token)' : `\`${r.permission}\``} |`),
    '',
  ].join('\n');

describe('The permission matrix: every route × every role', () => {
  let deployment: Awaited<ReturnType<typeof embeddedDeployment>>;
  let routes: RouteDeclaration[];
  let planId: string;
  let taskId: string;

  const call = async (route: RouteDeclaration, actor: RequestActor) => {
    const params: Record<string, string> = { planId, taskId, agencyId: 'so-tu-phap', move: 'start', file: 'cloudevent.v1.schema.json' };
    const url = route.path.replace(/:(\w+)/g, (_, name: string) => params[name] ?? randomUUID());
    const controller = new AbortController();
    const hasBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
    const response = await fetch(`${deployment.url()}${url}`, {
      method: route.method,
      headers: { authorization: `Bearer ${await signToken(TEST_SECRET, actor)}`, ...(hasBody ? { 'content-type': 'application/json' } : {}) },
      body: hasBody ? '{}' : undefined,
      signal: controller.signal,
    });
    // A live stream answers with its headers and stays open: the status is all this needs.
    const text = response.headers.get('content-type')?.startsWith('text/event-stream') ? (controller.abort(), '') : await response.text();
    let problem: Json = {};
    try {
      problem = text ? JSON.parse(text) : {};
    } catch {
      // not JSON (a document, a page)
    }
    return { status: response.status, type: String(problem.type ?? '') };
  };

  beforeAll(async () => {
    deployment = await embeddedDeployment();
    routes = routesOf([...BUILT_IN_CONTROLLERS, ...controllersOf(deployment.platform().modules)]).sort(
      (a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method),
    );
    const office = { authorization: `Bearer ${await signToken(TEST_SECRET, actorOf('office'))}` };
    const plans = (await (await fetch(`${deployment.url()}/api/v1/plans`, { headers: office })).json()) as Json;
    planId = plans.items.find((p: Json) => p.number === '183/KH-UBND').id;
    taskId = ((await (await fetch(`${deployment.url()}/api/v1/plans/${planId}/tasks?limit=1`, { headers: office })).json()) as Json).items[0].id;
  });
  afterAll(() => deployment?.stop());

  it('finds every route, and each is public or declares a permission of the matrix', () => {
    expect(routes.length).toBeGreaterThan(50);
    expect(routes.filter((r) => r.permission === null).map((r) => `${r.method} ${r.path}`)).toEqual([]);
    expect(routes.filter((r) => r.permission === 'public').map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/v1/asyncapi',
      'GET /api/v1/asyncapi.yaml',
      'GET /api/v1/schemas/:file',
      'GET /api/v1/session',
      'POST /api/v1/session/dev-token',
      'GET /health',
      'GET /metrics',
    ]);
  });

  it('is the matrix docs/permissions.md shows', () => {
    const document = matrixDocument(routes);
    if (process.env.UPDATE_DOCS === '1') fs.writeFileSync(MATRIX_DOC, document);
    expect(fs.readFileSync(MATRIX_DOC, 'utf8')).toBe(document);
  });

  it.each([...ROLES])('refuses the role %s exactly the routes the matrix denies it, and nothing else for lack of permission', async (role) => {
    const wrong: string[] = [];
    for (const route of routes.filter((r) => r.permission !== 'public')) {
      const { status, type } = await call(route, actorOf(role));
      const refused = status === 403 && type.endsWith('permission-denied');
      const denied = !allows(role, route.permission as Permission);
      if (denied !== refused || status === 401 || status >= 500)
        wrong.push(`${route.method} ${route.path}: ${status} ${type} (matrix: ${denied ? 'denied' : 'allowed'})`);
    }
    expect(wrong).toEqual([]);
  });

  it("finds nothing of Hà Nội's plans and tasks for another city's roles, whatever they may do in their own", async () => {
    const leaks: string[] = [];
    for (const route of routes.filter((r) => /:planId|:taskId/.test(r.path))) {
      for (const role of ROLES.filter((r) => r !== 'operator' && allows(r, route.permission as Permission))) {
        const { status } = await call(route, actorOf(role, 'hai-phong'));
        if (status < 400 || status === 401 || status >= 500) leaks.push(`${role} ${route.method} ${route.path}: ${status}`);
      }
    }
    expect(leaks).toEqual([]);
  });
});
