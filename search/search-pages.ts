import { ValidationError } from '../core/errors.js';
import type { EnginePort, SearchHit } from '../engine/port.js';
import { aliasName } from '../mappings/index.js';

/** Options of a full-text search over pages. */
export interface PageSearchOptions {
  prefix: string;
  query: string;
  /** @default 10 */
  size?: number;
  /** Only pages of this host or its subdomains (domain analyzer). */
  domain?: string;
}

export interface PageSearchHit {
  id: string;
  url: string;
  title: string;
  site: string;
  score: number | null;
  /** Highlighted fragments of the text, `<em>` around matches. */
  fragments: string[];
}

export interface PageSearchResult {
  total: number;
  tookMs: number;
  hits: PageSearchHit[];
}

const MAX_QUERY_CHARS = 1_000;

/**
 * Full-text search over pages. The query uses `simple_query_string` (terms, "phrases", +/-/|, never a
 * parse error), over the CJK-bigram fields and their English-stemmed twins; all terms must match.
 * The richer inspectors' syntax (field:value, proximity, wildcards) replaces this with the rules issue.
 */
export async function searchPages(engine: EnginePort, options: PageSearchOptions): Promise<PageSearchResult> {
  const query = options.query.trim();
  if (query.length === 0) throw new ValidationError('The query is empty', { field: 'q' }, 'QUERY_INVALID');
  if (query.length > MAX_QUERY_CHARS) {
    throw new ValidationError(
      `The query is longer than ${MAX_QUERY_CHARS} characters`,
      { field: 'q' },
      'QUERY_INVALID',
    );
  }
  const filter = options.domain ? [{ term: { host: options.domain.toLowerCase() } }] : [];
  const result = await engine.search<{ url: string; title: string; site: string }>({
    index: aliasName(options.prefix, 'pages'),
    size: Math.min(options.size ?? 10, 100),
    source: ['url', 'title', 'site'],
    query: {
      bool: {
        must: [
          {
            simple_query_string: {
              query,
              fields: ['title^2', 'text', 'description', 'title.en', 'text.en'],
              default_operator: 'and',
            },
          },
        ],
        filter,
      },
    },
    highlight: { fields: { text: { number_of_fragments: 2, fragment_size: 120 }, title: {} } },
  });
  return { total: result.total, tookMs: result.tookMs, hits: result.hits.map(toHit) };
}

function toHit(hit: SearchHit<{ url: string; title: string; site: string }>): PageSearchHit {
  return {
    id: hit.id,
    url: hit.source.url,
    title: hit.source.title,
    site: hit.source.site,
    score: hit.score,
    fragments: hit.highlight?.text ?? hit.highlight?.title ?? [],
  };
}
