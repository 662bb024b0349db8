/**
 * The one source of truth for analyzer and normalizer names and for the `settings.analysis` object
 * every Argus index carries. OpenSearch 2.x (analysis-common) and Elasticsearch 8/9 accept it as is.
 */

/** Analyzer names as mappings and queries spell them. */
export const ANALYZERS = {
  /** standard → cjk_width → lowercase → cjk_bigram: `match_phrase` finds 最佳 inside 国家级最佳产品. */
  textCjk: 'text_cjk',
  /** English with possessives, stop words and stemming: `monitoring` finds `monitored`. */
  textEn: 'text_en',
  /** Index side of host fields: reverse path hierarchy on dots (`a.b.cn` → `a.b.cn`, `b.cn`, `cn`). */
  domain: 'domain',
  /** Search side of host fields: the whole host, lower-cased, so `b.cn` matches `a.b.cn` but not `xb.cn`. */
  domainSearch: 'domain_search',
  /** Index side of URL paths: path hierarchy on `/`, lower-cased (`/a/b` → `/a`, `/a/b`). */
  urlPath: 'url_path',
  /** Search side of URL paths: the whole path, lower-cased, so `/a` matches every path under it. */
  urlPathSearch: 'url_path_search',
} as const;

/** Normalizer names for keyword fields. */
export const NORMALIZERS = {
  /** Identifiers (USCC, licence, ICP, phones): full-width folded, upper-cased, spaces and dashes removed. */
  identifier: 'identifier',
  /** Case-insensitive keywords such as e-mail addresses. */
  lowercase: 'lowercase_keyword',
} as const;

export type AnalyzerName = (typeof ANALYZERS)[keyof typeof ANALYZERS];
export type NormalizerName = (typeof NORMALIZERS)[keyof typeof NORMALIZERS];

const TOKENIZERS = { domainHierarchy: 'domain_hierarchy', urlPathHierarchy: 'url_path_hierarchy' } as const;
const FILTERS = {
  enPossessive: 'en_possessive',
  enStop: 'en_stop',
  enStemmer: 'en_stemmer',
} as const;
const CHAR_FILTERS = { identifierSeparators: 'identifier_separators' } as const;

/**
 * Whitespace (incl. the ideographic space U+3000), ASCII hyphen, Unicode dashes U+2010–U+2015,
 * minus sign U+2212 and the full-width hyphen U+FF0D: the separators people type inside identifiers.
 */
const IDENTIFIER_SEPARATORS = '[\\s\\-\\u2010-\\u2015\\u2212\\uFF0D\\u3000]+';

/** The `settings.analysis` object of every Argus index (frozen: copy before changing it in tests). */
export const ANALYSIS_SETTINGS = deepFreeze({
  char_filter: {
    [CHAR_FILTERS.identifierSeparators]: {
      type: 'pattern_replace',
      pattern: IDENTIFIER_SEPARATORS,
      replacement: '',
    },
  },
  tokenizer: {
    [TOKENIZERS.domainHierarchy]: { type: 'path_hierarchy', delimiter: '.', reverse: true },
    [TOKENIZERS.urlPathHierarchy]: { type: 'path_hierarchy', delimiter: '/' },
  },
  filter: {
    [FILTERS.enPossessive]: { type: 'stemmer', language: 'possessive_english' },
    [FILTERS.enStop]: { type: 'stop', stopwords: '_english_' },
    [FILTERS.enStemmer]: { type: 'stemmer', language: 'english' },
  },
  analyzer: {
    [ANALYZERS.textCjk]: {
      type: 'custom',
      tokenizer: 'standard',
      filter: ['cjk_width', 'lowercase', 'cjk_bigram'],
    },
    [ANALYZERS.textEn]: {
      type: 'custom',
      tokenizer: 'standard',
      filter: [FILTERS.enPossessive, 'cjk_width', 'lowercase', FILTERS.enStop, FILTERS.enStemmer],
    },
    [ANALYZERS.domain]: { type: 'custom', tokenizer: TOKENIZERS.domainHierarchy, filter: ['lowercase'] },
    [ANALYZERS.domainSearch]: { type: 'custom', tokenizer: 'keyword', filter: ['lowercase'] },
    [ANALYZERS.urlPath]: { type: 'custom', tokenizer: TOKENIZERS.urlPathHierarchy, filter: ['lowercase'] },
    [ANALYZERS.urlPathSearch]: { type: 'custom', tokenizer: 'keyword', filter: ['lowercase'] },
  },
  normalizer: {
    [NORMALIZERS.identifier]: {
      type: 'custom',
      char_filter: [CHAR_FILTERS.identifierSeparators],
      filter: ['cjk_width', 'uppercase'],
    },
    [NORMALIZERS.lowercase]: { type: 'custom', filter: ['cjk_width', 'lowercase'] },
  },
});

export type AnalysisSettings = typeof ANALYSIS_SETTINGS;

function deepFreeze<T extends object>(value: T): T {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null) deepFreeze(child as object);
  }
  return Object.freeze(value);
}
