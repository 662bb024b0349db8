/**
 * Deterministic synthetic pages (Chinese and English text, identifiers, prices) shaped like the `pages`
 * mapping, for benches and load tests. Same seed, same pages.
 */
import { createHash } from 'node:crypto';
import { mulberry32 } from '../../demo/prng.js';

/** Options of `syntheticPages`. */
export interface SyntheticPageOptions {
  /** PRNG seed. @default 20240601 */
  seed?: number;
  /** Distinct sites the pages spread over. @default 200 */
  sites?: number;
  /** Start of the `fetched_at` range (epoch ms). @default 2024-06-01T00:00:00Z */
  startMs?: number;
}

/** A page document accepted by the strict `pages` mapping. */
export type SyntheticPage = Record<string, unknown> & { id: string; url: string; host: string; text: string };

/** Vocabulary of the synthetic Chinese text (also used by synthetic rules and ads). */
export const ZH_WORDS = (
  '国家级 最佳 产品 优惠 限时 特价 正品 保证 包邮 旗舰店 官方 促销 第一 顶级 纯天然 ' +
  '保健 食品 化妆品 服装 家电 手机 数码 母婴 医疗器械 农产品 茶叶 白酒 火锅底料 重庆 ' +
  '小面 售后 退换 发票 客服 会员 积分 秒杀 团购 直播 带货 网店 商城 平台 经营者 ' +
  '营业执照 许可证 食品安全 质量 检测 认证 绿色 有机 进口 原装 厂家直销 批发 零售 ' +
  '价格 折扣 满减 新品 热销 爆款 功效 无效退款 祖传秘方 药到病除 全网最低 独家 专利 ' +
  '消费者 投诉 市场监管'
).split(' ');
/** Vocabulary of the synthetic English text. */
export const EN_WORDS = (
  'best price official store discount limited offer genuine quality shipping free returns ' +
  'warranty customer service monitoring monitored products product organic imported factory ' +
  'direct wholesale retail sale new arrival hot member points coupon cheapest guaranteed ' +
  'certified licensed shop online delivery tea spicy noodles electronics phones clothing ' +
  'cosmetics baby care'
).split(' ');
const TLDS = ['com', 'cn', 'com.cn', 'net', 'shop'];
const PROVINCE_ICP = ['渝', '京', '沪', '粤', '川', '浙'];
const COUNTIES = ['yuzhong', 'jiangbei', 'nanan', 'shapingba', 'jiulongpo', 'dadukou', 'banan', 'yubei'];
const PATH_PARTS = ['shop', 'item', 'product', 'list', 'news', 'about', 'promo', 'detail'];

/** Deterministic picks over a PRNG. */
export class Picker {
  constructor(readonly random: () => number) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }
  one<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }
  words(items: readonly string[], count: number, joiner: string): string {
    return Array.from({ length: count }, () => this.one(items)).join(joiner);
  }
}

function chineseParagraph(pick: Picker): string {
  const sentences = Array.from({ length: pick.int(3, 8) }, () => pick.words(ZH_WORDS, pick.int(4, 12), ''));
  return `${sentences.join('，')}。`;
}

function englishParagraph(pick: Picker): string {
  const sentences = Array.from({ length: pick.int(2, 5) }, () => pick.words(EN_WORDS, pick.int(5, 12), ' '));
  return `${sentences.join('. ')}.`;
}

function site(index: number, pick: Picker): { site: string; host: string; registered: string } {
  const registered = `shop${index}.${TLDS[index % TLDS.length] ?? 'cn'}`;
  const host = pick.random() < 0.5 ? `www.${registered}` : registered;
  return { site: `site-${index}`, host, registered };
}

/** The `n`-th synthetic page (0-based) of a stream; pure function of (`n`, options). */
export function syntheticPage(n: number, options: SyntheticPageOptions = {}): SyntheticPage {
  const pick = new Picker(mulberry32((options.seed ?? 20240601) + n * 7919));
  const siteIndex = n % (options.sites ?? 200);
  const { site: siteId, host, registered } = site(siteIndex, pick);
  const path = `/${pick.one(PATH_PARTS)}/${pick.one(PATH_PARTS)}/${n}.html`;
  const text = Array.from({ length: pick.int(2, 6) }, () =>
    pick.random() < 0.7 ? chineseParagraph(pick) : englishParagraph(pick),
  ).join('\n');
  const fetchedAt = new Date((options.startMs ?? Date.UTC(2024, 5, 1)) + n * 1000).toISOString();
  const contentHash = createHash('sha256').update(text).digest('hex');
  return {
    id: createHash('sha1').update(`page:${n}`).digest('hex'),
    url: `https://${host}${path}`,
    canonical_url: `https://${host}${path}`,
    host,
    registered_domain: registered,
    path,
    site: siteId,
    title: `${pick.words(ZH_WORDS, 3, '')} ${pick.words(EN_WORDS, 3, ' ')}`,
    description: pick.words(ZH_WORDS, 6, ''),
    text,
    lang: 'zh',
    status: 200,
    fetched_at: fetchedAt,
    first_seen: fetchedAt,
    last_seen: fetchedAt,
    content_hash: contentHash,
    version: 1,
    identifiers: {
      uscc: [`91500000MA${String(siteIndex).padStart(7, '0')}X`],
      icp: [`${pick.one(PROVINCE_ICP)}ICP备${String(10_000_000 + siteIndex)}号-1`],
      phones: [`023-${pick.int(60_000_000, 69_999_999)}`],
    },
    prices: [{ amount: pick.int(100, 99_999) / 100, currency: 'CNY', source: 'text' }],
    outlinks_count: pick.int(0, 200),
    ads_count: pick.int(0, 10),
    operator_id: `op-${siteIndex}`,
    jurisdiction: {
      city: 'chongqing',
      county: COUNTIES[siteIndex % COUNTIES.length],
      station: `st-${siteIndex % 40}`,
    },
    rule_hits: [],
    crawl: { depth: pick.int(0, 5) },
  };
}

/** `count` pages in order, starting at `from`. */
export function* syntheticPages(
  count: number,
  from = 0,
  options: SyntheticPageOptions = {},
): Generator<SyntheticPage> {
  for (let n = from; n < from + count; n++) yield syntheticPage(n, options);
}
