import { defineIndex } from './definition.js';
import { date, keyword, long, opaque } from './fields.js';

/** `audit`: who did what to which object, hash-chained like evidence. */
export const auditDefinition = defineIndex('audit', {
  id: keyword(),
  at: date(),
  actor: keyword(),
  actor_role: keyword(),
  action: keyword(),
  target_type: keyword(),
  target_id: keyword(),
  ip: { type: 'ip' },
  request_id: keyword(),
  /** `ok`, `denied`, `failed`. */
  outcome: keyword(),
  details: opaque(),
  /** Hash chain: one chain per target (`<target_type>:<target_id>`), entries numbered from 1. */
  chain: keyword(),
  seq: long(),
  prev_hash: keyword(),
  hash: keyword(),
});
