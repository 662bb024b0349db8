/**
 * Real-time matching: documents just indexed are collected for a few ms (or until `maxBatch`), then
 * percolated in one request per kind against the enabled rules of that target; each hit (rule × slot)
 * outside the rule's jurisdiction scope is dropped, the rest become alerts.
 *
 * Wiring (pipeline): `onIndexed: (result) => matcher.onIndexed(result.id, 'page')` — a bare id is
 * read back from the index (realtime get); pass the document itself when it is at hand.
 */
import type { Logger } from 'pino';
import { logger } from '../../core/logger.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { aliasName, RULE_QUERY_FIELD } from '../../mappings/index.js';
import type { AlertService } from '../alert/alert.service.js';
import type { Jurisdiction, RecordedHit, RuleHit } from '../alert/alert.types.js';
import { targetsFor, type DocKind, type Rule } from './rule.types.js';

/** Options of {@link Matcher}. */
export interface MatcherOptions {
  prefix: string;
  alerts: AlertService;
  /** How long the first document of a batch waits for company. @default 10 */
  batchWindowMs?: number;
  /** A batch is sent at once when it holds this many documents. @default 100 */
  maxBatch?: number;
  /**
   * Percolations of one kind in flight at once. While they run, newly indexed documents wait and go
   * out together as the next batch: a percolation over many rules costs much the same for 5 documents
   * as for 50, so fewer, larger batches keep up with the feed where many small ones pile up. @default 1
   */
  maxInFlightPerKind?: number;
  /** Most rules one percolation returns (hits beyond are logged, not lost silently). @default 10_000 */
  maxRuleHits?: number;
  /** @default logger('match') */
  log?: Logger;
}

/** What matching one document produced. */
export interface MatchOutcome {
  docId: string;
  ruleIds: string[];
  alerts: RecordedHit[];
}

interface Pending {
  doc: Doc | string;
  indexedAt: number;
  resolve: (outcome: MatchOutcome) => void;
  reject: (error: unknown) => void;
}

type RuleMeta = Pick<Rule, 'id' | 'name' | 'version' | 'severity' | 'category' | 'legal_basis' | 'scope'>;

const RULE_SOURCE = ['id', 'name', 'version', 'severity', 'category', 'legal_basis', 'scope'];

function inScope(scope: Rule['scope'], where: Jurisdiction | undefined): boolean {
  if (!scope) return true;
  return (Object.entries(scope) as Array<[keyof Jurisdiction, string | undefined]>).every(
    ([level, value]) => value === undefined || where?.[level] === value,
  );
}

export class Matcher {
  private readonly pending: Record<DocKind, Pending[]> = { page: [], ad: [] };
  private readonly timers: Partial<Record<DocKind, NodeJS.Timeout>> = {};
  private readonly inFlight = new Set<Promise<void>>();
  private readonly running: Record<DocKind, number> = { page: 0, ad: 0 };
  private readonly rulesIndex: string;
  private readonly log: Logger;
  /** indexed → alert stored, per alert written since start (for benches). */
  readonly latenciesMs: number[] = [];

  constructor(
    private readonly engine: EnginePort,
    private readonly options: MatcherOptions,
  ) {
    this.rulesIndex = aliasName(options.prefix, 'rules');
    this.log = options.log ?? logger('match');
  }

  /** Queues a just-indexed document (or its id); resolves once its alerts are stored. */
  onIndexed(doc: Doc | string, kind: DocKind, indexedAt: number = Date.now()): Promise<MatchOutcome> {
    return new Promise((resolve, reject) => {
      const queue = this.pending[kind];
      queue.push({ doc, indexedAt, resolve, reject });
      if (this.busy(kind)) return; // sent as the next batch when a percolation of this kind ends
      if (queue.length >= (this.options.maxBatch ?? 100)) this.launch(kind);
      else this.timers[kind] ??= setTimeout(() => this.launch(kind), this.options.batchWindowMs ?? 10);
    });
  }

  /** Sends what is queued and waits for every batch in flight. */
  async flush(): Promise<void> {
    for (;;) {
      if (!this.busy('page')) this.launch('page');
      if (!this.busy('ad')) this.launch('ad');
      if (this.inFlight.size === 0) return;
      await Promise.allSettled([...this.inFlight]);
    }
  }

  private busy(kind: DocKind): boolean {
    return this.running[kind] >= (this.options.maxInFlightPerKind ?? 1);
  }

