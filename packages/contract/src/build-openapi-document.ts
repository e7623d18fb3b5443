import { z } from 'zod';
import { ROUTES, type Route } from './routes.js';
import { SCOPE_DESCRIPTIONS, SCOPES } from './scopes.js';

/** Request schemas as a caller writes them: defaults optional, transforms not applied. */
const jsonSchema = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

const ErrorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

function parameters(route: Route) {
  const inPath = [...route.path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  const query = route.query ? jsonSchema(route.query) : undefined;
  const inQuery = Object.entries(query?.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: false,
    schema,
  }));
  return [...inPath, ...inQuery];
}

function scopeDescription(route: Route): string {
  const narrower = route.narrowerScope
    ? ` A key with "${route.narrowerScope.scope}" may call it for ${route.narrowerScope.allows}.`
    : '';
  return `Needs the scope "${route.scope}".${narrower}`;
}

/** The OpenAPI 3.1 document, built from the route table and the zod schemas that validate requests. */
export function buildOpenApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const params = parameters(route);
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method] = {
      summary: route.summary,
      ...(route.scope && {
        description: scopeDescription(route),
        security: [{ bearer: [] }, { console: [] }],
        'x-herald-scope': route.scope,
      }),
      ...(params.length > 0 && { parameters: params }),
      ...(route.body && {
        requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } },
      }),
      responses: {
        [String(route.status ?? 200)]: { description: route.response },
        '4XX': {
          description: 'The caller’s mistake; nothing was changed.',
          content: { 'application/json': { schema: ErrorSchema } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Herald API',
      version: '1.0.0',
      description: 'Notifications with consent enforced at send time.',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key: HERALD_API_KEY (every scope) or a key from POST /v1/api-keys (its scopes). ' +
            "A key without the route's scope (x-herald-scope) gets 403; a revoked key 401. Scopes: " +
            SCOPES.map((scope) => `${scope}: ${SCOPE_DESCRIPTIONS[scope]}`).join(' '),
        },
        console: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            '"Console <session secret>": the console, as the person signed in (every scope), while their session lasts.',
        },
      },
    },
    paths,
  };
}
