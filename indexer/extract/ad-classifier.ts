/**
 * Ad category classifier: natural's naive Bayes over words (Chinese segmented with
 * `Intl.Segmenter`, English stemmed) plus Chinese character bigrams, trained once, lazily, on the
 * bundled labelled creatives in `data/ad-categories.json`.
 */
// Deep imports: natural's root pulls every analyzer (slow to load, and one ships a .ts file tsc rejects).
import classifiers from 'natural/lib/natural/classifiers/index.js';
import stemmers from 'natural/lib/natural/stemmers/index.js';
import { z } from 'zod';
import { NonRetryableError } from '../../core/errors.js';
import { detach } from '../../core/strings.js';
import trainingJson from './data/ad-categories.json' with { type: 'json' };
import type { AdCategory } from './types.js';

export const adCategories: readonly AdCategory[] = [
  'medical',
  'health_food',
  'cosmetics',
  'finance',
  'education',
  'other',
];

export interface AdClassification {
  category: AdCategory;
  /** Posterior share of the winning category, 0…1 (0 when the text has no known word). */
  confidence: number;
}

const trainingSchema = z.object({
  version: z.number().int(),
  categories: z.record(
    z.enum(adCategories as [AdCategory, ...AdCategory[]]),
    z.array(z.string().min(1)).min(10),
  ),
});

/** Below this share, a regulated category gives way to `other`. */
const minConfidence = 0.4;
/** Most tokens looked at per text; keeps the Bayes product away from underflow. */
const maxTokens = 120;
const stopWords = new Set([
  'the', 'a', 'an', 'and', 'or', 'for', 'to', 'of', 'in', 'on', 'with', 'your', 'you', 'our', 'we',
  'is', 'are', 'be', 'at', 'by', 'from', 'up', 'it', 'this', 'that', 'now', 'today', 'free', 'new',
  'get', 'buy', 'off', 'all', 'no', 'not', 'in', 'one', 'day', 'days', 'more', 'than', 'only',
]); // prettier-ignore

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });

/**
 * Features of a text: segmented words (Porter-stemmed when Latin), without numbers and stop
 * words, plus the character bigrams of every Han run (segmentation misses product words).
 */
export function adTokens(text: string): string[] {
  const normal = text.normalize('NFKC').toLowerCase();
  const tokens = new Set<string>();
  for (const { segment, isWordLike } of segmenter.segment(normal)) {
    if (isWordLike !== true || /^\d+([.,]\d+)?%?$/.test(segment)) continue;
    if (/\p{Script=Han}/u.test(segment)) tokens.add(segment);
    else if (/^[a-z][a-z'-]+$/.test(segment) && !stopWords.has(segment))
      tokens.add(stemmers.PorterStemmer.stem(segment));
  }
  for (const run of normal.match(/\p{Script=Han}{2,}/gu) ?? []) {
    for (let i = 0; i + 2 <= run.length; i++) tokens.add(run.slice(i, i + 2));
  }
  return [...tokens].slice(0, maxTokens);
}

interface Model {
  classifier: classifiers.BayesClassifier;
  vocabulary: Set<string>;
}

let model: Model | undefined;

function train(): Model {
  const parsed = trainingSchema.safeParse(trainingJson);
  if (!parsed.success) {
    throw new NonRetryableError(`Bad ad training data: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
      code: 'AD_TRAINING_DATA_INVALID',
      details: parsed.error.issues.slice(0, 3),
    });
  }
  const classifier = new classifiers.BayesClassifier();
  const vocabulary = new Set<string>();
  for (const [category, examples] of Object.entries(parsed.data.categories)) {
    for (const example of examples) {
      const tokens = adTokens(example);
      for (const token of tokens) vocabulary.add(token);
      classifier.addDocument(tokens, category);
    }
  }
  classifier.train();
  return { classifier, vocabulary };
}

/** Trains the classifier now (else it trains at first use). */
export function warmUpAdClassifier(): void {
  model ??= train();
}

/** Category of an ad creative's text (creative text + image alt), with the posterior share as confidence. */
export function classifyAd(text: string): AdClassification {
  // One creative is shown on many pages: classify its text once.
  const known = classified.get(text);
  if (known) return known;
  if (classified.size >= maxClassified) classified.clear();
  const result = Object.freeze(classify(text));
  classified.set(detach(text), result);
  return result;
}

const maxClassified = 10_000;
const classified = new Map<string, AdClassification>();

function classify(text: string): AdClassification {
  model ??= train();
  const tokens = adTokens(text).filter((token) => model?.vocabulary.has(token) === true);
  if (tokens.length === 0) return { category: 'other', confidence: 0 };
  const ranked = model.classifier.getClassifications(tokens);
  const total = ranked.reduce((sum, entry) => sum + entry.value, 0);
  const best = ranked[0];
  if (!best || !(total > 0)) return { category: 'other', confidence: 0 };
  const share = (entry: { value: number } | undefined): number =>
    Math.round(((entry?.value ?? 0) / total) * 1000) / 1000;
  // A weak lead for a regulated category is not enough to route the ad to that category's rules.
  if (best.label !== 'other' && share(best) < minConfidence) {
    return { category: 'other', confidence: share(ranked.find((entry) => entry.label === 'other')) };
  }
  return { category: best.label as AdCategory, confidence: share(best) };
}
