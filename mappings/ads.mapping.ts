import { defineIndex, type Properties } from './definition.js';
import {
  documentFields,
  domain,
  float,
  integer,
  keyword,
  mergeProperties,
  text,
  textWithKeyword,
  urlKeyword,
} from './fields.js';

/** Most page URLs an ad document lists; `page_count` keeps the true number. */
export const MAX_AD_PAGE_URLS = 100;

/** Fields of an ad seen on crawled pages; the rules index maps them too, so rules can query them. */
export function adFields(): Properties {
  return mergeProperties(documentFields(), {
    creative_text: text(),
    image_alt: text(),
    image_src: urlKeyword(),
    landing_url: urlKeyword(),
    landing_domain: domain(),
    /** Id the landing URL's page has in `pages` (indexer/index/landing-copy.ts). */
    landing_page_id: keyword(),
    /** The landing page's title and a bounded excerpt of its text, while that page is indexed. */
    landing_title: text(),
    landing_text: text(),
    advertiser: textWithKeyword(),
    slot: keyword(),
    ad_network: keyword(),
    /** At most MAX_AD_PAGE_URLS entries. */
    page_urls: urlKeyword(),
    sites: keyword(),
    page_count: integer(),
    seen_count: integer(),
    category: keyword(),
    category_confidence: float(),
    /** The operator registering the landing domain: who advertises (linking stage). */
    advertiser_operator_id: keyword(),
  });
}

/** `ads`: one document per distinct creative and landing URL. */
export const adsDefinition = defineIndex('ads', adFields());
