import { describe, expect, it } from '@jest/globals';
import { domainToASCII } from 'node:url';
import { BRAND_HOST } from '../../demo/index.js';
import { LookalikeMatcher } from '../../lookalike/matcher.js';
import { smallDemoWeb } from './demo-pages.js';

const huamei = { id: 'huamei', names: ['华美', '华美化妆品', 'Huamei'], domains: [BRAND_HOST] };

describe('LookalikeMatcher.matchDomain', () => {
  const matcher = new LookalikeMatcher([huamei]);

  it('finds all four demo lookalikes and none of the other demo sites', () => {
    const web = smallDemoWeb();
    const flagged = [...new Set(web.truth.sites.map((s) => s.host))].filter(
      (h) => matcher.matchDomain(h).length > 0,
    );
    const expected = web.truth.sites.filter((s) => s.lookalike_of === BRAND_HOST).map((s) => s.host);
    expect(expected).toHaveLength(4);
    expect(flagged.sort()).toEqual(expected.sort());
  });

  it.each([
    ['huarnei.test', 'homoglyph'],
    ['hua-mei.test', 'hyphenation'],
    ['huamei-shop.test', 'dictionary'],
    ['xn--humei-5ve.test', 'homoglyph'],
    ['hua.mei.test', 'subdomain'],
    ['huamei.com.cn', 'tld-swap'],
    ['huamei.io', 'tld-swap'],
    [domainToASCII('hu\u0430rnei.test'), 'skeleton'],
    ['huamez.test', 'edit-distance'],
    ['best-huamei-deals.test', 'affix'],
  ])('flags %s as %s', (host, technique) => {
    expect(matcher.matchDomain(host)).toEqual([
      expect.objectContaining({ brandId: 'huamei', brandDomain: 'huamei.test', technique }),
    ]);
  });

  it('reports the suspect in ASCII and Unicode with its edit distance', () => {
    expect(matcher.matchDomain('XN--HUMEI-5VE.test.')).toEqual([
      {
        brandId: 'huamei',
        brandDomain: 'huamei.test',
        suspect: 'xn--humei-5ve.test',
        unicode: 'hu\u0430mei.test',
        technique: 'homoglyph',
        distance: 1,
      },
    ]);
  });

  it.each([
    'huamei.test',
    'www.huamei.test',
    'shop-01.test',
    'mall.test',
    'meiyan-lab.test',
    'hualian.test',
    '',
    'not a host',
  ])('leaves %p alone', (host) => {
    expect(matcher.matchDomain(host)).toEqual([]);
  });

  it('refuses a brand without an id or a bad official domain', () => {
    expect(() => new LookalikeMatcher([{ id: '', names: ['x'], domains: [] }])).toThrow(
      expect.objectContaining({ code: 'LOOKALIKE_BAD_BRAND' }),
    );
    expect(() => new LookalikeMatcher([{ id: 'x', names: [], domains: ['localhost'] }])).toThrow(
      expect.objectContaining({ code: 'LOOKALIKE_BAD_DOMAIN' }),
    );
  });
});

describe('LookalikeMatcher.findMentions', () => {
  const matcher = new LookalikeMatcher([huamei]);

  it('finds a Chinese brand name written with a look-alike character, and the exact name', () => {
    const mentions = matcher.findMentions('欢迎光临华羙旗舰店，正品华美。');
    expect(mentions.map((m) => [m.name, m.found, m.distance])).toEqual([
      ['华美', '华羙', 1],
      ['华美', '华美', 0],
    ]);
    expect(mentions[0]?.offset).toBe(4);
  });

  it('finds a longer Chinese name with one character changed, but no two-character word sharing one character', () => {
    const found = matcher.findMentions('华美化妝品 完美 甜美 华丽 美华').map((m) => m.found);
    expect(found).toEqual(['华美化妝品']);
  });

  it('finds Latin names word by word, with case, typos and homoglyphs', () => {
    const found = matcher
      .findMentions('Buy HUAMEI, Huarnei or Hu\u0430mei; not human, not huami-ltd')
      .map((m) => [m.found, m.distance]);
    expect(found).toEqual([
      ['HUAMEI', 0],
      ['Huarnei', 2],
      ['Hu\u0430mei', 1],
      ['huami', 1],
    ]);
  });

  it('finds nothing in unrelated text or bad input', () => {
    expect(matcher.findMentions('美丽的华山，完美的一天。Humane shopping.')).toEqual([]);
    expect(matcher.findMentions(undefined as unknown as string)).toEqual([]);
  });
});
