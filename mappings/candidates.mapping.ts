import { defineIndex } from './definition.js';
import {
  date,
  domain,
  identifier,
  integer,
  keyword,
  lowercaseKeyword,
  object,
  urlKeyword,
} from './fields.js';

/** Most sample URLs a candidate lists; `page_count` keeps the true number. */
export const MAX_CANDIDATE_SAMPLE_URLS = 20;

/**
 * `candidates`: sites that look like e-commerce (prices, cart and checkout, product offers) but link to
 * no registered operator, one document per registered domain (its id), for review as unlicensed
 * operators: `open` → `registered` (an operator now covers the domain) or `dismissed`.
 */
export const candidatesDefinition = defineIndex('candidates', {
  id: keyword(),
  /** Registered domain, e.g. `example.com.cn`. */
  domain: lowercaseKeyword(),
  hosts: domain(),
  status: keyword(),
  status_changed_at: date(),
  /** Set when the domain came to link to an operator. */
  operator_id: keyword(),
  first_seen: date(),
  last_seen: date(),
  /** At most MAX_CANDIDATE_SAMPLE_URLS entries. */
  sample_urls: urlKeyword(),
  page_count: integer(),
  evidence: object({
    /** Prices over the sampled pages. */
    price_count: integer(),
    /** Prices from product markup (JSON-LD, microdata, meta) over the sampled pages. */
    structured_price_count: integer(),
    /** Cart and checkout words seen, e.g. `加入购物车`, `checkout`. */
    cart_signals: keyword(),
    uscc: identifier(),
    /** USCC-shaped codes with a wrong check digit: a fabricated or mistyped identity. */
    uscc_invalid: identifier(),
    icp: identifier(),
    licence: identifier(),
    /** Operators whose identifiers the site shows without having registered it. */
    claimed_operator_ids: keyword(),
  }),
  /** Administrative division (6 digits) from the USCCs shown: where a registration would belong. */
  district_hints: keyword(),
  updated_at: date(),
});
