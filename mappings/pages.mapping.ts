import { defineIndex, type Properties } from './definition.js';
import {
  boolean,
  date,
  documentFields,
  domain,
  float,
  identifier,
  integer,
  keyword,
  lowercaseKeyword,
  mergeProperties,
  nested,
  object,
  text,
  urlKeyword,
  urlPath,
} from './fields.js';

/** Fields of a crawled page; the rules index maps them too, so rules can query them. */
export function pageFields(): Properties {
  return mergeProperties(documentFields(), {
    url: urlKeyword(),
    canonical_url: urlKeyword(),
    host: domain(),
    registered_domain: lowercaseKeyword(),
    path: urlPath(),
    site: keyword(),
    title: text(),
    description: text(),
    text: text(),
    lang: keyword(),
    status: integer(),
    fetched_at: date(),
    content_hash: keyword(),
    version: integer(),
    identifiers: object({
      uscc: identifier(),
      /** Strings shaped like a USCC whose check digit is wrong: a signal, never a match. */
      uscc_invalid: identifier(),
      icp: identifier(),
      licence: identifier(),
      phones: identifier(),
      emails: lowercaseKeyword(),
    }),
    /** Nested, so `amount < 1 AND currency = CNY` holds for one price, not across two. */
    prices: nested({
      amount: { type: 'scaled_float', scaling_factor: 100 },
      currency: keyword(),
      source: keyword(),
    }),
    outlinks_count: integer(),
    ads_count: integer(),
    link: object({ confidence: float(), reason: keyword(), licence_on_file: boolean() }),
    crawl: object({ depth: integer(), etag: keyword(), last_modified: keyword() }),
  });
}

/** `pages`: the latest fetch of every URL (older fetches live in `page-versions`). */
export const pagesDefinition = defineIndex('pages', pageFields());
