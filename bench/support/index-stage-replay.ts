/**
 * The pipeline side of `pipeline_vs_bulk` in `npm run bench:crawl`: the crawl's own index stage (bulk
 * writer, page change detection and versions, ad sighting upserts, link-stage writes) fed the documents
 * the crawl produced, as fast as it takes them, into fresh indices. What fetch and extract produced is
 * read back from the crawl's indices: each page as the pipeline handed it over (without the fields the
 * index stage adds), and each ad's `seen_count` sightings spread over the pages it was seen on.
 * Timed from the first page handed over until the writer has flushed everything.
 */
import { scanAll } from '../../engine/index.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { AdIndexer, type AdSighting } from '../../indexer/index/ad-indexer.js';
import { BulkWriter } from '../../indexer/index/bulk-writer.js';
import { PageIndexer, type PageDocument } from '../../indexer/index/page-indexer.js';
import { LinkStage, type LinkedFields } from '../../indexer/link/link-stage.js';
import { aliasName } from '../../mappings/index.js';

/** Options of {@link replayIndexStage}. */
export interface IndexStageReplayOptions {
  /** Index prefix the crawl wrote under. */
  from: string;
  /** Index prefix of fresh indices (every crawl index migrated). */
  to: string;
  /** Pages in the index stage at once (the crawl worker's jobs). */
  concurrency: number;
}

/** What the index stage wrote and how long it took. */
export interface IndexStageReplayResult {
  pages: number;
  sightings: number;
  seconds: number;
  writeOps: number;
  writeFailed: number;
}

/** Fields the index stage adds to a page (version, seen dates) are not part of its input. */
const ADDED_BY_INDEX = ['version', 'first_seen', 'last_seen'];

/** What extract hands over of an ad (`AdSighting` without page, site and time). */
const CREATIVE_FIELDS = [
  'id',
  'creative_text',
  'image_alt',
  'image_src',
  'landing_url',
  'landing_domain',
  'advertiser',
  'slot',
  'ad_network',
  'category',
  'category_confidence',
] as const;

interface StoredAd extends Doc {
  id: string;
  page_urls?: string[];
  sites?: string[];
  seen_count?: number;
  first_seen?: string;
}

/** Sightings per page URL: each ad on the pages it lists, extra sightings (past the list cap) round robin. */
async function readSightings(engine: EnginePort, from: string): Promise<Map<string, AdSighting[]>> {
  const byPage = new Map<string, AdSighting[]>();
  const add = (url: string, sighting: AdSighting): void => {
    const list = byPage.get(url) ?? [];
    list.push(sighting);
    byPage.set(url, list);
  };
  for await (const hit of scanAll<StoredAd>(engine, { index: aliasName(from, 'ads') })) {
    const ad = hit.source;
    const pages = ad.page_urls ?? [];
    const seen = ad.seen_count ?? pages.length;
    const creative = Object.fromEntries(
      Object.entries(ad).filter(([key]) => (CREATIVE_FIELDS as readonly string[]).includes(key)),
    ) as Omit<AdSighting, 'page_url' | 'site' | 'seen_at'>;
    const site = ad.sites?.[0] ?? '';
    const at = ad.first_seen ?? '';
    for (let i = 0; i < Math.max(seen, pages.length); i += 1) {
      const url = pages[i % pages.length];
      if (!url) break;
      add(url, { ...creative, page_url: url, site, seen_at: at });
    }
  }
  return byPage;
}

export async function replayIndexStage(
  engine: EnginePort,
  options: IndexStageReplayOptions,
): Promise<IndexStageReplayResult> {
  const sightingsByPage = await readSightings(engine, options.from);
  const pages: Array<{ doc: PageDocument; linked: LinkedFields }> = [];
  for await (const hit of scanAll<Doc>(engine, { index: aliasName(options.from, 'pages') })) {
    const doc = Object.fromEntries(
      Object.entries(hit.source).filter(([key]) => !ADDED_BY_INDEX.includes(key)),
    ) as unknown as PageDocument & LinkedFields;
    pages.push({
      doc,
      linked: { operator_id: doc.operator_id, link: doc.link, jurisdiction: doc.jurisdiction },
    });
  }
  const writer = new BulkWriter(engine);
  const pageIndexer = new PageIndexer(engine, writer, { prefix: options.to });
  const ads = new AdIndexer(writer, options.to);
  const link = await LinkStage.create(engine, { prefix: options.to, writer });
  let sightings = 0;
  let next = 0;
  const startedAt = performance.now();
  const lane = async (): Promise<void> => {
    for (let item = pages[next++]; item; item = pages[next++]) {
      const seen = sightingsByPage.get(item.doc.url) ?? [];
      sightings += seen.length;
      await Promise.all([
        pageIndexer.index(item.doc),
        ...seen.map((sighting) => ads.record(sighting, link.adLink(sighting, item.linked))),
        link.afterPage(item.doc, item.linked),
      ]);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, lane));
    await writer.flush();
  } finally {
    await link.close();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  const { written, failed, conflicts } = writer.stats;
  return {
    pages: pages.length,
    sightings,
    seconds,
    writeOps: written + failed + conflicts,
    writeFailed: failed,
  };
}
