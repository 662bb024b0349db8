/**
 * Side-by-side timing of `npm run bench:api`: each search of the mix, for each caller, N rounds, the
 * API, the engine (`searchDocuments`, as the route calls it) and, when given, the floor (that call
 * behind a bare node:http server in its own process) and the what-if variant, in rotating order, one
 * request at a time; also checks every side counts the same hits (same DSL, same scope).
 */
import { Agent, get } from 'node:http';
import type { EnginePort } from '../../engine/port.js';
import type { JurisdictionRef } from '../../registry/types.js';
import { searchDocuments, type DocumentSearchOptions } from '../../search/search-documents.js';
import { apiPath, engineOptions, percentile, type MixQuery } from './search-mix.js';

/** A signed-in bench caller. */
export interface BenchCaller {
  name: string;
  token: string;
  scope: JurisdictionRef;
}

/** Timings of one query for one caller. */
export interface QueryTimings {
  caller: string;
  query: MixQuery;
  apiMs: number[];
  engineMs: number[];
  /** The what-if API child's times, when there is one. */
  variantMs: number[];
  /** The floor's times, when there is one. */
  floorMs: number[];
  /** Engine-reported `took` of the direct searches. */
  tookMs: number[];
  apiTotal: number;
  engineTotal: number;
  variantTotal?: number;
  floorTotal?: number;
  /** Failed requests (side and message); a failure is counted and the round goes on. */
  errors: string[];
}

/** Options of {@link compareSearches}. */
export interface CompareOptions {
  engine: EnginePort;
  prefix: string;
  baseUrl: string;
  /** A second API child (the what-if variant) timed as a third side. */
  variantUrl?: string;
  /** The floor child (bench/support/api-server.child.ts), timed as another side. */
  floorUrl?: string;
  callers: readonly BenchCaller[];
  queries: readonly MixQuery[];
  rounds: number;
  /** Unrecorded rounds first (caches, JIT, connections). @default 2 */
  warmupRounds?: number;
}

/**
 * Both sides speak HTTP/1.1 over kept-alive node:http sockets, as the engine client does: the API side's
 * time is the API's, not a heavier client's (undici's `fetch` costs 0.1–0.2 ms more per 20 kB answer).
 */
const apiAgent = new Agent({ keepAlive: true, maxSockets: 4 });

/** `GET /api/search` as the web UI sends it; the time includes reading and parsing the whole body. */
export async function timeApiSearch(
  baseUrl: string,
  token: string,
  query: MixQuery,
): Promise<{ ms: number; total: number }> {
  const startedAt = performance.now();
  const { status, text } = await getText(`${baseUrl}${apiPath(query)}`, { authorization: `Bearer ${token}` });
  const body = JSON.parse(text) as { total?: number };
  const ms = performance.now() - startedAt;
  if (status !== 200) throw new Error(`${status} for ${query.q}: ${text.slice(0, 500)}`);
  return { ms, total: body.total ?? -1 };
}

