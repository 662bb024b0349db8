import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { actOnAlert, alertsWhere } from '../api/alerts';
import { api, describeError } from '../api/client';
import { field, text, type Doc } from '../api/types';
import { ruleHitsOf } from '../components/ad-card';
import { AsyncView, useAsync } from '../components/async';
import { StatusBadge } from '../components/badges';
import { ReasonDialog } from '../components/reason-dialog';
import { useI18n } from '../i18n/i18n';

function listOf(data: unknown, ...names: string[]): Doc[] {
  if (Array.isArray(data)) return data as Doc[];
  return field<Doc[]>(data as Doc, ...names) ?? [];
}

function useTimelineLabel(): (type: string) => string {
  const { t } = useI18n();
  const labels: Record<string, string> = {
    first_seen: t('ads.firstSeen'),
    last_seen: t('ads.lastSeen'),
    page: t('ads.pages'),
    alert: t('nav.alerts'),
  };
  return (type) => labels[type] ?? type;
}

export function AdDetailPage() {
  const timelineLabel = useTimelineLabel();
  const { id = '' } = useParams();
  const { t, formatDate } = useI18n();
  const path = `/api/ads/${encodeURIComponent(id)}`;
  const ad = useAsync((signal) => api<Doc>(path, { signal }), [id]);
  const pages = useAsync(
    (signal) => api<unknown>(`${path}/pages`, { signal }).then((d) => listOf(d, 'items', 'pages')),
    [id],
  );
  const timeline = useAsync(
    (signal) =>
      api<unknown>(`${path}/timeline`, { signal }).then((d) => listOf(d, 'events', 'items', 'timeline')),
    [id],
  );
  const alerts = useAsync(
    () =>
      ad.data
        ? alertsWhere((a) => text(a, 'doc_id', 'docId') === id, ruleHitsOf(ad.data))
        : Promise.resolve([] as Doc[]),
    [id, ad.data],
  );
  const [asking, setAsking] = useState<Doc>();
  const [message, setMessage] = useState<string>();

  async function markFalsePositive(alert: Doc, reason: string) {
    setAsking(undefined);
    try {
      await actOnAlert(alert, 'false_positive', reason);
      setMessage(undefined);
      alerts.reload();
    } catch (e) {
      setMessage(describeError(e));
    }
  }

  return (
    <section aria-labelledby="ad-title">
      <h1 id="ad-title">{t('ads.detail')}</h1>
      <AsyncView state={ad}>
        {(doc) => (
          <div className="card">
            <h2>{text(doc, 'creative_text', 'creativeText', 'image_alt')}</h2>
            <dl className="meta">
              <dt>{t('ads.advertiser')}</dt>
              <dd>{text(doc, 'advertiser')}</dd>
              <dt>{t('ads.landing')}</dt>
              <dd className="url">{text(doc, 'landing_url', 'landingUrl')}</dd>
              {text(doc, 'landing_title') && (
                <>
                  <dt>{t('ads.landingTitle')}</dt>
                  <dd>{text(doc, 'landing_title')}</dd>
                </>
              )}
              {text(doc, 'landing_text') && (
                <>
                  <dt>{t('ads.landingText')}</dt>
                  <dd>{text(doc, 'landing_text')}</dd>
                </>
              )}
              <dt>{t('ads.category')}</dt>
              <dd>{text(doc, 'category')}</dd>
              <dt>{t('ads.firstSeen')}</dt>
              <dd>{formatDate(field(doc, 'first_seen', 'firstSeen'))}</dd>
              <dt>{t('ads.lastSeen')}</dt>
              <dd>{formatDate(field(doc, 'last_seen', 'lastSeen'))}</dd>
              <dt>{t('ads.rules')}</dt>
              <dd>
                {ruleHitsOf(doc).map((rule) => (
                  <Link key={rule} className="badge rule" to={`/rules/${encodeURIComponent(rule)}`}>
                    {t('ads.openRule')}: {rule}
                  </Link>
                ))}
              </dd>
            </dl>
          </div>
        )}
      </AsyncView>
      <h2>{t('nav.alerts')}</h2>
      {message && (
        <p className="notice notice-error" role="alert">
          {message}
        </p>
      )}
      <AsyncView state={alerts}>
        {(list) =>
          list.length === 0 ? (
            <p className="notice">{t('ads.noAlert')}</p>
          ) : (
            <ul className="plain">
              {list.map((alert) => (
                <li key={text(alert, 'id')} className="row">
                  <StatusBadge status={text(alert, 'status')} />
                  <span className="grow">{text(alert, 'rule_name', 'ruleName', 'rule_id')}</span>
                  <Link
                    className="button"
                    to={`/rules/${encodeURIComponent(text(alert, 'rule_id', 'ruleId'))}`}
                  >
                    {t('ads.openRule')}
                  </Link>
                  <button
                    type="button"
                    disabled={['false_positive', 'resolved'].includes(text(alert, 'status'))}
                    onClick={() => setAsking(alert)}
                  >
                    {t('ads.markFalsePositive')}
                  </button>
                </li>
              ))}
            </ul>
          )
        }
      </AsyncView>
      {asking && (
        <ReasonDialog
          title={t('ads.markFalsePositive')}
          onCancel={() => setAsking(undefined)}
          onConfirm={(reason) => void markFalsePositive(asking, reason)}
        />
      )}
      <div className="two-col">
        <div>
          <h2>{t('ads.pages')}</h2>
          <AsyncView state={pages}>
            {(list) => (
              <ul className="plain">
                {list.length === 0 && <li className="muted">{t('app.empty')}</li>}
                {list.map((page, i) => (
                  <li key={text(page, 'id') || i}>
                    <Link to={`/pages/${encodeURIComponent(text(page, 'id'))}`}>
                      {text(page, 'title') || text(page, 'url')}
                    </Link>{' '}
                    <span className="url muted">{text(page, 'url')}</span>
                  </li>
                ))}
              </ul>
            )}
          </AsyncView>
        </div>
        <div>
          <h2>{t('ads.timeline')}</h2>
          <AsyncView state={timeline}>
            {(events) => (
              <ol className="timeline">
                {events.length === 0 && <li className="muted">{t('app.empty')}</li>}
                {events.map((event, i) => (
                  <li key={i}>
                    <time>{formatDate(field(event, 'at', 't', 'date', 'time', 'seen_at'))}</time>{' '}
                    {timelineLabel(text(event, 'type', 'event', 'kind'))}{' '}
                    {text(field<Doc>(event, 'detail'), 'url', 'title', 'rule_name', 'status') ||
                      text(event, 'url', 'site')}
                    {field(event, 'count') !== undefined && (
                      <span className="count">{text(event, 'count')}</span>
                    )}
                  </li>
                ))}
              </ol>
            )}
          </AsyncView>
        </div>
      </div>
    </section>
  );
}
