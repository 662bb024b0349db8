import { Rng } from '../prng.js';
import type { Lang, PageTruth, SiteTruth } from '../types.js';

/**
 * Product copy is derived on request from (seed, catalogue, product number), so the model stays
 * small; lookalikes share the brand's catalogue and therefore its copy word for word. None of
 * these words carry a violation term: violations live only in a page's `claim`.
 */
const TEMPLATES: Record<
  Lang,
  { sentences: string[]; scenes: string[]; features: string[]; origins: string[] }
> = {
  'zh-CN': {
    sentences: [
      '{name}选用优质原料，严格品控，每批次都经过检验。',
      '规格：{spec}。{origin}仓发货，下单后48小时内发出。',
      '适合{scene}使用，{feature}。',
      '支持七天无理由退换货，满99元包邮。',
      '温馨提示：请存放于阴凉干燥处，开封后尽快使用。',
    ],
    scenes: ['日常', '办公', '家庭', '送礼', '出行'],
    features: ['做工细致', '手感舒适', '简约大方', '经久耐用', '清香回甘'],
    origins: ['杭州', '宁波', '金华', '嘉兴', '绍兴'],
  },
  'zh-TW': {
    sentences: [
      '{name}嚴選優質原料，每批次皆經檢驗。',
      '規格：{spec}。{origin}倉庫出貨，下單後兩日內寄出。',
      '適合{scene}品飲，{feature}。',
      '滿NT$1,500免運費。',
    ],
    scenes: ['日常', '辦公', '送禮'],
    features: ['清香回甘', '韻味悠長', '茶湯清澈'],
    origins: ['台北', '台中', '南投'],
  },
  en: {
    sentences: [
      '{name} is made from carefully selected materials and checked batch by batch.',
      'Size: {spec}. Ships from our {origin} warehouse within 2 business days.',
      'Great for {scene} use; {feature}.',
      'Free returns within 30 days.',
    ],
    scenes: ['everyday', 'office', 'family', 'travel'],
    features: ['neat stitching', 'comfortable to hold', 'easy to clean', 'built to last'],
    origins: ['Hangzhou', 'Ningbo', 'Shenzhen'],
  },
};

/** Catalogue key: lookalikes share the brand's. */
export function catalogKey(site: SiteTruth): string {
  return site.lookalike_of ?? `${site.host}${site.base_path}`;
}

export function productDescription(seed: number, site: SiteTruth, page: PageTruth): string[] {
  const t = TEMPLATES[site.lang];
  const rng = Rng.derive(seed, 'copy', catalogKey(site), page.product?.no ?? 0);
  const name = page.product?.name ?? page.title;
  const spec = name.split(site.lang === 'en' ? ', ' : ' ').pop() ?? '';
  return t.sentences.map((s) =>
    s
      .replace('{name}', name)
      .replace('{spec}', spec)
      .replace('{scene}', rng.pick(t.scenes))
      .replace('{feature}', rng.pick(t.features))
      .replace('{origin}', rng.pick(t.origins)),
  );
}
