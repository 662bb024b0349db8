import type { BulkItemResult, BulkOperation, Doc, EnginePort } from '../../engine/port.js';
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

/** What change detection reads of a stored page. */
export interface StoredPage extends ComparablePage {
  content_hash?: string;
  version?: number;
  first_seen?: string;
}

/** Options of one `PageIndexer.index`. */
export interface PageIndexOptions {
  /** The stored page, when the caller has already read it (a recrawl reads it for its validators). */
  stored?: StoredPage;
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
 * A page the caller has not read is first offered as version 1 with `create` (no read: most pages of a
 * crawl are new); only when the engine answers that it exists (409) is the stored page read, with lookups
 * batched (one realtime `mget` per window), and compared.
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

  async index(page: PageDocument, options: PageIndexOptions = {}): Promise<PageIndexResult> {
    if (options.stored) return this.write(page, options.stored);
    const created = await this.createNew(page);
    if (created) return created;
    return new Promise((resolve, reject) => {
      this.waiting.push({ page, resolve, reject });
      if (this.waiting.length >= (this.options.maxBatch ?? 200)) void this.run();
      else this.timer ??= setTimeout(() => void this.run(), this.options.batchWindowMs ?? 20);
    });
  }

  /**
   * Writes the page as version 1 unless it exists; `undefined` when it does (then compare). Its first
   * version document goes in the same batch, also as `create`: if the page exists, so does that version,
   * and the engine refuses it too.
   */
  private async createNew(page: PageDocument): Promise<PageIndexResult | undefined> {
    const conflictIsAnswer = { conflictIsAnswer: true };
    const [written] = await Promise.all([
      this.writer.add(
        { op: 'create', index: this.pages, id: page.id, doc: this.pageDoc(page, 1) },
        conflictIsAnswer,
      ),
      this.writer.add({ ...this.versionOperation(page, 1, undefined), op: 'create' }, conflictIsAnswer),
    ]);
    if (written.status === 409) return undefined;
    return resultOf(page, 'new', 1, written);
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
      await Promise.all(
        batch.map(async (w, i) => {
          w.resolve(await this.write(w.page, stored[i]?.found ? stored[i]?.source : undefined));
        }),
      );
    } catch (error) {
      for (const w of batch) w.reject(error);
    }
  }

  private async write(page: PageDocument, stored: StoredPage | undefined): Promise<PageIndexResult> {
    const change: PageChange = !stored
      ? 'new'
      : stored.content_hash === page.content_hash
        ? 'unchanged'
        : 'changed';
    if (change === 'unchanged') {
      const ok = await this.touch(page.id, page.fetched_at);
      return { id: page.id, change, version: stored?.version ?? 1, ok };
    }
    const version = (stored?.version ?? 0) + 1;
    const [written] = await Promise.all([
      this.writer.add({
        op: 'index',
        index: this.pages,
        id: page.id,
        doc: this.pageDoc(page, version, stored),
      }),
      this.writer.add(this.versionOperation(page, version, stored)),
    ]);
    return resultOf(page, change, version, written);
  }

  private pageDoc(page: PageDocument, version: number, stored?: StoredPage): Doc {
    return {
      ...page,
      version,
      first_seen: stored?.first_seen ?? page.fetched_at,
      last_seen: page.fetched_at,
    };
  }

  private versionOperation(
    page: PageDocument,
    version: number,
    stored: StoredPage | undefined,
  ): BulkOperation & { op: 'index' } {
    const id = `${page.id}:${version}`;
    return {
      op: 'index',
      index: this.versions,
      id,
      doc: {
        id,
        page_id: page.id,
        url: page.url,
        site: page.site,
        version,
        fetched_at: page.fetched_at,
        content_hash: page.content_hash,
        title: page.title,
        text: page.text,
        diff: summariseChange(stored, page),
      },
    };
  }
}

function resultOf(
  page: PageDocument,
  change: PageChange,
  version: number,
  written: BulkItemResult,
): PageIndexResult {
  return {
    id: page.id,
    change,
    version,
    ok: written.ok,
    ...(written.error ? { error: `${written.error.type}: ${written.error.reason}` } : {}),
  };
}
