import { defineIndex } from './definition.js';
import { date, jurisdiction, keyword, textWithKeyword } from './fields.js';

/** `jurisdictions`: the tree city → county bureaus → field stations → grids, one document per node. */
export const jurisdictionsDefinition = defineIndex('jurisdictions', {
  id: keyword(),
  level: keyword(),
  name: textWithKeyword(),
  parent_id: keyword(),
  /** Ids of every ancestor, root first (not the node itself): `descendants(id)` is one term query. */
  ancestors: keyword(),
  /** The node's own ref: its id at its level and at every level above. */
  jurisdiction: jurisdiction(),
  created_at: date(),
  updated_at: date(),
});
