import { domainToASCII } from 'node:url';
import { makeOperator } from './operators.js';
import { Rng } from './prng.js';
import type {
  CharsetDeclaration,
  Encoding,
  IdentifierType,
  Lang,
  OperatorTruth,
  RobotsTruth,
  SiteTruth,
  SlotKind,
  Theme,
} from './types.js';
import { ADVERTISERS } from './vocab/ads.js';
import { DISTRICTS, EN_NAME_WORDS, TW_NAME_WORDS, ZH_NAME_WORDS } from './vocab/operators.js';
import { themeWords, themesFor } from './vocab/themes.js';

export const MALL_HOST = 'mall.test';
export const BRAND_HOST = 'huamei.test';
export const SERVICE_HOST = 'fuwu-yun.test';
export const LAB_HOST = 'lab.test';

/** How one shop is set up; the first ten are fixed so every variant exists from `sites ≥ 10`. */
interface ShopPlan {
  lang: Lang;
  encoding: Encoding;
  charsetLabel: string;
  declared: CharsetDeclaration;
  placement: 'self' | 'mall_path' | 'mall_sub';
  theme: Theme;
  missingLicence: boolean;
  invalidUscc: boolean;
}

const plan = (p: Partial<ShopPlan> & Pick<ShopPlan, 'theme'>): ShopPlan => ({
  lang: 'zh-CN',
  encoding: 'utf-8',
  charsetLabel: 'utf-8',
  declared: 'header+meta',
  placement: 'self',
  missingLicence: false,
  invalidUscc: false,
  ...p,
});

const FIXED_PLANS: ShopPlan[] = [
  plan({ theme: 'tea' }),
  plan({ theme: 'health', encoding: 'gbk', charsetLabel: 'GBK', declared: 'header' }),
  plan({ theme: 'cosmetics', encoding: 'gbk', charsetLabel: 'gb2312', declared: 'meta', invalidUscc: true }),
  plan({ theme: 'apparel', placement: 'mall_path' }),
  plan({ theme: 'digital', placement: 'mall_sub' }),
  plan({ theme: 'outdoor', lang: 'en' }),
  plan({ theme: 'pharmacy', encoding: 'gb18030', charsetLabel: 'gb18030', declared: 'http-equiv' }),
  plan({ theme: 'tea', lang: 'zh-TW', encoding: 'big5', charsetLabel: 'big5' }),
  plan({ theme: 'health', lang: 'en', encoding: 'utf-8-bom', charsetLabel: 'utf-8', declared: 'bom' }),
  plan({ theme: 'health', missingLicence: true }),
];

function randomPlan(rng: Rng): ShopPlan {
  const lang: Lang = rng.chance(0.25) ? 'en' : 'zh-CN';
  const theme = rng.pick(Object.keys(themesFor(lang)) as Theme[]);
  const placementRoll = rng.float();
  const placement =
    lang === 'en' || placementRoll < 0.55 ? 'self' : placementRoll < 0.8 ? 'mall_sub' : 'mall_path';
  const gbk = lang === 'zh-CN' && placement === 'self' && rng.chance(0.25);
  return plan({
    lang,
    theme,
    placement,
    encoding: gbk ? 'gbk' : 'utf-8',
    charsetLabel: gbk ? rng.pick(['gbk', 'GBK', 'gb2312']) : 'utf-8',
    declared: gbk
      ? rng.pick<CharsetDeclaration>(['header', 'meta', 'http-equiv', 'header+meta'])
      : 'header+meta',
    missingLicence: rng.chance(0.06),
    invalidUscc: rng.chance(0.1),
  });
}

function makeRobots(rng: Rng, hasSitemap: boolean): RobotsTruth {
  const disallow = ['/cart', '/admin'];
  if (rng.chance(0.5)) disallow.push('/search');
  if (rng.chance(0.3)) disallow.push('/*?sort=');
  return {
    disallow,
    crawl_delay_s: rng.chance(0.25) ? 1 : null,
    sitemaps: hasSitemap ? ['/sitemap.xml'] : [],
  };
}

