import { createHash } from 'node:crypto';
import { ANALYSIS_SETTINGS } from '../analyzers/analysis.js';

/** One field of a mapping, as the engine's mapping DSL spells it. */
export interface FieldMapping {
  type?: string;
  properties?: Properties;
  fields?: Properties;
  [parameter: string]: unknown;
}

export type Properties = Record<string, FieldMapping>;

/** Static index settings that belong to the definition (they change only through a reindex). */
export interface DefinitionSettings {
  number_of_shards: number;
  analysis: unknown;
}

/** Everything Argus needs to create one logical index: alias `${prefix}-${name}` over `${prefix}-${name}-vN`. */
export interface IndexDefinition {
  /** Logical name, e.g. `pages`; lower-case letters, digits and dashes. */
  name: string;
  settings: DefinitionSettings;
  mappings: { dynamic: 'strict'; properties: Properties };
}

/** Where the definition hash lives in `mappings._meta` (and in the template's `_meta`). */
export interface DefinitionMeta {
  argus_index: string;
  /** SHA-256 over settings and mappings: equal hashes mean nothing to migrate. */
  argus_hash: string;
  /** SHA-256 over settings alone: a change here cannot be applied in place. */
  argus_settings_hash: string;
}

/** One primary shard: a regulator's corpus is small; scale out with more indices, not shards. */
const DEFAULT_SHARDS = 1;

/** Builds a strict definition that carries the shared analysis settings. */
export function defineIndex(name: string, properties: Properties): IndexDefinition {
  return {
    name,
    settings: { number_of_shards: DEFAULT_SHARDS, analysis: ANALYSIS_SETTINGS },
    mappings: { dynamic: 'strict', properties },
  };
}

export function definitionMeta(definition: IndexDefinition): DefinitionMeta {
  return {
    argus_index: definition.name,
    argus_hash: sha256(canonicalJson({ settings: definition.settings, mappings: definition.mappings })),
    argus_settings_hash: sha256(canonicalJson(definition.settings)),
  };
}

/** JSON with object keys sorted at every depth, so equal definitions hash equally. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort())
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
