import type { AlertNotice as NotifyNotice, ChannelTarget, Dispatcher } from '../../notify/index.js';
import type { AlertNotice, NotifyFn } from './alert.types.js';

/** An alert as the notify stage renders it: one alert, not a digest. */
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
    summary: `${alert.target === 'ad' ? 'Ad' : 'Page'} ${alert.url ?? alert.docId} matched ${alert.ruleName}`,
    ...(alert.url ? { url: alert.url } : {}),
    jurisdiction: alert.jurisdiction ?? {},
    hits: 1,
    digest: false,
  };
}

/**
 * The alert service's notify callback, sending each new alert on the given channels. Routing by
 * district, grid and severity to per-jurisdiction targets belongs to the alerting issue; until then
 * every alert goes to `targets` (in-app by default, which filters by the subscriber's scope).
 */
export function dispatchAlerts(dispatcher: Dispatcher, targets: readonly ChannelTarget[]): NotifyFn {
  return async (alert) => {
    await dispatcher.dispatch(toNotifyNotice(alert), [...targets]);
  };
}