function footerShows(rng: Rng, op: OperatorTruth, placement: ShopPlan['placement']): IdentifierType[] {
  const shows: IdentifierType[] = [];
  const want = (type: IdentifierType, present: unknown, p: number): void => {
    if (present !== null && present !== undefined && present !== false && rng.chance(p)) shows.push(type);
  };
  const onMall = placement !== 'self';
  want('uscc', op.uscc, onMall ? 1 : 0.5);
  want('icp', op.icp, onMall ? 0 : 1);
  want('licence', op.licences.length > 0 || null, 0.4);
  want('phone', op.phone, 1);
  want('email', op.email, 0.5);
  want('badge', op.badge_url, onMall ? 0 : 0.8);
  return shows;
}

function siteName(lang: Lang, theme: Theme, word: string): string {
  const suffix = themeWords(lang, theme).shopSuffix;
  return lang === 'en' ? `${word} ${suffix}` : `${word}${suffix}`;
}

function shopIdentity(
  index: number,
  shop: ShopPlan,
): Pick<SiteTruth, 'id' | 'host' | 'base_path' | 'platform_host'> {
  const id = `shop-${String(index).padStart(2, '0')}`;
  if (shop.placement === 'mall_path')
    return { id, host: MALL_HOST, base_path: `/store/${id}`, platform_host: MALL_HOST };
  if (shop.placement === 'mall_sub')
    return { id, host: `${id}.${MALL_HOST}`, base_path: '', platform_host: MALL_HOST };
  return { id, host: `${id}.test`, base_path: '', platform_host: null };
}

/** The `turn`-th name word of a language; numbered once the list runs out (锦程2, …). */
function nameWord(lang: Lang, turn: number): string {
  const words = lang === 'en' ? EN_NAME_WORDS : lang === 'zh-TW' ? TW_NAME_WORDS : ZH_NAME_WORDS;
  const word = words[turn % words.length] ?? '';
  return turn < words.length ? word : `${word}${Math.floor(turn / words.length) + 1}`;
}

function buildShop(seed: number, index: number, shop: ShopPlan, nameTurn: number): SiteTruth {
  const rng = Rng.derive(seed, 'shop', index);
  const identity = shopIdentity(index, shop);
  const word = nameWord(shop.lang, nameTurn);
  const name = shop.missingLicence ? `${word}小铺` : siteName(shop.lang, shop.theme, word);
  const operator = makeOperator(rng, {
    lang: shop.lang,
    theme: shop.theme,
    // Only the e-mail uses it: a shop under a mall path gets its own mailbox name.
    host: identity.base_path ? `${identity.id}.${MALL_HOST}` : identity.host,
    word: shop.missingLicence ? name : word,
    missing: shop.missingLicence,
    invalidUscc: shop.invalidUscc,
  });
  const slots: SlotKind[] = ['banner', 'sponsored_listing', 'popup', 'iframe', 'script'];
  return orderSite({
    ...identity,
    unicode_host: null,
    name,
    lang: shop.lang,
    encoding: shop.encoding,
    charset_label: shop.charsetLabel,
    charset_declared: shop.declared,
    compression: rng.pick(['gzip', 'br', null] as const),
    type: shop.placement === 'self' ? 'self_run' : 'platform_shop',
    theme: shop.theme,
    lookalike_of: null,
    lookalike_technique: null,
    operator,
    footer_shows: footerShows(rng, operator, shop.placement),
    robots: shop.placement === 'mall_path' ? null : makeRobots(rng, index === 0 || rng.chance(0.9)),
    sitemap: null,
    markup: { jsonld: rng.chance(0.6), microdata: rng.chance(0.6), absolute_links: rng.chance(0.3) },
    ad_slots: shop.encoding === 'big5' ? ['iframe'] : rng.sample(slots, rng.int(2, 5)),
    violations: shop.missingLicence ? ['missing_licence'] : [],
    seed: true,
    page_count: 0,
  });
}

