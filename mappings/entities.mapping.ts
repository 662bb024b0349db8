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
  object,
  text,
  textWithKeyword,
  urlKeyword,
} from './fields.js';

/**
 * `entities`: operators (platform, shop, self-run site, service provider, access provider); every
 * field of `Operator` in registry/types.ts, plus `registered_domains` derived from `domains`.
 */
export const entitiesDefinition = defineIndex('entities', {
  id: keyword(),
  name: textWithKeyword(),
  uscc: identifier(),
  /** Whether the USCC check digit holds. */
  uscc_valid: boolean(),
  licence_numbers: identifier(),
  icp_numbers: identifier(),
  domains: domain(),
  /** Registered domains (public suffix list) of `domains`, for linking by site. */
  registered_domains: lowercaseKeyword(),
  shop_urls: urlKeyword(),
  platform_id: keyword(),
  type: keyword(),
  classification: keyword(),
  risk_tier: keyword(),
  status: keyword(),
  contact: object({ person: keyword(), phone: identifier(), email: lowercaseKeyword() }),
  address: text(),
  district: keyword(),
  jurisdiction: jurisdiction(),
  inspector_id: keyword(),
  inspection_frequency_days: integer(),
  source_focus: boolean(),
  notes: text(),
  created_at: date(),
  updated_at: date(),
});
