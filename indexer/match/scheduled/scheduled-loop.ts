/** Runs the scheduled-rule runner on an interval (worker and main job): one tick at a time, never overlapping. */
import type { Logger } from 'pino';
import { logger } from '../../../core/logger.js';
import type { ScheduledRuleRunner } from './scheduled-runner.js';

/** Options of {@link startScheduledLoop}. */
export interface ScheduledLoopOptions {
  /** Pause between the end of one tick and the next (`SCHEDULED_RULES_INTERVAL_MS`). */
  intervalMs: number;
  /** @default logger('scheduled') */
  log?: Logger;
}

export interface ScheduledLoop {
  /** Stops ticking and waits for a tick in progress. */
  stop(): Promise<void>;
}

export function startScheduledLoop(
  runner: ScheduledRuleRunner,
  options: ScheduledLoopOptions,
): ScheduledLoop {
  const log = options.log ?? logger('scheduled');
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  const tick = (): void => {
    running = runner
      .runDue()
      .then((reports) => {
        const alerts = reports.reduce(
          (n, r) => n + r.alerts.filter((a) => a.outcome === 'created').length,
          0,
        );
        const failed = reports.filter((r) => r.status === 'failed').map((r) => r.ruleId);
        if (alerts > 0 || failed.length > 0)
          log.info({ rules: reports.length, alerts, failed }, 'scheduled rules ran');
      })
      .catch((error: unknown) =>
        log.warn({ err: error }, 'scheduled rules tick failed; next try at the next interval'),
      )
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, options.intervalMs).unref();
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
