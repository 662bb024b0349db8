import type { Lang, ViolationType } from '../types.js';

/** A violation term and sentences that carry it. */
export interface ClaimWords {
  term: string;
  phrases: string[];
}

/** Advertising Law Art. 9(3) absolute terms (国家级, 最高级, 最佳, …) with phrases using them. */
export const ABSOLUTE_CLAIMS: Record<Lang, ClaimWords[]> = {
  'zh-CN': [
    { term: '国家级', phrases: ['荣获国家级金奖', '国家级品质认证'] },
    { term: '最高级', phrases: ['采用最高级工艺'] },
    { term: '最佳', phrases: ['口感最佳', '效果最佳'] },
    { term: '第一', phrases: ['全国销量第一', '行业第一品牌'] },
    { term: '顶级', phrases: ['顶级原料', '顶级工艺'] },
    { term: '极品', phrases: ['极品好货', '极品珍藏'] },
    { term: '唯一', phrases: ['唯一指定供应商'] },
    { term: '首个', phrases: ['国内首个获得专利的产品'] },
  ],
  'zh-TW': [
    { term: '國家級', phrases: ['榮獲國家級金獎'] },
    { term: '頂級', phrases: ['頂級高山茶'] },
    { term: '極品', phrases: ['極品好茶'] },
    { term: '第一', phrases: ['銷量第一'] },
    { term: '最佳', phrases: ['口感最佳'] },
    { term: '唯一', phrases: ['唯一指定茶園'] },
  ],
  en: [
    { term: 'best in the world', phrases: ['Simply the best in the world'] },
    { term: 'No.1', phrases: ['No.1 choice of our customers', 'Rated No.1 in its class'] },
  ],
};

/** False health or medical claims (治愈, 根治, 无副作用, 包治百病, "cures cancer"). */
export const HEALTH_CLAIMS: Record<Lang, ClaimWords[]> = {
  'zh-CN': [
    { term: '治愈', phrases: ['三天治愈失眠'] },
    { term: '根治', phrases: ['根治高血压', '根治胃病'] },
    { term: '无副作用', phrases: ['纯天然无副作用'] },
    { term: '包治百病', phrases: ['祖传配方包治百病'] },
  ],
  'zh-TW': [
    { term: '治癒', phrases: ['治癒失眠'] },
    { term: '根治', phrases: ['根治三高'] },
    { term: '無副作用', phrases: ['天然無副作用'] },
  ],
  en: [
    { term: 'cures cancer', phrases: ['Clinically shown: cures cancer'] },
    { term: 'no side effects', phrases: ['Natural formula, no side effects'] },
  ],
};

/** The "lowest price on the whole web" claim of a misleading price, and the absolute term inside it. */
export const LOWEST_PRICE_CLAIM: Record<Lang, { phrase: string; absoluteTerm: string | null }> = {
  'zh-CN': { phrase: '全网最低价', absoluteTerm: '全网最低' },
  'zh-TW': { phrase: '全網最低價', absoluteTerm: '全網最低' },
  en: { phrase: 'Lowest price online', absoluteTerm: null },
};

/** Every term a page or creative may carry, by violation type (for scanning rendered text). */
export function allTerms(type: Exclude<ViolationType, 'missing_licence'>): string[] {
  const langs: Lang[] = ['zh-CN', 'zh-TW', 'en'];
  if (type === 'ad_law_absolute') {
    return [
      ...new Set(
        langs.flatMap((lang) => [
          ...ABSOLUTE_CLAIMS[lang].map((claim) => claim.term),
          ...(LOWEST_PRICE_CLAIM[lang].absoluteTerm ? [LOWEST_PRICE_CLAIM[lang].absoluteTerm] : []),
        ]),
      ),
    ];
  }
  if (type === 'false_health_claim') {
    return [...new Set(langs.flatMap((lang) => HEALTH_CLAIMS[lang].map((claim) => claim.term)))];
  }
  return langs.map((lang) => LOWEST_PRICE_CLAIM[lang].phrase);
}
