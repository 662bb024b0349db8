import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { actOnAlert, bulkAct } from '../api/alerts';
import { api, ApiError, describeError } from '../api/client';
import {
  ALERT_STATUSES,
  SEVERITIES,
  text,
  type AlertAction,
  type AlertCounts,
  type Doc,
  type ListPage,
} from '../api/types';
import { countOf } from '../components/alert-counts';
import { AsyncView, useAsync } from '../components/async';
import { SeverityBadge, StatusBadge } from '../components/badges';
import { ReasonDialog } from '../components/reason-dialog';
import { useI18n } from '../i18n/i18n';
import { useQueryParams } from '../components/query-params';

interface Pending {
  action: AlertAction;
  alerts: Doc[];
}

function docLink(alert: Doc): string {
  const id = encodeURIComponent(text(alert, 'doc_id', 'docId'));
  return text(alert, 'kind', 'target') === 'ad' || text(alert, 'kind') === 'ads'
    ? `/ads/${id}`
    : `/pages/${id}`;
}

/** Live alerts over SSE: `onAlert` runs on each `alert` event; the flag says whether the stream is up. */
function useAlertStream(onAlert: (notice: Doc) => void): boolean {
  const [live, setLive] = useState(false);
  const handler = useRef(onAlert);
  handler.current = onAlert;
  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/notifications/stream');
    const handle = (event: MessageEvent<string>) => {
      let notice: Doc = {};
      try {
        notice = JSON.parse(event.data) as Doc;
      } catch {
        // A frame that is not JSON still means "something changed".
      }
      handler.current(notice);
    };
    source.onopen = () => setLive(true);
    source.onerror = () => setLive(false);
    source.addEventListener('alert', handle);
    source.onmessage = handle;
    return () => source.close();
  }, []);
  return live;
}

