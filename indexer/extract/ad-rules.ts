/**
 * Ad detection rules: what counts as evidence that a creative on a page is an advertisement.
 *
 * SCORING (one creative = a link, an iframe or an image in an ad slot; each rule counts once):
 *
 *   rule             weight  fires when
 *   ad-network          3    the click URL, image, iframe or a marker (adsbygoogle, data-ad-client)
 *                            belongs to a known ad network (googlesyndication, doubleclick, pos.baidu.com,
 *                            cpro.baidu.com, tanx, gdt.qq.com…)
 *   ad-label            3    a label 广告 / Ad / Ads / Advertisement sits in the creative or near it
 *                            (its own text node, alt, title or aria-label, within 3 levels up)
 *   sponsored-label     3    same with 推广 / 赞助 / Sponsored / Promoted (traditional 廣告, 推廣, 贊助 too)
 *   rel-sponsored       3    the link has rel="sponsored"
 *   ad-url              2    a generic ad host or path: a host label ad/ads/adserver/adx/union/pagead…,
 *                            or a path segment /ad/ /ads/ /adserver/ /advert… in href or src
 *   ad-token            2    the creative or an ancestor (holding ≤ 12 creatives) has a class/id token
 *                            ad, ads, advert, advertisement, sponsor(ed), banner-ad, 广告… (whole
 *                            tokens: "head", "shadow", "download", "add" never match)
 *   data-ad             2    the creative or such an ancestor has data-ad-* / data-ads / data-advert…
 *   off-site            1    the landing is another registered domain, and the creative is an image
 *                            or short text (≤ 80 chars)
 *   off-site-image      1    off-site and the creative shows an image
 *   ad-size             1    an iframe/image of a standard IAB size (300x250, 728x90… by attributes,
 *                            style or a `728x90` in the file name)
 *   popup               1    inside a pop-up/modal/floating container (role=dialog, aria-modal,
 *                            position:fixed, tokens popup/modal/dialog/overlay/float/lightbox)
 *   iframe              1    the creative is an iframe
 *
 * Creatives of one slot (the nearest marked ancestor) that share a landing URL are merged first (an
 * image link and a title link are one ad) and scored on the union of their signals.
 * A creative is an ad when its score is ≥ 3 (AD_THRESHOLD) and no veto applies:
 *   - trust-badge: the landing is a government or licence/filing/badge site (*.gov.cn,
 *     beian.miit.gov.cn, gsxt, 12315, knet.cn…) or its text says 备案/营业执照/亮照/举报/公安…;
 *   - share-button: a social share endpoint, or inside a share/social widget;
 *   - navigation: inside nav/menus;
 *   - on-site promotion: the landing is on the page's own registered domain (or unknown) and
 *     none of ad-network, ad-label, sponsored-label, rel-sponsored fired (iframes exempt: their
 *     landing is unknown, their source says enough).
 * So an off-site partner/friend link alone scores 1–2 and is not an ad; the same link inside a
 * `div.ad` scores 3–4 and is; a marketplace item marked 推广 is one (3) though it stays on-site;
 * a 双11 banner linking to /sale in `div.banner-ad` is not (on-site, no label).
 */
import { detach } from '../../core/strings.js';
import { registeredDomain } from './url.js';

export const AD_THRESHOLD = 3;

export const weights = {
  'ad-network': 3,
  'ad-label': 3,
  'sponsored-label': 3,
  'rel-sponsored': 3,
  'ad-url': 2,
  'ad-token': 2,
  'data-ad': 2,
  'off-site': 1,
  'off-site-image': 1,
  'ad-size': 1,
  popup: 1,
  iframe: 1,
} as const;

export type AdSignal = keyof typeof weights;

/** Signals strong enough to make an on-site creative an ad. */
export const onSiteSignals: readonly AdSignal[] = [
  'ad-network',
  'ad-label',
  'sponsored-label',
  'rel-sponsored',
];

export function scoreOf(signals: Iterable<AdSignal>): number {
  let score = 0;
  for (const signal of new Set(signals)) score += weights[signal];
  return score;
}

