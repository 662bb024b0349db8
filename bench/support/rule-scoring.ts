/**
 * Scores rule hits against the demo web's ground truth. The labels say which violation *type* a page
 * or creative carries (`ad_law_absolute`, `false_health_claim`, …), which is a rule's `category`, and,
 * for term violations, the exact terms shown. So a category is scored directly; a rule is scored
 * against its category's labels, and where one category has several rules for the same target (the
 * two health rules), a label is expected from the rule whose terms include one of the label's terms.
 * A label no sibling's terms cover is expected from every sibling, so a term the pack lacks is a miss.
 */
import type { DocKind } from '../../indexer/match/rule.types.js';

/** One violation label of the ground truth (`ViolationTruth`). */
export interface Label {
  type: string;
  terms: readonly string[];
}

/** A document that was indexed, with its labels ([] when clean or not in the ground truth). */
export interface ScoredDoc {
  kind: DocKind;
  id: string;
  labels: readonly Label[];
}

/** A rule as scoring needs it: one target, its category, and its phrases when it is a terms rule. */
export interface ScoredRule {
  id: string;
  kind: DocKind;
  category: string;
  terms?: readonly string[];
}

/** tp/fp/fn of one rule or one category; `level` says what the labels allowed. */
export interface Score {
  name: string;
  kind: DocKind | 'both';
  level: 'category' | 'terms';
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  /** A few documents behind the fp and fn counts (`kind:id`), to see why. */
  examples?: { fp: string[]; fn: string[] };
}

/** How many fp / fn documents a rule's score names. */
export const MAX_EXAMPLES = 5;

/** `kind:id`, how fired rules are keyed. */
export const docKey = (kind: DocKind, id: string): string => `${kind}:${id}`;

function ratio(part: number, whole: number): number {
  return whole === 0 ? 1 : part / whole;
}

function score(name: string, kind: Score['kind'], level: Score['level'], tp: number, fp: number, fn: number) {
  return { name, kind, level, tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn) };
}

const lower = (terms: readonly string[] | undefined): Set<string> =>
  new Set((terms ?? []).map((t) => t.toLowerCase()));

/** Ids of the rules a document's labels expect to fire. */
export function expectedRules(doc: ScoredDoc, rules: readonly ScoredRule[]): Set<string> {
  const expected = new Set<string>();
  for (const label of doc.labels) {
    const siblings = rules.filter((r) => r.kind === doc.kind && r.category === label.type);
    const labelTerms = lower(label.terms);
    const covering = siblings.filter((r) => [...lower(r.terms)].some((t) => labelTerms.has(t)));
    const attributable = siblings.length > 1 && covering.length > 0;
    for (const rule of attributable ? covering : siblings) expected.add(rule.id);
  }
  return expected;
}

/** Per rule, over the documents of its target. `fired` maps {@link docKey} to the rule ids that hit. */
export function scoreRules(
  docs: readonly ScoredDoc[],
  rules: readonly ScoredRule[],
  fired: ReadonlyMap<string, ReadonlySet<string>>,
): Score[] {
  const counts = new Map(rules.map((r) => [r.id, [0, 0, 0]]));
  const examples = new Map(rules.map((r) => [r.id, { fp: [] as string[], fn: [] as string[] }]));
  const note = (list: string[] | undefined, key: string): void => {
    if (list && list.length < MAX_EXAMPLES) list.push(key);
  };
  for (const doc of docs) {
    const expected = expectedRules(doc, rules);
    const got = fired.get(docKey(doc.kind, doc.id)) ?? new Set<string>();
    for (const rule of rules) {
      if (rule.kind !== doc.kind) continue;
      const c = counts.get(rule.id) as number[];
      const want = expected.has(rule.id);
      const hit = got.has(rule.id);
      if (want && hit) c[0] = (c[0] ?? 0) + 1;
      else if (hit) {
        c[1] = (c[1] ?? 0) + 1;
        note(examples.get(rule.id)?.fp, docKey(doc.kind, doc.id));
      } else if (want) {
        c[2] = (c[2] ?? 0) + 1;
        note(examples.get(rule.id)?.fn, docKey(doc.kind, doc.id));
      }
    }
  }
  return rules.map((rule) => {
    const siblings = rules.filter((r) => r.kind === rule.kind && r.category === rule.category);
    const [tp = 0, fp = 0, fn = 0] = counts.get(rule.id) ?? [];
    const level = siblings.length > 1 ? 'terms' : 'category';
    return { ...score(rule.id, rule.kind, level, tp, fp, fn), examples: examples.get(rule.id) };
  });
}

/** Per category over pages and ads together: a document is a hit when any rule of the category fired. */
export function scoreCategories(
  docs: readonly ScoredDoc[],
  rules: readonly ScoredRule[],
  fired: ReadonlyMap<string, ReadonlySet<string>>,
): Score[] {
  const categories = [...new Set(rules.map((r) => r.category))].sort();
  return categories.map((category) => {
    const ids = new Set(rules.filter((r) => r.category === category).map((r) => r.id));
    const kinds = new Set(rules.filter((r) => r.category === category).map((r) => r.kind));
    let [tp, fp, fn] = [0, 0, 0];
    for (const doc of docs) {
      if (!kinds.has(doc.kind)) continue;
      const want = doc.labels.some((l) => l.type === category);
      const hit = [...(fired.get(docKey(doc.kind, doc.id)) ?? [])].some((id) => ids.has(id));
      if (want && hit) tp++;
      else if (hit) fp++;
      else if (want) fn++;
    }
    const kind = kinds.size > 1 ? 'both' : ([...kinds][0] ?? 'both');
    return score(category, kind, 'category', tp, fp, fn);
  });
}

/**
 * The phrases of a pack `terms` rule, read back from its compiled query (`rules/loader.ts` termsQuery:
 * `bool.should[].multi_match.query`); undefined for any other query shape.
 */
export function termsOfQuery(query: unknown): string[] | undefined {
  const should = (query as { bool?: { should?: unknown } } | undefined)?.bool?.should;
  if (!Array.isArray(should)) return undefined;
  const terms = should.map((clause) => (clause as { multi_match?: { query?: unknown } }).multi_match?.query);
  return terms.every((t): t is string => typeof t === 'string') ? terms : undefined;
}
