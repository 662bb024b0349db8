/**
 * Compiles the query-string AST to the engine's query DSL (shared by OpenSearch and Elasticsearch,
 * accepted by the percolator). CJK text is bigram-analysed, so any term holding CJK characters is a
 * phrase query: 最佳 must match the bigram 最佳, not 最 or 佳 apart. A lone character (烟, 药, 酒)
 * is no bigram: it is looked up in the `.en` twins too, whose standard tokenizer keeps CJK unigrams.
 */
import {
  fieldCatalog,
  stripBoost,
  type FieldCatalog,
  type FieldInfo,
  type QueryTarget,
} from './field-catalog.js';
import type { QueryNode } from './query-parser.js';

/** One engine query clause, e.g. `{ match_phrase: { text: '最佳' } }`. */
export type EngineQuery = Record<string, unknown>;

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Whether the text holds Chinese, Japanese or Korean characters. */
export function hasCjk(value: string): boolean {
  return CJK.test(value);
}

const CJK_PAIR = new RegExp(`${CJK.source}{2}`, 'u');
const LONE_CJK = new RegExp(`(?<!${CJK.source})${CJK.source}(?!${CJK.source})`, 'u');

/** Whether the bigram fields alone can match the term: it holds two CJK characters in a row. */
function bigrams(value: string): boolean {
  return CJK_PAIR.test(value);
}

/** Whether the text holds a CJK character with no CJK neighbour (烟 in `烟 OR 酒`), which no bigram holds. */
export function hasLoneCjk(value: string): boolean {
  return LONE_CJK.test(value);
}

function info(catalog: FieldCatalog, name: string): FieldInfo {
  const field = catalog.fields.get(name);
  if (!field) throw new Error(`field "${name}" is not in the ${catalog.target} catalogue`);
  return field;
}

/** The field and its `.en` twin when it has one: `title` → [title, title.en]. */
function withTwin(catalog: FieldCatalog, name: string): string[] {
  return catalog.fields.has(`${name}.en`) ? [name, `${name}.en`] : [name];
}

function cjkFields(catalog: FieldCatalog): string[] {
  return catalog.defaultTextFields.filter((f) => catalog.fields.get(stripBoost(f))?.cjk === true);
}

function textQuery(fields: readonly string[], value: string, phrase: boolean, slop?: number): EngineQuery {
  const [only] = fields;
  if (fields.length === 1 && only !== undefined && !only.includes('^')) {
    if (phrase) return { match_phrase: { [only]: slop === undefined ? value : { query: value, slop } } };
    return { match: { [only]: { query: value, operator: 'and' } } };
  }
  if (phrase)
    return {
      multi_match: {
        query: value,
        type: 'phrase',
        fields: [...fields],
        ...(slop === undefined ? {} : { slop }),
      },
    };
  return { multi_match: { query: value, fields: [...fields], operator: 'and' } };
}

function scalar(field: FieldInfo, value: string): string | number | boolean {
  if (field.kind === 'number') return Number(value);
  if (field.kind === 'boolean') return value === 'true';
  return value;
}

function exact(field: FieldInfo, value: string): EngineQuery {
  if (field.kind === 'date') {
    return {
      range: {
        [field.name]: DAY.test(value) ? { gte: value, lt: `${value}||+1d` } : { gte: value, lte: value },
      },
    };
  }
  if (field.kind === 'domain' || field.kind === 'path')
    return { term: { [field.name]: value.toLowerCase() } };
  return { term: { [field.name]: scalar(field, value) } };
}

function wildcard(catalog: FieldCatalog, field: FieldInfo, pattern: string): EngineQuery {
  if (field.kind === 'domain') {
    const keywordField = info(catalog, `${field.name}.keyword`);
    return { wildcard: { [keywordField.name]: { value: pattern.toLowerCase() } } };
  }
  return { wildcard: { [field.name]: { value: pattern } } };
}

function leaf(
  catalog: FieldCatalog,
  node: Extract<QueryNode, { type: 'term' | 'phrase' | 'range' }>,
): EngineQuery {
  if (node.type === 'range') {
    const field = info(catalog, node.field);
    const bounds = Object.fromEntries(Object.entries(node.bounds).map(([op, v]) => [op, scalar(field, v)]));
    return { range: { [node.field]: bounds } };
  }
  const phrase = node.type === 'phrase';
  const slop = node.type === 'phrase' ? node.slop : undefined;
  const cjk = hasCjk(node.value);
  const bigramsOnly = cjk && !phrase && bigrams(node.value);
  if (node.field === undefined) {
    const fields = bigramsOnly ? cjkFields(catalog) : catalog.defaultTextFields;
    return textQuery(fields, node.value, phrase || cjk, slop);
  }
  const field = info(catalog, node.field);
  if (field.kind === 'text') {
    const fields = bigramsOnly && field.cjk ? [field.name] : withTwin(catalog, field.name);
    return textQuery(fields, node.value, phrase || cjk, slop);
  }
  if (node.type === 'term' && node.wildcard) return wildcard(catalog, field, node.pattern);
  return exact(field, node.value);
}

function wrapNested(catalog: FieldCatalog, node: QueryNode, query: EngineQuery): EngineQuery {
  if ((node.type === 'term' || node.type === 'phrase' || node.type === 'range') && node.field !== undefined) {
    const path = catalog.fields.get(node.field)?.nestedPath;
    if (path) return { nested: { path, query } };
  }
  return query;
}

/** ANDed clauses on one nested path must hold for one nested object: `price:<1 currency:CNY`. */
function mergeNested(clauses: EngineQuery[]): EngineQuery[] {
  const byPath = new Map<string, EngineQuery[]>();
  const out: EngineQuery[] = [];
  for (const clause of clauses) {
    const nested = clause.nested as { path: string; query: EngineQuery } | undefined;
    if (!nested) {
      out.push(clause);
      continue;
    }
    const group = byPath.get(nested.path);
    if (group) group.push(nested.query);
    else {
      const queries = [nested.query];
      byPath.set(nested.path, queries);
      out.push({ nested: { path: nested.path, query: { bool: { must: queries } } } });
    }
  }
  return out.map((c) => {
    const nested = c.nested as { path: string; query: { bool: { must: EngineQuery[] } } } | undefined;
    const [only] = nested?.query.bool.must ?? [];
    return nested && nested.query.bool.must.length === 1 && only
      ? { nested: { path: nested.path, query: only } }
      : c;
  });
}

function compileNode(catalog: FieldCatalog, node: QueryNode): EngineQuery {
  switch (node.type) {
    case 'and': {
      const must: EngineQuery[] = [];
      const mustNot: EngineQuery[] = [];
      for (const child of node.children) {
        if (child.type === 'not') mustNot.push(compileNode(catalog, child.child));
        else must.push(compileNode(catalog, child));
      }
      const merged = mergeNested(must);
      return {
        bool: {
          ...(merged.length ? { must: merged } : {}),
          ...(mustNot.length ? { must_not: mustNot } : {}),
        },
      };
    }
    case 'or':
      return { bool: { should: node.children.map((c) => compileNode(catalog, c)), minimum_should_match: 1 } };
    case 'not':
      return { bool: { must_not: [compileNode(catalog, node.child)] } };
    default:
      return wrapNested(catalog, node, leaf(catalog, node));
  }
}

/** Compiles a parsed query string (see `parseQueryString`) to engine DSL for `target`. */
export function compileQuery(ast: QueryNode, target: QueryTarget): EngineQuery {
  return compileNode(fieldCatalog(target), ast);
}
