import { defineIndex } from './definition.js';
import {
  boolean,
  date,
  domain,
  identifier,
  integer,
  jurisdiction,
  keyword,
  lowercaseKeyword,
  text,
  textWithKeyword,
} from './fields.js';

/** `entities`: operators (platform, shop, self-run site, third-party service, access provider). */
export const entitiesDefinition = defineIndex('entities', {
  id: keyword(),
  kind: keyword(),
  name: textWithKeyword(),
  uscc: identifier(),
  /** Whether the USCC check digit holds. */
  uscc_valid: boolean(),
  licence_numbers: identifier(),
  icp_numbers: identifier(),
  domains: domain(),
  registered_domains: lowercaseKeyword(),
  phones: identifier(),
  address: text(),
  classification: keyword(),
  risk_tier: keyword(),
  district: keyword(),
  jurisdiction: jurisdiction(),
  inspector: keyword(),
  inspection_frequency_days: integer(),
  created_at: date(),
  updated_at: date(),
});
