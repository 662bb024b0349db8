/**
 * The allow-list of queryable fields, derived from the pages and ads mappings (never typed twice), plus
 * the short names inspectors type (`domain:`, `uscc:`, `price:`).
 */
import { ANALYZERS } from '../../analyzers/analysis.js';
import { adFields } from '../../mappings/ads.mapping.js';
import type { FieldMapping, Properties } from '../../mappings/definition.js';
import { pageFields } from '../../mappings/pages.mapping.js';

/** Which index a query runs against; each has its own fields. */
export type QueryTarget = 'pages' | 'ads';

/** How a field is queried: analysed text, host, URL path, exact keyword, number, date or boolean. */
export type FieldKind = 'text' | 'domain' | 'path' | 'keyword' | 'number' | 'date' | 'boolean';

export interface FieldInfo {
  /** Full dotted name as the engine knows it, e.g. `identifiers.uscc`, `title.en`. */
  name: string;
  kind: FieldKind;
  /** Path of the enclosing nested object (`prices`), if any. */
  nestedPath?: string;
  /** For text fields: whether the field runs the CJK bigram analyzer. */
  cjk?: boolean;
}

export interface FieldCatalog {
  target: QueryTarget;
  fields: ReadonlyMap<string, FieldInfo>;
  /** Short name → full field name, for the query-string syntax only. */
  aliases: ReadonlyMap<string, string>;
  /** Nested object paths (`prices`). */
  nestedPaths: ReadonlySet<string>;
  /** Fields an unqualified term searches, with boosts (`title^2`). */
  defaultTextFields: readonly string[];
}

const NUMBER_TYPES = new Set([
  'integer',
  'long',
  'short',
  'byte',
  'float',
  'double',
  'half_float',
  'scaled_float',
]);

const PAGE_ALIASES: Record<string, string> = {
  domain: 'host',
  uscc: 'identifiers.uscc',
  icp: 'identifiers.icp',
  licence: 'identifiers.licence',
  license: 'identifiers.licence',
  phone: 'identifiers.phones',
  email: 'identifiers.emails',
  price: 'prices.amount',
  currency: 'prices.currency',
};

const AD_ALIASES: Record<string, string> = {
  domain: 'landing_domain',
  advertiser: 'landing_domain',
  advertiser_name: 'advertiser',
  landing: 'landing_url',
  text: 'creative_text',
  alt: 'image_alt',
  page: 'page_urls',
  site: 'sites',
};

const DEFAULT_TEXT_FIELDS: Record<QueryTarget, readonly string[]> = {
  pages: ['title^2', 'text', 'description', 'title.en', 'text.en', 'description.en'],
  ads: ['creative_text^2', 'image_alt', 'advertiser', 'creative_text.en', 'image_alt.en', 'advertiser.en'],
};

function kindOf(mapping: FieldMapping): Omit<FieldInfo, 'name' | 'nestedPath'> | undefined {
  const type = mapping.type;
  if (type === 'text') {
    if (mapping.analyzer === ANALYZERS.domain) return { kind: 'domain' };
    if (mapping.analyzer === ANALYZERS.urlPath) return { kind: 'path' };
    return { kind: 'text', cjk: mapping.analyzer === ANALYZERS.textCjk };
  }
  if (type === 'keyword') return { kind: 'keyword' };
  if (type === 'date') return { kind: 'date' };
  if (type === 'boolean') return { kind: 'boolean' };
  if (typeof type === 'string' && NUMBER_TYPES.has(type)) return { kind: 'number' };
  return undefined;
}

function collect(
  properties: Properties,
  prefix: string,
  nestedPath: string | undefined,
  out: Map<string, FieldInfo>,
  nestedPaths: Set<string>,
): void {
  for (const [key, mapping] of Object.entries(properties)) {
    const name = prefix + key;
    if (mapping.properties) {
      const isNested = mapping.type === 'nested';
      if (isNested) nestedPaths.add(name);
      collect(mapping.properties, `${name}.`, isNested ? name : nestedPath, out, nestedPaths);
      continue;
    }
    const kind = kindOf(mapping);
    if (!kind) continue;
    out.set(name, { name, ...kind, ...(nestedPath ? { nestedPath } : {}) });
    for (const [sub, subMapping] of Object.entries(mapping.fields ?? {})) {
      const subKind = kindOf(subMapping);
      if (subKind)
        out.set(`${name}.${sub}`, {
          name: `${name}.${sub}`,
          ...subKind,
          ...(nestedPath ? { nestedPath } : {}),
        });
    }
  }
}

function build(target: QueryTarget): FieldCatalog {
  const fields = new Map<string, FieldInfo>();
  const nestedPaths = new Set<string>();
  collect(target === 'pages' ? pageFields() : adFields(), '', undefined, fields, nestedPaths);
  const aliases = new Map<string, string>();
  for (const [alias, name] of Object.entries(target === 'pages' ? PAGE_ALIASES : AD_ALIASES)) {
    if (fields.has(name)) aliases.set(alias, name);
  }
  return { target, fields, aliases, nestedPaths, defaultTextFields: DEFAULT_TEXT_FIELDS[target] };
}

const catalogs = new Map<QueryTarget, FieldCatalog>();

/** The catalogue of one target, built once from its mapping. */
export function fieldCatalog(target: QueryTarget): FieldCatalog {
  let catalog = catalogs.get(target);
  if (!catalog) {
    catalog = build(target);
    catalogs.set(target, catalog);
  }
  return catalog;
}

/** The field a name (or, when `allowAliases`, an alias) stands for; undefined if unknown. */
export function resolveField(
  catalog: FieldCatalog,
  name: string,
  allowAliases: boolean,
): FieldInfo | undefined {
  const direct = catalog.fields.get(name);
  if (direct && !(allowAliases && catalog.aliases.has(name))) return direct;
  const aliased = allowAliases ? catalog.aliases.get(name) : undefined;
  return aliased ? catalog.fields.get(aliased) : direct;
}

/** The field name without a `^boost` suffix, e.g. `title^2` → `title`. */
export function stripBoost(name: string): string {
  const caret = name.indexOf('^');
  return caret < 0 ? name : name.slice(0, caret);
}
