import { createEngine, type EnginePort } from '../../engine/index.js';
import { AdIndexer, type AdSighting } from '../../indexer/index/ad-indexer.js';
import { BulkWriter } from '../../indexer/index/bulk-writer.js';
import { CandidateRepository } from '../../indexer/link/candidate.repository.js';
import { LinkStage } from '../../indexer/link/link-stage.js';
import { Relinker } from '../../indexer/link/relink.js';
import { aliasName } from '../../mappings/index.js';
import { dropIndices } from '../../mappings/migrate.js';
import type { Operator } from '../../registry/types.js';
import { testPrefix } from '../support/ids.js';
import {
  LINK_DEFINITIONS,
  migrateLinkIndices,
  operator,
  page,
  productPage,
  writeOperators,
  type TestPage,
} from './support.js';

const WEST = { city: '330100', county: '330106', station: '330106-01' };
const EAST = { city: '330100', county: '330108', station: '330108-02' };

describe('relinking indexed pages and ads', () => {
  let engine: EnginePort;
  let prefix: string;
  let stage: LinkStage;
  let relinker: Relinker;
  let pagesAlias: string;
  let writer: BulkWriter;

  async function indexPage(p: TestPage, adIds: string[] = []): Promise<void> {
    const fields = stage.linkPage(p);
    await engine.index(pagesAlias, p.id, { ...p, ...fields }, { refresh: true });
    const ads = new AdIndexer(writer, prefix);
    await Promise.all([
      ...adIds.map((id) => {
        const sighting: AdSighting = {
          id,
          creative_text: 'ad',
          slot: 'banner',
          category: 'other',
          category_confidence: 0,
          page_url: p.url,
          site: p.site,
          seen_at: p.fetched_at,
        };
        return ads.record(sighting, stage.adLink(sighting, fields));
      }),
      stage.afterPage(p, fields),
    ]);
  }

  async function pageDoc(p: TestPage): Promise<Record<string, unknown>> {
    return (await engine.get<Record<string, unknown>>(pagesAlias, p.id)).source ?? {};
  }

  beforeAll(async () => {
    engine = await createEngine();
    prefix = testPrefix('relink');
    pagesAlias = aliasName(prefix, 'pages');
    await migrateLinkIndices(engine, prefix);
    writer = new BulkWriter(engine);
    stage = await LinkStage.create(engine, { prefix, refreshIntervalMs: 0, writer });
    relinker = new Relinker(engine, {
      prefix,
      directory: stage.directory,
      candidates: new CandidateRepository(engine, { prefix }),
    });
  });

  afterAll(async () => {
    await writer?.close();
    await stage?.close();
    await dropIndices(engine, { prefix, definitions: LINK_DEFINITIONS });
    await engine.close();
  });

  it("when an operator moves to a new domain and district, its pages and ads follow and the old site's pages let go", async () => {
    const before: Operator = operator({ id: 'op-a', domains: ['old-a.test'], jurisdiction: WEST });
    await writeOperators(engine, prefix, [before]);
    await stage.directory.refresh({ force: true });
    const oldPage = page('http://old-a.test/');
    const newPage = productPage('http://new-a.test/item/1');
    const other = page('http://unrelated.test/');
    await indexPage(oldPage, ['ad-x']);
    await indexPage(newPage, ['ad-x']);
    await indexPage(other);
    expect(await pageDoc(oldPage)).toMatchObject({ operator_id: 'op-a', jurisdiction: WEST });
    expect((await pageDoc(newPage)).operator_id).toBeNull();
    const candidates = aliasName(prefix, 'candidates');
    expect((await engine.get(candidates, 'new-a.test')).found).toBe(true);

    const after = operator({
      id: 'op-a',
      domains: ['new-a.test'],
      jurisdiction: EAST,
      updated_at: '2024-07-01T00:00:00.000Z',
    });
    await writeOperators(engine, prefix, [after]);
    const report = await relinker.relinkOperator(after, before);

    expect(report).toMatchObject({
      pagesExamined: 2,
      pagesUpdated: 2,
      adsUpdated: 1,
      candidatesRegistered: 1,
    });
    expect(await pageDoc(newPage)).toMatchObject({
      operator_id: 'op-a',
      link: { confidence: 0.8, reason: 'domain:new-a.test' },
      jurisdiction: EAST,
    });
    expect(await pageDoc(oldPage)).toMatchObject({
      operator_id: null,
      link: { confidence: 0, reason: 'no_match' },
      jurisdiction: {},
    });
    const ad = await engine.get<Record<string, unknown>>(aliasName(prefix, 'ads'), 'ad-x');
    expect(ad.source).toMatchObject({
      operator_id: ['op-a'],
      jurisdiction: { county: ['330108'], station: ['330108-02'] },
    });
    expect(
      (await engine.get<{ status: string; operator_id: string }>(candidates, 'new-a.test')).source,
    ).toMatchObject({
      status: 'registered',
      operator_id: 'op-a',
    });
    // Nothing left to change: a second run writes nothing.
    expect(await relinker.relinkOperator(after, before)).toMatchObject({ pagesUpdated: 0, adsUpdated: 0 });
  });

  it('when a domain is registered to an operator, pages already on it link', async () => {
    const p = productPage('http://late-b.test/p/9');
    await indexPage(p);
    expect((await pageDoc(p)).operator_id).toBeNull();
    await writeOperators(engine, prefix, [
      operator({
        id: 'op-b',
        domains: ['late-b.test'],
        jurisdiction: WEST,
        updated_at: '2024-08-01T00:00:00.000Z',
      }),
    ]);
    const report = await relinker.relinkDomain('late-b.test');
    expect(report).toMatchObject({ pagesExamined: 1, pagesUpdated: 1, candidatesRegistered: 1 });
    expect(await pageDoc(p)).toMatchObject({ operator_id: 'op-b', jurisdiction: WEST });
    await expect(relinker.relinkDomain('  ')).rejects.toMatchObject({ code: 'DOMAIN_INVALID' });
  });
});
