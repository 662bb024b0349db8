/** What the lookalike watch reads from the `pages` index: its hosts, one domain's pages, brand-name hits. */
import { scanAll } from '../engine/index.js';
import type { Doc, EnginePort } from '../engine/port.js';
import { HAN_VARIANTS } from './confusables.js';

/** The page fields the watch reads. */
export interface PageRecord {
  id: string;
  url: string;
  host: string;
  registered_domain: string;
  title: string;
  text: string;
}

export interface HostCount {
  host: string;
  registeredDomain: string;
  pages: number;
}

const PAGE_SOURCE = ['id', 'url', 'host', 'registered_domain', 'title', 'text'];
const HAN = /\p{Script=Han}/u;
const COMPOSITE_PAGE = 1000;

interface CompositeAggregation {
  after_key?: Record<string, unknown>;
  buckets: Array<{ key: { host?: unknown; domain?: unknown }; doc_count: number }>;
}

function toRecord(source: Doc): PageRecord {
  const str = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    id: str(source.id),
    url: str(source.url),
    host: str(source.host).toLowerCase(),
    registered_domain: str(source.registered_domain).toLowerCase(),
    title: str(source.title),
    text: str(source.text),
  };
}

/** Every distinct host in `index` with its registered domain, through a composite aggregation. */
export async function listHosts(engine: EnginePort, index: string): Promise<HostCount[]> {
  const hosts: HostCount[] = [];
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const composite: Doc = {
      size: COMPOSITE_PAGE,
      sources: [
        { host: { terms: { field: 'host.keyword' } } },
        { domain: { terms: { field: 'registered_domain' } } },
      ],
      ...(after ? { after } : {}),
    };
    const result = await engine.search({ index, size: 0, aggs: { hosts: { composite } } });
    const agg = result.aggregations?.hosts as CompositeAggregation | undefined;
    for (const bucket of agg?.buckets ?? []) {
      if (typeof bucket.key.host !== 'string') continue;
      const domain = typeof bucket.key.domain === 'string' ? bucket.key.domain : bucket.key.host;
      hosts.push({ host: bucket.key.host, registeredDomain: domain, pages: bucket.doc_count });
    }
    if (!agg?.after_key || (agg.buckets.length ?? 0) < COMPOSITE_PAGE) return hosts;
    after = agg.after_key;
  }
}

/** Up to `max` pages of one registered domain (or of one exact host), in id order. */
export async function loadPages(
  engine: EnginePort,
  index: string,
  target: { registeredDomain: string } | { host: string },
  max: number,
): Promise<PageRecord[]> {
  const query =
    'host' in target
      ? { term: { 'host.keyword': target.host.toLowerCase() } }
      : { term: { registered_domain: target.registeredDomain.toLowerCase() } };
  const result = await engine.search({ index, query, size: max, sort: [{ id: 'asc' }], source: PAGE_SOURCE });
  return result.hits.map((hit) => toRecord(hit.source));
}

/** `name` spelled with every variant of each character (華美, 华羙, …), capped. */
export function hanSpellings(
  name: string,
  variants: Readonly<Record<string, string>> = HAN_VARIANTS,
  cap = 16,
): string[] {
  const reverse = new Map<string, string[]>();
  for (const [variant, canonical] of Object.entries(variants))
    reverse.set(canonical, [...(reverse.get(canonical) ?? []), variant]);
  let spellings = [''];
  for (const ch of name) {
    const options = [ch, ...(reverse.get(ch) ?? [])];
    spellings = spellings.flatMap((prefix) => options.map((o) => prefix + o)).slice(0, cap);
  }
  return spellings;
}

/** A query for pages that may name a brand: its spellings as phrases, fuzzy Latin words, loose long names. */
export function mentionQuery(names: readonly string[], excludeDomains: readonly string[]): Doc {
  const should: Doc[] = [];
  for (const name of names) {
    if (HAN.test(name)) {
      for (const spelling of hanSpellings(name)) {
        should.push({ multi_match: { query: spelling, type: 'phrase', fields: ['title', 'text'] } });
      }
      const bigrams = [...name].length - 1;
      if (bigrams >= 3) {
        should.push({
          match: { text: { query: name, minimum_should_match: String(Math.max(1, bigrams - 2)) } },
        });
      }
    } else {
      should.push({
        multi_match: { query: name, fields: ['title', 'text'], fuzziness: 'AUTO', operator: 'and' },
      });
    }
  }
  return {
    bool: {
      should,
      minimum_should_match: 1,
      must_not: excludeDomains.length > 0 ? [{ terms: { registered_domain: [...excludeDomains] } }] : [],
    },
  };
}

/** Pages outside `excludeDomains` that may name one of `names`; the matcher confirms each. */
export async function* mentionCandidates(
  engine: EnginePort,
  index: string,
  names: readonly string[],
  excludeDomains: readonly string[],
): AsyncGenerator<PageRecord> {
  if (names.length === 0) return;
  const request = { index, query: mentionQuery(names, excludeDomains), source: PAGE_SOURCE };
  for await (const hit of scanAll(engine, request, { pageSize: 500 })) yield toRecord(hit.source);
}
