import { defineIndex } from './definition.js';
import { date, keyword, opaque } from './fields.js';

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
  prev_hash: keyword(),
  hash: keyword(),
});
