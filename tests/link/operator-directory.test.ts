import { Redis } from 'ioredis';
import { config } from '../../core/config.js';
import { createEngine, type EnginePort } from '../../engine/index.js';
import { AdIndexer, type AdSighting } from '../../indexer/index/ad-indexer.js';
import { BulkWriter } from '../../indexer/index/bulk-writer.js';
import { LinkStage } from '../../indexer/link/link-stage.js';
import { OperatorDirectory, publishOperatorsChanged } from '../../indexer/link/operator-directory.js';
import { adFields } from '../../mappings/ads.mapping.js';
import { defineIndex } from '../../mappings/definition.js';
import { keyword, mergeProperties } from '../../mappings/fields.js';
import {
  aliasName,
  candidatesDefinition,
  entitiesDefinition,
  pagesDefinition,
} from '../../mappings/index.js';
import { dropIndices, migrate } from '../../mappings/migrate.js';
import { testPrefix } from '../support/ids.js';
import { operator, page, writeOperators } from './support.js';

const silent = { info: () => undefined } as unknown as Parameters<typeof migrate>[1]['log'];

async function waitFor(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** The ads index as it will be once the mapping holds the advertiser's operator. */
const adsWithAdvertiser = defineIndex(
  'ads',
  mergeProperties(adFields(), { advertiser_operator_id: keyword() }),
);
const DEFINITIONS = [pagesDefinition, adsWithAdvertiser, entitiesDefinition, candidatesDefinition];

describe('operator directory', () => {
  let engine: EnginePort;
  let redis: Redis;
  let prefix: string;

  beforeAll(async () => {
    engine = await createEngine();
    redis = new Redis(config().REDIS_URL);
    prefix = testPrefix('opdir');
    await migrate(engine, { prefix, definitions: DEFINITIONS, log: silent });
  });

  afterAll(async () => {
    await dropIndices(engine, { prefix, definitions: DEFINITIONS });
    await engine.close();
    redis.disconnect();
  });

  it('reloads at once when a change is announced on its channel', async () => {
    const channel = `${prefix}:operators-changed`;
    const directory = new OperatorDirectory(engine, { prefix, refreshIntervalMs: 0, changeChannel: channel });
    await directory.start();
    try {
      expect(directory.index.size).toBe(0);
      await writeOperators(engine, prefix, [operator({ id: 'op-new', domains: ['new.test'] })]);
      await publishOperatorsChanged(redis, channel);
      await waitFor('operator loaded', () => directory.index.get('op-new') !== undefined);
      expect(directory.index.ownersOfHost('new.test')).toEqual(new Set(['op-new']));
    } finally {
      await directory.close();
    }
  });

  it('when the ads mapping holds the advertiser field, an ad records the operator of its landing domain', async () => {
    await writeOperators(engine, prefix, [
      operator({ id: 'op-site', domains: ['site.test'], jurisdiction: { city: '330100', county: '330106' } }),
      operator({ id: 'op-advertiser', domains: ['clinic.test'] }),
    ]);
    const stage = await LinkStage.create(engine, { prefix, refreshIntervalMs: 0 });
    try {
      const ads = aliasName(prefix, 'ads');
      await engine.index(ads, 'ad-7', {
        id: 'ad-7',
        creative_text: '包治百病',
        landing_domain: 'clinic.test',
      });
      const p = page('http://site.test/');
      const sighting: AdSighting = {
        id: 'ad-7',
        creative_text: '包治百病',
        landing_url: 'http://www.clinic.test/offer',
        landing_domain: 'www.clinic.test',
        slot: 'banner',
        category: 'medical',
        category_confidence: 0.8,
        page_url: p.url,
        site: p.site,
        seen_at: p.fetched_at,
      };
      const writer = new BulkWriter(engine);
      await new AdIndexer(writer, prefix).record(sighting, stage.adLink(sighting, stage.linkPage(p)));
      await writer.close();
      expect((await engine.get(ads, 'ad-7')).source).toMatchObject({
        operator_id: ['op-site'],
        advertiser_operator_id: 'op-advertiser',
        jurisdiction: { county: ['330106'] },
      });
    } finally {
      await stage.close();
    }
  });
});