export function AlertsPage() {
  const { t, formatDate, label } = useI18n();
  const { params, update: updateParams } = useQueryParams();
  const status = params.get('status') ?? 'open';
  const severity = params.get('severity') ?? undefined;
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [pending, setPending] = useState<Pending>();
  const [message, setMessage] = useState<{ text: string; error?: boolean }>();

  const counts = useAsync((signal) => api<AlertCounts>('/api/alerts/counts', { signal }), []);
  const list = useAsync(
    (signal) =>
      api<ListPage>('/api/alerts', {
        query: { status: status === 'all' ? undefined : status, severity, size: 100 },
        signal,
      }),
    [status, severity],
  );
  const live = useAlertStream((notice) => {
    counts.reload();
    list.reload();
    const name = text(notice, 'rule_name', 'ruleName', 'title');
    if (name) setMessage({ text: t('alerts.newAlert', { name }) });
  });

  function update(changes: Record<string, string | undefined>) {
    setSelected(new Set());
    updateParams(changes);
  }

  async function run(action: AlertAction, alerts: Doc[], reason?: string) {
    setPending(undefined);
    try {
      if (alerts.length === 1 && alerts[0]) {
        await actOnAlert(alerts[0], action, reason);
        setMessage(undefined);
      } else {
        const result = await bulkAct(
          alerts.map((a) => text(a, 'id')),
          action,
          reason,
        );
        setMessage({
          text: t('alerts.done', { ok: result.ok, failed: result.failed }),
          error: result.failed > 0,
        });
      }
    } catch (e) {
      setMessage({
        text: e instanceof ApiError && e.status === 409 ? t('alerts.conflict') : describeError(e),
        error: true,
      });
    }
    setSelected(new Set());
    counts.reload();
    list.reload();
  }

  function ask(action: AlertAction, alerts: Doc[]) {
    if (action === 'acknowledge') void run(action, alerts);
    else setPending({ action, alerts });
  }

  const actionLabel = (action: AlertAction) =>
    t(
      action === 'acknowledge'
        ? 'alerts.acknowledge'
        : action === 'resolve'
          ? 'alerts.resolve'
          : 'alerts.falsePositive',
    );

  return (
    <section aria-labelledby="alerts-title">
      <div className="toolbar">
        <h1 id="alerts-title" className="grow">
          {t('alerts.title')}
        </h1>
        <span className={`live ${live ? 'on' : 'off'}`} role="status">
          {live ? t('app.live') : t('app.liveOff')}
        </span>
      </div>
      <div className="counts" role="group" aria-label={t('alerts.counts')}>
        {ALERT_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className={`count-card st-${s}`}
            aria-pressed={status === s}
            onClick={() => update({ status: s })}
          >
            <span>{label('status', s)}</span>
            <output aria-label={label('status', s)}>{countOf(counts.data, s)}</output>
          </button>
        ))}
      </div>
      <div className="tabs" role="group" aria-label={t('alerts.severity')}>
        <button type="button" aria-pressed={!severity} onClick={() => update({ severity: undefined })}>
          {t('alerts.all')}
        </button>
        {SEVERITIES.map((s) => (
          <button key={s} type="button" aria-pressed={severity === s} onClick={() => update({ severity: s })}>
            <SeverityBadge severity={s} /> {countOf(counts.data, status === 'all' ? undefined : status, s)}
          </button>
        ))}
      </div>
      {message && (
        <p className={`notice ${message.error ? 'notice-error' : ''}`} role="alert">
          {message.text}
        </p>
      )}
      <AsyncView state={list}>
        {(page) => {
          const chosen = page.items.filter((a) => selected.has(text(a, 'id')));
          return (
            <>
              <div className="toolbar" role="toolbar" aria-label={t('alerts.bulk')}>
                <span>{t('alerts.selected', { n: chosen.length })}</span>
                {(['acknowledge', 'resolve', 'false_positive'] as const).map((action) => (
                  <button
                    key={action}
                    type="button"
                    disabled={chosen.length === 0}
                    onClick={() => ask(action, chosen)}
                  >
                    {t('alerts.bulk')}: {actionLabel(action)}
                  </button>
                ))}
                <span className="spacer" />
                <span className="muted">{t('app.total', { n: page.total })}</span>
              </div>
              <table className="grid">
                <thead>
                  <tr>
                    <th>
                      <input
                        type="checkbox"
                        aria-label={t('alerts.selectAll')}
                        checked={page.items.length > 0 && chosen.length === page.items.length}
                        onChange={(e) =>
                          setSelected(new Set(e.target.checked ? page.items.map((a) => text(a, 'id')) : []))
                        }
                      />
                    </th>
                    <th>{t('alerts.severity')}</th>
                    <th>{t('alerts.status')}</th>
                    <th>{t('alerts.rule')}</th>
                    <th>{t('alerts.site')}</th>
                    <th>{t('alerts.hits')}</th>
                    <th>{t('alerts.lastHit')}</th>
                    <th>{t('alerts.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.length === 0 && (
                    <tr>
                      <td colSpan={8} className="muted">
                        {t('app.empty')}
                      </td>
                    </tr>
                  )}
                  {page.items.map((alert) => {
                    const id = text(alert, 'id');
                    const st = text(alert, 'status');
                    return (
                      <tr key={id}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={t('alerts.select', { id })}
                            checked={selected.has(id)}
                            onChange={(e) => {
                              const next = new Set(selected);
                              if (e.target.checked) next.add(id);
                              else next.delete(id);
                              setSelected(next);
                            }}
                          />
                        </td>
                        <td>
                          <SeverityBadge severity={text(alert, 'severity')} />
                        </td>
                        <td>
                          <StatusBadge status={st} />
                        </td>
                        <td>
                          <Link to={`/rules/${encodeURIComponent(text(alert, 'rule_id', 'ruleId'))}`}>
                            {text(alert, 'rule_name', 'ruleName', 'rule_id')}
                          </Link>
                        </td>
                        <td>
                          <Link
                            to={docLink(alert)}
                            title={text(alert, 'url')}
                            aria-label={t('alerts.openDoc')}
                          >
                            {text(alert, 'site') || text(alert, 'url')}
                          </Link>
                        </td>
                        <td className="num">{text(alert, 'hit_count', 'hitCount')}</td>
                        <td>{formatDate(alert.last_hit_at ?? alert.lastHitAt)}</td>
                        <td className="actions">
                          {st === 'open' && (
                            <button type="button" onClick={() => ask('acknowledge', [alert])}>
                              {t('alerts.acknowledge')}
                            </button>
                          )}
                          {(st === 'open' || st === 'acknowledged') && (
                            <>
                              <button type="button" onClick={() => ask('resolve', [alert])}>
                                {t('alerts.resolve')}
                              </button>
                              <button type="button" onClick={() => ask('false_positive', [alert])}>
                                {t('alerts.falsePositive')}
                              </button>
                            </>
                          )}
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </>
          );
        }}
      </AsyncView>
      {pending && (
        <ReasonDialog
          title={actionLabel(pending.action)}
          onCancel={() => setPending(undefined)}
          onConfirm={(reason) => void run(pending.action, pending.alerts, reason)}
        />
      )}
    </section>
  );
}
