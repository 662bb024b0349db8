import chardet from 'chardet';
import iconv from 'iconv-lite';

/** Where the charset of a body came from, strongest first. */
export type CharsetSource = 'bom' | 'header' | 'meta' | 'sniff' | 'default';

export interface DetectedCharset {
  /** Canonical lower-case name (WHATWG spelling): `utf-8`, `gb18030`, `big5`, `shift_jis`, `utf-16le`, ... */
  charset: string;
  source: CharsetSource;
}

export interface DecodedBody extends DetectedCharset {
  text: string;
}

/** How far into the body `<meta charset>` and `<?xml encoding?>` are looked for. */
export const META_PRESCAN_BYTES = 4096;
/** How much of the body the statistical sniffer looks at. */
const SNIFF_SAMPLE_BYTES = 64 * 1024;

/**
 * Labels pages use → the charset we decode with. GB2312 and GBK pages routinely contain characters outside
 * those tables, so every GB label decodes as GB18030, their superset (as browsers do).
 */
const ALIASES: Record<string, string> = {
  utf8: 'utf-8',
  'unicode-1-1-utf-8': 'utf-8',
  gb2312: 'gb18030',
  gbk: 'gb18030',
  'x-gbk': 'gb18030',
  cp936: 'gb18030',
  'windows-936': 'gb18030',
  'gb_2312-80': 'gb18030',
  gb_2312: 'gb18030',
  csgb2312: 'gb18030',
  chinese: 'gb18030',
  'iso-ir-58': 'gb18030',
  'euc-cn': 'gb18030',
  big5: 'big5',
  'big5-hkscs': 'big5',
  'cn-big5': 'big5',
  csbig5: 'big5',
  'x-x-big5': 'big5',
  cp950: 'big5',
  shift_jis: 'shift_jis',
  'shift-jis': 'shift_jis',
  sjis: 'shift_jis',
  ms_kanji: 'shift_jis',
  'windows-31j': 'shift_jis',
  'x-sjis': 'shift_jis',
  csshiftjis: 'shift_jis',
  cp932: 'shift_jis',
  'utf-16': 'utf-16le',
  unicode: 'utf-16le',
  'ucs-2': 'utf-16le',
  'iso-8859-1': 'windows-1252',
  'iso8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'us-ascii': 'windows-1252',
  ascii: 'windows-1252',
};

/** Our canonical names → iconv-lite codecs where the names differ (WHATWG's Big5 and Shift_JIS are the MS supersets). */
const CODECS: Record<string, string> = { big5: 'big5hkscs', shift_jis: 'cp932' };

/**
 * Turns a charset label into the canonical name we decode with, or `undefined` when iconv-lite cannot decode it
 * (an unknown label is ignored and the next source is tried).
 */
export function normalizeCharset(label: string | undefined): string | undefined {
  if (!label) return undefined;
  const key = label
    .trim()
    .replace(/^["']|["']$/g, '')
    .toLowerCase();
  if (key === '') return undefined;
  const canonical = ALIASES[key] ?? key;
  return iconv.encodingExists(CODECS[canonical] ?? canonical) ? canonical : undefined;
}

/** The `charset` parameter of a Content-Type header value, as written (not normalised). */
export function charsetFromContentType(contentType: string | undefined): string | undefined {
  const match = /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType ?? '');
  return match?.[2];
}

function charsetFromBom(body: Uint8Array): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  return undefined;
}

/** `<meta charset>`, `<meta http-equiv="Content-Type" content="...; charset=...">` or an XML declaration. */
function charsetFromMarkup(body: Uint8Array): string | undefined {
  const head = Buffer.from(body.buffer, body.byteOffset, Math.min(body.length, META_PRESCAN_BYTES)).toString(
    'latin1',
  );
  const xml = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([^"']+)["']/i.exec(head);
  const candidates = xml ? [xml[1]] : [];
  // Comments often hold an old template's meta tag; skip them.
  const markup = head.replace(/<!--[\s\S]*?(?:-->|$)/g, '');
  for (const tag of markup.matchAll(/<meta\b[^>]*>/gi)) {
    const found = /charset\s*=\s*["']?\s*([^"'\s;/>]+)/i.exec(tag[0]);
    if (found) candidates.push(found[1]);
  }
  for (const candidate of candidates) {
    const charset = normalizeCharset(candidate);
    // A meta tag readable as ASCII cannot be in UTF-16: the document lies, browsers use UTF-8.
    if (charset) return charset.startsWith('utf-16') ? 'utf-8' : charset;
  }
  return undefined;
}

function isValidUtf8(sample: Uint8Array): boolean {
  try {
    // `stream: true` tolerates a multi-byte sequence cut at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function sniffCharset(body: Uint8Array): DetectedCharset {
  const sample = body.subarray(0, SNIFF_SAMPLE_BYTES);
  if (sample.every((byte) => byte < 0x80)) return { charset: 'utf-8', source: 'default' };
  if (isValidUtf8(sample)) return { charset: 'utf-8', source: 'sniff' };
  for (const match of chardet.analyse(sample)) {
    const charset = normalizeCharset(match.name);
    if (charset) return { charset, source: 'sniff' };
  }
  return { charset: 'utf-8', source: 'default' };
}

/**
 * Charset of a body: BOM → Content-Type header → `<meta>`/XML declaration in the first 4 KB → sniffing → UTF-8.
 * A BOM wins over the header, as in the WHATWG encoding standard: a page that starts with one is in that encoding
 * whatever the server claims.
 */
export function detectCharset(body: Uint8Array, contentType?: string): DetectedCharset {
  const bom = charsetFromBom(body);
  if (bom) return { charset: bom, source: 'bom' };
  const header = normalizeCharset(charsetFromContentType(contentType));
  if (header) return { charset: header, source: 'header' };
  const meta = charsetFromMarkup(body);
  if (meta) return { charset: meta, source: 'meta' };
  return sniffCharset(body);
}

/** Decodes with iconv-lite; invalid bytes become U+FFFD, never an exception. A leading BOM is dropped. */
export function decodeText(body: Uint8Array, charset: string): string {
  const codec = CODECS[charset] ?? charset;
  const buffer = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return iconv.decode(buffer, iconv.encodingExists(codec) ? codec : 'utf-8', { stripBOM: true });
}

/** Detects the charset (see {@link detectCharset}) and decodes the body. */
export function decodeBody(body: Uint8Array, contentType?: string): DecodedBody {
  const detected = detectCharset(body, contentType);
  return { ...detected, text: decodeText(body, detected.charset) };
}
