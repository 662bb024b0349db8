import { extractPage } from '../../indexer/extract/index.js';
import type { ExtractedAd } from '../../indexer/extract/index.js';
import { weights } from '../../indexer/extract/ad-rules.js';
import { fixture, page } from './support.js';

const pageUrl = 'https://www.localnews.test/news/2024/0611.html';

function adsOf(body: string, url = pageUrl, head = ''): ExtractedAd[] {
  return extractPage(page(body, head), url).ads;
}

const offSiteBanner =
  '<a href="https://www.advertiser.test/land"><img src="https://img.advertiser.test/b.jpg" alt="减肥茶 七天瘦十斤"></a>';

describe('ads on a news portal (Baidu-union-like, AdSense-like, iframe, text link, floating window)', () => {
  const doc = extractPage(fixture('news-portal-ads.html'), pageUrl);
  const byLanding = (domain: string): ExtractedAd | undefined =>
    doc.ads.find((ad) => ad.landingDomain === domain);

  test('finds the six ads and nothing else', () => {
    expect(doc.ads.map((ad) => [ad.slot, ad.landingDomain ?? ad.frameSrc?.slice(0, 40)])).toEqual([
      ['banner', 'kangfu-hospital.test'],
      ['banner', 'jiedai-kuai.test'],
      ['banner', 'learnenglish-now.test'],
      ['iframe', 'https://googleads.g.doubleclick.net/page'],
      ['sponsored', 'meibai-cream.test'],
      ['popup', 'fund-wealth.test'],
    ]);
  });

  test('decodes the advertiser URL out of Baidu and Google click trackers', () => {
    expect(byLanding('jiedai-kuai.test')).toMatchObject({
      landingUrl: 'https://www.jiedai-kuai.test/land?a=1',
      clickUrl: expect.stringMatching(/^https:\/\/cpro\.baidu\.com\/cpro\/ui\/uijs\.php\?/),
      adNetwork: 'baidu',
      creativeText: '急用钱？凭身份证最快5分钟到账，额度最高20万',
    });
    expect(byLanding('learnenglish-now.test')).toMatchObject({
      landingUrl: 'https://www.learnenglish-now.test/trial?ref=gdn',
      adNetwork: 'google',
      imageSrc: 'https://tpc.googlesyndication.com/simgad/123456789',
    });
  });

  test('an ad iframe is an ad whose creative source is the frame', () => {
    const frame = doc.ads.find((ad) => ad.slot === 'iframe');
    expect(frame).toMatchObject({ adNetwork: 'google', landingUrl: null, imageSrc: null });
    expect(frame?.frameSrc).toMatch(/^https:\/\/googleads\.g\.doubleclick\.net\/pagead\/ads\?client=/);
    expect(frame?.signals).toEqual(expect.arrayContaining(['ad-network', 'iframe', 'ad-size']));
  });

  test('classifies the creatives', () => {
    expect(doc.ads.map((ad) => ad.category)).toEqual([
      'medical',
      'finance',
      'education',
      'other',
      'cosmetics',
      'finance',
    ]);
  });

  test('lists the networks the page loads', () => {
    expect(doc.adNetworks).toEqual(['baidu', 'google']);
  });

  test('keeps ads, the ad label and close buttons out of the page text and the creative text', () => {
    expect(doc.text).not.toMatch(/急用钱|祛斑美白霜|稳健理财/);
    expect(doc.text).toContain('我市启动夏季防汛应急演练');
    expect(byLanding('meibai-cream.test')?.creativeText).toBe('祛斑美白霜 28天淡化色斑 无效退款');
    expect(byLanding('fund-wealth.test')?.creativeText).toBe('稳健理财 年化收益8%');
  });

  test('explains each ad: signals fired and a score that is their weighted sum', () => {
    for (const ad of doc.ads) {
      expect(ad.signals.length).toBeGreaterThan(0);
      expect(ad.score).toBe(ad.signals.reduce((sum, s) => sum + weights[s as keyof typeof weights], 0));
      expect(ad.score).toBeGreaterThanOrEqual(3);
      expect(ad.id).toMatch(/^[0-9a-f]{32}$/);
    }
    expect(byLanding('meibai-cream.test')?.signals).toEqual(['off-site', 'sponsored-label']);
  });
});

