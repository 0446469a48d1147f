import { Module, type DynamicModule, type INestApplication } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express, { type RequestHandler } from 'express';
import { openCityScope, type Logger, type SharedState } from '@mandate/runtime';
import type { Registry } from 'prom-client';
import { AuthGuard } from './auth-guard';
import { Authenticator, servedCity, type IdentityOptions } from './identity';
import { HealthController, READINESS, type Readiness } from './health.controller';
import { httpMetricsMiddleware, METRICS_REGISTRY, MetricsController } from './metrics';
import { ProblemFilter, problemMiddleware } from './problem.filter';
import { storableTextMiddleware } from './validation';
import { API_VERSION } from './api-version';
import type { OpenAPIObject } from '@nestjs/swagger';
import { mergeOpenApi, openApiDocumentOf, serveOpenApi } from './openapi';
import { correlationMiddleware } from './request-context';
import { requestLogMiddleware } from './request-log';
import { securityHeaders } from './security-headers';
import { controllersOf, routesOf } from './routes';
import { authenticateMiddleware, idempotencyMiddleware, rateLimitMiddleware } from './request-policies';
import { SESSION_SETTINGS, SessionController, type SessionSettings } from './session.controller';
import { webApp } from './web-app';

export type HttpAppOptions = {
  modules: DynamicModule[];
  jwtSecret: string;
  /** Who may call: OIDC, API keys, dev tokens (on unless said otherwise: tests and the embedded default); the cities of the operator log this process knows unless `knownCity` says otherwise. */
  identity?: Omit<IdentityOptions, 'secret' | 'knownCity'> & Partial<Pick<IdentityOptions, 'knownCity'>>;
  logger: Logger;
  readiness: Readiness;
  maxBody: string;
  metrics: Registry;
  /**
   * Where rate-limit windows and idempotency records live; without it neither applies (a service
   * behind the gateway). Idempotency records go to `idempotency` when given (the embedded
   * platform's are in PostgreSQL, so an answer given before a restart is still replayed after it).
   */
  policies?: { state: SharedState; rateLimitPerMinute: number; idempotency?: SharedState; soleInstance?: boolean };
  /**
   * Express's `trust proxy`: which proxies' X-Forwarded-For is believed for the client address that
   * anonymous rate limits and bad-API-key limits are keyed on (MANDATE_TRUST_PROXY). Off by default.
   */
  trustProxy?: boolean | number | string;
  /** Handlers that take over matching requests after the shared policies (the gateway's forwarding). */
  handlers?: RequestHandler[];
  /** Body parser; JSON unless a handler needs the raw bytes. */
  bodyParser?: RequestHandler;
  /** Browser origins allowed to call the API (CORS); none by default: the web app is served from the same origin. */
  corsOrigins?: readonly string[];
  /** The OpenAPI document served at /api/docs: of these modules' routes, plus the paths of `include` (the gateway: its services'). */
  openApi?: { include?: readonly OpenAPIObject[] };
  /** The built web app (index.html and its assets), served at `/` for every path outside the API; none: no web app. */
  webRoot?: string;
};

/**
 * Routes whose body is a document, not a command: read raw and larger than `maxBody`. The owning
 * controller enforces the exact document limit (413) once it has the file out of its envelope.
 */
export const DOCUMENT_UPLOAD_ROUTES: readonly { path: RegExp; limit: number }[] = [
  // The largest document format (a PDF, 50 MB: FORMAT_LIMITS of @mandate/document-reader) and its form's envelope.
  { path: /^\/api\/v1\/imports\/?$/, limit: 50 * 1024 * 1024 + 256 * 1024 },
  // An import's confirmation: its corrections are read by the importer, which names what is wrong with them (import-corrections-malformed).
  { path: /^\/api\/v1\/imports\/[^/]+\/confirm\/?$/, limit: 1024 * 1024 },
  // A city's directory as a spreadsheet (XLSX or CSV): thousands of rows fit in far less.
  { path: /^\/api\/v1\/directory\/import\/?$/, limit: 10 * 1024 * 1024 },
];

/**
 * A service's HTTP shell: authentication, correlation ids, problem+json errors, body limits,
 * health and metrics, around the controllers it is given. The embedded platform gives it every
 * service's controllers; in the distributed deployment each service process has its own.
 */
/** The controllers every HTTP app has, whatever its modules: health, metrics, sign-in. */
export const BUILT_IN_CONTROLLERS = [HealthController, MetricsController, SessionController];

