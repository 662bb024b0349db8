import { extractPage, registeredDomain } from '../../indexer/extract/index.js';
import type { ExtractedLink } from '../../indexer/extract/index.js';
import { page } from './support.js';

function linksOf(body: string, url = 'https://www.shop.test/list/page.html', head = ''): ExtractedLink[] {
  return extractPage(page(body, head), url).links;
}

describe('registeredDomain', () => {
  test.each([
    ['a.shop.test', 'shop.test'],
    ['shop.test', 'shop.test'],
    ['x.y.shop.test', 'shop.test'],
    ['www.example.com.cn', 'example.com.cn'],
    ['item.jd.com', 'jd.com'],
    ['beian.miit.gov.cn', 'miit.gov.cn'],
    ['foo.github.io', 'foo.github.io'],
    ['SHOP.Test.', 'shop.test'],
    ['api.internal', 'api.internal'],
    ['localhost', 'localhost'],
    ['127.0.0.1', '127.0.0.1'],
    ['[::1]', '::1'],
  ])('%s → %s', (host, domain) => {
    expect(registeredDomain(host)).toBe(domain);
  });
});

describe('extractPage: links', () => {
  test('resolves relative links against the page URL and drops fragments', () => {
    const links = linksOf(
      '<a href="../item/1.html#reviews">商品一</a><a href="/cart">购物车</a><a href="?page=2">下一页</a>',
    );
    expect(links.map((l) => l.url)).toEqual([
      'https://www.shop.test/item/1.html',
      'https://www.shop.test/cart',
      'https://www.shop.test/list/page.html?page=2',
    ]);
  });

  test('resolves against <base href> when there is one', () => {
    const links = linksOf(
      '<a href="item/2.html">商品二</a>',
      'https://www.shop.test/a/b.html',
      '<base href="https://static.shop.test/m/">',
    );
    expect(links[0]?.url).toBe('https://static.shop.test/m/item/2.html');
  });

  test('keeps only http(s) links', () => {
    const links = linksOf(
      '<a href="javascript:void(0)">x</a><a href="mailto:kefu@shop.test">mail</a><a href="tel:4008208820">tel</a>' +
        '<a href="#top">top</a><a href="ftp://files.shop.test/a">ftp</a><a href="data:text/html,hi">d</a>' +
        '<a href="//cdn.shop.test/x">cdn</a><a href="http://[bad">bad</a><a>no href</a>',
    );
    expect(links.map((l) => l.url)).toEqual(['https://cdn.shop.test/x']);
  });

  test('reads nofollow, sponsored and ugc from rel, case-insensitively', () => {
    const links = linksOf(
      '<a href="https://a.test/" rel="NoFollow noopener">a</a><a href="https://b.test/" rel="sponsored">b</a>' +
        '<a href="https://c.test/" rel="ugc nofollow">c</a><a href="https://d.test/">d</a>',
    );
    expect(links.map((l) => l.rel)).toEqual([['nofollow'], ['sponsored'], ['nofollow', 'ugc'], []]);
  });

  test('calls subdomains of the same registered domain internal, including under .test', () => {
    const links = linksOf(
      '<a href="https://a.shop.test/x">sub</a><a href="https://shop.test/">apex</a>' +
        '<a href="https://www.shop.test/y">www</a><a href="https://shop2.test/">other</a><a href="https://shop.test.evil.test/">evil</a>',
    );
    expect(links.map((l) => [l.host, l.domain, l.internal])).toEqual([
      ['a.shop.test', 'shop.test', true],
      ['shop.test', 'shop.test', true],
      ['www.shop.test', 'shop.test', true],
      ['shop2.test', 'shop2.test', false],
      ['shop.test.evil.test', 'evil.test', false],
    ]);
  });

  test('uses the anchor text, or the alt of an image inside', () => {
    const links = linksOf(
      '<a href="/a">  智能\n电饭煲 </a><a href="/b"><img src="/b.jpg" alt="空气炸锅"></a><a href="/c" title="洗碗机"></a>',
    );
    expect(links.map((l) => l.text)).toEqual(['智能 电饭煲', '空气炸锅', '洗碗机']);
  });

  test('lists each URL once, with the first non-empty text and all rel flags', () => {
    const links = linksOf(
      '<a href="/p/1"><img src="/1.jpg"></a><a href="/p/1#buy" rel="nofollow">电饭煲</a>',
    );
    expect(links).toEqual([
      {
        url: 'https://www.shop.test/p/1',
        text: '电饭煲',
        rel: ['nofollow'],
        host: 'www.shop.test',
        domain: 'shop.test',
        internal: true,
      },
    ]);
  });

  test('reads <area href> image-map links too', () => {
    const links = linksOf(
      '<map name="m"><area shape="rect" coords="0,0,10,10" href="/promo" alt="大促"></map>',
    );
    expect(links.map((l) => l.url)).toEqual(['https://www.shop.test/promo']);
  });
});
