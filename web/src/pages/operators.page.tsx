import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api } from '../api/client';
import { field, text, type ListPage } from '../api/types';
import { AsyncView, useAsync } from '../components/async';
import { Facets } from '../components/facets';
import { useI18n } from '../i18n/i18n';
import { useQueryParams } from '../components/query-params';

const FACETS = ['type', 'status', 'risk_tier'];

export function OperatorsPage() {
  const { t } = useI18n();
  const { params, update } = useQueryParams();
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const selected = Object.fromEntries(FACETS.map((f) => [f, params.get(f) ?? undefined]));
  const state = useAsync(
    (signal) =>
      api<ListPage>('/api/operators', {
        query: { q, size: 100, facets: [...FACETS, 'classification'], ...selected },
        signal,
      }),
    [params.toString()],
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    update({ q: draft.trim() || undefined });
  }

  return (
    <section aria-labelledby="operators-title">
      <h1 id="operators-title">{t('operators.title')}</h1>
      <form className="query-bar" onSubmit={submit}>
        <input
          className="grow"
          type="search"
          aria-label={t('operators.search')}
          placeholder={t('operators.search')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <button type="submit" className="primary">
          {t('search.submit')}
        </button>
      </form>
      <AsyncView state={state}>
        {(page) => (
          <div className="with-facets">
            <Facets
              facets={Object.fromEntries(
                Object.entries(page.facets ?? {}).filter(([name]) => FACETS.includes(name)),
              )}
              selected={selected}
              onToggle={(name, value) => update({ [name]: value })}
            />
            <div>
              <p className="muted">{t('app.total', { n: page.total })}</p>
              <table className="grid">
                <thead>
                  <tr>
                    <th>{t('operators.name')}</th>
                    <th>{t('operators.uscc')}</th>
                    <th>{t('operators.type')}</th>
                    <th>{t('operators.risk')}</th>
                    <th>{t('operators.status')}</th>
                    <th>{t('operators.district')}</th>
                    <th>{t('operators.domains')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((op) => {
                    const domains = field<string[]>(op, 'domains') ?? [];
                    return (
                      <tr key={text(op, 'id')}>
                        <td>
                          <Link to={`/operators/${encodeURIComponent(text(op, 'id'))}`}>
                            {text(op, 'name')}
                          </Link>
                        </td>
                        <td className="code">{text(op, 'uscc')}</td>
                        <td>{text(op, 'type')}</td>
                        <td>{text(op, 'risk_tier', 'riskTier')}</td>
                        <td>{text(op, 'status')}</td>
                        <td>{text(op, 'district')}</td>
                        <td className="url">{domains.join(', ')}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        )}
      </AsyncView>
    </section>
  );
}