describe('sponsored items in a marketplace list', () => {
  const doc = extractPage(fixture('marketplace-list.html'), 'https://search.youxuan.test/s?q=rice-cooker');

  test('items labelled 推广 or 广告 are ads even though they stay on the marketplace', () => {
    expect(doc.ads.map((ad) => [ad.slot, ad.landingUrl, ad.signals])).toEqual([
      ['sponsored', 'https://item.youxuan.test/100201.html?spm=s.1', ['sponsored-label']],
      ['banner', 'https://shop-meiling.youxuan.test/item/100203.html', ['ad-label']],
    ]);
    expect(doc.ads[0]).toMatchObject({ landingDomain: 'youxuan.test', imageAlt: '智能电饭煲 4L 家用多功能' });
    expect(doc.ads[0]?.creativeText).toContain('智能电饭煲 4L 家用多功能 预约定时');
    expect(doc.ads[0]?.creativeText).not.toContain('推广');
  });

  test('a 推广 filter among many links, a 自营 tag and an on-site 618 banner are not ads', () => {
    expect(doc.ads.some((ad) => /618|电压力锅|IH/.test(ad.creativeText))).toBe(false);
    expect(doc.text).toContain('电压力锅 双胆 6L');
  });
});

describe('pages without ads', () => {
  test('a shop page with an on-site banner, friend links, a share button and licence badges has no ad', () => {
    const doc = extractPage(fixture('zh-product.html'), 'https://www.jiuweitang.test/goods/1024.html');
    expect(doc.ads).toEqual([]);
    expect(doc.adNetworks).toEqual([]);
  });

  test('an English shop page has only its rel=sponsored, Sponsored-labelled creative', () => {
    const doc = extractPage(fixture('en-product.html'), 'https://northpeak.test/products/trail-runner-3');
    expect(doc.ads).toHaveLength(1);
    expect(doc.ads[0]).toMatchObject({
      slot: 'sponsored',
      landingDomain: 'campgear.test',
      imageAlt: 'Alpine 2 Tent',
    });
    expect(doc.ads[0]?.signals).toEqual(
      expect.arrayContaining(['rel-sponsored', 'sponsored-label', 'off-site']),
    );
  });
});

describe('ad markers are whole tokens', () => {
  test.each([
    'ad',
    'ads',
    'adBanner',
    'banner-ad',
    'ad_300x250',
    'advertisement',
    'sponsored',
    '广告',
    'ad-slot',
    'adsbygoogle',
  ])('class "%s" marks an ad slot', (name) => {
    expect(adsOf(`<div class="${name}">${offSiteBanner}</div>`)).toHaveLength(1);
  });

  test.each([
    'header',
    'shadow',
    'download',
    'add-to-cart',
    'badge',
    'thead',
    'loader',
    'road',
    'headline',
    'gradient',
  ])('class "%s" does not', (name) => {
    expect(adsOf(`<div class="${name}">${offSiteBanner}</div>`)).toEqual([]);
  });

  test('an id token works like a class token', () => {
    expect(adsOf(`<div id="top_ad">${offSiteBanner}</div>`)).toHaveLength(1);
  });

  test('data-ad-* attributes mark a slot; data-adaptive does not', () => {
    expect(adsOf(`<div data-ad-slot="12">${offSiteBanner}</div>`)).toHaveLength(1);
    expect(adsOf(`<div data-adaptive="true">${offSiteBanner}</div>`)).toEqual([]);
  });

  test('a marker on a container holding a whole page region does not make every link an ad', () => {
    const links = Array.from(
      { length: 15 },
      (_, i) => `<a href="https://site${i}.test/"><img src="https://site${i}.test/l.png"></a>`,
    );
    expect(adsOf(`<div class="ad-free-zone">${links.join('')}</div>`)).toEqual([]);
  });
});

