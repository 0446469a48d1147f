import * as path from 'node:path';
import { z } from 'zod';
import { projectRoot } from './project-root';
import { DEFAULT_SERVICE_ROLE } from './city-scope';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Every setting, its default and its check; README's configuration table mirrors this. */
const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('127.0.0.1'),
    MANDATE_DATA_DIR: z.string().default('./.data'),
    /** The embedded PostgreSQL's port; unset: a free one chosen at the first start, remembered in the data dir. */
    MANDATE_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    DATABASE_URL: z.string().url().optional(),
    MANDATE_JWT_SECRET: z.string().min(32, 'MANDATE_JWT_SECRET must be at least 32 characters').optional(),
    MANDATE_SEED: bool.default(true),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MANDATE_MAX_BODY: z.string().default('1mb'),
    /** How long one uploaded document may be read (in a worker thread) before the import is refused with 422. */
    MANDATE_IMPORT_PARSE_TIMEOUT_MS: z.coerce.number().int().min(1).default(15_000),
    KAFKA_BROKERS: z
      .string()
      .regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port…]')
      .default('127.0.0.1:9092')
      .transform((v) => v.split(',')),
    KAFKA_NAMESPACE: z
      .string()
      .regex(/^[a-zA-Z0-9._-]*$/, 'letters, digits, ".", "_" or "-"')
      .default(''),
    // Partitions of each topic the services create (existing topics keep theirs): the most consumer instances a group can use.
    KAFKA_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(3),
    REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
    PLANS_URL: z.string().url().default('http://127.0.0.1:3001'),
    ASSIGNMENTS_URL: z.string().url().default('http://127.0.0.1:3002'),
    REPORTING_URL: z.string().url().default('http://127.0.0.1:3003'),
    NOTIFICATIONS_URL: z.string().url().default('http://127.0.0.1:3004'),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    MANDATE_DEADLINE_SCAN_SECONDS: z.coerce.number().int().min(0).default(60),
    /** Distributed plans service: also relay each city's integration events to mandate.integration.<city>.v1. */
    MANDATE_INTEGRATION_TOPICS: bool.default(true),
    /** Webhook targets on private, loopback or link-local addresses: refused unless allowed (development). */
    MANDATE_WEBHOOK_ALLOW_PRIVATE: bool.default(false),
    /** The first retry's delay; each further one doubles it, up to an hour. */
    MANDATE_WEBHOOK_BACKOFF_MS: z.coerce.number().int().min(10).default(5000),
    /** The SMTP server e-mails go through (smtp://host:port, smtps:// for TLS); unset: no e-mail is sent. */
    SMTP_URL: z.string().url().optional(),
    MAIL_FROM: z.string().default('Mandate <no-reply@mandate.local>'),
    /** JSON {"<city>": {"<agency>": "mailbox@…"}}: the agencies' official mailboxes. */
    MANDATE_CONTACTS_FILE: z.string().optional(),
    /** The OpenID Connect provider users sign in with (its issuer URL); unset: no OIDC tokens are accepted. */
    OIDC_ISSUER: z.string().url().optional(),
    /** The audience (client id) Mandate's access tokens are issued for. */
    OIDC_AUDIENCE: z.string().optional(),
    /** The provider's JWKS; found through its discovery document when unset. */
    OIDC_JWKS_URL: z.string().url().optional(),
    OIDC_CLAIM_CITY: z.string().default('mandate_city'),
    OIDC_CLAIM_ROLE: z.string().default('mandate_role'),
    OIDC_CLAIM_AGENCY: z.string().default('mandate_agency'),
    /** Accept dev tokens (`mandate token`): on by default outside production, refused in production. */
    MANDATE_DEV_TOKENS: bool.optional(),
    /** Browser origins allowed to call the API from elsewhere (CORS), comma-separated; none by default. */
    MANDATE_CORS_ORIGINS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url())),
    /**
     * Express's `trust proxy`: the proxies in front whose X-Forwarded-For names the client (anonymous
     * and bad-API-key limits are keyed on it): `false` (default: the peer is the client), `true`, a hop
     * count, or addresses/subnets and Express's names (`loopback`, `uniquelocal`…), comma-separated.
     */
    MANDATE_TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v): boolean | number | string => (/^(true|false)$/.test(v) ? v === 'true' : /^\d+$/.test(v) ? Number(v) : v)),
    /** Where people open the web app: links in e-mails. */
    MANDATE_PUBLIC_URL: z.string().url().default('http://127.0.0.1:3000'),
    /** The Ed25519 key signing audit exports: PKCS8 PEM text or a file holding it; unset: generated into the data dir. */
    MANDATE_AUDIT_SIGNING_KEY: z.string().optional(),
    /** The built web app served at `/` (npm run build:web); unset: dist/apps/web of this checkout. */
    MANDATE_WEB_DIR: z.string().optional(),
    /** The role the services' connections act as (no superuser, no BYPASSRLS): row-level security applies to it. */
    MANDATE_DB_ROLE: z
      .string()
      .regex(/^[a-z_][a-z0-9_]*$/, 'a lower-case SQL identifier')
      .default(DEFAULT_SERVICE_ROLE),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && !c.MANDATE_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['MANDATE_JWT_SECRET'], message: 'is required in production' });
    }
    if (c.NODE_ENV === 'production' && c.MANDATE_DEV_TOKENS) {
      ctx.addIssue({ code: 'custom', path: ['MANDATE_DEV_TOKENS'], message: 'dev tokens exist only in development' });
    }
    if (c.OIDC_ISSUER && !c.OIDC_AUDIENCE) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_AUDIENCE'], message: 'is required with OIDC_ISSUER' });
    }
  });

export type Config = z.output<typeof schema> & { dataDir: string; webDir: string };

/** Where `npm run build:web` puts the web app in this checkout. */
export const BUILT_WEB_DIR = path.join(projectRoot(), 'dist', 'apps', 'web');

export class ConfigError extends Error {}

export const loadConfig = (env: NodeJS.ProcessEnv = process.env): Config => {
  // An empty variable means "not set", as shells and compose files write it.
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = schema.safeParse(set);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(config)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return { ...parsed.data, dataDir: path.resolve(parsed.data.MANDATE_DATA_DIR), webDir: path.resolve(parsed.data.MANDATE_WEB_DIR ?? BUILT_WEB_DIR) };
};
