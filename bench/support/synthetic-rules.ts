/**
 * Deterministic rules and documents for `npm run bench:alerts`. Rules are query strings of the shapes
 * inspectors write (docs/query-syntax.md): a watched term, term sets, proximity phrases, exclusions,
 * and field filters (`domain:`, `site:`, `price:`), some with the common absolute terms of the pack
 * scoped to one shop. Each rule watches a term of its own (a three-character "marker" no ordinary text
 * holds), so how many rules a document matches is controlled: documents carry the markers of a few
 * rules of their own site. A matching document is the exception, as with real violation rules.
 */
import { createHash } from 'node:crypto';
import { mulberry32 } from '../../demo/prng.js';
import type { AdSighting } from '../../indexer/index/ad-indexer.js';
import type { PageDocument } from '../../indexer/index/page-indexer.js';
import type { RuleTarget } from '../../indexer/match/rule.types.js';
import { Picker, syntheticPage, ZH_WORDS } from './synthetic-pages.js';

/** Options shared by the rule and document generators (same values on both sides). */
export interface SyntheticRuleOptions {
  /** Sites the documents and the site-scoped rules spread over. @default 200 */
  sites?: number;
  /** PRNG seed. @default 7 */
  seed?: number;
}

/** One generated rule: id, target and query string (compiled by the rule repository's compiler). */
export interface SyntheticRule {
  id: string;
  target: RuleTarget;
  query: string;
}

/** Rare characters (U+9F00…U+9FA5) for markers: none occurs in the synthetic text's vocabulary. */
const MARKER_CHARS = Array.from({ length: 160 }, (_, k) => String.fromCodePoint(0x9f00 + k));
const ABSOLUTE = ['最佳', '第一', '顶级', '国家级', '全网最低'];
const SITE_TLDS = ['com', 'cn', 'com.cn', 'net', 'shop'];

/**
 * Rule `i`'s own term: three rare characters whose first bigram is distinct for every i below 25,600,
 * so rules do not share terms more than real rules do (a shared bigram makes every rule holding it a
 * percolation candidate for any document that has it).
 */
export function marker(i: number): string {
  const n = MARKER_CHARS.length;
  return [i % n, Math.floor(i / n) % n, (i * 7 + 3) % n].map((k) => MARKER_CHARS[k]).join('');
}

/** The ordinary word rule `i`'s proximity form expects near its marker. */
function partner(i: number): string {
  return ZH_WORDS[i % ZH_WORDS.length] ?? '包邮';
}

const siteOf = (i: number, sites: number): number => i % sites;
/** The registered domain of synthetic site `s` (as `syntheticPage` names it). */
const domainOf = (s: number): string => `shop${s}.${SITE_TLDS[s % SITE_TLDS.length] ?? 'cn'}`;

function targetOf(i: number, seed: number): RuleTarget {
  const r = mulberry32(seed * 31 + i)();
  return r < 0.55 ? 'pages' : r < 0.85 ? 'ads' : 'both';
}

function content(i: number, pick: Picker, count: number): string {
  const r = pick.random();
  const m = marker(i);
  if (r < 0.4) return m;
  if (r < 0.6) return `(${m} OR ${marker(pick.int(0, count - 1))})`;
  if (r < 0.8) return `"${m} ${partner(i)}"~3`;
  return `${m} -${pick.one(['发票', '售后', '会员'])}`;
}

function scope(i: number, target: RuleTarget, pick: Picker, sites: number): string | undefined {
  if (target === 'both') return undefined;
  const r = pick.random();
  const s = siteOf(i, sites);
  if (target === 'ads') return r < 0.3 ? `site:site-${s}` : undefined;
  if (r < 0.2) return `domain:${domainOf(s)}`;
  if (r < 0.3) return 'price:<1000';
  if (r < 0.4) return `site:site-${s}`;
  return undefined;
}

