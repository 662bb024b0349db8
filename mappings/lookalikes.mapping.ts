import { defineIndex } from './definition.js';
import {
  date,
  domain,
  float,
  integer,
  keyword,
  lowercaseKeyword,
  object,
  text,
  urlKeyword,
} from './fields.js';

/**
 * `lookalikes`: one reviewable finding per suspect domain and protected brand (id `<brand>|<domain>`):
 * how the domain imitates the brand, brand names in its text, and pages copying the brand's.
 */
export const lookalikesDefinition = defineIndex('lookalikes', {
  id: keyword(),
  brand_id: keyword(),
  brand_domain: lowercaseKeyword(),
  /** ASCII (punycode) suspect: a registrable domain, or a host for the subdomain technique. */
  suspect_domain: domain(),
  suspect_unicode: keyword(),
  /** Strongest evidence first: a domain technique, else `text-variant` or `content-copy`. */
  technique: keyword(),
  techniques: keyword(),
  /** Damerau-Levenshtein distance of the suspect label to the brand label. */
  distance: integer(),
  mentions: object({
    name: keyword(),
    found: keyword(),
    distance: integer(),
    count: integer(),
    url: urlKeyword(),
  }),
  /** Closest suspect/brand page pair: Hamming distance of simhashes and 1 − distance/64. */
  simhash_distance: integer(),
  simhash_similarity: float(),
  /** Suspect pages within the near-duplicate distance of a brand page. */
  near_duplicate_pages: integer(),
  pages_compared: integer(),
  pairs: object({
    suspect_url: urlKeyword(),
    brand_url: urlKeyword(),
    distance: integer(),
    similarity: float(),
    shared_ratio: float(),
    shared_sample: keyword(),
    suspect_title: text(),
    brand_title: text(),
    title_similarity: float(),
  }),
  /** `open`, `confirmed` or `dismissed`; set by reviewers, never reset by a rerun. */
  status: keyword(),
  first_seen: date(),
  last_seen: date(),
});
