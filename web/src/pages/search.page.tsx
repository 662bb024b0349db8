import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { api, withQuery } from '../api/client';
import { text, type SearchHit, type SearchResult } from '../api/types';
import { AsyncView, useAsync } from '../components/async';
import { Facets } from '../components/facets';
import { Highlight } from '../components/highlight';
import { SyntaxHelp } from '../components/syntax-help';
import { useI18n } from '../i18n/i18n';
import { useQueryParams } from '../components/query-params';

const PAGE_SIZE = 20;
/** Facets that are also filters of `/api/search` (same name), per kind. */
const FACETS = {
  pages: ['registeredDomain', 'lang', 'operator', 'rule', 'district'],
  ads: ['operator', 'rule', 'district'],
} as const;
const FILTERS = ['registeredDomain', 'lang', 'operator', 'rule', 'district', 'severity', 'domain'];

export function SearchPage() {
  const { t, formatDate } = useI18n();
  const { params, update } = useQueryParams();
  const q = params.get('q') ?? '';
  const kind = params.get('kind') === 'ads' ? 'ads' : 'pages';
  const sort = params.get('sort') === 'newest' ? 'newest' : 'relevance';
  const [draft, setDraft] = useState(q);
  const [extra, setExtra] = useState<SearchHit[]>([]);
  const [next, setNext] = useState<string>();

  const filters: Record<string, string | undefined> = {};
  for (const name of FILTERS) filters[name] = params.get(name) ?? undefined;
  const query = { q, kind, sort, ...filters };
  const state = useAsync(
    async (signal) => {
      if (!q) return undefined;
      const result = await api<SearchResult>('/api/search', {
        query: { ...query, size: PAGE_SIZE, facets: [...FACETS[kind]] },
        signal,
      });
      setExtra([]);
      setNext(result.next);
      return result;
    },
    [params.toString()],
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    update({ q: draft.trim() || undefined });
  }

  async function loadMore(loaded: number) {
    const result = await api<SearchResult>('/api/search', {
      query: { ...query, size: PAGE_SIZE, ...(next ? { after: next } : { offset: loaded }) },
    });
    setExtra((hits) => [...hits, ...result.hits]);
    setNext(result.next);
  }

  return (
    <section aria-labelledby="search-title">
      <h1 id="search-title">{t('search.title')}</h1>
      <form className="query-bar" role="search" onSubmit={submit}>
        <label className="grow">
          <span className="sr-only">{t('search.query')}</span>
          <input
            type="search"
            aria-label={t('search.query')}
            placeholder={t('search.placeholder')}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </label>
        <label>
          {t('search.kind')}
          <select
            value={kind}
            onChange={(e) => update({ kind: e.target.value === 'ads' ? 'ads' : undefined })}
          >
            <option value="pages">{t('search.kind.pages')}</option>
            <option value="ads">{t('search.kind.ads')}</option>
          </select>
        </label>
        <label>
          {t('search.sort')}
          <select
            value={sort}
            onChange={(e) => update({ sort: e.target.value === 'newest' ? 'newest' : undefined })}
          >
            <option value="relevance">{t('search.sort.relevance')}</option>
            <option value="newest">{t('search.sort.newest')}</option>
          </select>
        </label>
        <button type="submit" className="primary">
          {t('search.submit')}
        </button>
      </form>
      <SyntaxHelp />
      {q && (
        <AsyncView state={state}>
          {(result) =>
            result && (
              <div className="with-facets">
                <Facets
                  facets={result.facets}
                  selected={filters}
                  onToggle={(name, value) => update({ [name]: value })}
                />
                <div className="results" aria-label={t('search.results')} role="region">
                  <div className="toolbar">
                    <span>{t('app.total', { n: result.total })}</span>
                    <span className="spacer" />
                    <a
                      className="button"
                      href={withQuery('/api/search/export', { ...query, format: 'csv' })}
                      download
                    >
                      {t('search.exportCsv')}
                    </a>
                    <a
                      className="button"
                      href={withQuery('/api/search/export', { ...query, format: 'ndjson' })}
                      download
                    >
                      {t('search.exportNdjson')}
                    </a>
                  </div>
                  {result.hits.length === 0 && <p className="notice">{t('search.noResults')}</p>}
                  <ol className="hits">
                    {[...result.hits, ...extra].map((hit) => (
                      <HitItem key={hit.id} hit={hit} kind={kind} formatDate={formatDate} />
                    ))}
                  </ol>
                  {result.hits.length + extra.length < result.total && (
                    <button type="button" onClick={() => void loadMore(result.hits.length + extra.length)}>
                      {t('app.more')}
                    </button>
                  )}
                </div>
              </div>
            )
          }
        </AsyncView>
      )}
    </section>
  );
}

function HitItem({
  hit,
  kind,
  formatDate,
}: {
  hit: SearchHit;
  kind: 'pages' | 'ads';
  formatDate: (value: unknown) => string;
}) {
  const titleHtml = hit.highlights?.title?.[0];
  const fragments = hit.highlights?.text ?? hit.fragments ?? [];
  const title = text(hit, 'title', 'creative_text', 'creativeText') || hit.url;
  return (
    <li className="hit">
      <Link className="hit-title" to={kind === 'ads' ? `/ads/${hit.id}` : `/pages/${hit.id}`}>
        {titleHtml ? <Highlight html={titleHtml} /> : title}
      </Link>
      <div className="hit-meta">
        <span className="url">{hit.url}</span>
        {hit.site && <span>{hit.site}</span>}
        <span>{formatDate(hit.fetchedAt ?? hit.fetched_at)}</span>
      </div>
      {fragments.map((fragment, i) => (
        <p key={i} className="fragment">
          <Highlight html={fragment} />
        </p>
      ))}
    </li>
  );
}
