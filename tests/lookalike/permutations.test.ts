import { describe, expect, it } from '@jest/globals';
import { domainToASCII } from 'node:url';
import {
  generatePermutations,
  PERMUTATION_TECHNIQUES,
  splitDomain,
  validHostname,
  type Permutation,
  type PermutationTechnique,
} from '../../lookalike/permutations.js';

function byTechnique(perms: Permutation[], technique: PermutationTechnique): string[] {
  return perms.filter((p) => p.technique === technique).map((p) => p.domain);
}

describe('generatePermutations', () => {
  const perms = generatePermutations('huamei.test');

  it.each<[PermutationTechnique, string[]]>([
    ['addition', ['huameix.test', 'xhuamei.test', 'hua1mei.test']],
    ['omission', ['uamei.test', 'humei.test', 'huame.test']],
    ['repetition', ['hhuamei.test', 'huamei.test'.replace('mei', 'mmei')]],
    ['transposition', ['uhamei.test', 'hauamei.test'.replace('hauamei', 'haumei'), 'huaemi.test']],
    ['replacement', ['juamei.test', 'huamwi.test', 'huamek.test']],
    [
      'homoglyph',
      ['huarnei.test', domainToASCII('hu\u0430mei.test'), 'huame1.test', domainToASCII('huam\u0435i.test')],
    ],
    ['hyphenation', ['hua-mei.test', 'h-uamei.test', 'huame-i.test']],
    ['subdomain', ['hua.mei.test', 'h.uamei.test']],
    ['tld-swap', ['huamei.cn', 'huamei.com.cn', 'huamei.net', 'huamei.shop', 'huamei.top', 'huamei.xyz']],
    ['vowel-swap', ['huomei.test', 'huamai.test', 'hiamei.test']],
    ['bitsquatting', ['iuamei.test', 'huamey.test', 'xuamei.test']],
    ['dictionary', ['huamei-shop.test', 'huameishop.test', 'official-huamei.test']],
  ])('with %s, produces the expected samples', (technique, samples) => {
    const produced = byTechnique(perms, technique);
    for (const sample of samples) expect(produced).toContain(sample);
  });

  it('tags every technique it was asked for', () => {
    expect(new Set(perms.map((p) => p.technique))).toEqual(new Set(PERMUTATION_TECHNIQUES));
  });

  it('returns each host once, never the original, and only valid hostnames', () => {
    const domains = perms.map((p) => p.domain);
    expect(new Set(domains).size).toBe(domains.length);
    expect(domains).not.toContain('huamei.test');
    for (const p of perms) {
      expect(validHostname(p.domain)).toBe(p.domain);
      expect(p.domain).toMatch(/^[a-z0-9.-]+$/);
    }
  });

  it('keeps the Unicode form of IDN homoglyphs beside their punycode', () => {
    const cyrillic = perms.find((p) => p.unicode === 'hu\u0430mei.test');
    expect(cyrillic).toEqual({
      domain: 'xn--humei-5ve.test',
      unicode: 'hu\u0430mei.test',
      technique: 'homoglyph',
    });
  });

  it('varies the registrable label of a multi-label suffix and drops subdomains', () => {
    const cn = generatePermutations('www.huamei.com.cn');
    expect(cn.map((p) => p.domain)).toEqual(
      expect.arrayContaining(['huarnei.com.cn', 'hua-mei.com.cn', 'huamei.shop']),
    );
    expect(cn.some((p) => p.domain.startsWith('www.'))).toBe(false);
    expect(cn.filter((p) => p.technique !== 'tld-swap').every((p) => p.domain.endsWith('.com.cn'))).toBe(
      true,
    );
  });

  it('turns m into rn and vv into w both ways, and 0 into o', () => {
    expect(byTechnique(generatePermutations('vvorld.com'), 'homoglyph')).toEqual(
      expect.arrayContaining(['world.com']),
    );
    expect(byTechnique(generatePermutations('w0rld.com'), 'homoglyph')).toEqual(
      expect.arrayContaining(['world.com']),
    );
    expect(byTechnique(generatePermutations('world.com'), 'homoglyph')).toEqual(
      expect.arrayContaining(['vvorld.com', 'w0rld.com', 'wor1d.com']),
    );
  });

  it('runs only the techniques and TLDs it is given', () => {
    const some = generatePermutations('huamei.test', {
      techniques: ['tld-swap'],
      tlds: ['.cn', 'test', 'xyz'],
    });
    expect(some.map((p) => p.domain)).toEqual(['huamei.cn', 'huamei.xyz']);
  });

  it.each(['', 'localhost', '127.0.0.1', 'not a domain', 'com.cn'])(
    'rejects %p with a clear error',
    (bad) => {
      expect(() => generatePermutations(bad)).toThrow(
        expect.objectContaining({ code: 'LOOKALIKE_BAD_DOMAIN' }),
      );
    },
  );
});

describe('splitDomain', () => {
  it('splits the label from a multi-label public suffix and reads punycode as Unicode', () => {
    expect(splitDomain('Shop.Huamei.com.cn.')).toEqual({
      label: 'huamei',
      suffix: 'com.cn',
      domain: 'huamei.com.cn',
    });
    expect(splitDomain('xn--humei-5ve.test').label).toBe('hu\u0430mei');
  });
});

describe('validHostname', () => {
  it.each(['a_b.test', '-ab.test', 'ab-.test', 'ab--c.test', 'nodot', 'a..b.test'])('refuses %p', (host) => {
    expect(validHostname(host)).toBeUndefined();
  });
});
