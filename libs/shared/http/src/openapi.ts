import { applyDecorators, type INestApplication } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiQuery, DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PERMISSIONS, ROLES, type Permission } from '@mandate/kernel';
import { z } from 'zod';
import type { RouteDeclaration } from './routes';

type JsonSchema = Record<string, unknown>;

/** The JSON Schema (OpenAPI 3.0 dialect) of what a route accepts: the zod schema it parses its input with. */
export const jsonSchemaOf = (schema: z.ZodType): JsonSchema =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'openapi-3.0' }) as JsonSchema;

/**
 * Documents a route from the schemas it validates with, so the OpenAPI document and the validation
 * cannot drift: `@Doc({ summary, body: statusBody, query: pageQuery })`.
 */
export const Doc = (doc: { summary: string; description?: string; body?: z.ZodType; query?: z.ZodType }) => {
  const query = doc.query ? jsonSchemaOf(doc.query) : null;
  const properties = (query?.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((query?.required as string[] | undefined) ?? []);
  return applyDecorators(
    ApiOperation({ summary: doc.summary, description: doc.description }),
    ...(doc.body ? [ApiBody({ schema: jsonSchemaOf(doc.body) as never, required: true })] : []),
    ...Object.entries(properties).map(([name, schema]) => ApiQuery({ name, required: required.has(name), schema: schema as never })),
  );
};

export const OPENAPI_PATH = 'api/docs';

/**
 * The OpenAPI document of the routes this app serves, each operation marked with the permission it
 * needs and the roles the matrix gives it (`x-permission`, `x-roles`); public routes need no token.
 */
export const openApiDocumentOf = (app: INestApplication, routes: readonly RouteDeclaration[], version: string): OpenAPIObject => {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Mandate')
      .setDescription('City action plans (Kế hoạch, Chỉ thị), their tasks, reports and notifications. Errors are application/problem+json.')
      .setVersion(version)
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An OIDC access token, an API key (mk_…) or, in development, a dev token' })
      .addSecurityRequirements('bearer')
      .build(),
  );
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    const operation = (document.paths[path] as Record<string, Record<string, unknown>> | undefined)?.[route.method.toLowerCase()];
    if (!operation) continue;
    if (route.permission === 'public') operation.security = [];
    else if (route.permission) {
      operation['x-permission'] = route.permission;
      operation['x-roles'] = ROLES.filter((role) => (PERMISSIONS[route.permission as Permission] as readonly string[]).includes(role));
    }
  }
  return document;
};

/** Serves the document at /api/docs-json and a browsable page at /api/docs. */
export const serveOpenApi = (app: INestApplication, document: OpenAPIObject | (() => OpenAPIObject)): void => {
  SwaggerModule.setup(OPENAPI_PATH, app, document, {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    yamlDocumentUrl: `${OPENAPI_PATH}-yaml`,
    customSiteTitle: 'Mandate API',
  });
};

/** One document of several (the gateway's own routes and its services'): their paths and schemas together. */
export const mergeOpenApi = (base: OpenAPIObject, others: readonly OpenAPIObject[]): OpenAPIObject => ({
  ...base,
  paths: Object.assign({}, ...others.map((o) => o.paths), base.paths),
  components: { ...base.components, schemas: Object.assign({}, ...others.map((o) => o.components?.schemas ?? {}), base.components?.schemas ?? {}) },
});
