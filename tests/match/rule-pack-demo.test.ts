import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateDemoWeb } from '../../demo/index.js';
import { RuleRepository } from '../../indexer/match/rule.repository.js';
import { loadRulePack } from '../../rules/loader.js';
import { demoPageCorpus, firedCategories, scoreCategories } from './demo-corpus.js';
import { matchFixture, type MatchFixture } from './support.js';

let fx: MatchFixture;
let rules: RuleRepository;

beforeAll(async () => {
  fx = await matchFixture('pack');
  rules = new RuleRepository(fx.engine, { prefix: fx.prefix });
  await loadRulePack(rules);
});
afterAll(async () => fx.drop());

const CATEGORIES = ['ad_law_absolute', 'false_health_claim', 'missing_licence', 'misleading_price'];

describe('built-in rule pack over the demo web', () => {
  it('each built-in rule fires on the pages carrying its violation and not on clean pages', async () => {
    const corpus = demoPageCorpus(generateDemoWeb({ seed: 11, sites: 14, pages: 12, ads: 20 }));
    const fired = await firedCategories(fx.engine, rules.rulesIndex, corpus);
    const scores = scoreCategories(corpus, fired, CATEGORIES);
    for (const score of scores) {
      expect({ category: score.category, hasPositives: score.tp > 0 }).toEqual({
        category: score.category,
        hasPositives: true,
      });
      expect({
        category: score.category,
        precision: score.precision >= 0.9,
        recall: score.recall >= 0.9,
      }).toEqual({
        category: score.category,
        precision: true,
        recall: true,
      });
    }
    const clean = corpus.map((c, i) => ({ c, f: fired[i] })).filter(({ c }) => c.violations.size === 0);
    expect(clean.length).toBeGreaterThan(10);
    expect(clean.filter(({ f }) => (f?.size ?? 0) > 0).map(({ c }) => c.doc.id)).toEqual([]);
  });
});
