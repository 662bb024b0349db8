/**
 * Demo routing for `npm start`: one email digest route per county bureau of the demo tree (every
 * alert goes in-app anyway). Email needs a reachable SMTP server, so the routes are enabled only
 * when one is configured (and follow that setting on later starts); otherwise a second run changes
 * nothing.
 */
import { errorCode } from '../../../core/errors.js';
import { demoTree } from '../../../registry/demo-registry.js';
import { RouteErrorCode, type RouteRepository } from './route.repository.js';
import type { AlertRoute } from './route.schema.js';

/** Options of {@link ensureDemoRoutes}. */
export interface DemoRoutesOptions {
  /** Enable the email routes (an SMTP server is configured). */
  smtpConfigured: boolean;
  /** @default 900_000 (15 minutes) */
  digestIntervalMs?: number;
}

/** Creates the demo routes that are missing; returns every demo route as stored. */
export async function ensureDemoRoutes(
  routes: RouteRepository,
  options: DemoRoutesOptions,
): Promise<AlertRoute[]> {
  const counties = demoTree().filter((node) => node.level === 'county');
  const result: AlertRoute[] = [];
  for (const county of counties) {
    const id = `demo.email.${county.id}`;
    try {
      const created = await routes.create(
        {
          id,
          name: `${county.name} 预警邮件汇总`,
          node_id: county.id,
          min_severity: 'medium',
          target: { channel: 'email', to: [`alerts-${county.id}@bureau.demo.test`] },
          digest_interval_ms: options.digestIntervalMs ?? 900_000,
          enabled: options.smtpConfigured,
        },
        { actor: 'start' },
      );
      result.push(created.route);
    } catch (error) {
      if (errorCode(error) !== RouteErrorCode.Exists) throw error;
      const stored = await routes.get(id);
      if (!stored) continue;
      // SMTP set up (or taken away) since the last start: follow it.
      const settled = stored.route.enabled === options.smtpConfigured;
      result.push(
        settled
          ? stored.route
          : (await routes.update(id, { enabled: options.smtpConfigured }, { actor: 'start' })).route,
      );
    }
  }
  return result;
}
