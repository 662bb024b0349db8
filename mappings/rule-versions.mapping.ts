import { defineIndex } from './definition.js';
import { date, integer, keyword, opaque } from './fields.js';

/** `rule-versions`: one document per saved version of a rule, id `${rule_id}:${version}` (who, when, what). */
export const ruleVersionsDefinition = defineIndex('rule-versions', {
  id: keyword(),
  rule_id: keyword(),
  version: integer(),
  at: date(),
  actor: keyword(),
  /** `create`, `update`, `enable`, `disable`, `load` (built-in pack). */
  action: keyword(),
  changed_fields: keyword(),
  /** The rule as saved in this version (metadata and compiled query). */
  snapshot: opaque(),
});
