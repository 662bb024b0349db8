import type { AlertNotice as NotifyNotice } from '../../notify/types.js';
import type { AlertNotice } from './alert.types.js';

/**
 * An alert as the notify stage renders it: one alert, not a digest. Routing to per-jurisdiction
 * targets lives in `routing/` (`AlertNotifier`), which replaced the fixed-target bridge.
 */
export function toNotifyNotice(alert: AlertNotice): NotifyNotice {
  const where = alert.site ?? alert.url ?? alert.docId;
  return {
    alertIds: [alert.alertId],
    ruleId: alert.ruleId,
    ruleName: alert.ruleName,
    severity: alert.severity,
    category: alert.category,
    ...(alert.legalBasis ? { legalBasis: alert.legalBasis } : {}),
    title: `${alert.ruleName} · ${where}`,
    summary: alert.windowSummary
      ? `${alert.ruleName}: ${alert.windowSummary}`
      : `${alert.target === 'ad' ? 'Ad' : 'Page'} ${alert.url ?? alert.docId} matched ${alert.ruleName}`,
    ...(alert.url ? { url: alert.url } : {}),
    jurisdiction: alert.jurisdiction ?? {},
    hits: 1,
    digest: false,
  };
}
