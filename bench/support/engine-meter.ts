/**
 * The engine port with every call counted and timed per method, to say where a bench's time goes
 * (e.g. percolate vs the alert writes). Times are per call, so concurrent calls add up.
 */
import type { EnginePort } from '../../engine/port.js';

/** Calls and summed call time of one engine method. */
export interface MethodTiming {
  calls: number;
  totalMs: number;
  maxMs: number;
}

/** A metered engine and its timings by method name. */
export interface MeteredEngine {
  engine: EnginePort;
  timings: Map<string, MethodTiming>;
  /** `method=calls/mean_ms/max_ms` for the methods called, busiest first. */
  summary(): string;
}

export function meterEngine(engine: EnginePort): MeteredEngine {
  const timings = new Map<string, MethodTiming>();
  const metered = new Proxy(engine, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      // Bound to the adapter itself: its methods may use private fields a proxy `this` cannot reach.
      const method = (value as (...a: unknown[]) => unknown).bind(target);
      return (...args: unknown[]) => {
        const result = method(...args);
        if (!(result instanceof Promise)) return result;
        const startedAt = performance.now();
        const done = (): void => {
          const ms = performance.now() - startedAt;
          const t = timings.get(property) ?? { calls: 0, totalMs: 0, maxMs: 0 };
          timings.set(property, {
            calls: t.calls + 1,
            totalMs: t.totalMs + ms,
            maxMs: Math.max(t.maxMs, ms),
          });
        };
        return result.finally(done);
      };
    },
  });
  return {
    engine: metered,
    timings,
    summary() {
      return [...timings]
        .sort((a, b) => b[1].totalMs - a[1].totalMs)
        .map(([name, t]) => `${name}:${t.calls}/${(t.totalMs / t.calls).toFixed(0)}/${t.maxMs.toFixed(0)}`)
        .join(',');
    },
  };
}
