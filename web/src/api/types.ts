/**
 * Shapes the UI reads. The API's OpenAPI document is the truth; fields the API may spell either as
 * stored (snake_case) or in camelCase are read through `field()`.
 */

export type Doc = Record<string, unknown>;

/** First present value among the spellings of a field. */
export function field<T = unknown>(doc: Doc | undefined, ...names: string[]): T | undefined {
  if (!doc) return undefined;
  for (const name of names) {
    const value = doc[name];
    if (value !== undefined && value !== null) return value as T;
  }
  return undefined;
}

export function text(doc: Doc | undefined, ...names: string[]): string {
  const value = field(doc, ...names);
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export interface FacetBucket {
  key?: string;
  value?: string;
  count: number;
}

export const bucketKey = (b: FacetBucket): string => b.key ?? b.value ?? '';

export interface User {
  id: string;
  username?: string;
  name?: string;
  display_name?: string;
  role?: string;
}

export interface Me {
  user: User;
  role: string;
  scope?: Record<string, string>;
}

export interface ListPage<T = Doc> {
  total: number;
  items: T[];
  facets?: Record<string, FacetBucket[]>;
  next?: string;
}

export interface SearchHit extends Doc {
  id: string;
  url: string;
  title?: string;
  site?: string;
  highlights?: { title?: string[]; text?: string[] };
  fragments?: string[];
}

export interface SearchResult {
  total: number;
  hits: SearchHit[];
  facets?: Record<string, FacetBucket[]>;
  next?: string;
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const ALERT_STATUSES = ['open', 'acknowledged', 'resolved', 'false_positive'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];
export type AlertAction = 'acknowledge' | 'resolve' | 'false_positive';

/** Counts by status × severity, in whichever of the two shapes the API answers. */
export type AlertCounts = Doc;
