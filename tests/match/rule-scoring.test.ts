import { describe, expect, it } from '@jest/globals';
import {
  docKey,
  expectedRules,
  scoreCategories,
  scoreRules,
  termsOfQuery,
  type ScoredDoc,
  type ScoredRule,
} from '../../bench/support/rule-scoring.js';
import { termsQuery } from '../../rules/loader.js';

const rules: ScoredRule[] = [
  { id: 'abs.pages', kind: 'page', category: 'ad_law_absolute', terms: ['最佳', 'No.1'] },
  { id: 'cure.pages', kind: 'page', category: 'false_health_claim', terms: ['治愈', '根治'] },
  { id: 'side.pages', kind: 'page', category: 'false_health_claim', terms: ['无副作用'] },
  { id: 'licence', kind: 'page', category: 'missing_licence' },
  { id: 'abs.ads', kind: 'ad', category: 'ad_law_absolute', terms: ['最佳'] },
];

const page = (id: string, ...labels: Array<[string, string[]]>): ScoredDoc => ({
  kind: 'page',
  id,
  labels: labels.map(([type, terms]) => ({ type, terms })),
});

describe('rule scoring against ground-truth labels', () => {
  it('expects the only rule of a category for the target, whatever the label terms', () => {
    expect([...expectedRules(page('p', ['ad_law_absolute', ['顶级']]), rules)]).toEqual(['abs.pages']);
    expect([...expectedRules(page('p', ['missing_licence', []]), rules)]).toEqual(['licence']);
  });

  it('attributes a label to the sibling rule whose terms hold the label term, case-insensitively', () => {
    expect([...expectedRules(page('p', ['false_health_claim', ['无副作用']]), rules)]).toEqual([
      'side.pages',
    ]);
    expect([...expectedRules(page('p', ['false_health_claim', ['治愈']]), rules)]).toEqual(['cure.pages']);
    const en: ScoredRule[] = [
      { id: 'a', kind: 'page', category: 'x', terms: ['No Side Effects'] },
      { id: 'b', kind: 'page', category: 'x', terms: ['cures cancer'] },
    ];
    expect([...expectedRules(page('p', ['x', ['no side effects']]), en)]).toEqual(['a']);
  });

  it('expects every sibling when no sibling holds the label term, so a term the pack lacks is a miss', () => {
    expect([...expectedRules(page('p', ['false_health_claim', ['包治百病']]), rules)].sort()).toEqual([
      'cure.pages',
      'side.pages',
    ]);
  });

  it('counts tp, fp and fn per rule over the documents of its target only', () => {
    const docs: ScoredDoc[] = [
      page('hit', ['ad_law_absolute', ['最佳']]),
      page('miss', ['ad_law_absolute', ['最佳']]),
      page('clean'),
      { kind: 'ad', id: 'ad1', labels: [{ type: 'ad_law_absolute', terms: ['最佳'] }] },
    ];
    const fired = new Map([
      [docKey('page', 'hit'), new Set(['abs.pages'])],
      [docKey('page', 'clean'), new Set(['abs.pages'])],
      [docKey('ad', 'ad1'), new Set(['abs.ads'])],
    ]);
    const byRule = new Map(scoreRules(docs, rules, fired).map((s) => [s.name, s]));
    expect(byRule.get('abs.pages')).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5 });
    expect(byRule.get('abs.pages')?.examples).toEqual({ fp: ['page:clean'], fn: ['page:miss'] });
    expect(byRule.get('abs.ads')).toMatchObject({ tp: 1, fp: 0, fn: 0, level: 'category' });
    expect(byRule.get('side.pages')).toMatchObject({ tp: 0, fp: 0, fn: 0, precision: 1, recall: 1 });
    expect(byRule.get('cure.pages')?.level).toBe('terms');
  });

  it('scores a category over pages and ads: a hit of any of its rules counts once per document', () => {
    const docs: ScoredDoc[] = [
      page('both', ['false_health_claim', ['治愈', '无副作用']]),
      page('wrong-rule', ['false_health_claim', ['治愈']]),
    ];
    const fired = new Map([
      [docKey('page', 'both'), new Set(['cure.pages', 'side.pages'])],
      [docKey('page', 'wrong-rule'), new Set(['side.pages'])],
    ]);
    const health = scoreCategories(docs, rules, fired).find((s) => s.name === 'false_health_claim');
    expect(health).toMatchObject({ tp: 2, fp: 0, fn: 0, kind: 'page' });
    const side = scoreRules(docs, rules, fired).find((s) => s.name === 'side.pages');
    expect(side).toMatchObject({ tp: 1, fp: 1, fn: 0 });
  });

  it('reads the phrases back from a pack terms query and nothing from other shapes', () => {
    expect(termsOfQuery(termsQuery(['最佳', 'No.1'], 'ads'))).toEqual(['最佳', 'No.1']);
    expect(termsOfQuery({ bool: { filter: [{ exists: { field: 'x' } }] } })).toBeUndefined();
    expect(termsOfQuery({ bool: { should: [{ term: { a: 1 } }] } })).toBeUndefined();
  });
});
