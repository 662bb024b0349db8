/**
 * OpenAPI 3.1 generated from the route catalogue (api/openapi/route-docs.ts): parameters and bodies are
 * the JSON Schema (`z.toJSONSchema`, input side) of the same zod schemas the routes parse with.
 */
import { z } from 'zod';
import { documentedRoutes, type DocumentedRoute } from './route-docs.js';

type Json = Record<string, unknown>;

function jsonSchema(schema: z.ZodType): Json {
  const out = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Json;
  delete out.$schema;
  return out;
}

const ERROR_SCHEMA: Json = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'Stable error code, e.g. VALIDATION_FAILED, NOT_FOUND' },
        message: { type: 'string' },
        details: {},
      },
    },
  },
};

function parameters(route: DocumentedRoute): Json[] {
  const out: Json[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const js = jsonSchema(schema);
    const properties = (js.properties ?? {}) as Record<string, Json>;
    const required = new Set((js.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(properties)) {
      const { description, ...rest } = property;
      out.push({
        name,
        in: where,
        required: where === 'path' || (required.has(name) && !('default' in rest)),
        schema: rest,
        ...(typeof description === 'string' ? { description } : {}),
      });
    }
  }
  for (const name of route.fullPath.match(/\{([^}]+)\}/g) ?? []) {
    const bare = name.slice(1, -1);
    if (!out.some((p) => p.in === 'path' && p.name === bare)) {
      out.push({ name: bare, in: 'path', required: true, schema: { type: 'string' } });
    }
  }
  return out;
}

function operation(route: DocumentedRoute): Json {
  const ok: Json = route.produces
    ? { description: 'OK', content: Object.fromEntries(route.produces.map((t) => [t, {}])) }
    : {
        description: 'OK',
        content: { 'application/json': { schema: route.response ? jsonSchema(route.response) : {} } },
      };
  const error = (description: string): Json => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  const op: Json = {
    summary: route.summary,
    tags: [route.tag],
    operationId: `${route.method}${route.fullPath.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    parameters: parameters(route),
    responses: {
      [route.method === 'post' && /\/(rules|crawl\/submit)$/.test(route.fullPath) ? '2XX' : '200']: ok,
      '400': error('Bad input (VALIDATION_FAILED, QUERY_INVALID, …) naming the offending part'),
      ...(route.auth === false
        ? {}
        : { '401': error('Not signed in'), '403': error('Role lacks the power') }),
      '404': error('Absent, or outside your jurisdiction'),
      '429': error('Rate limited (RATE_LIMITED, Retry-After)'),
    },
  };
  if (route.auth !== false) op.security = [{ bearer: [] }, { session: [] }];
  if (route.body) {
    op.requestBody = { required: true, content: { 'application/json': { schema: jsonSchema(route.body) } } };
  }
  return op;
}

/** The document served at `/api/openapi.json`. */
export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const route of documentedRoutes()) {
    (paths[route.fullPath] ??= {})[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Argus API',
      version: '1',
      description:
        'Search, ads, alerts, rules, dashboards and crawl control for market regulators. Every list is ' +
        'scoped to the caller’s jurisdiction; errors are `{ error: { code, message, details } }`. See docs/api.md.',
    },
    servers: [{ url: '/' }],
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'argus_session' },
      },
    },
    paths,
  };
}
