/**
 * Ground-truth URLs are port-free (`http://shop-03.test/product/12`) because the demo server
 * listens on a port chosen at start; these helpers put the port in.
 */

/** `http://<host>:<port><path>`; `path` must start with `/`. */
export function demoUrl(host: string, path: string, port: number): string {
  return `http://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Port-free form used in the ground truth: `http://<host><path>`. */
export function portFreeUrl(host: string, path: string): string {
  return `http://${host}${path.startsWith('/') ? path : `/${path}`}`;
}

/** Adds the port to a port-free `http://*.test/...` URL; other URLs (real sites) pass unchanged. */
export function withPort(url: string, port: number): string {
  const match = /^http:\/\/([a-z0-9.-]+\.test)(\/.*)?$/i.exec(url);
  if (!match) return url;
  return demoUrl(match[1] ?? '', match[2] ?? '/', port);
}

/** `host + path` key of a page, as the ground truth lists it. */
export function pageKey(host: string, path: string): string {
  return `${host}${path}`;
}
