import { useState } from 'react';
import { useParams } from 'react-router';
import { api, describeError } from '../api/client';
import { field, text, type Doc } from '../api/types';
import { AsyncView, useAsync } from '../components/async';
import { useI18n } from '../i18n/i18n';

interface DiffChange {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

function versionsOf(data: unknown): Doc[] {
  if (Array.isArray(data)) return data as Doc[];
  const doc = data as Doc;
  return field<Doc[]>(doc, 'versions', 'items') ?? [];
}

export function PageDetailPage() {
  const { id = '' } = useParams();
  const { t, formatDate } = useI18n();
  const page = useAsync((signal) => api<Doc>(`/api/pages/${encodeURIComponent(id)}`, { signal }), [id]);
  const versions = useAsync(
    (signal) => api<unknown>(`/api/pages/${encodeURIComponent(id)}/versions`, { signal }).then(versionsOf),
    [id],
  );

  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{t('page.title')}</h1>
      <AsyncView state={page}>
        {(doc) => (
          <div className="card">
            <div className="toolbar">
              <h2 className="grow">{text(doc, 'title') || text(doc, 'url')}</h2>
              <span className="tooltip-host" title={t('page.evidenceSoon')}>
                <button type="button" disabled aria-describedby="evidence-soon">
                  {t('page.evidence')}
                </button>
                <span id="evidence-soon" className="sr-only">
                  {t('page.evidenceSoon')}
                </span>
              </span>
            </div>
            <dl className="meta">
              <dt>{t('page.url')}</dt>
              <dd>
                <a href={text(doc, 'url')} target="_blank" rel="noreferrer noopener">
                  {text(doc, 'url')}
                </a>
              </dd>
              <dt>{t('page.site')}</dt>
              <dd>{text(doc, 'site', 'host')}</dd>
              <dt>{t('page.fetchedAt')}</dt>
              <dd>{formatDate(field(doc, 'fetched_at', 'fetchedAt'))}</dd>
              <dt>{t('page.version')}</dt>
              <dd>{text(doc, 'version')}</dd>
              <dt>{t('page.lang')}</dt>
              <dd>{text(doc, 'lang')}</dd>
              <dt>{t('page.operator')}</dt>
              <dd>{text(doc, 'operator_id', 'operatorId')}</dd>
            </dl>
            {text(doc, 'text') && (
              <details>
                <summary>{t('page.text')}</summary>
                <p className="page-text">{text(doc, 'text').slice(0, 5000)}</p>
              </details>
            )}
          </div>
        )}
      </AsyncView>
      <h2>{t('page.history')}</h2>
      <AsyncView state={versions}>{(list) => <History id={id} versions={list} />}</AsyncView>
    </section>
  );
}

function History({ id, versions }: { id: string; versions: Doc[] }) {
  const { t, formatDate } = useI18n();
  const numbers = versions.map((v) => text(v, 'version', 'id'));
  const [from, setFrom] = useState(numbers[1] ?? numbers[0] ?? '');
  const [to, setTo] = useState(numbers[0] ?? '');
  const [diff, setDiff] = useState<DiffChange[]>();
  const [error, setError] = useState<string>();
  if (versions.length === 0) return <p className="notice">{t('page.noHistory')}</p>;

  async function compare() {
    setError(undefined);
    try {
      const result = await api<Doc>(`/api/pages/${encodeURIComponent(id)}/diff`, { query: { from, to } });
      setDiff(field<DiffChange[]>(result, 'changes', 'hunks') ?? []);
    } catch (e) {
      setError(t('page.diffUnavailable', { message: describeError(e) }));
    }
  }

  return (
    <div className="card">
      <table className="grid">
        <thead>
          <tr>
            <th>{t('page.version')}</th>
            <th>{t('page.fetchedAt')}</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v, i) => (
            <tr key={numbers[i]}>
              <td>{numbers[i]}</td>
              <td>{formatDate(field(v, 'fetchedAt', 'fetched_at', 'changed_at', 'at'))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {versions.length > 1 && (
        <div className="toolbar">
          <label>
            {t('page.diffFrom')}
            <select value={from} onChange={(e) => setFrom(e.target.value)}>
              {numbers.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <label>
            {t('page.diffTo')}
            <select value={to} onChange={(e) => setTo(e.target.value)}>
              {numbers.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void compare()}>
            {t('page.showDiff')}
          </button>
        </div>
      )}
      {error && <p className="notice notice-error">{error}</p>}
      {diff && (
        <pre className="diff" aria-label={t('page.diff')}>
          {diff.map((change, i) =>
            change.op === 'equal' ? (
              <span key={i}>{change.text}</span>
            ) : change.op === 'insert' ? (
              <ins key={i} title={t('page.diffInserted')}>
                {change.text}
              </ins>
            ) : (
              <del key={i} title={t('page.diffDeleted')}>
                {change.text}
              </del>
            ),
          )}
        </pre>
      )}
    </div>
  );
}
