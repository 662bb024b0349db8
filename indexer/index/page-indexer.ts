import type { Doc, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { BulkWriter } from './bulk-writer.js';
import { summariseChange, type ComparablePage } from './page-diff.js';

/** A page ready for the index: what fetch and extract produced, in the `pages` mapping's field names. */
export interface PageDocument extends ComparablePage {
  id: string;
  url: string;
  canonical_url?: string;
  host: string;
  registered_domain: string;
  path: string;
  site: string;
  lang: string;
  status: number;
  fetched_at: string;
  content_hash: string;
  outlinks_count: number;
  ads_count: number;
  crawl: { depth: number; etag?: string; last_modified?: string };
}

export type PageChange = 'new' | 'changed' | 'unchanged';

export interface PageIndexResult {
  id: string;
  change: PageChange;
  version: number;
  ok: boolean;
  error?: string;
}

interface StoredPage extends ComparablePage {
  content_hash?: string;
  version?: number;
  first_seen?: string;
}

/** Options of the page indexer. */
export interface PageIndexerOptions {
  prefix: string;
  /** Pages arriving within this window share one `mget`. @default 20 */
  batchWindowMs?: number;
  /** @default 200 */
  maxBatch?: number;
}

interface Waiting {
  page: PageDocument;
  resolve: (result: PageIndexResult) => void;
  reject: (error: unknown) => void;
}

/**
 * Writes pages with change detection by content hash: an unchanged page only moves `last_seen`,
 * a changed one gets the next `version` and a `page-versions` document saying what changed.
 * Lookups of the stored hashes are batched (one realtime `mget` per window) to keep up with a crawl.
 */
export class PageIndexer {
  private waiting: Waiting[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly pages: string;
  private readonly versions: string;

  constructor(
    private readonly engine: EnginePort,
    private readonly writer: BulkWriter,
    private readonly options: PageIndexerOptions,
  ) {
    this.pages = aliasName(options.prefix, 'pages');
    this.versions = aliasName(options.prefix, 'page-versions');
  }

  index(page: PageDocument): Promise<PageIndexResult> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ page, resolve, reject });
      if (this.waiting.length >= (this.options.maxBatch ?? 200)) void this.run();
      else this.timer ??= setTimeout(() => void this.run(), this.options.batchWindowMs ?? 20);
    });
  }

  /** A 304 or an identical refetch: only `last_seen` (and fetch time) move. */
  async touch(id: string, fetchedAt: string): Promise<boolean> {
    const result = await this.writer.add({
      op: 'update',
      index: this.pages,
      id,
      doc: { last_seen: fetchedAt, fetched_at: fetchedAt },
    });
    return result.ok;
  }

  private async run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.waiting;
    this.waiting = [];
    if (batch.length === 0) return;
    try {
      const stored = await this.engine.mget<StoredPage>(
        this.pages,
        batch.map((w) => w.page.id),
      );
      await Promise.all(batch.map((w, i) => this.write(w, stored[i]?.found ? stored[i]?.source : undefined)));
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  private async write(waiting: Waiting, stored: StoredPage | undefined): Promise<void> {
    const { page } = waiting;
    const change: PageChange = !stored
      ? 'new'
      : stored.content_hash === page.content_hash
        ? 'unchanged'
        : 'changed';
    if (change === 'unchanged') {
      const ok = await this.touch(page.id, page.fetched_at);
      waiting.resolve({ id: page.id, change, version: stored?.version ?? 1, ok });
      return;
    }
    const version = (stored?.version ?? 0) + 1;
    const doc: Doc = {
      ...page,
      version,
      first_seen: stored?.first_seen ?? page.fetched_at,
      last_seen: page.fetched_at,
    };
    const diff = summariseChange(stored, page);
    const [written] = await Promise.all([
      this.writer.add({ op: 'index', index: this.pages, id: page.id, doc }),
      this.writer.add({
        op: 'index',
        index: this.versions,
        id: `${page.id}:${version}`,
        doc: {
          id: `${page.id}:${version}`,
          page_id: page.id,
          url: page.url,
          site: page.site,
          version,
          fetched_at: page.fetched_at,
          content_hash: page.content_hash,
          title: page.title,
          text: page.text,
          diff,
        },
      }),
    ]);
    waiting.resolve({
      id: page.id,
      change,
      version,
      ok: written.ok,
      ...(written.error ? { error: `${written.error.type}: ${written.error.reason}` } : {}),
    });
  }
}
