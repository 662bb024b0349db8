import { randomBytes } from 'node:crypto';
import { ValidationError, errorCode } from '../../core/errors.js';
import { extractPage } from '../../indexer/extract/index.js';
import { page } from './support.js';

const url = 'https://www.shop.test/p/1.html';

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('extractPage on malformed and hostile input', () => {
  test('unclosed tags and broken attributes still give title, text, links and identifiers', () => {
    const html =
      '<html><head><title>破损页面<body><div class="a><p>第一段<p>第二段 <a href=/item/1 class=x>商品<div id=\'q>' +
      '<a href="https://adv.test/x" <img src=x alt="未闭合"' +
      '<footer>营业执照：91330100716105852F 京ICP备12345678号';
    const doc = extractPage(html, url);
    expect(doc.title).toContain('破损页面');
    expect(doc.identifiers.uscc).toEqual(['91330100716105852F']);
    expect(doc.identifiers.icp).toHaveLength(1);
  });

  test('a tree nested 30,000 levels deep does not overflow the stack', () => {
    const html = page(
      `${'<div>'.repeat(30_000)}<p>深处的文字 ¥99</p><a href="/deep">深链接</a>${'</div>'.repeat(10)}`,
    );
    const doc = extractPage(html, url);
    expect(doc.text).toContain('深处的文字');
    expect(doc.links.map((l) => l.url)).toEqual(['https://www.shop.test/deep']);
    expect(doc.prices.map((p) => p.amount)).toEqual([99]);
  });

  test('a 3 MB inline script is not text and does not hide the page', () => {
    const script = `<script>var blob = "${'<div>不是正文</div>'.repeat(200_000)}";</script>`;
    const doc = extractPage(page(`${script}<p>正文</p>`), url);
    expect(doc.text).toBe('正文');
  });

  test('5 MB of text is cut at the limit and the footer identifiers survive', () => {
    const big = '商品介绍 Product details '.repeat(250_000);
    expect(big.length).toBeGreaterThan(5_000_000);
    const doc = extractPage(page(`<p>${big}</p><footer>客服 400-820-8820</footer>`), url, {
      maxTextChars: 100_000,
    });
    expect(doc.text.length).toBeLessThanOrEqual(100_000);
    expect(doc.textTruncated).toBe(true);
    expect(doc.identifiers.phones.map((p) => p.normalised)).toEqual(['4008208820']);
  });

  test('binary garbage never throws and yields no control characters', () => {
    for (let i = 0; i < 20; i++) {
      const garbage = randomBytes(50_000).toString('latin1');
      const doc = extractPage(`<title>x</title>${garbage}<p>尾部 ¥5</p>`, url);
      // eslint-disable-next-line no-control-regex
      expect(doc.text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
      expect(doc.text).toContain('尾部');
    }
  });

  test('garbage inside attributes, entities and comments is tolerated', () => {
    const html = page(
      '<a href="http://[::1">bad ipv6</a><a href="https://ok.test/a%ZZ">bad escape</a><a href="https://%zz">bad host</a>' +
        '<img src="&#xD800;&#0;" alt="&bogus;"><!-- <a href="/hidden"> --><p>&amp;&lt;正常&gt;&#x4E2D;&#20013;</p>',
    );
    const doc = extractPage(html, url);
    expect(doc.text).toBe('bad ipv6bad escapebad host\n&<正常>中中');
    expect(doc.links.map((l) => l.url)).toEqual(['https://ok.test/a%ZZ']);
  });

  test('an empty document gives an empty page, not an error', () => {
    const doc = extractPage('', url);
    expect(doc).toMatchObject({ title: '', text: '', footerText: '', links: [], ads: [], prices: [] });
  });
});

describe('extractPage input validation', () => {
  test.each([
    ['a relative URL', '/p/1.html'],
    ['a non-http scheme', 'ftp://files.shop.test/a'],
    ['garbage', 'not a url'],
    ['an empty string', ''],
  ])('rejects %s with EXTRACT_BAD_URL', (_name, badUrl) => {
    const error = thrownBy(() => extractPage('<p>x</p>', badUrl));
    expect(errorCode(error)).toBe('EXTRACT_BAD_URL');
    expect(error).toBeInstanceOf(ValidationError);
  });

  test('rejects HTML that is not a string (a Buffer) with EXTRACT_BAD_INPUT', () => {
    const error = thrownBy(() => extractPage(Buffer.from('<p>x</p>') as unknown as string, url));
    expect(errorCode(error)).toBe('EXTRACT_BAD_INPUT');
  });
});
