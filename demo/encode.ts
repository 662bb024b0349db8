import iconv from 'iconv-lite';
import type { SiteTruth } from './types.js';

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Bytes of a page in the site's encoding (GBK, GB18030 and Big5 through iconv-lite; BOM-prefixed UTF-8). */
export function encodeHtml(html: string, site: Pick<SiteTruth, 'encoding'>): Buffer {
  switch (site.encoding) {
    case 'gbk':
    case 'gb18030':
    case 'big5':
      return iconv.encode(html, site.encoding);
    case 'utf-8-bom':
      return Buffer.concat([BOM, Buffer.from(html, 'utf8')]);
    default:
      return Buffer.from(html, 'utf8');
  }
}

/** Content-Type header value: with the charset only when the site declares it in the header. */
export function htmlContentType(site: Pick<SiteTruth, 'charset_declared' | 'charset_label'>): string {
  return site.charset_declared === 'header' || site.charset_declared === 'header+meta'
    ? `text/html; charset=${site.charset_label}`
    : 'text/html';
}

/** iconv-lite name of a site's encoding, for decoding its bytes. */
export function decoderName(site: Pick<SiteTruth, 'encoding'>): string {
  return site.encoding === 'utf-8-bom' ? 'utf-8' : site.encoding;
}
