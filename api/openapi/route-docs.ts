/**
 * The route catalogue the OpenAPI document is generated from: each route declares its method, path and
 * the same zod schemas it validates with, through {@link defineRoute} (or {@link documentRoute} for a
 * route mounted by hand); `mount` records where each router sits so tests can compare the two.
 */
import type { Express, RequestHandler, Router } from 'express';
import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** What the OpenAPI document says of one route. */
export interface RouteDoc {
  method: HttpMethod;
  /** Express path relative to the router (`/rules/:id`). */
  path: string;
  summary: string;
  /** Group in the docs page. */
  tag: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Schema of a 200 JSON answer, when it has one worth stating. */
  response?: z.ZodType;
  /** Media type of a non-JSON answer (`text/csv`, `text/event-stream`, …). */
  produces?: string[];
  /** Whether the route needs a session or token. @default true */
  auth?: boolean;
}

export interface DocumentedRoute extends RouteDoc {
  /** Full path (`/api/rules/{id}`) as OpenAPI writes it. */
  fullPath: string;
}

const catalogue = new Map<string, DocumentedRoute>();

/** Express `:id` → OpenAPI `{id}`. */
export function openApiPath(path: string): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}');
}

/** Records a route of a router mounted at `base` (`/api`, or `''` for the root). */
export function documentRoute(base: string, doc: RouteDoc): void {
  const fullPath = openApiPath(`${base}${doc.path}`);
  catalogue.set(`${doc.method} ${fullPath}`, { ...doc, fullPath });
}

/** Registers `handlers` on `router` and documents the route in one step. */
export function defineRoute(
  router: Router,
  base: string,
  doc: RouteDoc,
  ...handlers: RequestHandler[]
): void {
  documentRoute(base, doc);
  router[doc.method](doc.path, ...handlers);
}

export function documentedRoutes(): DocumentedRoute[] {
  return [...catalogue.values()].sort(
    (a, b) => a.fullPath.localeCompare(b.fullPath) || a.method.localeCompare(b.method),
  );
}

const mounts = new WeakMap<Express, Array<{ base: string; router: Router }>>();

/** `app.use(base, router)`, remembering the pair so {@link mountedRoutes} can list every route. */
export function mount(app: Express, base: string, router: Router): void {
  if (base) app.use(base, router);
  else app.use(router);
  mounts.set(app, [...(mounts.get(app) ?? []), { base, router }]);
}

interface RouteLayer {
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** Every `METHOD /full/{path}` mounted through {@link mount}, read from the routers themselves. */
export function mountedRoutes(app: Express): string[] {
  const out = new Set<string>();
  for (const { base, router } of mounts.get(app) ?? []) {
    for (const layer of (router as unknown as { stack: RouteLayer[] }).stack) {
      if (!layer.route || typeof layer.route.path !== 'string') continue;
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') out.add(`${method} ${openApiPath(`${base}${layer.route.path}`)}`);
      }
    }
  }
  return [...out].sort();
}
