import { LAB_HOST } from './sites.js';
import type { EndpointTruth, SiteTruth } from './types.js';

/** Delay of the lab's slow endpoints unless `?ms=` says otherwise (capped at `MAX_SLOW_MS`). */
export const LAB_SLOW_MS = 3000;
export const MAX_SLOW_MS = 10_000;
/** Size of the huge page unless `?mb=` says otherwise (capped at 200). */
export const HUGE_PAGE_MB = 30;
/** Times the flaky endpoints answer 503 before a 200 (per key). */
export const FLAKY_FAILURES = 2;
/** Delay of the slow page inside a shop (kept short so crawls of the demo stay quick). */
export const SHOP_SLOW_MS = 1500;
export const PRIVATE_TARGETS = {
  metadata: 'http://169.254.169.254/latest/meta-data/',
  private: 'http://10.0.0.1/',
} as const;

const lab = (path: string, behaviour: string, status: number, description: string): EndpointTruth => ({
  site: 'lab',
  host: LAB_HOST,
  path,
  behaviour,
  status,
  description,
});

/** Every special endpoint of `lab.test`, documented in demo/README.md. */
export function labEndpoints(): EndpointTruth[] {
  return [
    lab('/slow', 'slow', 200, `waits ${LAB_SLOW_MS} ms (or ?ms=, max ${MAX_SLOW_MS}) before answering`),
    lab(
      '/slow-body',
      'slow_body',
      200,
      `sends headers at once, then the body in 6 pieces over ${LAB_SLOW_MS} ms (or ?ms=)`,
    ),
    lab('/status/500', 'status', 500, 'always 500; /status/<code> answers any code 200-599'),
    lab(
      '/flaky',
      'flaky',
      200,
      `503 with Retry-After: 1 the first ?fail= (default ${FLAKY_FAILURES}) times per ?key=, then 200`,
    ),
    lab(
      '/redirect/chain',
      'redirect_chain',
      200,
      '301 → /redirect/chain/2, 302 → /redirect/chain/3, then 200',
    ),
    lab('/redirect/loop', 'redirect_loop', 302, '302 → /redirect/loop/2 → 302 → /redirect/loop, forever'),
    lab(
      '/redirect/metadata',
      'redirect_private',
      302,
      `302 to ${PRIVATE_TARGETS.metadata} (SSRF guard must refuse)`,
    ),
    lab(
      '/redirect/private',
      'redirect_private',
      302,
      `302 to ${PRIVATE_TARGETS.private} (SSRF guard must refuse)`,
    ),
    lab('/huge', 'huge', 200, `${HUGE_PAGE_MB} MB of HTML streamed without Content-Length (?mb= to change)`),
    lab('/huge-declared', 'huge_declared', 200, `${HUGE_PAGE_MB} MB with Content-Length declared up front`),
    lab('/binary.bin', 'binary', 200, 'application/octet-stream, 64 KiB of bytes'),
    lab('/image.png', 'image', 200, 'image/png, a valid 1×1 PNG'),
    lab(
      '/malformed',
      'malformed_html',
      200,
      'unclosed tags, broken attributes, stray </div>, unquoted values',
    ),
    lab('/malformed/utf8', 'invalid_bytes', 200, 'declares UTF-8, contains invalid UTF-8 sequences'),
    lab('/malformed/gbk', 'invalid_bytes', 200, 'declares GBK, contains bytes that are not GBK'),
    lab('/wrong-type/html-as-text', 'wrong_content_type', 200, 'an HTML document served as text/plain'),
    lab('/wrong-type/png-as-html', 'wrong_content_type', 200, 'PNG bytes served as text/html'),
    lab('/cached', 'conditional', 200, 'ETag and Last-Modified; 304 to If-None-Match / If-Modified-Since'),
    lab('/compressed', 'compressed', 200, 'br, gzip or deflate as Accept-Encoding allows'),
    lab('/compressed/gzip', 'compressed', 200, 'always gzip, whatever the client accepts'),
    lab('/compressed/br', 'compressed', 200, 'always brotli, whatever the client accepts'),
    lab('/private/report', 'robots_disallowed', 200, 'disallowed by robots.txt (Disallow: /private)'),
  ];
}

/** A few special endpoints inside shops, linked from their home pages. */
export function shopEndpoints(shops: readonly SiteTruth[]): EndpointTruth[] {
  const out: EndpointTruth[] = [];
  const at = (index: number, path: string, behaviour: string, status: number, description: string): void => {
    const shop = shops[index];
    if (shop)
      out.push({
        site: shop.id,
        host: shop.host,
        path: `${shop.base_path}${path}`,
        behaviour,
        status,
        description,
      });
  };
  at(0, '/flash-sale', 'slow', 200, `waits ${SHOP_SLOW_MS} ms, then the home page content`);
  at(1, '/stock-status', 'flaky', 200, `503 with Retry-After: 1 the first ${FLAKY_FAILURES} times, then 200`);
  at(2, '/promo/2019', 'redirect_chain', 200, '301 → /promo/2020, 302 → / (home)');
  at(5, '/product/99999', 'dead_link', 404, 'linked from the home page, answers 404');
  return out;
}
