import { adCategories, adTokens, classifyAd } from '../../indexer/extract/ad-classifier.js';
import training from '../../indexer/extract/data/ad-categories.json' with { type: 'json' };
import type { AdCategory } from '../../indexer/extract/index.js';

/** Held-out creatives: written for this test, not in the training data or the page fixtures. */
const heldOut: [AdCategory, string][] = [
  ['medical', '肛肠医院 便血 肛裂 专家微创治疗 医保定点'],
  ['medical', '眼科医院 白内障手术 老人免费筛查'],
  ['medical', '专治鼻炎 中医秘方 三个疗程根治'],
  ['medical', '皮肤科专家 湿疹荨麻疹 在线问诊'],
  ['medical', 'Orthopedic surgeon: hip pain treatment, same week appointment'],
  ['medical', 'Dental braces and teeth whitening at our clinic, 0% financing'],
  ['medical', 'Online doctor prescribes weight loss injections'],
  ['medical', '口腔医院 牙齿矫正 隐形牙套 限时特惠'],
  ['health_food', '鱼油胶囊 中老年护心 买三送一'],
  ['health_food', '益生菌粉 儿童肠道调理 保健食品'],
  ['health_food', '减肥代餐粉 饱腹 轻松瘦身 不反弹'],
  ['health_food', '钙镁锌 维生素D 补钙 骨骼强健'],
  ['health_food', 'Keto gummies melt belly fat, doctors hate this trick'],
  ['health_food', 'Vitamin B12 supplement for energy, 90 capsules'],
  ['health_food', 'Protein bars with 20g whey protein, low sugar'],
  ['health_food', '灵芝孢子油 增强免疫 送礼长辈'],
  ['cosmetics', '美白面膜 补水保湿 淡斑提亮 囤货价'],
  ['cosmetics', '防脱洗发水 控油去屑 生姜配方'],
  ['cosmetics', '素颜霜 懒人必备 遮瑕提亮'],
  ['cosmetics', '抗老精华 淡化细纹 紧致肌肤'],
  ['cosmetics', 'Retinol night cream smooths fine lines and wrinkles'],
  ['cosmetics', 'Tinted lip balm and blush duo, limited edition shades'],
  ['cosmetics', 'Brightening serum for dull skin, dermatologist tested'],
  ['cosmetics', '男士洗面奶 控油祛痘 清爽'],
  ['finance', '手机借款 无需抵押 当天到账 额度高'],
  ['finance', '信用卡代还 低息分期 秒批'],
  ['finance', '稳健理财 年化收益 保本保息'],
  ['finance', '炒股开户 佣金万一 送牛股'],
  ['finance', 'Personal loans for bad credit, approval in minutes'],
  ['finance', 'Start trading crypto with a $100 deposit bonus'],
  ['finance', 'Compare mortgage rates and refinance today'],
  ['finance', '数字货币 稳赚 日收益百分之三'],
  ['education', '雅思口语 一对一 保过班'],
  ['education', '少儿英语 外教 在线课程 免费试听'],
  ['education', '考公务员 申论 面试 培训班'],
  ['education', '会计证 考证培训 零基础 网课'],
  ['education', 'Learn data analytics online, certificate in 6 months'],
  ['education', 'French lessons with native tutors, first class free'],
  ['education', 'GMAT prep course with practice tests and tutoring'],
  ['education', '编程培训 零基础 Java 包就业'],
  ['other', '夏季新款 T恤 短裤 清仓'],
  ['other', '游戏 开服 送VIP 登录就送'],
  ['other', '空调 冰箱 以旧换新 补贴'],
  ['other', '特价机票 国内 国际 旅游'],
  ['other', 'Wireless earbuds with 30 hour battery, flash sale'],
  ['other', 'Rent a car from $19 a day at the airport'],
  ['other', 'New SUV lease deals this weekend only'],
  ['other', '装修 全屋定制 免费量房'],
];

const results = heldOut.map(([expected, text]) => ({ expected, text, got: classifyAd(text) }));
const correct = results.filter((r) => r.got.category === r.expected).length;
const rate = correct / results.length;

describe('ad category classifier', () => {
  test(`classifies held-out creatives: ${correct}/${results.length} = ${(rate * 100).toFixed(1)}% correct (must be ≥ 80%)`, () => {
    const wrong = results
      .filter((r) => r.got.category !== r.expected)
      .map((r) => `${r.expected}→${r.got.category}: ${r.text}`);
    expect(rate >= 0.8 ? [] : wrong).toEqual([]); // on failure, lists the misclassified creatives
    expect(rate).toBeGreaterThanOrEqual(0.8);
  });

  test('every category has at least 40 varied training examples in Chinese and English, none held out here', () => {
    const categories = training.categories as Record<string, string[]>;
    expect(Object.keys(categories).sort()).toEqual([...adCategories].sort());
    const all = new Set(Object.values(categories).flat());
    for (const category of adCategories) {
      const examples = categories[category] ?? [];
      expect(examples.length).toBeGreaterThanOrEqual(40);
      expect(examples.some((e) => /\p{Script=Han}/u.test(e))).toBe(true);
      expect(examples.some((e) => /^[\x20-\x7e]+$/.test(e))).toBe(true);
    }
    for (const [, text] of heldOut) expect(all.has(text)).toBe(false);
  });

  test('gives a confidence between 0 and 1, high for a clear creative', () => {
    const clear = classifyAd('无抵押贷款 最快当天放款 额度最高50万');
    expect(clear.category).toBe('finance');
    expect(clear.confidence).toBeGreaterThan(0.8);
    expect(clear.confidence).toBeLessThanOrEqual(1);
  });

  test('text with no known word is other with confidence 0', () => {
    expect(classifyAd('')).toEqual({ category: 'other', confidence: 0 });
    expect(classifyAd('zxqv 12345 ###')).toEqual({ category: 'other', confidence: 0 });
  });

  test('tokens: Chinese words and bigrams, English stems, no numbers or stop words', () => {
    const tokens = adTokens('三天瘦十斤 Lose 20 pounds with the keto pills');
    expect(tokens).toEqual(
      expect.arrayContaining(['三天', '瘦', '十斤', '天瘦', 'lose', 'pound', 'keto', 'pill']),
    );
    expect(tokens).not.toEqual(expect.arrayContaining(['20']));
    expect(tokens).not.toContain('the');
  });
});
