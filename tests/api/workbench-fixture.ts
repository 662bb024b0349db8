/**
 * Documents of the workbench tests in two counties (k1s1g1 and k2s1g1 of the matrix tree): pages with
 * versions, ads, alerts. A k1 caller must never see an id ending in k2 (`OTHER_COUNTY_IDS`).
 */
import { aliasName } from '../../mappings/index.js';
import type { ApiFixture } from './api-fixture.js';
import { refOf } from './matrix-fixture.js';

const NOW = new Date().toISOString();

/** What a caller scoped to county k1 must never receive. */
export const OTHER_COUNTY_IDS = ['p-k2s1g1', 'a-k2', 'al-k2', 'k2s1g1.test'];

export async function seedWorkbench(fx: ApiFixture): Promise<void> {
  const idx = (name: string) => aliasName(fx.prefix, name);
  const page = (id: string, node: string, text: string, version = 2) => ({
    op: 'index' as const,
    index: idx('pages'),
    id,
    doc: {
      id,
      url: `http://${node}.test/${id}`,
      host: `${node}.test`,
      site: `${node}.test`,
      title: `店铺 ${id}`,
      text,
      lang: 'zh',
      fetched_at: NOW,
      version,
      jurisdiction: refOf(node),
      rule_hits: ['r-best'],
    },
  });
  const version = (pageId: string, n: number, text: string) => ({
    op: 'index' as const,
    index: idx('page-versions'),
    id: `${pageId}:${n}`,
    doc: { id: `${pageId}:${n}`, page_id: pageId, version: n, fetched_at: NOW, title: '店铺', text },
  });
  const ad = (id: string, node: string, advertiser: string) => ({
    op: 'index' as const,
    index: idx('ads'),
    id,
    doc: {
      id,
      creative_text: `${advertiser} 最佳 保健品`,
      advertiser,
      landing_domain: `${advertiser}.test`,
      landing_title: `${advertiser} 落地页`,
      landing_text: `${advertiser} 落地页正文`,
      sites: [`${node}.test`],
      category: 'health',
      page_urls: [`http://${node}.test/p-${node}`],
      first_seen: NOW,
      last_seen: NOW,
      seen_count: 3,
      jurisdiction: refOf(node),
      rule_hits: ['r-best'],
    },
  });
  const alert = (id: string, node: string, severity: string, operatorId: string) => ({
    op: 'index' as const,
    index: idx('alerts'),
    id,
    doc: {
      id,
      rule_id: 'r-best',
      rule_version: 1,
      rule_name: 'best',
      severity,
      category: 'ad-law',
      target: 'page',
      doc_id: `p-${node}`,
      operator_id: operatorId,
      site: `${node}.test`,
      status: 'open',
      dedupe_key: id,
      generation: 1,
      hit_count: 1,
      first_hit_at: NOW,
      last_hit_at: NOW,
      jurisdiction: refOf(node),
      notifications: [{ channel: 'in_app', status: 'sent', sent_at: NOW }],
    },
  });
  const result = await fx.engine.bulk(
    [
      page('p-k1s1g1', 'k1s1g1', '本店 最佳 产品 全网最低'),
      page('p-k2s1g1', 'k2s1g1', '他县 最佳 产品'),
      version('p-k1s1g1', 1, '本店 优质 产品'),
      version('p-k1s1g1', 2, '本店 最佳 产品 全网最低'),
      ad('a-k1', 'k1s1g1', 'acme'),
      ad('a-k2', 'k2s1g1', 'other'),
      alert('al-k1-1', 'k1s1g1', 'high', 'op-a'),
      alert('al-k1-2', 'k1s1g1', 'low', 'op-b'),
      // The same operator id in the other county: a filter never reaches past the caller's scope.
      alert('al-k2', 'k2s1g1', 'high', 'op-a'),
    ],
    { refresh: true },
  );
  if (result.errors) throw new Error(JSON.stringify(result.items.filter((i) => !i.ok).slice(0, 2)));
}