function getText(url: string, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent: apiAgent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** The same search through the floor: its `searchDocuments` options in the query string. */
async function timeFloorSearch(
  floorUrl: string,
  options: DocumentSearchOptions,
): Promise<{ ms: number; total: number }> {
  const startedAt = performance.now();
  const path = `/search?options=${encodeURIComponent(JSON.stringify(options))}`;
  const { status, text } = await getText(`${floorUrl}${path}`, {});
  const body = JSON.parse(text) as { total?: number };
  const ms = performance.now() - startedAt;
  if (status !== 200) throw new Error(`${status} from the floor: ${text.slice(0, 500)}`);
  return { ms, total: body.total ?? -1 };
}

async function timeEngineSearch(
  options: CompareOptions,
  caller: BenchCaller,
  query: MixQuery,
): Promise<{ ms: number; total: number; tookMs: number }> {
  const startedAt = performance.now();
  const result = await searchDocuments(options.engine, engineOptions(query, options.prefix, caller.scope));
  return { ms: performance.now() - startedAt, total: result.total, tookMs: result.tookMs };
}

/** Runs the rounds; returns one entry per (caller, query). */
export async function compareSearches(options: CompareOptions): Promise<QueryTimings[]> {
  const timings: QueryTimings[] = options.callers.flatMap((caller) =>
    options.queries.map((query) => ({
      caller: caller.name,
      query,
      apiMs: [],
      engineMs: [],
      variantMs: [],
      floorMs: [],
      tookMs: [],
      apiTotal: -1,
      engineTotal: -1,
      errors: [],
    })),
  );
  const warmup = options.warmupRounds ?? 2;
  for (let round = 0; round < warmup + options.rounds; round++) {
    let at = 0;
    for (const caller of options.callers) {
      for (const [q, query] of options.queries.entries()) {
        const entry = timings[at++] as QueryTimings;
        const recorded = round >= warmup;
        const sides: Array<[string, () => Promise<void>]> = [
          [
            'api',
            async () => {
              const { ms, total } = await timeApiSearch(options.baseUrl, caller.token, query);
              entry.apiTotal = total;
              if (recorded) entry.apiMs.push(ms);
            },
          ],
          [
            'engine',
            async () => {
              const { ms, total, tookMs } = await timeEngineSearch(options, caller, query);
              entry.engineTotal = total;
              if (!recorded) return;
              entry.engineMs.push(ms);
              entry.tookMs.push(tookMs);
            },
          ],
        ];
        const { variantUrl, floorUrl } = options;
        if (floorUrl) {
          const asked = engineOptions(query, options.prefix, caller.scope);
          sides.push([
            'floor',
            async () => {
              const { ms, total } = await timeFloorSearch(floorUrl, asked);
              entry.floorTotal = total;
              if (recorded) entry.floorMs.push(ms);
            },
          ]);
        }
        if (variantUrl) {
          sides.push([
            'variant',
            async () => {
              const { ms, total } = await timeApiSearch(variantUrl, caller.token, query);
              entry.variantTotal = total;
              if (recorded) entry.variantMs.push(ms);
            },
          ]);
        }
        // Each side goes first as often as the others: no side always finds the engine's caches warm.
        for (let i = 0; i < sides.length; i++) {
          const [side, run] = sides[(round + q + i) % sides.length] as [string, () => Promise<void>];
          await run().catch((error: unknown) => entry.errors.push(`${side}: ${(error as Error).message}`));
        }
      }
    }
  }
  return timings;
}

/** p50 and p99 of both sides over `timings`, and their ratios. */
export function summarise(timings: readonly QueryTimings[]): Record<string, number> {
  const api = timings.flatMap((t) => t.apiMs);
  const engine = timings.flatMap((t) => t.engineMs);
  const took = timings.flatMap((t) => t.tookMs);
  const variant = timings.flatMap((t) => t.variantMs);
  const floor = timings.flatMap((t) => t.floorMs);
  const figures = {
    api_p50_ms: percentile(api, 50),
    engine_p50_ms: percentile(engine, 50),
    api_p99_ms: percentile(api, 99),
    engine_p99_ms: percentile(engine, 99),
    engine_took_p50_ms: percentile(took, 50),
  };
  return {
    ...figures,
    api_vs_engine_p50: figures.api_p50_ms / figures.engine_p50_ms,
    api_vs_engine_p99: figures.api_p99_ms / figures.engine_p99_ms,
    ...versusEngine('variant_api', variant, figures),
    ...versusEngine('floor', floor, figures),
    samples_per_side: api.length,
    compare_errors: timings.reduce((sum, t) => sum + t.errors.length, 0),
  };
}

/** `<side>_p50_ms`, `_p99_ms` and their ratios to the engine's, for a side that was timed (else none). */
function versusEngine(
  side: string,
  samples: readonly number[],
  engine: { engine_p50_ms: number; engine_p99_ms: number },
): Record<string, number> {
  if (samples.length === 0) return {};
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  return {
    [`${side}_p50_ms`]: p50,
    [`${side}_p99_ms`]: p99,
    [`${side}_vs_engine_p50`]: p50 / engine.engine_p50_ms,
    [`${side}_vs_engine_p99`]: p99 / engine.engine_p99_ms,
  };
}

/** One human line per (caller, query), for stderr. */
export function queryTable(timings: readonly QueryTimings[]): string[] {
  return timings.map((t) => {
    const api = percentile(t.apiMs, 50);
    const engine = percentile(t.engineMs, 50);
    return (
      `${t.caller.padEnd(9)} hits=${String(t.engineTotal).padStart(6)} api_p50=${api.toFixed(1).padStart(6)}ms ` +
      `engine_p50=${engine.toFixed(1).padStart(6)}ms ratio=${(api / engine).toFixed(2)}  ${t.query.label}: ${t.query.q}`
    );
  });
}
