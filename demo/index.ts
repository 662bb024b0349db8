/** The demo web: synthetic e-commerce operators on `.test` hosts, with ground truth. See demo/README.md. */
export { generateDemoWeb, parseDemoWebOptions, type DemoWeb, type DemoWebOptions } from './generator.js';
export { startDemoServer, type DemoServer, type DemoServerOptions } from './server.js';
export { demoUrl, portFreeUrl, withPort, pageKey } from './urls.js';
export {
  DEFAULT_GROUND_TRUTH_PATH,
  loadGroundTruth,
  stringifyGroundTruth,
  writeGroundTruth,
} from './ground-truth.js';
export { decoderName, encodeHtml, htmlContentType } from './encode.js';
export { allTerms } from './vocab/claims.js';
export { AD_NETWORK_HOST } from './vocab/ads.js';
export { BRAND_HOST, LAB_HOST, MALL_HOST, SERVICE_HOST } from './sites.js';
export { FLAKY_FAILURES, HUGE_PAGE_MB, LAB_SLOW_MS, PRIVATE_TARGETS, SHOP_SLOW_MS } from './specials.js';
export { FAKE_DISCOUNT_RATIO } from './render/shop.js';
export { ROBOTS_AGENT } from './robots.js';
export type * from './types.js';
