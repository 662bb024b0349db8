/**
 * Demo pages as the pages index holds them (rendered by the demo's renderer, run through the extract
 * stage) with their ground-truth violation types, and a scorer for the built-in pack over them.
 */
import type { DemoWeb, SiteTruth, ViolationType } from '../../demo/index.js';
import { renderPage } from '../../demo/render/page.js';
import { indexWeb } from '../../demo/web-index.js';
import { extractPage } from '../../indexer/extract/index.js';
import { OperatorIndex } from '../../indexer/link/operator-index.js';
import { linkIdentity } from '../../indexer/link/operator-linker.js';
import { buildDemoRegistry } from '../../registry/demo-registry.js';
import type { EnginePort } from '../../engine/port.js';
import { RULE_QUERY_FIELD } from '../../mappings/index.js';

export interface LabelledDoc {
  doc: Record<string, unknown>;
  violations: Set<ViolationType>;
}

const CRAWLED: ReadonlySet<SiteTruth['type']> = new Set([
  'self_run',
  'platform_shop',
  'platform',
  'brand',
  'lookalike',
  'service_provider',
  'advertiser',
]);

export function demoPageCorpus(web: DemoWeb): LabelledDoc[] {
  const index = indexWeb(web.truth);
  // Linked against the demo registry, as the crawl's link stage does (the licence rule reads the link).
  const operators = new OperatorIndex(buildDemoRegistry(web.truth).operators);
  const out: LabelledDoc[] = [];
  for (const page of web.truth.pages) {
    const site = index.sitesById.get(page.site);
    if (!site || !CRAWLED.has(site.type) || page.disallowed) continue;
    const url = `http://${page.host}${page.path}`;
    const html = renderPage({ index, port: 80, origin: `http://${page.host}` }, site, page);
    const x = extractPage(html, url, { classifyAds: false });
    const identifiers = {
      uscc: x.identifiers.uscc,
      uscc_invalid: x.identifiers.usccInvalid,
      icp: x.identifiers.icp.map((i) => i.normalised),
      licence: x.identifiers.licences.map((l) => l.normalised),
    };
    const link = linkIdentity(operators, { url, host: page.host, identifiers });
    out.push({
      doc: {
        id: `${page.host}${page.path}`,
        url,
        host: page.host,
        site: page.site,
        title: x.title,
        description: x.description,
        text: x.text,
        identifiers,
        link: { confidence: link.confidence, reason: link.reason, licence_on_file: link.licence_on_file },
        prices: x.prices.map((p) => ({ amount: p.amount, currency: p.currency, source: p.source })),
      },
      violations: new Set(page.violations.map((v) => v.type)),
    });
  }
  return out;
}

/** Which built-in categories fire on each document (one percolation per chunk). */
export async function firedCategories(
  engine: EnginePort,
  rulesIndex: string,
  corpus: LabelledDoc[],
): Promise<Array<Set<string>>> {
  const fired = corpus.map(() => new Set<string>());
  for (let start = 0; start < corpus.length; start += 100) {
    const chunk = corpus.slice(start, start + 100);
    const result = await engine.percolate<{ category: string }>({
      index: rulesIndex,
      field: RULE_QUERY_FIELD,
      documents: chunk.map((c) => c.doc),
      filter: { bool: { filter: [{ term: { enabled: true } }, { terms: { target: ['pages', 'both'] } }] } },
      size: 1000,
      source: ['category'],
    });
    for (const hit of result.hits)
      for (const slot of hit.slots ?? []) fired[start + slot]?.add(hit.source.category);
  }
  return fired;
}

export interface CategoryScore {
  category: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
}

export function scoreCategories(
  corpus: LabelledDoc[],
  fired: Array<Set<string>>,
  categories: string[],
): CategoryScore[] {
  return categories.map((category) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    corpus.forEach((c, i) => {
      const truth = c.violations.has(category as ViolationType);
      const got = fired[i]?.has(category) ?? false;
      if (truth && got) tp++;
      else if (got) fp++;
      else if (truth) fn++;
    });
    return {
      category,
      tp,
      fp,
      fn,
      precision: tp + fp === 0 ? 1 : tp / (tp + fp),
      recall: tp + fn === 0 ? 1 : tp / (tp + fn),
    };
  });
}
