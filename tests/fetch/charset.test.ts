import iconv from 'iconv-lite';
import { decodeBody, detectCharset, normalizeCharset } from '../../indexer/fetch/charset.js';

const CHINESE =
  '网上商城欢迎光临，全场商品八折优惠，国家级品质保证，最佳选择。本店经营食品、化妆品、家用电器。';
const TRADITIONAL =
  '網上商城歡迎光臨，全場商品八折優惠，國家級品質保證，最佳選擇。本店經營食品、化妝品、家用電器。';

function page(body: string, head = ''): string {
  return `<!DOCTYPE html><html><head>${head}<title>商城</title></head><body><p>${body}</p></body></html>`;
}

describe('charset detection and decoding', () => {
  test('a charset in the Content-Type header decodes GBK', () => {
    const bytes = iconv.encode(page(CHINESE), 'gbk');
    const decoded = decodeBody(bytes, 'text/html; charset=GBK');
    expect(decoded).toMatchObject({ charset: 'gb18030', source: 'header' });
    expect(decoded.text).toContain(CHINESE);
  });

  test('a gb2312 label decodes characters only GB18030 has (the superset is used)', () => {
    // 镕 is GBK-only, 𠀀 (U+20000) needs GB18030's four-byte form; real "gb2312" pages contain both.
    const text = page('朱镕基 𠀀 网店');
    const decoded = decodeBody(iconv.encode(text, 'gb18030'), 'text/html; charset="gb2312"');
    expect(decoded.text).toBe(text);
    expect(decoded.text).not.toContain('\uFFFD');
  });

  test('a <meta charset> alone is found when the header has none', () => {
    const bytes = iconv.encode(page(CHINESE, '<meta charset="gbk">'), 'gbk');
    expect(decodeBody(bytes, 'text/html')).toMatchObject({ charset: 'gb18030', source: 'meta' });
    expect(decodeBody(bytes, 'text/html').text).toContain(CHINESE);
  });

  test('a <meta http-equiv=Content-Type> is found, a commented-out meta is not', () => {
    const head =
      '<!-- <meta charset="big5"> --><meta http-equiv="Content-Type" content="text/html; charset=gb2312">';
    const bytes = iconv.encode(page(CHINESE, head), 'gbk');
    expect(detectCharset(bytes)).toEqual({ charset: 'gb18030', source: 'meta' });
  });

  test('an XML declaration names the encoding of a sitemap', () => {
    const xml = `<?xml version="1.0" encoding="GBK"?><urlset><url><loc>https://shop.test/${CHINESE}</loc></url></urlset>`;
    expect(decodeBody(iconv.encode(xml, 'gbk')).text).toContain(CHINESE);
  });

  test('without any declaration, GBK bytes are sniffed', () => {
    const decoded = decodeBody(iconv.encode(page(CHINESE), 'gbk'), 'text/html');
    expect(decoded).toMatchObject({ charset: 'gb18030', source: 'sniff' });
    expect(decoded.text).toContain(CHINESE);
  });

  test('Big5 is decoded from the header and sniffed without it', () => {
    const bytes = iconv.encode(page(TRADITIONAL), 'big5');
    expect(decodeBody(bytes, 'text/html; charset=big5')).toMatchObject({ charset: 'big5', source: 'header' });
    const sniffed = decodeBody(bytes);
    expect(sniffed).toMatchObject({ charset: 'big5', source: 'sniff' });
    expect(sniffed.text).toContain(TRADITIONAL);
  });

  test('Shift_JIS and UTF-16 decode', () => {
    const japanese = '日本語のページです。送料無料キャンペーン実施中！';
    expect(
      decodeBody(iconv.encode(page(japanese), 'shift_jis'), 'text/html; charset=Shift_JIS').text,
    ).toContain(japanese);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(page(CHINESE), 'utf-16le')]);
    expect(decodeBody(utf16)).toMatchObject({ charset: 'utf-16le', source: 'bom' });
    expect(decodeBody(utf16).text.startsWith('<!DOCTYPE')).toBe(true);
  });

  test('a UTF-8 BOM wins over a wrong header charset and is stripped from the text', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(page(CHINESE), 'utf8')]);
    const decoded = decodeBody(bytes, 'text/html; charset=gbk');
    expect(decoded).toMatchObject({ charset: 'utf-8', source: 'bom' });
    expect(decoded.text.startsWith('<!DOCTYPE')).toBe(true);
    expect(decoded.text).toContain(CHINESE);
  });

  test('UTF-8 without a declaration is sniffed; pure ASCII falls to the utf-8 default', () => {
    expect(detectCharset(Buffer.from(page(CHINESE), 'utf8'))).toEqual({ charset: 'utf-8', source: 'sniff' });
    expect(detectCharset(Buffer.from('<html>hello</html>'))).toEqual({ charset: 'utf-8', source: 'default' });
  });

  test('an unknown label is ignored and the next source is used', () => {
    const bytes = iconv.encode(page(CHINESE, '<meta charset="gbk">'), 'gbk');
    expect(detectCharset(bytes, 'text/html; charset=x-klingon')).toEqual({
      charset: 'gb18030',
      source: 'meta',
    });
    expect(normalizeCharset('x-klingon')).toBeUndefined();
    expect(normalizeCharset(' "GB2312" ')).toBe('gb18030');
    expect(normalizeCharset('ISO-8859-1')).toBe('windows-1252');
  });

  test('invalid bytes never throw: they become replacement characters', () => {
    const garbage = Buffer.from([0x3c, 0x70, 0x3e, 0xff, 0xfe, 0x81, 0x30, 0xc3, 0x28, 0xa1]);
    for (const contentType of [
      'text/html; charset=utf-8',
      'text/html; charset=gbk',
      'text/html; charset=big5',
    ]) {
      const decoded = decodeBody(garbage, contentType);
      expect(decoded.text.startsWith('<p>')).toBe(true);
    }
    expect(decodeBody(Buffer.from([0xc3, 0x28]), 'text/plain; charset=utf-8').text).toContain('\uFFFD');
    // A GBK lead byte cut off at the end of the body.
    expect(
      decodeBody(Buffer.concat([iconv.encode('商城', 'gbk'), Buffer.from([0xb5])]), 'text/html; charset=gbk')
        .text,
    ).toMatch(/^商城/);
  });
});
