/**
 * The search corpus of `npm run bench:api`: the synthetic pages of `synthetic-pages.ts` with text that
 * makes inspector searches behave as on a real crawl (each site sells one kind of goods, claims such as
 * 国家级 or 祖传秘方 appear on a few per cent of pages, not on all), placed in the demo bureau's grids
 * so the API's jurisdiction filter cuts the corpus for real. Loaded with raw `_bulk`.
 */
import { mulberry32 } from '../../demo/prng.js';
import type { BulkOperation, EnginePort } from '../../engine/port.js';
import { refsOf } from '../../registry/jurisdictions/jurisdiction.rules.js';
import type { JurisdictionNode, JurisdictionRef } from '../../registry/types.js';
import { syntheticPage, type SyntheticPage } from './synthetic-pages.js';

/** Options of {@link corpusPage} and {@link loadCorpus}. */
export interface SearchCorpusOptions {
  /** The jurisdiction tree the pages are spread over (their sites round-robin over its grids). */
  tree: readonly JurisdictionNode[];
  /** Distinct sites; a site keeps one kind of goods and one grid. @default 2000 */
  sites?: number;
  /** One site in this many is not linked to an operator yet (no jurisdiction: only the city sees it). @default 20 */
  unlinkedEvery?: number;
  /** PRNG seed of the text. @default 7 */
  seed?: number;
}

const COMMON_ZH = (
  '产品 优惠 限时 特价 正品 包邮 旗舰店 官方 促销 售后 退换 发票 客服 会员 积分 秒杀 团购 直播 ' +
  '带货 网店 商城 平台 质量 检测 认证 进口 原装 厂家直销 批发 零售 价格 折扣 满减 新品 热销 爆款 ' +
  '消费者 服务 下单 发货 物流 库存 规格 详情 评价 收藏'
).split(' ');
const TOPICS_ZH: ReadonlyArray<readonly string[]> = [
  '食品 火锅底料 重庆 小面 茶叶 白酒 零食 礼盒 农产品 绿色 有机 食品安全 保质期'.split(' '),
  '保健 保健品 功效 营养 调理 养生 滋补 药材 膳食 医疗器械 理疗 按摩'.split(' '),
  '化妆品 护肤 面膜 精华 美白 补水 口红 香水 洗护 彩妆'.split(' '),
  '家电 手机 数码 耳机 电脑 平板 充电器 空调 冰箱 电视'.split(' '),
  '服装 女装 男装 童装 鞋子 箱包 外套 连衣裙 羊毛 纯棉'.split(' '),
  '母婴 奶粉 纸尿裤 婴儿 辅食 玩具 童车 孕妇'.split(' '),
];
/** Claims inspectors look for, with the chance a page (of any, or of one topic) carries each. */
const CLAIMS: ReadonlyArray<{ words: string; perPage: number; topic?: number }> = [
  { words: '最佳', perPage: 0.12 },
  { words: '第一', perPage: 0.08 },
  { words: '顶级', perPage: 0.05 },
  { words: '国家级', perPage: 0.04 },
  { words: '全网最低', perPage: 0.015 },
  { words: '无效退款', perPage: 0.01, topic: 1 },
  { words: '药到病除', perPage: 0.05, topic: 1 },
  { words: '祖传秘方', perPage: 0.02, topic: 1 },
];
const COMMON_EN = (
  'price official store discount limited offer genuine quality shipping free returns warranty ' +
  'customer service products organic imported factory direct wholesale retail sale new arrival ' +
  'member points coupon certified licensed shop online delivery'
).split(' ');
const CLAIMS_EN: ReadonlyArray<{ words: string; perPage: number }> = [
  { words: 'best price', perPage: 0.1 },
  { words: 'number one', perPage: 0.02 },
  { words: 'guaranteed cure', perPage: 0.004 },
];

function one<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)] as T;
}

function sentence(random: () => number, words: readonly string[], count: number, joiner: string): string {
  return Array.from({ length: count }, () => one(random, words)).join(joiner);
}

/** Inserts `claim` at a random word boundary of `text`, where a copywriter would put it. */
function insertClaim(random: () => number, text: string, claim: string, joiner: string): string {
  const parts = text.split(joiner);
  parts.splice(Math.floor(random() * (parts.length + 1)), 0, claim);
  return parts.join(joiner);
}

