import { defineIndex } from './definition.js';
import { date, keyword, nested } from './fields.js';

/** A value kept as JSON text in `_source`, never indexed (old and new values of any field type). */
const storedJson = () => ({ type: 'keyword', index: false, doc_values: false });

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
  changes: nested({ field: keyword(), from_json: storedJson(), to_json: storedJson() }),
});
