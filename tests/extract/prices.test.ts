import { extractPage } from '../../indexer/extract/index.js';
import type { ExtractedPrice } from '../../indexer/extract/index.js';
import { fixture, page } from './support.js';

function pricesOf(body: string, head = ''): ExtractedPrice[] {
  return extractPage(page(body, head), 'https://www.shop.test/p/1.html').prices;
}

const pick = (prices: ExtractedPrice[]): [number, string, string, string][] =>
  prices.map((p) => [p.amount, p.currency, p.kind, p.source]);

describe('extractPage: visible prices', () => {
  test.each([
    ['¥199', 199, 'CNY'],
    ['￥1,299.00', 1299, 'CNY'],
    ['售价 88元', 88, 'CNY'],
    ['3.5万元', 35_000, 'CNY'],
    ['RMB 450', 450, 'CNY'],
    ['$19.99', 19.99, 'USD'],
    ['US$ 1,050', 1050, 'USD'],
    ['NT$1,280', 1280, 'TWD'],
    ['茶具 150gNT$5,840', 5840, 'TWD'],
    ['￥<em>59</em>.<small>90</small>', 59.9, 'CNY'],
  ])('reads %s', (html, amount, currency) => {
    expect(pick(pricesOf(`<p>${html}</p>`))).toEqual([[amount, currency, 'current', 'text']]);
  });

  test('marks struck-through and "原价/was" prices as original', () => {
    const prices = pricesOf(
      '<p>现价¥368 <del>¥598</del></p><p>原价：¥698</p><p><span style="text-decoration: line-through">¥99</span></p>' +
        '<p><span class="price-old">¥128</span></p><p>Was $129.99, now $89.99</p><p><s>$10</s></p>',
    );
    expect(pick(prices)).toEqual([
      [368, 'CNY', 'current', 'text'],
      [598, 'CNY', 'original', 'text'],
      [698, 'CNY', 'original', 'text'],
      [99, 'CNY', 'original', 'text'],
      [128, 'CNY', 'original', 'text'],
      [129.99, 'USD', 'original', 'text'],
      [89.99, 'USD', 'current', 'text'],
      [10, 'USD', 'original', 'text'],
    ]);
  });

  test('reads two prices in touching elements as two, and a code glued to a word as no currency', () => {
    const prices = pricesOf(
      '<p><span>$73.00</span><del>Was $730.00</del><span>90% off</span></p><p><span>Fish Oil Supplement</span><span>$76.99</span></p>',
    );
    expect(pick(prices)).toEqual([
      [73, 'USD', 'current', 'text'],
      [730, 'USD', 'original', 'text'],
      [76.99, 'USD', 'current', 'text'],
    ]);
  });

  test('skips thresholds and discounts (满/减/返, over/off), dates and bare numbers', () => {
    const prices = pricesOf(
      '<p>满299元减30元，下单返5元</p><p>Free shipping over $50, save $5</p><p>2024年6月18日 库存 120 件 元旦放假</p>',
    );
    expect(prices).toEqual([]);
  });

  test('leaves out prices in hidden parts, in the footer and in ads', () => {
    const prices = pricesOf(
      '<p>¥10</p><p style="display:none">¥20</p><footer>运费 ¥30</footer>' +
        '<div class="ad"><a href="https://adv.test/"><img src="https://adv.test/a.jpg" alt="特价"></a>仅需¥40</div>',
    );
    expect(pick(prices)).toEqual([[10, 'CNY', 'current', 'text']]);
  });
});

describe('extractPage: structured prices', () => {
  test('reads JSON-LD Product offers, AggregateOffer ranges and strike-through price specifications', () => {
    const ld = (value: unknown): string =>
      `<script type="application/ld+json">${JSON.stringify(value)}</script>`;
    const head =
      ld({
        '@context': 'https://schema.org',
        '@type': 'Product',
        name: 'A',
        offers: { '@type': 'Offer', price: '368.00', priceCurrency: 'CNY' },
      }) +
      ld({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'WebPage', name: 'x' },
          {
            '@type': ['Product'],
            offers: {
              '@type': 'AggregateOffer',
              lowPrice: 99,
              highPrice: '199.5',
              priceCurrency: 'usd',
              offerCount: 3,
            },
          },
        ],
      }) +
      ld({
        '@type': 'Product',
        offers: [
          {
            '@type': 'Offer',
            priceCurrency: 'CNY',
            priceSpecification: [
              { '@type': 'UnitPriceSpecification', price: 79 },
              {
                '@type': 'UnitPriceSpecification',
                price: 129,
                priceType: 'https://schema.org/StrikethroughPrice',
              },
            ],
          },
        ],
      });
    expect(pick(pricesOf('<p>无价格文字</p>', head))).toEqual([
      [368, 'CNY', 'current', 'json-ld'],
      [99, 'USD', 'low', 'json-ld'],
      [199.5, 'USD', 'high', 'json-ld'],
      [79, 'CNY', 'current', 'json-ld'],
      [129, 'CNY', 'original', 'json-ld'],
    ]);
  });

  test('skips broken JSON-LD without losing the rest of the page', () => {
    const head = '<script type="application/ld+json">{"@type": "Product", "offers": {"price": 12,,}</script>';
    const doc = extractPage(page('<h1>商品</h1><p>¥12</p>', head), 'https://www.shop.test/');
    expect(doc.title).toBe('商品'); // no <title>: the first h1
    expect(pick(doc.prices)).toEqual([[12, 'CNY', 'current', 'text']]);
    expect(doc.text).toBe('商品\n¥12');
  });

  test('reads microdata prices from content attributes with the currency of the same item', () => {
    const doc = extractPage(fixture('en-product.html'), 'https://northpeak.test/products/trail-runner-3');
    expect(pick(doc.prices)).toEqual([
      [89.99, 'USD', 'current', 'microdata'],
      [89.99, 'USD', 'current', 'meta'],
      [89.99, 'USD', 'current', 'text'],
      [129.99, 'USD', 'original', 'text'],
    ]);
  });

  test('reads a product page: JSON-LD, current, original and list prices, not the promotion thresholds', () => {
    const doc = extractPage(fixture('zh-product.html'), 'https://www.jiuweitang.test/goods/1024.html');
    expect(pick(doc.prices)).toEqual([
      [368, 'CNY', 'current', 'json-ld'],
      [368, 'CNY', 'current', 'text'],
      [598, 'CNY', 'original', 'text'],
      [698, 'CNY', 'original', 'text'],
      [88, 'CNY', 'current', 'text'],
      [128, 'CNY', 'current', 'text'],
    ]);
  });
});
