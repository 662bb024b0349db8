import { defineIndex } from './definition.js';
import { date, keyword, opaque } from './fields.js';

/** `operator-history`: one document per change of an operator: who, when, which fields from → to. */
export const operatorHistoryDefinition = defineIndex('operator-history', {
  id: keyword(),
  operator_id: keyword(),
  /** `create`, `update` or `import`. */
  action: keyword(),
  actor: keyword(),
  at: date(),
  /** Names of the changed fields, for "who changed the inspector" searches. */
  fields: keyword(),
  /** `[{ field, from, to }]`, kept in `_source` only: values of any type, no nested documents to index. */
  changes: opaque(),
});
