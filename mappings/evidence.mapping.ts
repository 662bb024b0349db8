import { defineIndex } from './definition.js';
import { date, integer, jurisdiction, keyword, long, text, urlKeyword } from './fields.js';

/** `evidence`: tamper-evident captures (WARC + SHA-256) chained by hash. */
export const evidenceDefinition = defineIndex('evidence', {
  id: keyword(),
  /** Where the evidence belongs, copied from its page or alert: scopes who may see it. */
  jurisdiction: jurisdiction(),
  url: urlKeyword(),
  page_id: keyword(),
  alert_id: keyword(),
  case_id: keyword(),
  requested_by: keyword(),
  requested_at: date(),
  captured_at: date(),
  /** `requested`, `captured`, `failed`. */
  status: keyword(),
  http_status: integer(),
  content_type: keyword(),
  content_sha256: keyword(),
  warc_sha256: keyword(),
  /** Key of the WARC file in the content-addressed blob store. */
  warc_key: keyword(),
  screenshot_sha256: keyword(),
  size_bytes: long(),
  prev_hash: keyword(),
  chain_hash: keyword(),
  note: text(),
  error: keyword(),
});
