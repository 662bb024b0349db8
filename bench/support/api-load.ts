/**
 * The load phase of `npm run bench:api` (autocannon: N connections for a fixed time, cycling through
 * the search mix with each caller's token) and the per-request costs the API pays before it searches.
 */
import autocannon from 'autocannon';
import type { SessionStore } from '../../api/auth/session.store.js';
import type { UserRepository } from '../../registry/users/user.repository.js';
import type { BenchCaller } from './search-compare.js';
import { apiPath, percentile, type MixQuery } from './search-mix.js';

/** Options of {@link runLoad}. */
export interface LoadOptions {
  baseUrl: string;
  callers: readonly BenchCaller[];
  queries: readonly MixQuery[];
  connections: number;
  durationSec: number;
  /** Receives the running instance, so Ctrl-C can stop it. */
  onStart?: (instance: autocannon.Instance) => void;
}

/** Figures of the load phase, as printed. */
export type LoadFigures = Record<string, number>;

/** Runs autocannon; each connection cycles through every (caller, query) pair in turn. */
export async function runLoad(options: LoadOptions): Promise<LoadFigures> {
  const requests: autocannon.Request[] = options.queries.flatMap((query) =>
    options.callers.map((caller) => ({
      method: 'GET' as const,
      path: apiPath(query),
      headers: { authorization: `Bearer ${caller.token}` },
    })),
  );
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.baseUrl,
        connections: options.connections,
        duration: options.durationSec,
        requests,
        timeout: 10,
      },
      (error, done) => (error ? reject(error as Error) : resolve(done)),
    );
    options.onStart?.(instance);
  });
  const answered = result.requests.total;
  const failed = result.non2xx + result.errors;
  return {
    api_load_connections: result.connections,
    api_load_seconds: result.duration,
    api_rps: answered / result.duration,
    api_requests: answered,
    api_error_rate: failed / Math.max(1, answered + result.errors),
    api_load_2xx: result['2xx'],
    api_load_4xx: result['4xx'],
    api_load_5xx: result['5xx'],
    api_load_socket_errors: result.errors,
    api_load_timeouts: result.timeouts,
    api_load_p50_ms: result.latency.p50,
    api_load_p99_ms: result.latency.p99,
  };
}

/** What the API resolves on every request before its search, each timed on its own. */
export interface AuthCostOptions {
  sessions: SessionStore;
  users: UserRepository;
  baseUrl: string;
  token: string;
  userId: string;
  /** @default 200 */
  samples?: number;
}

async function sample(count: number, step: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const startedAt = performance.now();
    await step();
    times.push(performance.now() - startedAt);
  }
  return percentile(times, 50);
}

/**
 * p50 of: the session lookup in Redis (`SessionStore.resolve`), the user's reload from the engine,
 * its scope node's ref from the engine, and `GET /api/me` (HTTP, middleware, auth, no search).
 */
export async function measureAuthCosts(options: AuthCostOptions): Promise<Record<string, number>> {
  const count = options.samples ?? 200;
  const user = await options.users.get(options.userId);
  if (!user) throw new Error(`no user ${options.userId}`);
  const headers = { authorization: `Bearer ${options.token}` };
  return {
    auth_session_redis_p50_ms: await sample(count, () => options.sessions.resolve(options.token)),
    auth_user_get_p50_ms: await sample(count, () => options.users.get(options.userId)),
    auth_scope_ref_p50_ms: await sample(count, () => options.users.scopeOf(user)),
    api_me_p50_ms: await sample(count, async () => {
      const res = await fetch(`${options.baseUrl}/api/me`, { headers });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`/api/me answered ${res.status}`);
    }),
  };
}
