import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { text, type Doc, type ListPage } from '../api/types';
import { AdCard } from '../components/ad-card';
import { AsyncView, useAsync } from '../components/async';
import { Facets } from '../components/facets';
import { useI18n } from '../i18n/i18n';
import { useQueryParams } from '../components/query-params';

const GROUPINGS = ['advertiser', 'landingDomain', 'category', 'rule'] as const;
type Grouping = (typeof GROUPINGS)[number];
const GALLERY_FACETS = ['category', 'site'];

interface AdGroup {
  key: string;
  count: number;
  sample?: Doc[];
}

export function AdsPage() {
  const { t } = useI18n();
  const { params, update } = useQueryParams();
  const by = GROUPINGS.find((g) => g === params.get('by'));
  const q = params.get('q') ?? '';
  const [draft, setDraft] = useState(q);

  function submit(event: FormEvent) {
    event.preventDefault();
    update({ q: draft.trim() || undefined });
  }

  return (
    <section aria-labelledby="ads-title">
      <h1 id="ads-title">{t('ads.title')}</h1>
      <form className="query-bar" onSubmit={submit}>
        <input
          className="grow"
          type="search"
          aria-label={t('ads.search')}
          placeholder={t('ads.search')}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
        />
        <label>
          {t('ads.groupBy')}
          <select value={by ?? ''} onChange={(e) => update({ by: e.target.value || undefined })}>
            <option value="">{t('ads.group.none')}</option>
            {GROUPINGS.map((g) => (
              <option key={g} value={g}>
                {t(`ads.group.${g}`)}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          {t('search.submit')}
        </button>
      </form>
      {by ? <AdGroups by={by} q={q} /> : <Gallery q={q} params={params} update={update} />}
    </section>
  );
}

function Gallery({
  q,
  params,
  update,
}: {
  q: string;
  params: URLSearchParams;
  update: (changes: Record<string, string | undefined>) => void;
}) {
  const { t } = useI18n();
  const selected = Object.fromEntries(GALLERY_FACETS.map((f) => [f, params.get(f) ?? undefined]));
  const state = useAsync(
    (signal) =>
      api<ListPage>('/api/ads', { query: { q, size: 48, facets: GALLERY_FACETS, ...selected }, signal }),
    [q, params.toString()],
  );
  return (
    <AsyncView state={state}>
      {(page) => (
        <div className="with-facets">
          <Facets
            facets={page.facets}
            selected={selected}
            onToggle={(name, value) => update({ [name]: value })}
          />
          <div role="region" aria-label={t('ads.gallery')}>
            <p className="muted">{t('app.total', { n: page.total })}</p>
            {page.items.length === 0 && <p className="notice">{t('app.empty')}</p>}
            <div className="gallery">
              {page.items.map((ad) => (
                <AdCard key={text(ad, 'id')} ad={ad} />
              ))}
            </div>
          </div>
        </div>
      )}
    </AsyncView>
  );
}

function AdGroups({ by, q }: { by: Grouping; q: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<string>();
  const state = useAsync(
    (signal) => api<{ groups: AdGroup[] }>('/api/ads/groups', { query: { by, q }, signal }),
    [by, q],
  );
  return (
    <AsyncView state={state}>
      {({ groups }) => (
        <div role="region" aria-label={t('ads.groups')}>
          {groups.length === 0 && <p className="notice">{t('app.empty')}</p>}
          <ul className="groups">
            {groups.map((group) => {
              const key = group.key || t('ads.unknown');
              const expanded = open === group.key;
              return (
                <li key={group.key} className="group">
                  <button
                    type="button"
                    className="group-head"
                    aria-expanded={expanded}
                    aria-label={t('ads.openGroup', { key })}
                    onClick={() => setOpen(expanded ? undefined : group.key)}
                  >
                    <span className="group-key">{key}</span>
                    <span className="count">{t('ads.groupCount', { n: group.count })}</span>
                  </button>
                  {expanded && (
                    <div className="gallery">
                      {(group.sample ?? []).map((ad) => (
                        <AdCard key={text(ad, 'id')} ad={ad} />
                      ))}
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </div>
      )}
    </AsyncView>
  );
}
