/**
 * What every bench does around its measurements: print the machine's load (it is shared), and remove
 * its random-prefix indices, queues and Redis keys at the end, also when it is stopped with Ctrl-C.
 */
import { cpus, loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { config } from '../../core/config.js';

/** `toFixed`, with `NaN` for what could not be measured. */
export const fixed = (value: number, digits = 2): string =>
  Number.isFinite(value) ? value.toFixed(digits) : 'NaN';

/** The 1-minute load average (and the core count once): how much else ran beside the bench. */
export function printLoad(phase: string): void {
  console.log(`loadavg_${phase}=${fixed(loadavg()[0] ?? Number.NaN)}`);
}

/** `cores=` line: the load averages read against it. */
export function printCores(): void {
  console.log(`cores=${cpus().length}`);
}

/** Deletes every Redis key matching one of `patterns` (`SCAN` + `DEL`, never `KEYS`). */
export async function dropRedisKeys(patterns: readonly string[]): Promise<number> {
  const redis = new Redis(config().REDIS_URL, { maxRetriesPerRequest: 3 });
  let deleted = 0;
  try {
    for (const pattern of patterns) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length > 0) deleted += await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
  return deleted;
}

type Cleanup = () => Promise<void>;

/**
 * Cleanups run once, newest first, either at the normal end (`run()`) or on SIGINT/SIGTERM, after which
 * the process exits with 130 / 143. A failing cleanup is reported and the others still run.
 */
export class BenchCleanup {
  private readonly steps: Array<{ name: string; step: Cleanup }> = [];
  private running: Promise<void> | undefined;
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    console.error(`# ${signal}: cleaning up before exit`);
    void this.run().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };

  constructor() {
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  /** Registers a cleanup; it runs before those registered earlier. */
  add(name: string, step: Cleanup): void {
    this.steps.unshift({ name, step });
  }

  run(): Promise<void> {
    this.running ??= (async () => {
      process.off('SIGINT', this.onSignal);
      process.off('SIGTERM', this.onSignal);
      for (const { name, step } of this.steps) {
        try {
          await step();
        } catch (error) {
          console.error(`# cleanup ${name} failed:`, error);
        }
      }
    })();
    return this.running;
  }
}
