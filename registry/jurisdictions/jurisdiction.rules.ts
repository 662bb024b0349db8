/**
 * The shape of the tree, as pure functions shared by the tree store and the CSV import: which level
 * sits under which, what an id looks like, and the ref a node gives the documents under it.
 */
import {
  JURISDICTION_LEVELS,
  type JurisdictionLevel,
  type JurisdictionNode,
  type JurisdictionRef,
} from '../types.js';

/** One problem with one field of a node (or of an operator, a user, a CSV cell). */
export interface FieldProblem {
  field: string;
  reason: string;
}

/** Letters, digits, `_`, `-`, `.`; 1 to 64 characters, starting with a letter or digit. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const MAX_NODE_NAME_LENGTH = 200;

/** The level a node of `level` must hang under; null for the city, the root. */
export function parentLevelOf(level: JurisdictionLevel): JurisdictionLevel | null {
  const index = JURISDICTION_LEVELS.indexOf(level);
  return index > 0 ? (JURISDICTION_LEVELS[index - 1] as JurisdictionLevel) : null;
}

/** Levels strictly above `level`, root first. */
export function levelsAbove(level: JurisdictionLevel): JurisdictionLevel[] {
  return JURISDICTION_LEVELS.slice(0, JURISDICTION_LEVELS.indexOf(level));
}

export function isJurisdictionLevel(value: unknown): value is JurisdictionLevel {
  return typeof value === 'string' && (JURISDICTION_LEVELS as readonly string[]).includes(value);
}

/**
 * Problems of `node` given its would-be parent (`undefined` when no node has `parent_id`): the city has
 * no parent; a county's parent is the city, a station's a county, a grid's a station.
 */
export function nodeProblems(node: JurisdictionNode, parent: JurisdictionNode | undefined): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof node.id !== 'string' || !NODE_ID_PATTERN.test(node.id)) {
    problems.push({
      field: 'id',
      reason: 'must be 1-64 letters, digits, "_", "-" or "." (starting with a letter or digit)',
    });
  }
  if (typeof node.name !== 'string' || node.name.trim() === '' || node.name.length > MAX_NODE_NAME_LENGTH) {
    problems.push({
      field: 'name',
      reason: `must be non-empty text of at most ${MAX_NODE_NAME_LENGTH} characters`,
    });
  }
  if (!isJurisdictionLevel(node.level)) {
    problems.push({ field: 'level', reason: `must be one of ${JURISDICTION_LEVELS.join(', ')}` });
    return problems;
  }
  const expected = parentLevelOf(node.level);
  if (expected === null) {
    if (node.parent_id)
      problems.push({ field: 'parent_id', reason: 'the city is the root and has no parent' });
  } else if (!node.parent_id) {
    problems.push({ field: 'parent_id', reason: `a ${node.level} needs a parent ${expected}` });
  } else if (node.parent_id === node.id) {
    problems.push({ field: 'parent_id', reason: 'a node cannot be its own parent' });
  } else if (!parent) {
    problems.push({ field: 'parent_id', reason: `no node "${node.parent_id}"` });
  } else if (parent.level !== expected) {
    problems.push({
      field: 'parent_id',
      reason: `a ${node.level}'s parent must be a ${expected}, "${parent.id}" is a ${parent.level}`,
    });
  }
  return problems;
}

/** The ref of `node` given its parent's ref: the parent's levels plus the node's own. */
export function childRef(
  parentRef: JurisdictionRef,
  node: Pick<JurisdictionNode, 'id' | 'level'>,
): JurisdictionRef {
  const ref: JurisdictionRef = {};
  for (const level of levelsAbove(node.level)) {
    const id = parentRef[level];
    if (id !== undefined) ref[level] = id;
  }
  ref[node.level] = node.id;
  return ref;
}

/** Ancestor ids of a node with `ref` at `level`, root first. */
export function ancestorIds(ref: JurisdictionRef, level: JurisdictionLevel): string[] {
  return levelsAbove(level)
    .map((l) => ref[l])
    .filter((id): id is string => id !== undefined);
}

/**
 * Refs of every node in `nodes` (which must be valid and complete: every parent present), computed in
 * memory; used to validate and write a whole tree at once.
 */
export function refsOf(nodes: ReadonlyMap<string, JurisdictionNode>): Map<string, JurisdictionRef> {
  const refs = new Map<string, JurisdictionRef>();
  const resolve = (node: JurisdictionNode, depth: number): JurisdictionRef => {
    const known = refs.get(node.id);
    if (known) return known;
    const parent = node.parent_id ? nodes.get(node.parent_id) : undefined;
    const ref =
      parent && depth < JURISDICTION_LEVELS.length
        ? childRef(resolve(parent, depth + 1), node)
        : { [node.level]: node.id };
    refs.set(node.id, ref);
    return ref;
  };
  for (const node of nodes.values()) resolve(node, 0);
  return refs;
}
