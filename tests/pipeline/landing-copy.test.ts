/**
 * Landing-page copy on the demo web: a pop-up creative that shows only its image and alt text, while
 * its 最佳 claim sits on its landing page (another demo site). Real demo server, Redis queue, engine,
 * rule pack and Matcher; each test crawls with its own prefix at depth 0 (the queued pages and the
 * landing pages of their ads), in the order it names.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { generateDemoWeb, startDemoServer, type AdTruth, type DemoServer } from '../../demo/index.js';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { AlertService } from '../../indexer/alert/alert.service.js';
import { urlId } from '../../indexer/frontier/url-normalize.js';
import { Matcher } from '../../indexer/match/matcher.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { startCrawlRuntime, type CrawlRuntime } from '../../indexer/pipeline/crawl-runtime.js';
import { queueSeeds } from '../../indexer/pipeline/seeds.js';
import {
  aliasName,
  alertsDefinition,
  auditDefinition,
  CRAWL_DEFINITIONS,
  ruleVersionsDefinition,
  rulesDefinition,
} from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { loadRulePack } from '../../rules/loader.js';
import { testPrefix } from '../support/ids.js';

const DEFINITIONS = [
  ...CRAWL_DEFINITIONS,
  rulesDefinition,
  ruleVersionsDefinition,
  alertsDefinition,
  auditDefinition,
];
const AD_RULE = 'builtin.ad-law.absolute-terms.ads';
const silent = pino({ level: 'silent' });

interface AdDoc {
  id: string;
  creative_text?: string;
  image_alt?: string;
  landing_url?: string;
  landing_page_id?: string;
  landing_title?: string;
  landing_text?: string;
}

/** One crawl with real-time matching under its own prefix. */
class Crawl {
  private constructor(
    readonly prefix: string,
    private readonly engine: EnginePort,
    private readonly runtime: CrawlRuntime,
    private readonly matcher: Matcher,
  ) {}

  static async start(engine: EnginePort, server: DemoServer): Promise<Crawl> {
    const prefix = testPrefix('landing');
    await migrate(engine, { prefix, definitions: DEFINITIONS, log: silent });
    await loadRulePack(new RuleRepository(engine, { prefix }));
    const matcher = new Matcher(engine, {
      prefix,
      alerts: new AlertService(engine, { prefix, log: silent }),
    });
    const runtime = await startCrawlRuntime({
      engine,
      prefix,
      matcher,
      linking: false,
      // Depth 0: the URLs a test queues and their ads' landing pages (no links, no sitemaps).
      frontier: { name: 'crawl', prefix: testPrefix('q'), maxDepth: 0 },
      worker: { concurrency: 4, handleSignals: false, minDelayMs: 0, recrawlPollMs: 200 },
      resolve: server.resolveEntries(),
      allowPrivate: ['127.0.0.1/32'],
    });
    return new Crawl(prefix, engine, runtime, matcher);
  }

  async crawl(urls: string[]): Promise<void> {
    await queueSeeds(this.runtime.frontier, urls);
    await this.runtime.waitUntilIdle({ pollMs: 200 });
    await this.matcher.flush();
    await this.engine.refresh(aliasName(this.prefix, 'ads'));
    await this.engine.refresh(aliasName(this.prefix, 'pages'));
    await this.engine.refresh(aliasName(this.prefix, 'alerts'));
  }

  async adLandingOn(landingPageId: string): Promise<AdDoc[]> {
    const found = await this.engine.search<AdDoc>({
      index: aliasName(this.prefix, 'ads'),
      query: { term: { landing_page_id: landingPageId } },
      size: 10,
    });
    return found.hits.map((h) => h.source);
  }

  async page(id: string): Promise<{ url: string } | undefined> {
    return (await this.engine.get<{ url: string }>(aliasName(this.prefix, 'pages'), id)).source;
  }

  async ruleIdsOnAd(adId: string): Promise<string[]> {
    const found = await this.engine.search<{ rule_id: string }>({
      index: aliasName(this.prefix, 'alerts'),
      query: { bool: { filter: [{ term: { target: 'ad' } }, { term: { doc_id: adId } }] } },
      size: 20,
    });
    return found.hits.map((h) => h.source.rule_id).sort();
  }

  async close(): Promise<void> {
    await this.runtime.frontier.obliterate();
    await this.runtime.close();
    await dropIndices(this.engine, { prefix: this.prefix, definitions: DEFINITIONS });
  }
}

describe('landing-page copy on ads', () => {
  let server: DemoServer;
  let engine: EnginePort;
  let ad: AdTruth;
  let showingPage: string;
  let landingPage: string;
  let landingPageId: string;
  const crawls: Crawl[] = [];

  beforeAll(async () => {
    const web = generateDemoWeb({ seed: 11, sites: 4, pages: 12, ads: 20 });
    // A pop-up whose 最佳 claim is only in its copy (the creative shows image + alt), shown on a page.
    const popup = web.truth.ads.find(
      (a) =>
        a.slot_kind === 'popup' &&
        a.violations.some((v) => v.terms.includes('最佳')) &&
        !a.image_alt.includes('最佳') &&
        web.truth.pages.some((p) => p.ads.includes(a.id) && !p.disallowed),
    );
    if (!popup)
      throw new Error('the demo web (seed 11) has no image-only pop-up with 最佳 on its landing page');
    ad = popup;
    const page = web.truth.pages.find((p) => p.ads.includes(ad.id) && !p.disallowed);
    server = await startDemoServer(web);
    engine = await createEngine();
    showingPage = server.url(page?.host ?? '', page?.path ?? '/');
    landingPage = server.url(ad.landing_host, ad.landing_path);
    landingPageId = urlId(landingPage);
  }, 60_000);

  afterAll(async () => {
    for (const crawl of crawls) await crawl.close();
    await server.close();
    await engine.close();
  });

  async function startCrawl(): Promise<Crawl> {
    const crawl = await Crawl.start(engine, server);
    crawls.push(crawl);
    return crawl;
  }

  it('when the ad is seen first, its landing page is crawled after it and brings its copy and alert', async () => {
    const crawl = await startCrawl();
    // Only the page showing the ad: its landing page (another site) is queued once the ad is written.
    await crawl.crawl([showingPage]);
    const landing = await crawl.page(landingPageId);
    expect(landing?.url).toBe(landingPage);
    const [seen] = await crawl.adLandingOn(landingPageId);
    expect(`${seen?.creative_text ?? ''} ${seen?.image_alt ?? ''}`).not.toContain('最佳');
    expect(seen?.landing_text).toContain('最佳');
    expect(seen?.landing_title).toContain(ad.image_alt);
    expect(await crawl.ruleIdsOnAd(seen?.id ?? '')).toContain(AD_RULE);
  }, 120_000);

  it('when the landing page is already indexed, the ad carries its copy and alerts when first seen', async () => {
    const crawl = await startCrawl();
    await crawl.crawl([landingPage]);
    expect(await crawl.adLandingOn(landingPageId)).toEqual([]);

    await crawl.crawl([showingPage]);
    const [seen] = await crawl.adLandingOn(landingPageId);
    expect(seen?.landing_text).toContain('最佳');
    expect(await crawl.ruleIdsOnAd(seen?.id ?? '')).toContain(AD_RULE);
  }, 120_000);
});
