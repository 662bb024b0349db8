import { Rng } from './prng.js';
import type { NegativeTruth, PageKind, PageTruth, SiteTruth } from './types.js';
import { portFreeUrl } from './urls.js';
import { LABELS } from './vocab/labels.js';

export const ICP_RECORD_URL = 'https://beian.miit.gov.cn/';
/** Share endpoints (the page URL is appended as `?url=`); the ground truth lists them without query. */
export const SHARE_LINKS: Record<'zh' | 'tw' | 'en', Array<{ href: string; text: string }>> = {
  zh: [
    { href: 'https://service.weibo.com/share/share.php', text: '微博' },
    { href: 'https://sns.qzone.qq.com/cgi-bin/qzshare/cgi_qzshare_onekey', text: 'QQ空间' },
  ],
  tw: [
    { href: 'https://service.weibo.com/share/share.php', text: '微博' },
    { href: 'https://www.facebook.com/sharer/sharer.php', text: 'Facebook' },
  ],
  en: [
    { href: 'https://twitter.com/intent/tweet', text: 'Twitter' },
    { href: 'https://www.facebook.com/sharer/sharer.php', text: 'Facebook' },
  ],
};

function shareKey(site: SiteTruth): keyof typeof SHARE_LINKS {
  return site.lang === 'en' ? 'en' : site.lang === 'zh-TW' ? 'tw' : 'zh';
}

const SHOP_TYPES = new Set<SiteTruth['type']>(['self_run', 'platform_shop', 'brand', 'lookalike']);

function footerNegatives(site: SiteTruth, platform: SiteTruth | null, kinds: PageKind[]): NegativeTruth[] {
  const out: NegativeTruth[] = [];
  for (const owner of platform ? [site, platform] : [site]) {
    const shows = owner.footer_shows;
    if (shows.includes('icp') && owner.operator.icp) {
      out.push({
        kind: 'gov_link',
        site: site.id,
        href: ICP_RECORD_URL,
        text: owner.operator.icp,
        page_kinds: kinds,
      });
    }
    if (shows.includes('badge') && owner.operator.badge_url) {
      const text = LABELS[owner.lang].icpBadgeAlt;
      out.push({
        kind: 'licence_badge',
        site: site.id,
        href: owner.operator.badge_url,
        text,
        page_kinds: kinds,
      });
    }
  }
  return out;
}

function shopNegatives(
  seed: number,
  site: SiteTruth,
  pages: PageTruth[],
  others: SiteTruth[],
): NegativeTruth[] {
  const out: NegativeTruth[] = [];
  const firstCategory = pages.find((p) => p.kind === 'category');
  if (firstCategory) {
    const text = LABELS[site.lang].promo;
    out.push({
      kind: 'onsite_promo',
      site: site.id,
      href: portFreeUrl(site.host, firstCategory.path),
      text,
      page_kinds: ['home'],
    });
  }
  const rng = Rng.derive(seed, 'friends', site.id);
  // Big5 cannot encode simplified names, so the zh-TW shop links only to sites it can name.
  const candidates = others.filter(
    (o) => o.id !== site.id && o.seed && (site.lang !== 'zh-TW' || o.lang !== 'zh-CN'),
  );
  for (const friend of rng.sample(candidates, 3)) {
    const href = portFreeUrl(friend.host, `${friend.base_path}/`);
    out.push({ kind: 'friend_link', site: site.id, href, text: friend.name, page_kinds: ['home'] });
  }
  for (const share of SHARE_LINKS[shareKey(site)]) {
    out.push({
      kind: 'social_share',
      site: site.id,
      href: share.href,
      text: share.text,
      page_kinds: ['product'],
    });
  }
  return out;
}

/**
 * Links that look like ads to a naive detector but are not: on-site promotions, footer links
 * to government record and licence sites, friend links without an ad label, share buttons.
 */
export function buildNegatives(
  seed: number,
  sites: readonly SiteTruth[],
  pagesBySite: ReadonlyMap<string, PageTruth[]>,
  platformOf: (site: SiteTruth) => SiteTruth | null,
): NegativeTruth[] {
  const out: NegativeTruth[] = [];
  const friendly = sites.filter((s) => SHOP_TYPES.has(s.type) && s.type !== 'lookalike');
  for (const site of sites) {
    const pages = pagesBySite.get(site.id) ?? [];
    const kinds = [...new Set(pages.map((p) => p.kind))];
    out.push(...footerNegatives(site, platformOf(site), kinds));
    if (SHOP_TYPES.has(site.type)) out.push(...shopNegatives(seed, site, pages, friendly));
    if (site.type === 'platform') {
      const text = '店铺大全 新店入驻享流量扶持';
      out.push({
        kind: 'onsite_promo',
        site: site.id,
        href: portFreeUrl(site.host, '/shops'),
        text,
        page_kinds: ['home'],
      });
    }
  }
  return out;
}
