import { describe, expect, it } from '@jest/globals';
import { BRAND_HOST } from '../../demo/index.js';
import {
  comparePages,
  findNearDuplicates,
  fingerprintPage,
  hammingDistance,
  shingles,
  simhash,
  simhashHex,
  simhashSimilarity,
} from '../../lookalike/near-duplicate.js';
import { demoPageDocs, smallDemoWeb } from './demo-pages.js';

describe('shingles', () => {
  it('makes Chinese character bigrams and English word pairs, without bare numbers', () => {
    expect(shingles('华美面霜 ¥199 Night Cream')).toEqual([
      '华美',
      '美面',
      '面霜',
      '霜 night',
      'night cream',
    ]);
  });
});

describe('simhash', () => {
  const base =
    '云帆升级款洁面乳选用优质原料，严格品控，每批次都经过检验。规格：5片装。绍兴仓发货，下单后48小时内发出。适合出行使用，手感舒适。支持七天无理由退换货，满99元包邮。';

  it('gives equal texts equal hashes and opposite bits a distance of 64', () => {
    expect(simhash(base)).toBe(simhash(`${base}`));
    expect(hammingDistance(0n, (1n << 64n) - 1n)).toBe(64);
    expect(simhashSimilarity(5n, 5n)).toBe(1);
    expect(simhashHex(255n)).toBe('00000000000000ff');
    expect(simhash('')).toBe(0n);
  });

  it('keeps a near-duplicate close and an unrelated text far', () => {
    const copy = base.replace('绍兴仓', '杭州仓').replace('48小时', '24小时');
    const unrelated =
      'Trail running shoes with a breathable mesh upper and a grippy outsole. Free returns within thirty days, ships from our Denver warehouse.';
    expect(hammingDistance(simhash(base), simhash(copy))).toBeLessThanOrEqual(6);
    expect(hammingDistance(simhash(base), simhash(unrelated))).toBeGreaterThanOrEqual(16);
  });

  it('pairs demo lookalike pages with the brand pages they copy, and no unrelated shop page', () => {
    const docs = demoPageDocs(smallDemoWeb());
    const brand = docs.filter((d) => d.host === BRAND_HOST).map(fingerprintPage);
    const lookalike = docs.filter((d) => d.host === 'huarnei.test').map(fingerprintPage);
    const shops = docs.filter((d) => /^shop-\d+/.test(d.host)).map(fingerprintPage);
    expect(brand.length).toBeGreaterThan(3);
    expect(shops.length).toBeGreaterThan(3);

    const pairs = findNearDuplicates(lookalike, brand, { maxDistance: 3 });
    expect(pairs.length).toBeGreaterThanOrEqual(3);
    for (const pair of pairs) {
      expect(new URL(pair.brandUrl).pathname).toBe(new URL(pair.suspectUrl).pathname);
      expect(pair.sharedSample.length).toBeGreaterThan(0);
      expect(pair.sharedRatio).toBeGreaterThan(0.8);
    }
    expect(findNearDuplicates(shops, brand, { maxDistance: 3 })).toEqual([]);
  });

  it('reports the evidence of a pair: distance, shared shingles in text order, similar titles', () => {
    const a = fingerprintPage({
      url: 'http://a.test/1',
      title: '华美面霜 - 华美官方',
      text: '华美面霜滋润保湿，温和不刺激。',
    });
    const b = fingerprintPage({
      url: 'http://b.test/1',
      title: '华美面霜 - 华羙商城',
      text: '华美面霜滋润保湿，温和不刺激。',
    });
    const pair = comparePages(b, a, 3);
    expect(pair).toMatchObject({
      suspectUrl: 'http://b.test/1',
      brandUrl: 'http://a.test/1',
      sharedSample: ['华美', '美面', '面霜'],
    });
    expect(pair.distance).toBe(hammingDistance(a.simhash, b.simhash));
    expect(pair.similarity).toBeCloseTo(1 - pair.distance / 64);
    expect(pair.titleSimilarity).toBeGreaterThan(0.8);
  });
});
