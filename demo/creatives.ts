import { Rng } from './prng.js';
import type { AdTruth, Lang, SlotKind } from './types.js';
import { portFreeUrl } from './urls.js';
import { ADVERTISERS, AD_NETWORK_HOST } from './vocab/ads.js';

export const SLOT_KINDS: readonly SlotKind[] = ['banner', 'sponsored_listing', 'popup', 'iframe', 'script'];

/**
 * The ad creatives. Kinds and languages rotate so the first ten cover every (language, slot)
 * pair, advertisers rotate within a language; about 45% of the creatives of advertisers that have violating copy carry violations.
 */
export function buildCreatives(seed: number, count: number): AdTruth[] {
  const rng = Rng.derive(seed, 'creatives');
  const ads: AdTruth[] = [];
  const turns = new Map<Lang, number>();
  for (let i = 0; i < count; i++) {
    const slot = SLOT_KINDS[i % SLOT_KINDS.length] ?? 'banner';
    const lang: Lang = Math.floor(i / SLOT_KINDS.length) % 2 === 0 ? 'zh-CN' : 'en';
    const advertisers = ADVERTISERS.filter((a) => a.lang === lang);
    const turn = turns.get(lang) ?? 0;
    turns.set(lang, turn + 1);
    // Advertisers take turns, so every category has creatives once there are 13 or more.
    const advertiser = advertisers[turn % advertisers.length] ?? rng.pick(advertisers);
    const violating = advertiser.violating.length > 0 && rng.chance(0.45);
    const words = rng.pick(violating ? advertiser.violating : advertiser.clean);
    const id = `ad-${String(i + 1).padStart(4, '0')}`;
    const landingPath = `/lp/${id}`;
    ads.push({
      id,
      advertiser: advertiser.name,
      lang,
      category: advertiser.category,
      slot_kind: slot,
      text: words.text,
      image_alt: words.alt,
      image_src: portFreeUrl(AD_NETWORK_HOST, `/img/${id}.png`),
      landing_url: `${portFreeUrl(advertiser.host, landingPath)}?utm_source=adnet&utm_campaign=${id}`,
      landing_host: advertiser.host,
      landing_path: landingPath,
      violations: words.violations.map((v) => ({ type: v.type, terms: [...v.terms] })),
      shown_on: 0,
    });
  }
  return ads;
}

/** Creatives by `lang|slot` for picking; the zh-TW site takes zh-CN iframes (served in UTF-8 by the network). */
export function creativePools(ads: readonly AdTruth[]): Map<string, AdTruth[]> {
  const pools = new Map<string, AdTruth[]>();
  for (const ad of ads) {
    const key = `${ad.lang}|${ad.slot_kind}`;
    pools.set(key, [...(pools.get(key) ?? []), ad]);
  }
  return pools;
}