function pageText(random: () => number, topic: number): { text: string; title: string } {
  const topicWords = TOPICS_ZH[topic] ?? [];
  const vocabulary = [...COMMON_ZH, ...topicWords, ...topicWords];
  const paragraphs: string[] = [];
  for (let p = 0, count = 1 + Math.floor(random() * 4); p < count; p++) {
    if (random() < 0.75) {
      const sentences = Array.from({ length: 2 + Math.floor(random() * 5) }, () =>
        sentence(random, vocabulary, 3 + Math.floor(random() * 7), ''),
      );
      paragraphs.push(`${sentences.join('，')}。`);
    } else {
      paragraphs.push(`${sentence(random, COMMON_EN, 6 + Math.floor(random() * 10), ' ')}.`);
    }
  }
  let title = `${one(random, topicWords)}${one(random, COMMON_ZH)} ${sentence(random, COMMON_EN, 2, ' ')}`;
  for (const claim of CLAIMS) {
    if (claim.topic !== undefined && claim.topic !== topic) continue;
    if (random() >= claim.perPage) continue;
    const at = Math.floor(random() * paragraphs.length);
    paragraphs[at] = insertClaim(random, paragraphs[at] ?? '', claim.words, '');
    if (random() < 0.2) title = `${claim.words}${title}`;
  }
  for (const claim of CLAIMS_EN) {
    if (random() < claim.perPage) paragraphs.push(`${claim.words} ${sentence(random, COMMON_EN, 4, ' ')}.`);
  }
  return { text: paragraphs.join('\n'), title };
}

/** The grids of `tree` with their full refs, in id order. */
export function gridRefs(tree: readonly JurisdictionNode[]): JurisdictionRef[] {
  const refs = refsOf(new Map(tree.map((node) => [node.id, node])));
  return tree
    .filter((node) => node.level === 'grid')
    .map((node) => node.id)
    .sort()
    .map((id) => refs.get(id) ?? {});
}

/** The `n`-th page of the corpus; a pure function of (`n`, options). */
export function corpusPage(
  n: number,
  options: SearchCorpusOptions,
  grids = gridRefs(options.tree),
): SyntheticPage {
  const sites = options.sites ?? 2000;
  const page = syntheticPage(n, { sites });
  const siteIndex = n % sites;
  const random = mulberry32((options.seed ?? 7) * 1_000_003 + n);
  const { text, title } = pageText(random, siteIndex % TOPICS_ZH.length);
  const { operator_id: operatorId, ...rest } = page;
  delete rest.jurisdiction;
  const linked = siteIndex % (options.unlinkedEvery ?? 20) !== 0;
  return {
    ...rest,
    text,
    title,
    ...(linked ? { operator_id: operatorId, jurisdiction: grids[siteIndex % grids.length] ?? {} } : {}),
  };
}

/** Options of {@link loadCorpus}. */
export interface LoadCorpusOptions extends SearchCorpusOptions {
  docs: number;
  /** Documents per `_bulk` request. @default 2000 */
  batch?: number;
  /** `_bulk` requests in flight (the engine has few cores to spare). @default 2 */
  concurrency?: number;
}

/** What {@link loadCorpus} sent. */
export interface CorpusFigures {
  bytes: number;
  failed: number;
  seconds: number;
}

/** Bulk-indexes `docs` corpus pages into `index` (an alias); refresh is the caller's. */
export async function loadCorpus(
  engine: EnginePort,
  index: string,
  options: LoadCorpusOptions,
): Promise<CorpusFigures> {
  const grids = gridRefs(options.tree);
  const batch = options.batch ?? 2000;
  const figures: CorpusFigures = { bytes: 0, failed: 0, seconds: 0 };
  const startedAt = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.docs) {
      const from = next;
      next = Math.min(options.docs, next + batch);
      const operations: BulkOperation[] = [];
      for (let n = from; n < next; n++) {
        const doc = corpusPage(n, options, grids);
        figures.bytes += Buffer.byteLength(JSON.stringify(doc));
        operations.push({ op: 'index', index, id: doc.id, doc });
      }
      const result = await engine.bulk(operations);
      const failed = result.items.filter((item) => !item.ok);
      figures.failed += failed.length;
      if (failed[0]) console.error(`bulk error: ${JSON.stringify(failed[0].error)}`);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, () => worker()));
  figures.seconds = (performance.now() - startedAt) / 1000;
  return figures;
}