describe('ad labels', () => {
  test.each([
    '广告',
    '推广',
    '赞助',
    '廣告',
    '贊助',
    'Sponsored',
    'Ad',
    'Advertisement',
    'Promoted',
    '[广告]',
    '广告 ×',
    'Ad · advertiser.test',
  ])('the label "%s" beside an off-site creative makes it an ad', (label) => {
    expect(
      adsOf(`<div class="box"><span>${label}</span><a href="https://adv.test/x">植发 一次成功</a></div>`),
    ).toHaveLength(1);
  });

  test('an alt or aria-label saying 广告 is a label too', () => {
    expect(
      adsOf(`<div class="box"><img src="/l.png" alt="广告" width="24" height="12">${offSiteBanner}</div>`),
    ).toHaveLength(1);
    expect(adsOf(`<section aria-label="Advertisement">${offSiteBanner}</section>`)).toHaveLength(1);
  });

  test('a link named 广告 (advertise with us) or a longer sentence containing 广告 is not a label', () => {
    expect(adsOf(`<div class="box"><a href="/ads-service">广告</a>${offSiteBanner}</div>`)).toEqual([]);
    expect(adsOf(`<div class="box"><p>本站广告位招租</p>${offSiteBanner}</div>`)).toEqual([]);
  });

  test('a label inside the navigation is ignored', () => {
    expect(adsOf(`<nav><span>推广</span><a href="https://adv.test/x">合作</a></nav>`)).toEqual([]);
  });
});

describe('other ad signals', () => {
  test('rel="sponsored" alone makes a link an ad, even on-site', () => {
    const ads = adsOf('<p><a href="/item/9" rel="sponsored">今日特推 空气炸锅</a></p>');
    expect(ads).toMatchObject([
      { slot: 'sponsored', landingDomain: 'localnews.test', signals: ['rel-sponsored'] },
    ]);
  });

  test('a link through a known ad network is an ad and names the network', () => {
    const ads = adsOf(
      '<p><a href="https://www.googleadservices.com/pagead/aclk?sa=L&adurl=https%3A%2F%2Floans.test%2Fapply">Low rate loans</a></p>',
    );
    expect(ads).toMatchObject([
      { adNetwork: 'google', landingUrl: 'https://loans.test/apply', landingDomain: 'loans.test' },
    ]);
  });

  test('a generic ad host in a noscript fallback is an ad, with the advertiser decoded from the click URL', () => {
    const click = `https://ads.adnet.test/click?ad=a1&url=${encodeURIComponent('https://www.shouji-mall.test/p/9')}`;
    const ads = adsOf(
      `<div id="slot9"></div><noscript><a href="${click}"><img src="https://cdn.adnet.test/c/9.jpg" alt="新款手机">新款手机 直降500</a></noscript>`,
    );
    expect(ads).toMatchObject([
      {
        landingUrl: 'https://www.shouji-mall.test/p/9',
        clickUrl: click,
        adNetwork: 'adnet.test',
        slot: 'banner',
      },
    ]);
  });

  test('an off-site banner of a standard ad size is an ad; a partner logo is not', () => {
    expect(
      adsOf(
        '<p><a href="https://adv.test/"><img src="https://adv.test/b.jpg" width="728" height="90"></a></p>',
      ),
    ).toHaveLength(1);
    expect(
      adsOf(
        '<p><a href="https://adv.test/"><img src="https://adv.test/logo.png" width="88" height="31"></a></p>',
      ),
    ).toEqual([]);
  });

  test('an iframe from an ad path is an ad; video, map and same-site widgets are not', () => {
    const ads = adsOf(
      '<iframe src="https://media.partner.test/ads/frame.html?slot=3" width="300" height="250"></iframe>' +
        '<iframe src="https://www.youtube.com/embed/abc" width="560" height="315"></iframe>' +
        '<iframe src="https://map.baidu.com/?l=1" width="300" height="250"></iframe><iframe src="/widgets/cart.html"></iframe>',
    );
    expect(ads.map((ad) => [ad.slot, ad.frameSrc])).toEqual([
      ['iframe', 'https://media.partner.test/ads/frame.html?slot=3'],
    ]);
  });

  test('a pop-up with an off-site image creative is an ad; a login modal or cookie notice is not', () => {
    const ads = adsOf(
      `<div class="popup" style="position:fixed">${offSiteBanner}</div>` +
        '<div class="modal" role="dialog"><form><input name="u"></form><a href="/forgot">忘记密码</a></div>' +
        '<div class="overlay cookie"><p>We use cookies.</p><a href="https://cookie-consent.test/policy">Learn more</a></div>',
    );
    expect(ads.map((ad) => ad.slot)).toEqual(['popup']);
  });
});

