import { errorCode } from '../../core/errors.js';
import { hostKey, normalizeUrl, siteKey, urlId } from '../../indexer/frontier/url-normalize.js';

/** The error code `normalizeUrl` throws for `input`, or `none`. */
function codeOf(input: string): string {
  try {
    normalizeUrl(input);
    return 'none';
  } catch (error) {
    return errorCode(error);
  }
}

describe('normalizeUrl', () => {
  const table: [string, string, string][] = [
    ['lower-cases scheme and host', 'HTTP://Shop.Example.COM/Path', 'http://shop.example.com/Path'],
    [
      'turns an IDN host into punycode',
      'https://商店.中国/产品',
      'https://xn--czrs0t.xn--fiqs8s/%E4%BA%A7%E5%93%81',
    ],
    ['turns a Latin IDN host into punycode', 'http://MÜNCHEN.de/', 'http://xn--mnchen-3ya.de/'],
    ['drops the default http port', 'http://example.com:80/a', 'http://example.com/a'],
    ['drops the default https port', 'https://example.com:443/a', 'https://example.com/a'],
    ['keeps a non-default port', 'http://example.com:8080/a', 'http://example.com:8080/a'],
    ['drops the fragment', 'http://example.com/a#reviews', 'http://example.com/a'],
    ['resolves dot segments', 'http://example.com/a/./b/../c', 'http://example.com/a/c'],
    ['gives an empty path a slash', 'http://example.com', 'http://example.com/'],
    ['sorts query parameters by name', 'http://example.com/?z=1&a=2&m=3', 'http://example.com/?a=2&m=3&z=1'],
    [
      'keeps the order of a repeated name',
      'http://example.com/?b=1&a=2&a=1',
      'http://example.com/?a=2&a=1&b=1',
    ],
    [
      'removes utm_* parameters',
      'http://example.com/p?utm_source=x&utm_Medium=y&id=7',
      'http://example.com/p?id=7',
    ],
    [
      'removes click ids',
      'http://example.com/p?gclid=1&fbclid=2&msclkid=3&id=7',
      'http://example.com/p?id=7',
    ],
    [
      'removes spm and from',
      'https://item.example.cn/i?id=9&spm=a21.b&from=timeline',
      'https://item.example.cn/i?id=9',
    ],
    ['removes an empty query', 'http://example.com/p?', 'http://example.com/p'],
    ['removes a query of tracking only', 'http://example.com/p?utm_campaign=z', 'http://example.com/p'],
    ['decodes escaped unreserved characters', 'http://example.com/%7Euser/%61', 'http://example.com/~user/a'],
    ['upper-cases other escapes', 'http://example.com/a%2fb?q=%e4', 'http://example.com/a%2Fb?q=%E4'],
    ['drops credentials', 'http://user:secret@example.com/', 'http://example.com/'],
    ['drops the trailing dot of the host', 'http://example.com./a', 'http://example.com/a'],
    [
      'keeps a trailing index.html (documented choice)',
      'http://example.com/index.html',
      'http://example.com/index.html',
    ],
    ['keeps http and https apart', 'https://example.com/', 'https://example.com/'],
    ['keeps a trailing slash', 'http://example.com/a/', 'http://example.com/a/'],
  ];

  it.each(table)('%s', (_name, input, expected) => {
    expect(normalizeUrl(input)).toBe(expected);
  });

  it('resolves a relative link against its page', () => {
    expect(normalizeUrl('../b?x=1#top', 'http://example.com/a/c/page.html')).toBe(
      'http://example.com/a/b?x=1',
    );
  });

  it('is idempotent', () => {
    for (const [, input] of table) {
      const once = normalizeUrl(input);
      expect(normalizeUrl(once)).toBe(once);
    }
  });

  it('when the input is not a URL, throws URL_INVALID', () => {
    expect(codeOf('not a url')).toBe('URL_INVALID');
    expect(codeOf('/relative/without/base')).toBe('URL_INVALID');
    expect(codeOf('http://')).toBe('URL_INVALID');
  });

  it('when the scheme is not http(s), throws URL_UNSUPPORTED_SCHEME', () => {
    for (const input of ['mailto:a@b.cn', 'javascript:void(0)', 'ftp://example.com/f', 'data:text/plain,x']) {
      expect(codeOf(input)).toBe('URL_UNSUPPORTED_SCHEME');
    }
  });

  it('accepts a caller list of tracking parameters', () => {
    expect(normalizeUrl('http://e.com/?from=2024&ref=x', undefined, { trackingParams: ['ref'] })).toBe(
      'http://e.com/?from=2024',
    );
  });
});

describe('urlId', () => {
  it('is 32 hex characters of sha256 and equal for every spelling of one page', () => {
    const spellings = [
      'http://Example.com:80/a/./b/../c?y=2&x=1#f',
      'http://example.com/a/c?x=1&y=2',
      'http://example.com/a/%63?utm_source=news&x=1&y=2',
    ];
    const ids = new Set(spellings.map(urlId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{32}$/);
    expect(urlId('http://example.com/a/d')).not.toBe([...ids][0]);
  });
});

describe('hostKey and siteKey', () => {
  it('keys politeness by host and budgets by registrable domain', () => {
    expect(hostKey('https://shop.example.com.cn/a')).toBe('shop.example.com.cn');
    expect(siteKey('https://shop.example.com.cn/a')).toBe('example.com.cn');
    expect(siteKey('http://127.0.0.1:8081/a')).toBe('127.0.0.1:8081');
    expect(hostKey('http://127.0.0.1:8081/a')).toBe('127.0.0.1:8081');
  });
});
