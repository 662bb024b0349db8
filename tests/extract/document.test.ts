import { contentHash, extractPage } from '../../indexer/extract/index.js';
import { detectLanguage } from '../../indexer/extract/document.js';
import { fixture, page } from './support.js';

const productUrl = 'https://www.jiuweitang.test/goods/1024.html?from=list';

describe('extractPage: document facts', () => {
  const zh = extractPage(fixture('zh-product.html'), productUrl);
  const en = extractPage(fixture('en-product.html'), 'https://northpeak.test/products/trail-runner-3');

  test('reads title, meta description and an absolute canonical URL', () => {
    expect(zh.title).toBe('【官方旗舰】九味堂 破壁灵芝孢子粉 60袋/盒 - 九味堂健康商城');
    expect(zh.description).toBe('九味堂健康商城，正品保障，破壁灵芝孢子粉，全国包邮。');
    expect(zh.canonicalUrl).toBe('https://www.jiuweitang.test/goods/1024.html');
    expect(zh.url).toBe(productUrl);
  });

  test('falls back to og:description, and drops the canonical fragment', () => {
    expect(en.description).toBe('Lightweight waterproof trail shoes with a grippy outsole.');
    expect(en.canonicalUrl).toBe('https://northpeak.test/products/trail-runner-3?variant=grey');
  });

  test('keeps visible main text and leaves out scripts, styles, hidden parts, noscript, templates and navigation', () => {
    expect(zh.text).toContain('九味堂 破壁灵芝孢子粉 60袋/盒');
    expect(zh.text).toContain('本品不能代替药物。');
    for (const absent of [
      '脚本里的字', '__INITIAL_STATE__', 'display:none', '治癌', '装饰性文字', '请启用JavaScript',
      '模板里的字', '灵芝系列', '请登录', '养生资讯', 'sku',
    ]) expect(zh.text).not.toContain(absent); // prettier-ignore
  });

  test('keeps the footer apart from the main text', () => {
    expect(zh.footerText).toContain('统一社会信用代码：91330100716105852F');
    expect(zh.footerText).toContain('浙ICP备18012345号-2');
    expect(zh.text).not.toContain('91330100716105852F');
    expect(en.footerText).toContain('support@northpeak.test');
    expect(en.text).not.toContain('Northpeak Outfitters LLC');
  });

  test('normalises whitespace: one space inside a block, one newline between blocks', () => {
    expect(en.text).toContain('Built for muddy trails and long days, with a recycled mesh upper.');
    expect(zh.text).toContain('长白山椴木灵芝 破壁率≥99% 增强免疫力');
    expect(zh.text).not.toMatch(/ {2}|\n\n|^\s|\s$/);
    expect(en.text).not.toContain('Screen reader only');
  });

  test('separates block elements and joins inline ones', () => {
    const doc = extractPage(
      page('<div><p>第一段</p><p>第二段</p></div><p><b>加</b><i>粗</i> 与<br>换行</p>'),
      'https://a.test/',
    );
    expect(doc.text).toBe('第一段\n第二段\n加粗 与\n换行');
  });

  test('cuts main text at maxTextChars without splitting a character pair, and says so', () => {
    const body = `<p>${'😀'.repeat(50)}</p><p>${'正文'.repeat(500)}</p><footer>页脚 京ICP备12345678号</footer>`;
    const doc = extractPage(page(body), 'https://a.test/', { maxTextChars: 101 });
    expect(doc.text.length).toBeLessThanOrEqual(101);
    expect(doc.text).toBe('😀'.repeat(50));
    expect(doc.textTruncated).toBe(true);
    expect(doc.footerText).toBe('页脚 京ICP备12345678号');
    expect(doc.identifiers.icp).toHaveLength(1);
  });

  test('text under the limit is not marked truncated', () => {
    expect(zh.textTruncated).toBe(false);
  });
});

describe('extractPage: language', () => {
  test('takes the primary subtag of <html lang>', () => {
    expect(extractPage(page('<p>商品</p>', '', 'lang="zh-CN"'), 'https://a.test/')).toMatchObject({
      lang: 'zh',
      langSource: 'attribute',
    });
    expect(extractPage(page('<p>Produkt</p>', '', 'lang="de-AT"'), 'https://a.test/').lang).toBe('de');
  });

  test('detects Chinese and English when the attribute is missing', () => {
    expect(extractPage(fixture('en-product.html'), 'https://northpeak.test/').lang).toBe('en');
    const zhDoc = extractPage(
      page('<p>本店销售各类家用电器，全国联保，七天无理由退换货。</p>'),
      'https://a.test/',
    );
    expect(zhDoc).toMatchObject({ lang: 'zh', langSource: 'detected' });
  });

  test('trusts the text over a template default lang="en" on a plainly Chinese page', () => {
    const doc = extractPage(
      page(
        '<p>本店销售各类家用电器，全国联保，七天无理由退换货。欢迎选购智能电饭煲、空气净化器与洗碗机。</p>',
        '',
        'lang="en"',
      ),
      'https://a.test/',
    );
    expect(doc).toMatchObject({ lang: 'zh', langSource: 'detected' });
  });

  test.each([
    ['mostly Han with product codes', '型号 ABC-123X 智能手机 双卡双待 全网通 大屏幕 长续航 快充', 'zh'],
    [
      'English with a few Chinese words',
      'Free shipping on every order of green tea 绿茶 from our Hangzhou farm',
      'en',
    ],
    ['Japanese kana', 'こちらの商品はとても人気があります。ぜひお試しください。', 'other'],
    ['Cyrillic', 'Бесплатная доставка по всей стране для всех заказов', 'other'],
    ['too little text', '¥ 12', 'other'],
  ])('detectLanguage: %s → %s', (_name, text, lang) => {
    expect(detectLanguage(text).lang).toBe(lang);
  });
});

describe('contentHash', () => {
  const base = page(
    '<h1>电饭煲</h1><p>智能预约 4L</p><div class="ad"><a href="https://adv.test/x"><img src="https://adv.test/a.jpg" alt="减肥茶"></a></div>',
  );

  test('is stable across re-indentation and whitespace changes', () => {
    const reformatted = base.replace('<h1>', '\n    <h1>  ').replace('智能预约 4L', '智能预约\n\t 4L ');
    expect(contentHash(extractPage(reformatted, 'https://a.test/'))).toBe(
      contentHash(extractPage(base, 'https://a.test/')),
    );
  });

  test('is stable when the ad in a slot rotates', () => {
    const rotated = base
      .replace('https://adv.test/x', 'https://other-adv.test/y')
      .replace('减肥茶', '贷款秒批');
    const first = extractPage(base, 'https://a.test/');
    const second = extractPage(rotated, 'https://a.test/');
    expect(first.ads).toHaveLength(1);
    expect(second.ads[0]?.id).not.toBe(first.ads[0]?.id);
    expect(contentHash(second)).toBe(contentHash(first));
  });

  test('changes when the text or the title changes', () => {
    const hash = contentHash(extractPage(base, 'https://a.test/'));
    expect(contentHash(extractPage(base.replace('4L', '5L'), 'https://a.test/'))).not.toBe(hash);
    expect(
      contentHash(
        extractPage(base.replace('<title>Test</title>', '<title>Other</title>'), 'https://a.test/'),
      ),
    ).not.toBe(hash);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