export const createHttpApp = async (options: HttpAppOptions): Promise<INestApplication> => {
  const authenticatorOptions = { secret: options.jwtSecret, devTokens: true, oidc: null, knownCity: servedCity, ...options.identity };
  const authenticator = new Authenticator(authenticatorOptions);
  @Module({
    imports: options.modules,
    controllers: BUILT_IN_CONTROLLERS,
    providers: [
      {
        provide: SESSION_SETTINGS,
        useValue: {
          devTokens: authenticatorOptions.devTokens,
          secret: options.jwtSecret,
          // The web app signs in as a public client of the provider; the API's audience is that client.
          oidc: authenticatorOptions.oidc ? { issuer: authenticatorOptions.oidc.issuer, clientId: authenticatorOptions.oidc.audience } : null,
        } satisfies SessionSettings,
      },
      { provide: READINESS, useValue: options.readiness },
      { provide: METRICS_REGISTRY, useValue: options.metrics },
      { provide: APP_GUARD, useFactory: (reflector: Reflector) => new AuthGuard(reflector, authenticator), inject: [Reflector] },
      { provide: APP_FILTER, useValue: new ProblemFilter(options.logger) },
    ],
  })
  class GatewayModule {}

  const app = await NestFactory.create<NestExpressApplication>(GatewayModule, { bodyParser: false, logger: false });
  app.disable('x-powered-by');
  // req.ip: the peer's address, or with trusted proxies the client they forwarded for.
  app.set('trust proxy', options.trustProxy ?? false);
  // Security headers on every answer (CSP, no sniffing, no framing, HSTS…).
  app.use(
    securityHeaders({
      // The web app talks to the identity provider itself (discovery, token endpoint), and shows images it
      // fetched with the session's token as blob: URLs (an imported document's pages).
      contentSecurityPolicy: {
        directives: {
          connectSrc: ["'self'", ...(authenticatorOptions.oidc ? [new URL(authenticatorOptions.oidc.issuer).origin] : [])],
          imgSrc: ["'self'", 'data:', 'blob:'],
        },
      },
    }),
  );
  if (options.corsOrigins?.length) {
    app.enableCors({
      origin: [...options.corsOrigins],
      methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
      allowedHeaders: ['authorization', 'content-type', 'if-match', 'idempotency-key', 'x-correlation-id'],
      exposedHeaders: ['etag', 'location', 'retry-after', 'x-correlation-id', 'idempotent-replayed', 'mandate-import-id'],
      maxAge: 600,
    });
  }
  // The web app's files need none of the API's policies (tokens, rate limits, idempotency, logging):
  // answered here, before them, so a page's dozen assets cost the server next to nothing.
  if (options.webRoot) app.use(webApp(options.webRoot));
  app.use(correlationMiddleware);
  app.use(httpMetricsMiddleware(options.metrics));
  app.use(requestLogMiddleware(options.logger, (req) => req.url === '/health'));
  app.use(authenticateMiddleware(authenticator, options.logger));
  if (options.policies) app.use(rateLimitMiddleware(options.policies.state, options.policies.rateLimitPerMinute, options.logger));
  const bodyParser = options.bodyParser ?? express.json({ limit: options.maxBody, strict: true });
  const uploads = DOCUMENT_UPLOAD_ROUTES.map((route) => ({ path: route.path, parser: express.raw({ type: () => true, limit: route.limit }) }));
  app.use((req: express.Request, res: express.Response, next: express.NextFunction) =>
    (uploads.find((route) => route.path.test(req.path))?.parser ?? bodyParser)(req, res, next),
  );
  // Text PostgreSQL cannot store (NUL, lone surrogates) is a 400 naming the field, for every route at once.
  app.use(storableTextMiddleware);
  app.use(problemMiddleware(options.logger));
  // The city scope the guard narrows; opened after the body is read, because the body parser's stream
  // events would not carry it.
  app.use((_req: express.Request, _res: express.Response, next: express.NextFunction) => openCityScope(next));
  if (options.policies) {
    app.use(idempotencyMiddleware(options.policies.idempotency ?? options.policies.state, options.logger, { soleInstance: options.policies.soleInstance }));
  }
  for (const handler of options.handlers ?? []) app.use(handler);
  const routes = routesOf([...BUILT_IN_CONTROLLERS, ...controllersOf(options.modules)]);
  serveOpenApi(app, () => mergeOpenApi(openApiDocumentOf(app, routes, API_VERSION), options.openApi?.include ?? []));
  await app.init();
  return app;
};
