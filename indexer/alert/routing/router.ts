/**
 * Routing (pure): which routes an alert goes to, and whether at once or in a digest. A route at a
 * node takes the alerts of every operator inside that node (grid ⊂ station ⊂ county ⊂ city); an
 * alert with no jurisdiction (a page not linked to any operator) goes to city-level routes only.
 */
import { severityAtLeast, type Severity } from '../../../notify/types.js';
import type { JurisdictionRef } from '../../../registry/types.js';
import type { AlertRoute } from './route.schema.js';

/** The facts of an alert routing looks at. */
export interface RoutableAlert {
  ruleId: string;
  severity: Severity;
  category: string;
  jurisdiction?: JurisdictionRef;
}

export type DeliveryMode = 'immediate' | 'digest';

/** Whether the route's node contains `where` (the alert's operator jurisdiction). */
export function nodeContains(
  route: Pick<AlertRoute, 'node_id' | 'node_level'>,
  where?: JurisdictionRef,
): boolean {
  if (route.node_level === 'city') return !where?.city || where.city === route.node_id;
  return where?.[route.node_level] === route.node_id;
}

/** Whether the route takes the alert: enabled, node, severity, categories and rules. */
export function routeTakes(route: AlertRoute, alert: RoutableAlert): boolean {
  if (!route.enabled) return false;
  if (!severityAtLeast(alert.severity, route.min_severity)) return false;
  if (route.categories.length > 0 && !route.categories.includes(alert.category)) return false;
  if (route.rule_ids.length > 0 && !route.rule_ids.includes(alert.ruleId)) return false;
  return nodeContains(route, alert.jurisdiction);
}

/** Every route that takes the alert, in the order given. */
export function routesFor(alert: RoutableAlert, routes: readonly AlertRoute[]): AlertRoute[] {
  return routes.filter((route) => routeTakes(route, alert));
}

/** At once when the route has no digest interval or the alert is at least its bypass severity. */
export function deliveryMode(route: AlertRoute, severity: Severity): DeliveryMode {
  if (route.digest_interval_ms <= 0) return 'immediate';
  return severityAtLeast(severity, route.bypass_digest_severity) ? 'immediate' : 'digest';
}