describe('what must not be taken for an ad', () => {
  test('an on-site promotion in an ad-like slot is not an ad', () => {
    expect(
      adsOf(
        '<div class="ad-banner"><a href="/act/618"><img src="/act/618_728x90.jpg" alt="618大促"></a></div>',
      ),
    ).toEqual([]);
  });

  test('government, filing and licence-badge links are not ads, whatever the slot', () => {
    const ads = adsOf(
      '<div class="ad"><a href="https://zzlz.gsxt.gov.cn/businessCheck/verifKey.do?serial=1"><img src="/yyzz.png" alt="电子营业执照"></a></div>' +
        '<div class="ad"><a href="https://beian.miit.gov.cn/">京ICP备12345678号</a></div>' +
        '<div class="sponsor"><a href="https://www.12377.cn/"><img src="/j.png" alt="举报中心"></a></div>' +
        '<div class="ad"><a href="https://trust.example.test/verify"><img src="/kx.png" alt="可信网站 身份认证"></a></div>',
    );
    expect(ads).toEqual([]);
  });

  test('friend and partner links without any ad signal are not ads', () => {
    const ads = adsOf(
      '<div class="friend-links">友情链接：<a href="https://www.citytravel.test/">城市旅游网</a> <a href="https://jobs.test/">招聘网</a></div>' +
        '<div class="partners"><a href="https://bank.test/"><img src="https://bank.test/logo.png" alt="合作银行"></a></div>',
    );
    expect(ads).toEqual([]);
  });

  test('social share buttons are not ads, even with an ad-like label nearby', () => {
    const ads = adsOf(
      '<div class="share-bar"><span>Sponsored</span><a href="https://www.facebook.com/sharer/sharer.php?u=x"><img src="/fb.png" alt="Facebook"></a></div>' +
        '<p><a href="https://service.weibo.com/share/share.php?url=x" rel="sponsored">微博</a></p>',
    );
    expect(ads).toEqual([]);
  });
});

describe('ad ids', () => {
  const creative = (landing: string, img = 'https://img.adv.test/b.jpg'): string =>
    `<div class="ad"><a href="${landing}"><img src="${img}" alt="减肥茶"></a><p>七天瘦十斤</p></div>`;

  test('one creative seen on many pages and sites is one ad', () => {
    const a = adsOf(
      creative('https://www.adv.test/land?utm_source=site-a&utm_medium=banner'),
      'https://site-a.test/1.html',
    );
    const b = adsOf(creative('https://www.adv.test/land?utm_source=site-b'), 'https://site-b.test/x/2.html');
    expect(a).toHaveLength(1);
    expect(a[0]?.id).toBe(b[0]?.id);
  });

  test('the same ad frame on different pages is one ad (placement and cache-busting parameters ignored)', () => {
    const frame = (query: string): string =>
      `<div class="ad-slot"><iframe src="https://ads.adnet.test/creative/c42?${query}" width="300" height="250"></iframe></div>`;
    const a = adsOf(frame('pub=site-a.test&slot=top&cb=123'), 'https://site-a.test/');
    const b = adsOf(frame('pub=site-b.test&slot=side&cb=456'), 'https://site-b.test/');
    expect(a[0]?.id).toBe(b[0]?.id);
  });

  test('a different text, image or landing is a different ad', () => {
    const base = adsOf(creative('https://www.adv.test/land'))[0]?.id;
    expect(adsOf(creative('https://www.adv.test/land2'))[0]?.id).not.toBe(base);
    expect(adsOf(creative('https://www.adv.test/land', 'https://img.adv.test/c.jpg'))[0]?.id).not.toBe(base);
    expect(adsOf(creative('https://www.adv.test/land').replace('七天', '十天'))[0]?.id).not.toBe(base);
  });

  test('the same creative twice on a page is listed once', () => {
    expect(adsOf(creative('https://www.adv.test/land') + creative('https://www.adv.test/land'))).toHaveLength(
      1,
    );
  });
});
