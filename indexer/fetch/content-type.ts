/**
 * Decides from the lower-case MIME type (no parameters; `''` when the server sent none) whether a response body
 * is worth reading.
 */
export type ContentTypeGate = (mimeType: string) => boolean;

/** `text/html; charset=GBK` → `text/html`; missing or malformed → `''`. */
export function mimeTypeOf(contentType: string | undefined): string {
  const essence = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return /^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(essence) ? essence : '';
}

const isXml = (mime: string): boolean =>
  mime === 'text/xml' || mime === 'application/xml' || mime.endsWith('+xml');

/** Pages: HTML, XHTML, XML (incl. RSS/Atom) and plain text; a missing type is let through and sniffed for binary. */
export const acceptPage: ContentTypeGate = (mime) =>
  mime === '' || mime === 'text/html' || mime === 'text/plain' || isXml(mime);

/** robots.txt: any text (servers often label it text/html) or nothing at all. */
export const acceptRobots: ContentTypeGate = (mime) => mime === '' || mime.startsWith('text/');

/** Sitemaps: XML, text sitemaps, and gzip files under the names servers give them. */
export const acceptSitemap: ContentTypeGate = (mime) =>
  mime === '' ||
  mime === 'text/plain' ||
  isXml(mime) ||
  mime === 'application/gzip' ||
  mime === 'application/x-gzip' ||
  mime === 'application/octet-stream';

/**
 * Whether an untyped body is binary: NUL bytes in its first KB (UTF-16 text, recognisable by its BOM, excepted).
 * Used only when the server sent no Content-Type.
 */
export function looksBinary(body: Uint8Array): boolean {
  if ((body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff)) return false;
  return body.subarray(0, 1024).includes(0);
}
