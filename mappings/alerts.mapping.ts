import { defineIndex } from './definition.js';
import {
  boolean,
  date,
  domain,
  integer,
  long,
  jurisdiction,
  keyword,
  nested,
  object,
  text,
  urlKeyword,
} from './fields.js';

/** `alerts`: rule hits with a lifecycle (open → acknowledged → resolved / false_positive). */
export const alertsDefinition = defineIndex('alerts', {
  id: keyword(),
  rule_id: keyword(),
  rule_version: integer(),
  rule_name: keyword(),
  severity: keyword(),
  category: keyword(),
  /** `page` or `ad`. */
  target: keyword(),
  doc_id: keyword(),
  url: urlKeyword(),
  host: domain(),
  site: keyword(),
  operator_id: keyword(),
  jurisdiction: jurisdiction(),
  status: keyword(),
  assignee: keyword(),
  /** Same rule, same document (or same operator): one alert, `hit_count` grows. */
  dedupe_key: keyword(),
  hit_count: integer(),
  first_hit_at: date(),
  last_hit_at: date(),
  created_at: date(),
  updated_at: date(),
  acknowledged_at: date(),
  resolved_at: date(),
  resolution_note: text(),
  acknowledged_by: keyword(),
  resolved_by: keyword(),
  legal_basis: text(),
  /** A realerted key keeps one live alert; earlier ones are archived as `${id}.${generation}`. */
  generation: integer(),
  /** When the matched document was indexed, and how long until this alert was stored. */
  indexed_at: date(),
  alert_latency_ms: long(),
  /** Scheduled rules only: the window and group the alert is about. */
  window: object({
    type: keyword(),
    start: date(),
    end: date(),
    group_field: keyword(),
    group: keyword(),
    count: long(),
    reference: long(),
    terms: keyword(),
    summary: text(),
  }),
  /** Delivery state: one record per delivery attempt set (`queued` for a digest, then `sent`/`failed`/…). */
  notifications: nested({
    channel: keyword(),
    recipient: keyword(),
    sent_at: date(),
    status: keyword(),
    error: keyword(),
    attempts: integer(),
    route_id: keyword(),
    digest: boolean(),
  }),
});
