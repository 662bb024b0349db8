import { Link, useParams } from 'react-router';
import { api } from '../api/client';
import { alertsWhere } from '../api/alerts';
import { field, text, type Doc } from '../api/types';
import { AsyncView, useAsync } from '../components/async';
import { SeverityBadge, StatusBadge } from '../components/badges';
import { useI18n } from '../i18n/i18n';

function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function OperatorDetailPage() {
  const { id = '' } = useParams();
  const { t, formatDate } = useI18n();
  const path = `/api/operators/${encodeURIComponent(id)}`;
  const operator = useAsync((signal) => api<Doc>(path, { signal }), [id]);
  const history = useAsync((signal) => api<{ items: Doc[] }>(`${path}/history`, { signal }), [id]);
  const alerts = useAsync(
    () => alertsWhere((a) => text(a, 'operator_id', 'operatorId') === id).then((items) => ({ items })),
    [id],
  );

  return (
    <section aria-labelledby="operator-title">
      <h1 id="operator-title">{t('operators.detail')}</h1>
      <AsyncView state={operator}>
        {(op) => (
          <div className="card">
            <h2>{text(op, 'name')}</h2>
            <dl className="meta">
              <dt>{t('operators.uscc')}</dt>
              <dd className="code">{text(op, 'uscc')}</dd>
              <dt>{t('operators.type')}</dt>
              <dd>{text(op, 'type')}</dd>
              <dt>{t('operators.risk')}</dt>
              <dd>{text(op, 'risk_tier')}</dd>
              <dt>{t('operators.status')}</dt>
              <dd>{text(op, 'status')}</dd>
              <dt>{t('operators.district')}</dt>
              <dd>{text(op, 'district')}</dd>
              <dt>{t('operators.inspector')}</dt>
              <dd>{text(op, 'inspector_id')}</dd>
            </dl>
            <h3>{t('operators.sites')}</h3>
            <ul className="plain">
              {(field<string[]>(op, 'domains') ?? []).map((domain) => (
                <li key={domain}>
                  <Link to={`/search?q=${encodeURIComponent(`domain:${domain}`)}`} className="url">
                    {domain}
                  </Link>
                </li>
              ))}
            </ul>
          </div>
        )}
      </AsyncView>
      <div className="two-col">
        <div>
          <h2>{t('operators.history')}</h2>
          <AsyncView state={history}>
            {({ items }) => (
              <table className="grid">
                <thead>
                  <tr>
                    <th>{t('operators.changedAt')}</th>
                    <th>{t('operators.changedBy')}</th>
                    <th>{t('operators.changes')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((entry) => (
                    <tr key={text(entry, 'id')}>
                      <td>{formatDate(field(entry, 'at'))}</td>
                      <td>{text(entry, 'actor')}</td>
                      <td>
                        {(field<Doc[]>(entry, 'changes') ?? []).map((c) => (
                          <div key={text(c, 'field')} className="small">
                            <strong>{text(c, 'field')}</strong>: {show(c.from)} → {show(c.to)}
                          </div>
                        ))}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </AsyncView>
        </div>
        <div>
          <h2>{t('operators.alerts')}</h2>
          <AsyncView state={alerts}>
            {(page) => (
              <ul className="plain">
                {page.items.length === 0 && <li className="muted">{t('app.empty')}</li>}
                {page.items.map((alert) => (
                  <li key={text(alert, 'id')} className="row">
                    <SeverityBadge severity={text(alert, 'severity')} />
                    <StatusBadge status={text(alert, 'status')} />
                    <span className="grow">{text(alert, 'rule_name', 'rule_id')}</span>
                    <span className="muted">{formatDate(field(alert, 'last_hit_at'))}</span>
                  </li>
                ))}
              </ul>
            )}
          </AsyncView>
        </div>
      </div>
    </section>
  );
}