const knownNetworks: { host: RegExp; network: string }[] = [
  {
    host: /(^|\.)(googlesyndication|googleadservices|googletagservices|doubleclick)\.(com|net)$/,
    network: 'google',
  },
  { host: /(^|\.)adservice\.google\.[a-z.]+$/, network: 'google' },
  { host: /^(pos|cpro|cbjs|union|eiv|dup|ubmcmm|wn|nsclick|cpu)\.baidu(static)?\.com$/, network: 'baidu' },
  { host: /(^|\.)(tanx|alimama)\.com$/, network: 'alimama' },
  { host: /^(gdt|e|adsmind)\.qq\.com$/, network: 'tencent' },
  {
    host: /(^|\.)(pangolin-sdk-toutiao|pglstatp-toutiao)\.com$|^ad\.oceanengine\.com$/,
    network: 'bytedance',
  },
  { host: /(^|\.)(mediav\.com|lianmeng\.360\.cn)$/, network: '360' },
  { host: /^union\.sogou\.com$/, network: 'sogou' },
  { host: /(^|\.)amazon-adsystem\.com$/, network: 'amazon' },
  {
    host: /(^|\.)(criteo\.(com|net)|taboola\.com|outbrain\.com|adnxs\.com|pubmatic\.com|rubiconproject\.com)$/,
    network: 'other',
  },
];

/** Known ad network of a host (`google`, `baidu`, `alimama`…), or null. */
export function knownNetwork(host: string): string | null {
  for (const { host: pattern, network } of knownNetworks) {
    if (pattern.test(host)) return network === 'other' ? registeredDomain(host) : network;
  }
  return null;
}

const adHostLabel =
  /^(ad|ads|adserver|adservice|adsrv|adx|adnet|adnetwork|adsystem|pagead|union|advert|adverts|adclick)\d*$/;

/** A generic ad host: a label (not the registrable name itself) such as `ads.`, `adserver.`, `union.`. */
export function isGenericAdHost(host: string): boolean {
  const domain = registeredDomain(host);
  const sub = host.endsWith(`.${domain}`) ? host.slice(0, -domain.length - 1) : '';
  const labels = sub === '' ? [] : sub.split('.');
  const registrable = domain.split('.')[0] ?? '';
  return (
    labels.some((label) => adHostLabel.test(label)) || /^(adserver|adnet|adsystem|adx)$/.test(registrable)
  );
}

const adPath =
  /(?:^|\/)(?:ads?|adserver|adserve|advert|adverts|advertising|advertisement|adclick|adview|adframe|aclk|clk|guanggao)(?:[/._-]|$)/i;

/** A generic ad path segment (`/ads/`, `/ad/banner.jpg`, `/adserver/`), not `/download/` or `/head/`. */
export function hasAdPath(url: URL): boolean {
  return adPath.test(url.pathname);
}

const adTokens = new Set([
  'ad', 'ads', 'advert', 'adverts', 'advertisement', 'advertisements', 'advertising', 'sponsor',
  'sponsors', 'sponsored', 'banner-ad', 'ad-banner', 'adbox', 'adslot', 'adunit', 'adsense',
  'adsbygoogle', '广告', '廣告', 'guanggao',
]); // prettier-ignore

/** Class/id tokens that name an ad slot (see `nameTokens` for the splitting). */
export function isAdToken(token: string): boolean {
  return (
    adTokens.has(token) ||
    /^ads?\d+$|^ad_?\d+x\d+$/.test(token) ||
    /^ads?(?:box|slot|unit|zone|space|wrap|wrapper|container|frame|block|area|net|banner|link|links|text|tag|label)s?$/.test(
      token,
    )
  );
}

const popupTokens = new Set([
  'popup', 'pop-up', 'popups', 'modal', 'dialog', 'overlay', 'lightbox', 'float', 'floating',
  'float-layer', 'interstitial', 'piaofu',
]); // prettier-ignore

export function isPopupToken(token: string): boolean {
  return popupTokens.has(token);
}

export const shareTokens = new Set([
  'share',
  'sharing',
  'social',
  'sns',
  'bdshare',
  'jiathis',
  'bshare',
  'addthis',
]);

/** `data-ad-*`, `data-ads`, `data-advert…`, `data-sponsor…`, `data-adid`, not `data-adaptive`. */
export function isAdDataAttribute(name: string): boolean {
  return /^data-(?:ads?(?:-|$)|advert|sponsor|ad(?:id|slot|unit|zone|client|network)$)/.test(name);
}

const adLabels = new Set([
  '广告',
  '廣告',
  'ad',
  'ads',
  'advertisement',
  'advertising',
  'anzeige',
  'publicité',
]);
const sponsoredLabels = new Set([
  '推广', '赞助', '赞助商', '赞助商链接', '推广链接', '商业推广', '推廣', '贊助', '贊助商', 'sponsored', 'sponsored link',
  'sponsored links', 'sponsored by', 'promoted', 'promoted by', 'paid content',
]); // prettier-ignore