/** The shops: fixed variants first, then seeded random ones. */
export function buildShops(seed: number, count: number): SiteTruth[] {
  const rng = Rng.derive(seed, 'plans');
  const shops: SiteTruth[] = [];
  const turns = new Map<Lang, number>();
  for (let i = 0; i < count; i++) {
    const shopPlan = FIXED_PLANS[i] ?? randomPlan(rng);
    const turn = turns.get(shopPlan.lang) ?? 0;
    turns.set(shopPlan.lang, turn + 1);
    const shop = buildShop(seed, i, shopPlan, turn);
    shop.sitemap = shop.robots && shop.robots.sitemaps.length > 0 ? 'urlset' : null;
    shops.push(shop);
  }
  return shops;
}

/** Fields shared by the fixed, non-shop sites. */
export function fixedSite(
  partial: Pick<SiteTruth, 'id' | 'host' | 'name' | 'type' | 'operator'> & Partial<SiteTruth>,
): SiteTruth {
  const site: SiteTruth = {
    unicode_host: null,
    base_path: '',
    lang: 'zh-CN',
    encoding: 'utf-8',
    charset_label: 'utf-8',
    charset_declared: 'header+meta',
    compression: 'gzip',
    theme: null,
    platform_host: null,
    lookalike_of: null,
    lookalike_technique: null,
    footer_shows: ['uscc', 'icp', 'phone', 'badge'],
    robots: { disallow: ['/cart', '/admin'], crawl_delay_s: null, sitemaps: ['/sitemap.xml'] },
    sitemap: 'urlset',
    markup: { jsonld: true, microdata: true, absolute_links: false },
    ad_slots: [],
    violations: [],
    seed: true,
    page_count: 0,
    ...partial,
  };
  return orderSite(site);
}

/** Same record with keys in schema order (id and host first), so the JSON reads well. */
export function orderSite(site: SiteTruth): SiteTruth {
  const { id, host, unicode_host, base_path, name, type, lang, encoding, ...rest } = site;
  return { id, host, unicode_host, base_path, name, type, lang, encoding, ...rest };
}

const hangzhou = (code: string) => DISTRICTS.find((d) => d.code === code);

/** The marketplace, the service provider, the lab and the advertisers' landing sites. */
export function buildPlatformSites(seed: number): SiteTruth[] {
  const rng = Rng.derive(seed, 'platform-sites');
  const op = (host: string, word: string, industry: string, lang: Lang = 'zh-CN'): OperatorTruth =>
    makeOperator(rng, { lang, theme: null, host, word, industry, missing: false, invalidUscc: false });
  const mallOperator = op(MALL_HOST, '好物', '网络科技', 'zh-CN');
  mallOperator.licences.push({
    kind: 'telecom_b2',
    label: '增值电信业务经营许可证',
    number: `浙B2-20${rng.digits(6)}`,
  });
  mallOperator.badge_url = `https://zzlz.gsxt.gov.cn/businessCheck/verifyBusinessLicence?serial=${mallOperator.uscc}`;
  const mall = fixedSite({
    id: 'mall',
    host: MALL_HOST,
    name: '好物商城',
    type: 'platform',
    operator: mallOperator,
    footer_shows: ['icp', 'licence', 'phone', 'badge'],
    robots: {
      disallow: ['/cart', '/admin', '/store/*/cart', '/store/*/admin'],
      crawl_delay_s: null,
      sitemaps: ['/sitemap.xml'],
    },
    sitemap: 'index',
    ad_slots: ['banner', 'sponsored_listing'],
  });
  const service = fixedSite({
    id: 'fuwu-yun',
    host: SERVICE_HOST,
    name: '服务云电商SaaS',
    type: 'service_provider',
    operator: op(SERVICE_HOST, '服务云', '信息技术'),
  });
  const lab = fixedSite({
    id: 'lab',
    host: LAB_HOST,
    name: 'Argus demo lab',
    lang: 'en',
    type: 'lab',
    operator: op(LAB_HOST, 'Lab', 'Testing', 'en'),
    footer_shows: [],
    robots: { disallow: ['/private'], crawl_delay_s: null, sitemaps: [] },
    sitemap: null,
    seed: false,
  });
  return [mall, service, lab, ...ADVERTISERS.map((a) => advertiserSite(rng, a))];
}