/** `count` rules, rule i belonging to site `i % sites`. Same options, same rules. */
export function syntheticRules(count: number, options: SyntheticRuleOptions = {}): SyntheticRule[] {
  const sites = options.sites ?? 200;
  const seed = options.seed ?? 7;
  const rules: SyntheticRule[] = [];
  for (let i = 0; i < count; i++) {
    const pick = new Picker(mulberry32(seed + i * 104_729));
    const target = targetOf(i, seed);
    const id = `bench.rule-${String(i).padStart(5, '0')}`;
    // One rule in 30: the pack's absolute terms, watched on one shop (the terms are common, the shop is not).
    if (target === 'pages' && pick.random() < 0.06) {
      const terms = [...new Set([pick.one(ABSOLUTE), pick.one(ABSOLUTE), pick.one(ABSOLUTE)])];
      rules.push({ id, target, query: `domain:${domainOf(siteOf(i, sites))} (${terms.join(' OR ')})` });
      continue;
    }
    const filter = scope(i, target, pick, sites);
    const query = content(i, pick, count);
    rules.push({ id, target, query: filter ? `${filter} ${query}` : query });
  }
  return rules;
}

/** Markers of a few rules of site `s` that apply to `kind`, to plant in a document (often none). */
function plantedMarkers(
  pick: Picker,
  s: number,
  kind: 'pages' | 'ads',
  ruleCount: number,
  options: SyntheticRuleOptions,
) {
  const sites = options.sites ?? 200;
  const out: string[] = [];
  const planted = pick.random() < 0.6 ? (pick.random() < 0.25 ? 2 : 1) : 0;
  const perSite = Math.max(1, Math.floor(ruleCount / sites));
  for (let tries = 0; out.length < planted && tries < 20; tries++) {
    const i = s + sites * pick.int(0, perSite - 1);
    if (i >= ruleCount) continue;
    const t = targetOf(i, options.seed ?? 7);
    if (t !== 'both' && t !== kind) continue;
    out.push(`${marker(i)}${partner(i)}`);
  }
  return out;
}

/** Synthetic page `n` as the page indexer takes it, with markers of rules of its site. */
export function benchPage(n: number, ruleCount: number, options: SyntheticRuleOptions = {}): PageDocument {
  const sites = options.sites ?? 200;
  const page = syntheticPage(n, { sites, seed: (options.seed ?? 7) * 1000 + ruleCount });
  const pick = new Picker(mulberry32((options.seed ?? 7) + n * 7907 + ruleCount));
  const planted = plantedMarkers(pick, n % sites, 'pages', ruleCount, options);
  const text = planted.length > 0 ? `${page.text}\n${planted.join('，')}。` : page.text;
  // syntheticPage is shaped like the pages mapping; the indexer sets version, first_seen and last_seen.
  return {
    ...(page as unknown as PageDocument),
    id: `${page.id}-${ruleCount}`,
    text,
    content_hash: createHash('sha256').update(text).digest('hex'),
  };
}

/** Synthetic ad sighting `n` (short Chinese creative, one landing domain per advertiser). */
export function benchAd(n: number, ruleCount: number, options: SyntheticRuleOptions = {}): AdSighting {
  const sites = options.sites ?? 200;
  const pick = new Picker(mulberry32((options.seed ?? 7) * 3 + n * 6151 + ruleCount));
  const s = n % sites;
  const planted = plantedMarkers(pick, s, 'ads', ruleCount, options);
  const advertiser = n % 50;
  const creative = [pick.words(ZH_WORDS, pick.int(4, 10), ''), ...planted].join(' ');
  return {
    id: createHash('sha1').update(`ad:${n}:${ruleCount}`).digest('hex'),
    creative_text: creative,
    image_alt: pick.words(ZH_WORDS, 2, ''),
    landing_url: `https://adv${advertiser}.com.cn/lp/${n}`,
    landing_domain: `adv${advertiser}.com.cn`,
    advertiser: `广告主${advertiser}`,
    slot: 'banner',
    category: 'other',
    category_confidence: 0.5,
    page_url: `https://${domainOf(s)}/item/${n}.html`,
    site: `site-${s}`,
    seen_at: new Date().toISOString(),
  };
}