  private launch(kind: DocKind): void {
    clearTimeout(this.timers[kind]);
    delete this.timers[kind];
    const maxBatch = this.options.maxBatch ?? 100;
    const batch = this.pending[kind].slice(0, maxBatch);
    this.pending[kind] = this.pending[kind].slice(maxBatch);
    if (batch.length === 0) return;
    this.running[kind] += 1;
    const run = this.run(kind, batch).finally(() => {
      this.inFlight.delete(run);
      this.running[kind] -= 1;
      // What queued meanwhile has waited long enough: it goes out now, up to maxBatch at a time.
      if (this.pending[kind].length > 0 && !this.busy(kind)) this.launch(kind);
    });
    this.inFlight.add(run);
  }

  private async run(kind: DocKind, batch: Pending[]): Promise<void> {
    try {
      const docs = await this.load(kind, batch);
      const outcomes = await this.match(kind, batch, docs);
      batch.forEach((p, i) => p.resolve(outcomes[i] as MatchOutcome));
    } catch (error) {
      this.log.error({ err: error, kind, size: batch.length }, 'match batch failed');
      for (const p of batch) p.reject(error);
    }
  }

  /** The documents themselves: given ones as they are, ids read back with one realtime mget. */
  private async load(kind: DocKind, batch: Pending[]): Promise<Array<Doc | undefined>> {
    const ids = batch.flatMap((p) => (typeof p.doc === 'string' ? [p.doc] : []));
    const index = aliasName(this.options.prefix, kind === 'page' ? 'pages' : 'ads');
    const got = ids.length > 0 ? await this.engine.mget(index, ids) : [];
    const byId = new Map(got.filter((g) => g.found).map((g) => [g.id, g.source]));
    return batch.map((p) => (typeof p.doc === 'string' ? byId.get(p.doc) : p.doc));
  }

  private async match(
    kind: DocKind,
    batch: Pending[],
    docs: Array<Doc | undefined>,
  ): Promise<MatchOutcome[]> {
    const present = docs.flatMap((doc, i) => (doc ? [{ doc, i }] : []));
    const ruleIds: string[][] = batch.map(() => []);
    const hits: RuleHit[] = [];
    if (present.length > 0) {
      const size = this.options.maxRuleHits ?? 10_000;
      const result = await this.engine.percolate<RuleMeta>({
        index: this.rulesIndex,
        field: RULE_QUERY_FIELD,
        documents: present.map((p) => p.doc),
        // Scheduled rules are evaluated over windows by the scheduled runner, never per document.
        filter: {
          bool: {
            filter: [{ term: { enabled: true } }, { terms: { target: targetsFor(kind) } }],
            must_not: [{ exists: { field: 'schedule.type' } }],
          },
        },
        size,
        source: RULE_SOURCE,
      });
      if (result.total > size)
        this.log.warn({ total: result.total, size }, 'more matching rules than maxRuleHits');
      for (const hit of result.hits) {
        for (const slot of hit.slots ?? [0]) {
          const entry = present[slot];
          if (!entry) continue;
          const hitDoc = this.toHitDoc(entry.doc, batch[entry.i]?.doc);
          if (!inScope(hit.source.scope, hitDoc.jurisdiction)) continue;
          ruleIds[entry.i]?.push(hit.id);
          const { id, name, version, severity, category, legal_basis } = hit.source;
          const rule = { id, name, version, severity, category, ...(legal_basis ? { legal_basis } : {}) };
          hits.push({ rule, kind, doc: hitDoc, indexedAt: (batch[entry.i] as Pending).indexedAt });
        }
      }
    }
    const recorded = await this.options.alerts.recordHits(hits);
    for (const r of recorded) this.latenciesMs.push(r.latencyMs);
    const byDoc = new Map<string, RecordedHit[]>();
    hits.forEach((h, i) => byDoc.set(h.doc.id, [...(byDoc.get(h.doc.id) ?? []), recorded[i] as RecordedHit]));
    return batch.map((p, i) => {
      const stored = docs[i]?.id;
      const docId = typeof stored === 'string' ? stored : typeof p.doc === 'string' ? p.doc : '';
      return { docId, ruleIds: (ruleIds[i] ?? []).sort(), alerts: byDoc.get(docId) ?? [] };
    });
  }

  private toHitDoc(doc: Doc, given: Doc | string | undefined): RuleHit['doc'] {
    const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
    const id = str(doc.id) ?? (typeof given === 'string' ? given : '');
    const url = str(doc.url) ?? str(doc.landing_url);
    const site = str(doc.site) ?? (Array.isArray(doc.sites) ? str(doc.sites[0]) : undefined);
    const host = str(doc.host) ?? str(doc.landing_domain);
    const operator = str(doc.operator_id);
    const where = doc.jurisdiction as Jurisdiction | undefined;
    return {
      id,
      ...(url ? { url } : {}),
      ...(host ? { host } : {}),
      ...(site ? { site } : {}),
      ...(operator ? { operator_id: operator } : {}),
      ...(where && typeof where === 'object' ? { jurisdiction: where } : {}),
    };
  }
}
