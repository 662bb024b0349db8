import type { AdCategory, Lang, ViolationTruth } from '../types.js';

/** One creative text an advertiser may run, with the violations it carries. */
export interface CreativeWords {
  text: string;
  alt: string;
  violations: ViolationTruth[];
}

/** An advertiser: its landing domain (never a shop's own), category and creatives. */
export interface AdvertiserWords {
  host: string;
  name: string;
  lang: Lang;
  category: AdCategory;
  clean: CreativeWords[];
  violating: CreativeWords[];
}

const abs = (...terms: string[]): ViolationTruth => ({ type: 'ad_law_absolute', terms });
const health = (...terms: string[]): ViolationTruth => ({ type: 'false_health_claim', terms });
const c = (text: string, alt: string, ...violations: ViolationTruth[]): CreativeWords => ({
  text,
  alt,
  violations,
});

export const ADVERTISERS: AdvertiserWords[] = [
  {
    host: 'kangjian-yp.test',
    name: '康健大药房',
    lang: 'zh-CN',
    category: 'medical',
    clean: [c('康健大药房 正规药品 执业药师在线咨询', '康健大药房'), c('慢病用药 满99元包邮', '慢病用药')],
    violating: [
      c('祖传秘方 根治糖尿病', '祖传秘方', health('根治')),
      c('特效药 三天治愈 无副作用', '特效药', health('治愈', '无副作用')),
    ],
  },
  {
    host: 'yangsheng-tang.test',
    name: '养生堂保健',
    lang: 'zh-CN',
    category: 'health_food',
    clean: [c('养生堂 蜂蜜礼盒 中秋送礼', '蜂蜜礼盒'), c('每天一杯 营养早餐', '营养早餐')],
    violating: [
      c('国家级养生秘方 包治百病', '养生秘方', abs('国家级'), health('包治百病')),
      c('顶级燕窝 极品滋补', '燕窝', abs('顶级', '极品')),
    ],
  },
  {
    host: 'meiyan-lab.test',
    name: '美颜实验室',
    lang: 'zh-CN',
    category: 'cosmetics',
    clean: [c('美颜实验室 补水面膜 买二送一', '补水面膜')],
    violating: [
      c('美白效果最佳 全国销量第一', '美白精华', abs('最佳', '第一')),
      c('唯一获得专利的祛斑霜', '祛斑霜', abs('唯一')),
    ],
  },
  {
    host: 'licai-bao.test',
    name: '理财宝',
    lang: 'zh-CN',
    category: 'finance',
    clean: [c('理财宝 稳健理财 先做风险测评', '理财宝')],
    violating: [c('顶级理财团队 收益行业第一', '理财团队', abs('顶级', '第一'))],
  },
  {
    host: 'edu-star.test',
    name: '启星教育',
    lang: 'zh-CN',
    category: 'education',
    clean: [c('启星教育 少儿编程 免费试听', '少儿编程')],
    violating: [c('国内首个AI学习机 最高级名师授课', 'AI学习机', abs('首个', '最高级'))],
  },
  {
    host: 'lvxing-go.test',
    name: '畅游旅行',
    lang: 'zh-CN',
    category: 'other',
    clean: [c('畅游旅行 海岛游 早订优惠', '海岛游')],
    violating: [c('最佳旅行路线 顶级酒店', '旅行路线', abs('最佳', '顶级'))],
  },
  {
    host: 'wanba-game.test',
    name: '玩吧游戏',
    lang: 'zh-CN',
    category: 'other',
    clean: [c('玩吧游戏 新服开启 领取礼包', '新服开启')],
    violating: [],
  },
  {
    host: 'vitaboost.test',
    name: 'VitaBoost',
    lang: 'en',
    category: 'health_food',
    clean: [c('VitaBoost daily multivitamin - subscribe and save 10%', 'VitaBoost multivitamin')],
    violating: [
      c('VitaBoost cures cancer naturally', 'VitaBoost', health('cures cancer')),
      c('The No.1 supplement with no side effects', 'VitaBoost', abs('No.1'), health('no side effects')),
    ],
  },
  {
    host: 'clearmed.test',
    name: 'ClearMed Clinic',
    lang: 'en',
    category: 'medical',
    clean: [c('ClearMed Clinic - book a video consultation', 'ClearMed Clinic')],
    violating: [c('ClearMed therapy cures cancer in 30 days', 'ClearMed therapy', health('cures cancer'))],
  },
  {
    host: 'glowskin.test',
    name: 'GlowSkin',
    lang: 'en',
    category: 'cosmetics',
    clean: [c('GlowSkin hydrating serum - new formula', 'GlowSkin serum')],
    violating: [c('GlowSkin: the best in the world for glowing skin', 'GlowSkin', abs('best in the world'))],
  },
  {
    host: 'fastcredit.test',
    name: 'FastCredit',
    lang: 'en',
    category: 'finance',
    clean: [c('FastCredit personal loans - check your rate', 'FastCredit')],
    violating: [c('No.1 loan app - approved in minutes', 'FastCredit app', abs('No.1'))],
  },
  {
    host: 'codecamp.test',
    name: 'CodeCamp Academy',
    lang: 'en',
    category: 'education',
    clean: [c('CodeCamp - learn to code in 12 weeks', 'CodeCamp')],
    violating: [c('The best in the world coding bootcamp', 'CodeCamp', abs('best in the world'))],
  },
  {
    host: 'trailgear.test',
    name: 'TrailGear',
    lang: 'en',
    category: 'other',
    clean: [c('TrailGear outdoor sale - up to 30% off', 'TrailGear sale')],
    violating: [],
  },
];

/** The ad network serving iframe creatives, scripts, images and click redirects. */
export const AD_NETWORK_HOST = 'ads.adnet.test';
