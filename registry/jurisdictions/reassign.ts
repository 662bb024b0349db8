/**
 * Re-routing documents after a node of the tree moves: every document under the node keeps its ids at
 * the node's level and below and takes the new ids above. One update-by-query per index.
 */
import { ThrottledError } from '../../core/errors.js';
import type { EnginePort, Script } from '../../engine/port.js';
import type { JurisdictionLevel, JurisdictionRef } from '../types.js';
import { levelsAbove } from './jurisdiction.rules.js';

/** Extra rewrites for the `jurisdictions` index itself. */
export interface ReassignOptions {
  /** Also rewrite the first N entries of `ancestors` (the levels above the moved node). */
  ancestors?: number;
  /** Also set `parent_id` of the moved node. */
  parent?: { nodeId: string; parentId: string };
  /** Object field holding the ref. @default 'jurisdiction' */
  field?: string;
}

const SCRIPT = `
  def ref = ctx._source[params.field];
  if (ref == null) { ref = new HashMap(); ctx._source[params.field] = ref; }
  for (int i = 0; i < params.levels.length; i++) {
    if (params.values[i] == null) { ref.remove(params.levels[i]); } else { ref[params.levels[i]] = params.values[i]; }
  }
  if (params.ancestors > 0 && ctx._source.ancestors != null) {
    def kept = new ArrayList();
    for (int i = 0; i < params.values.length; i++) { if (params.values[i] != null) kept.add(params.values[i]); }
    for (int i = params.ancestors; i < ctx._source.ancestors.length; i++) kept.add(ctx._source.ancestors[i]);
    ctx._source.ancestors = kept;
  }
  if (params.nodeId != null && ctx._source.id == params.nodeId) ctx._source.parent_id = params.parentId;
`;

/**
 * Sets the levels above `level` to those of `to` on every document of `index` whose
 * `jurisdiction.<level>` is `nodeId`; returns how many documents changed. Usable on pages, ads,
 * alerts and evidence as on operators.
 */
export async function reassignJurisdiction(
  engine: EnginePort,
  index: string,
  level: JurisdictionLevel,
  nodeId: string,
  to: JurisdictionRef,
  options: ReassignOptions = {},
): Promise<number> {
  const field = options.field ?? 'jurisdiction';
  const levels = levelsAbove(level);
  const script: Script = {
    source: SCRIPT,
    params: {
      field,
      levels,
      values: levels.map((l) => to[l] ?? null),
      ancestors: options.ancestors ?? 0,
      nodeId: options.parent?.nodeId ?? null,
      parentId: options.parent?.parentId ?? null,
    },
  };
  const result = await engine.updateByQuery(index, { term: { [`${field}.${level}`]: nodeId } }, script, {
    refresh: true,
  });
  if (result.versionConflicts > 0 || result.failures.length > 0) {
    throw new ThrottledError(`Moving ${nodeId} in ${index} met concurrent writes; run the move again`, {
      code: 'REGISTRY_MOVE_INCOMPLETE',
      details: { index, nodeId, versionConflicts: result.versionConflicts, failures: result.failures.length },
    });
  }
  return result.affected;
}