/**
 * Whether a short text is an ad label: `广告`, `Ad`, `Sponsored`, `[推广]`, `广告 ×`, `Ad · shop.com`.
 * Returns which kind of label, or null.
 */
export function labelKind(text: string): LabelKind | null {
  if (text.length > 60) return null;
  // Short texts (menu items, prices, labels) repeat on every page of a site.
  let kind = labelKinds.get(text);
  if (kind === undefined) {
    if (labelKinds.size >= 10_000) labelKinds.clear();
    kind = computeLabelKind(text);
    labelKinds.set(detach(text), kind);
  }
  return kind;
}

type LabelKind = 'ad-label' | 'sponsored-label';
const labelKinds = new Map<string, LabelKind | null>();

function computeLabelKind(text: string): LabelKind | null {
  const clean = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s[\]()【】<>|·•×✕✖:_-]+/g, ' ')
    .trim();
  const head = /^([^·•|]+?)(?:\s*[·•|]\s*.*)?$/.exec(text.normalize('NFKC').toLowerCase())?.[1]?.trim() ?? '';
  for (const candidate of [clean, head.replace(/[[\]()【】]/g, '').trim()]) {
    if (adLabels.has(candidate)) return 'ad-label';
    if (sponsoredLabels.has(candidate)) return 'sponsored-label';
  }
  return null;
}

const iabSizes = new Set([
  '728x90', '970x90', '970x250', '300x250', '336x280', '300x600', '160x600', '120x600', '468x60',
  '320x50', '320x100', '250x250', '300x100', '640x100', '960x90', '1000x90',
]); // prettier-ignore

export function isIabSize(width: number, height: number): boolean {
  return iabSizes.has(`${width}x${height}`);
}

/** IAB size from a file name such as `banner_728x90.jpg`. */
export function iabSizeInUrl(url: string): boolean {
  for (const m of url.matchAll(/(?<!\d)(\d{2,4})[x×*](\d{2,4})(?!\d)/g)) {
    if (isIabSize(Number(m[1]), Number(m[2]))) return true;
  }
  return false;
}

const trustHosts =
  /(^|\.)(gov\.cn|gov|gov\.hk|gov\.uk|gsxt\.gov\.cn|beian\.gov\.cn|12315\.cn|12377\.cn|12321\.cn|cyberpolice\.cn|knet\.cn|cnnic\.cn|cnnic\.net\.cn|itrust\.org\.cn|isc\.org\.cn|szfw\.org|315\.gov\.cn|cecdc\.com)$/;
const trustWords =
  /备案|营业执照|电子执照|亮照|举报|公安|网警|网络警察|可信网站|诚信网站|经营性网站|工商|网监|ICP备|经营许可证/i;

/** Government, filing, licence-badge and complaint sites (and creatives that say they are). */
export function isTrustBadge(host: string | null, text: string): boolean {
  if (host !== null && trustHosts.test(host)) return true;
  return text.length <= 40 && trustWords.test(text);
}

const socialHosts =
  /(^|\.)(weibo\.com|qq\.com|facebook\.com|twitter\.com|x\.com|linkedin\.com|pinterest\.com|reddit\.com|whatsapp\.com|wa\.me|t\.me|telegram\.me|douban\.com|renren\.com|vk\.com|line\.me)$/;
const sharePath = /share|sharer|intent\/tweet|submit|qzshare|pin\/create|\/send/i;

/** A social network's share endpoint (weibo share, qzone, facebook sharer, twitter intent…). */
export function isShareEndpoint(url: URL): boolean {
  return socialHosts.test(url.hostname) && sharePath.test(`${url.pathname}${url.search}`);
}

const clickParams = [
  'adurl',
  'url',
  'u',
  'dest',
  'dest_url',
  'desturl',
  'target',
  'to',
  'redirect',
  'redirect_url',
  'landing',
  'land',
  'goto',
  'jump',
  'link',
];

/** The advertiser URL carried by a click tracker (`…/aclk?adurl=https://…`), or null. */
export function landingFromClickUrl(url: URL, trackerLike: boolean): string | null {
  for (const name of clickParams) {
    if (!trackerLike && name !== 'adurl') continue;
    const value = url.searchParams.get(name);
    if (value === null || !/^https?:\/\//i.test(value)) continue;
    try {
      const landing = new URL(value);
      landing.hash = '';
      return landing.href;
    } catch {
      continue;
    }
  }
  return null;
}
