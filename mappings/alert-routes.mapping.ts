import { defineIndex } from './definition.js';
import { boolean, date, integer, jurisdiction, keyword, long, object, text } from './fields.js';

/** Kept in `_source` for delivery, never searchable: webhook and robot secrets, robot URLs with tokens. */
const stored = (): { type: 'keyword'; index: false; doc_values: false } => ({
  type: 'keyword',
  index: false,
  doc_values: false,
});

/**
 * `alert-routes`: who is told about which alerts. One entry per jurisdiction node and channel target:
 * an alert goes to every enabled entry whose node contains the alert's operator and whose minimum
 * severity it meets (see `indexer/alert/routing/`).
 */
export const alertRoutesDefinition = defineIndex('alert-routes', {
  id: keyword(),
  name: keyword(),
  description: text(),
  /** The node (city, county, station or grid) and its level. */
  node_id: keyword(),
  node_level: keyword(),
  /** The node's ref, so routes list by scope like every other document. */
  jurisdiction: jurisdiction(),
  min_severity: keyword(),
  /** When set, only alerts of these categories / rules. */
  categories: keyword(),
  rule_ids: keyword(),
  /** The channel target; `channel` is searchable, secrets and URLs stay in `_source`. */
  target: object({
    channel: keyword(),
    url: stored(),
    secret: stored(),
    to: keyword(),
    lang: keyword(),
    atMobiles: keyword(),
    atUserIds: keyword(),
    isAtAll: boolean(),
  }),
  enabled: boolean(),
  /** 0: every alert at once; else one digest per rule per interval. */
  digest_interval_ms: long(),
  /** Alerts at least this severe skip the digest and go at once. */
  bypass_digest_severity: keyword(),
  version: integer(),
  created_at: date(),
  created_by: keyword(),
  updated_at: date(),
  updated_by: keyword(),
});
