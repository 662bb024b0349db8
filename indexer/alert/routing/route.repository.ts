/**
 * Alert routes in the `alert-routes` index: create, get, update (guarded by seq_no/primary_term),
 * delete, list by node or scope. The node is checked against the jurisdiction tree and its ref
 * stored beside it, so routing needs no tree lookup. Every change is audited (secrets left out).
 */
import { randomUUID } from 'node:crypto';
import { AppError, errorCode, NonRetryableError, ValidationError } from '../../../core/errors.js';
import { scanAll } from '../../../engine/deep-paging.js';
import { EngineErrorCode } from '../../../engine/errors.js';
import type { ConcurrencyGuard, Doc, EnginePort, RefreshPolicy } from '../../../engine/port.js';
import { aliasName } from '../../../mappings/index.js';
import { JurisdictionTree } from '../../../registry/jurisdictions/jurisdiction-tree.js';
import { deepestLevel, scopeFilter } from '../../../registry/scope.js';
import type { JurisdictionLevel, JurisdictionRef } from '../../../registry/types.js';
import { writeAudit } from '../audit.js';
import {
  defaultDigestIntervalMs,
  redactRoute,
  routeInputSchema,
  routePatchSchema,
  type AlertRoute,
  type RouteInput,
  type RoutePatch,
} from './route.schema.js';

/** Stable codes of route errors; the API answers with their `httpStatus`. */
export const RouteErrorCode = {
  /** 400: bad input, with zod issues or `{ path: ['node_id'] }` for an unknown node. */
  Invalid: 'ROUTE_INVALID',
  NotFound: 'ROUTE_NOT_FOUND',
  Exists: 'ROUTE_EXISTS',
  /** 409: written by someone else since the caller read it. */
  VersionConflict: 'ROUTE_VERSION_CONFLICT',
} as const;

/** Options of {@link RouteRepository}. */
export interface RouteRepositoryOptions {
  /** Index prefix (`INDEX_PREFIX`, or a test's random prefix). */
  prefix: string;
  /** Refresh after writes so listings see them. @default 'wait_for' */
  refresh?: RefreshPolicy;
  /** Called after every successful write (the notifier drops its route cache). */
  onChange?: () => void;
}

/** A route with its concurrency token. */
export interface StoredRoute {
  route: AlertRoute;
  seqNo: number;
  primaryTerm: number;
}

/** Who changes a route, and (optionally) which read they acted on. */
export interface RouteChangeOptions {
  actor: string;
  guard?: ConcurrencyGuard;
}

/** Filters of {@link RouteRepository.list}. */
export interface RouteListOptions {
  /** Routes attached to exactly this node. */
  nodeId?: string;
  /** Routes whose node lies inside this scope (a county sees its own, its stations' and grids'). */
  scope?: JurisdictionRef;
  enabled?: boolean;
  channel?: AlertRoute['target']['channel'];
}

function invalid(message: string, issues: unknown): ValidationError {
  return new ValidationError(message, { issues }, RouteErrorCode.Invalid);
}