function advertiserSite(rng: Rng, advertiser: (typeof ADVERTISERS)[number]): SiteTruth {
  const id = advertiser.host.replace(/\.test$/, '');
  const operator = makeOperator(rng, {
    lang: advertiser.lang,
    theme: null,
    host: advertiser.host,
    word: advertiser.name,
    industry: advertiser.lang === 'en' ? 'Marketing' : '',
    missing: false,
    invalidUscc: false,
    district: hangzhou('330108'),
  });
  return fixedSite({
    id,
    host: advertiser.host,
    name: advertiser.name,
    lang: advertiser.lang,
    type: 'advertiser',
    operator,
    footer_shows: advertiser.lang === 'en' ? ['phone'] : ['icp', 'phone'],
    robots: { disallow: [], crawl_delay_s: null, sitemaps: [] },
    sitemap: null,
    seed: false,
  });
}

/** The protected brand and its lookalikes (typo, hyphen, suffix, punycode homoglyph). */
export function buildBrandSites(seed: number): SiteTruth[] {
  const rng = Rng.derive(seed, 'brand');
  const brandOperator = makeOperator(rng, {
    lang: 'zh-CN',
    theme: 'cosmetics',
    host: BRAND_HOST,
    word: '华美',
    missing: false,
    invalidUscc: false,
    district: hangzhou('330106'),
  });
  brandOperator.badge_url = `https://zzlz.gsxt.gov.cn/businessCheck/verifyBusinessLicence?serial=${brandOperator.uscc}`;
  const brand = fixedSite({
    id: 'huamei',
    host: BRAND_HOST,
    name: '华美化妆品官方商城',
    type: 'brand',
    theme: 'cosmetics',
    operator: brandOperator,
  });
  const homoglyph = 'hu\u0430mei.test';
  const looks: Array<[string, string | null, NonNullable<SiteTruth['lookalike_technique']>]> = [
    ['huarnei.test', null, 'typo_rn_m'],
    ['hua-mei.test', null, 'hyphen'],
    ['huamei-shop.test', null, 'suffix'],
    [domainToASCII(homoglyph), homoglyph, 'homoglyph_punycode'],
  ];
  return [
    brand,
    ...looks.map(([host, unicode, technique], i) => lookalike(rng, brand, host, unicode, technique, i)),
  ];
}

function lookalike(
  rng: Rng,
  brand: SiteTruth,
  host: string,
  unicodeHost: string | null,
  technique: NonNullable<SiteTruth['lookalike_technique']>,
  index: number,
): SiteTruth {
  const missing = technique === 'typo_rn_m';
  const operator: OperatorTruth =
    technique === 'homoglyph_punycode'
      ? { ...brand.operator, email: `service@${host}` }
      : makeOperator(rng, {
          lang: 'zh-CN',
          theme: 'cosmetics',
          host,
          word: missing ? '华美正品特卖' : (['美华', '华媚'][index % 2] ?? '美华'),
          missing,
          invalidUscc: technique === 'hyphen',
        });
  return fixedSite({
    id: `lookalike-${index + 1}`,
    host,
    unicode_host: unicodeHost,
    name: technique === 'suffix' ? '华美官方正品商城' : '华美化妆品官方商城',
    type: 'lookalike',
    theme: 'cosmetics',
    lookalike_of: brand.host,
    lookalike_technique: technique,
    operator,
    footer_shows: missing
      ? ['phone']
      : technique === 'homoglyph_punycode'
        ? brand.footer_shows
        : ['uscc', 'phone'],
    ad_slots: ['banner', 'popup'],
    compression: null,
    violations: missing ? ['missing_licence'] : [],
  });
}