function parse<T>(
  schema: {
    safeParse: (v: unknown) => { success: true; data: T } | { success: false; error: { issues: unknown[] } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid('Alert route is invalid', parsed.error.issues);
  return parsed.data;
}

function notFound(id: string): NonRetryableError {
  return new NonRetryableError(`No alert route "${id}"`, {
    code: RouteErrorCode.NotFound,
    httpStatus: 404,
    details: { id },
  });
}

function isConflict(error: unknown): boolean {
  return errorCode(error) === EngineErrorCode.VersionConflict;
}

export class RouteRepository {
  readonly index: string;
  private readonly tree: JurisdictionTree;
  private readonly refresh: RefreshPolicy;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: RouteRepositoryOptions,
  ) {
    this.index = aliasName(options.prefix, 'alert-routes');
    this.tree = new JurisdictionTree(engine, { prefix: options.prefix });
    this.refresh = options.refresh ?? 'wait_for';
  }

  /** Creates a route at an existing node; a taken id is `ROUTE_EXISTS` (409). */
  async create(input: RouteInput, options: { actor: string }): Promise<StoredRoute> {
    const parsed = parse(routeInputSchema, input);
    const where = await this.resolveNode(parsed.node_id);
    const now = new Date().toISOString();
    const route: AlertRoute = {
      ...parsed,
      id: parsed.id ?? randomUUID(),
      ...where,
      digest_interval_ms: parsed.digest_interval_ms ?? defaultDigestIntervalMs(parsed.target),
      version: 1,
      created_at: now,
      created_by: options.actor,
      updated_at: now,
      updated_by: options.actor,
    };
    let written;
    try {
      written = await this.engine.index(this.index, route.id, route as unknown as Doc, {
        createOnly: true,
        refresh: this.refresh,
      });
    } catch (error) {
      if (!isConflict(error)) throw error;
      throw new NonRetryableError(`An alert route "${route.id}" already exists`, {
        code: RouteErrorCode.Exists,
        httpStatus: 409,
        details: { id: route.id },
        cause: error,
      });
    }
    await this.audit(options.actor, 'route.create', route);
    this.options.onChange?.();
    return { route, seqNo: written.seqNo, primaryTerm: written.primaryTerm };
  }

  async get(id: string): Promise<StoredRoute | undefined> {
    const got = await this.engine.get<AlertRoute>(this.index, id);
    if (!got.found || !got.source) return undefined;
    return { route: got.source, seqNo: got.seqNo ?? 0, primaryTerm: got.primaryTerm ?? 1 };
  }

  /** Like {@link get}, but a missing route is `ROUTE_NOT_FOUND` (404). */
  async require(id: string): Promise<StoredRoute> {
    const found = await this.get(id);
    if (!found) throw notFound(id);
    return found;
  }

  /** Applies a partial change; bumps `version`. A stale `guard` is `ROUTE_VERSION_CONFLICT` (409). */
  async update(id: string, patch: RoutePatch, options: RouteChangeOptions): Promise<StoredRoute> {
    const change = parse(routePatchSchema, patch);
    const current = await this.require(id);
    const where = change.node_id ? await this.resolveNode(change.node_id) : {};
    const route: AlertRoute = {
      ...current.route,
      ...change,
      ...where,
      version: current.route.version + 1,
      updated_at: new Date().toISOString(),
      updated_by: options.actor,
    };
    const guard = options.guard ?? { ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm };
    const written = await this.guarded(id, () =>
      this.engine.index(this.index, id, route as unknown as Doc, { guard, refresh: this.refresh }),
    );
    await this.audit(options.actor, 'route.update', route, Object.keys(change).sort());
    this.options.onChange?.();
    return { route, seqNo: written.seqNo, primaryTerm: written.primaryTerm };
  }

  /** Deletes a route; missing is `ROUTE_NOT_FOUND` (404), a stale guard `ROUTE_VERSION_CONFLICT` (409). */
  async delete(id: string, options: RouteChangeOptions): Promise<void> {
    const current = await this.require(id);
    const guard = options.guard ?? { ifSeqNo: current.seqNo, ifPrimaryTerm: current.primaryTerm };
    await this.guarded(id, () => this.engine.delete(this.index, id, { guard, refresh: this.refresh }));
    await this.audit(options.actor, 'route.delete', current.route);
    this.options.onChange?.();
  }

  /** Routes matching the filters, ordered by node then id. */
  async list(options: RouteListOptions = {}): Promise<AlertRoute[]> {
    const filter: Doc[] = [];
    if (options.nodeId) filter.push({ term: { node_id: options.nodeId } });
    if (options.scope) filter.push(scopeFilter(options.scope));
    if (options.enabled !== undefined) filter.push({ term: { enabled: options.enabled } });
    if (options.channel) filter.push({ term: { 'target.channel': options.channel } });
    const routes: AlertRoute[] = [];
    for await (const hit of scanAll<AlertRoute>(this.engine, {
      index: this.index,
      query: { bool: { filter } },
      sort: [{ node_id: 'asc' }, { id: 'asc' }],
    })) {
      routes.push(hit.source);
    }
    return routes;
  }

  /** Routes attached to one node (not those of its children). */
  listByNode(nodeId: string): Promise<AlertRoute[]> {
    return this.list({ nodeId });
  }

  /** The node's level and ref; an unknown node is `ROUTE_INVALID` naming `node_id`. */
  private async resolveNode(
    nodeId: string,
  ): Promise<{ node_id: string; node_level: JurisdictionLevel; jurisdiction: JurisdictionRef }> {
    const node = await this.tree.get(nodeId);
    const ref = node ? await this.tree.refOf(nodeId) : undefined;
    const level = ref ? deepestLevel(ref) : undefined;
    if (!node || !ref || !level) {
      throw invalid(`No jurisdiction node "${nodeId}"`, [
        { path: ['node_id'], message: `no jurisdiction node "${nodeId}"` },
      ]);
    }
    return { node_id: nodeId, node_level: level, jurisdiction: ref };
  }

  private async guarded<T>(id: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isConflict(error)) throw error;
      throw new AppError(`Alert route "${id}" was changed by someone else; reload it and try again`, {
        code: RouteErrorCode.VersionConflict,
        httpStatus: 409,
        details: { id },
        cause: error,
      });
    }
  }

  private async audit(actor: string, action: string, route: AlertRoute, fields?: string[]): Promise<void> {
    const safe = redactRoute(route);
    await writeAudit(this.engine, this.options.prefix, {
      actor,
      action,
      targetType: 'alert-route',
      targetId: route.id,
      details: {
        version: route.version,
        node_id: route.node_id,
        target: safe.target,
        ...(fields ? { fields } : {}),
      },
    });
  }
}
