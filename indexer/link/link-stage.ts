/**
 * The linking stage as the pipeline calls it: `linkPage` before a page is written (fields to merge
 * into the page document), `afterPage` once the page and its ads are written (ads take the page's
 * operator and jurisdiction; unlinked e-commerce pages become unregistered-operator candidates).
 */
import type { BulkWriter } from '../index/bulk-writer.js';
import type { Logger } from 'pino';
import { logger } from '../../core/logger.js';
import type { BulkOperation, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { JurisdictionRef } from '../../registry/types.js';
import type { AdSighting } from '../index/ad-indexer.js';
import { CandidateRepository, type CandidatePage } from './candidate.repository.js';
import type { LinkResult } from './link.types.js';
import { OperatorDirectory, type OperatorDirectoryOptions } from './operator-directory.js';
import { linkIdentity, UNLINKED } from './operator-linker.js';

/** What linking merges into a `pages` document. */
export interface LinkedFields {
  operator_id: string | null;
  link: { confidence: number; reason: string; licence_on_file: boolean };
  jurisdiction: JurisdictionRef;
}

/** Field of the `ads` mapping holding the advertiser's operator (landing domain); written only if mapped. */
export const ADVERTISER_OPERATOR_FIELD = 'advertiser_operator_id';

/**
 * Adds the page's operator and jurisdiction to an ad (an ad shown on several operators' pages carries
 * all of them, so each district sees it), and sets the advertiser's operator. No change, no write.
 */
const AD_LINK_SCRIPT = `
def s = ctx._source;
boolean changed = false;
if (params.operator_id != null) {
  def ids = s.operator_id;
  if (ids == null) { ids = new ArrayList(); s.operator_id = ids; }
  else if (!(ids instanceof List)) { def one = ids; ids = new ArrayList(); ids.add(one); s.operator_id = ids; }
  if (!ids.contains(params.operator_id)) { ids.add(params.operator_id); changed = true; }
  if (s.jurisdiction == null) { s.jurisdiction = new HashMap(); }
  for (def entry : params.jurisdiction.entrySet()) {
    def values = s.jurisdiction[entry.getKey()];
    if (values == null) { values = new ArrayList(); s.jurisdiction[entry.getKey()] = values; }
    else if (!(values instanceof List)) { def one = values; values = new ArrayList(); values.add(one); s.jurisdiction[entry.getKey()] = values; }
    if (!values.contains(entry.getValue())) { values.add(entry.getValue()); changed = true; }
  }
}
if (params.advertiser_field != null && s[params.advertiser_field] != params.advertiser_operator_id) {
  s[params.advertiser_field] = params.advertiser_operator_id; changed = true;
}
if (!changed) { ctx.op = 'noop'; }
`;

/** Options of {@link LinkStage.create}. */
export interface LinkStageOptions extends Omit<OperatorDirectoryOptions, 'log'> {
  /** A directory already started elsewhere (shared by stages of one process). @default a new one */
  directory?: OperatorDirectory;
  /** Record unlinked e-commerce pages as candidates. @default true */
  candidates?: boolean;
  /** @default logger('link-stage') */
  log?: Logger;
  /**
   * The crawl's bulk writer: link writes join its batches (and its dead letters) instead of costing
   * one `_bulk` request per page. @default direct `_bulk` per page
   */
  writer?: BulkWriter;
}

export class LinkStage {
  private constructor(
    private readonly engine: EnginePort,
    readonly directory: OperatorDirectory,
    private readonly ownsDirectory: boolean,
    private readonly adsAlias: string,
    private readonly candidates: CandidateRepository | null,
    private readonly advertiserField: string | null,
    private readonly log: Logger,
    private readonly writer: BulkWriter | undefined,
  ) {}

  /** Loads the operators and checks whether the ads mapping has the advertiser field. */
  static async create(engine: EnginePort, options: LinkStageOptions): Promise<LinkStage> {
    const log = options.log ?? logger('link-stage');
    const ownsDirectory = options.directory === undefined;
    const directory = options.directory ?? new OperatorDirectory(engine, { ...options, log });
    if (ownsDirectory) await directory.start();
    const adsAlias = aliasName(options.prefix, 'ads');
    const mapping = await engine.getMapping(adsAlias);
    const properties = (mapping.properties ?? {}) as Record<string, unknown>;
    const advertiserField = ADVERTISER_OPERATOR_FIELD in properties ? ADVERTISER_OPERATOR_FIELD : null;
    if (!advertiserField)
      log.info(`ads mapping has no ${ADVERTISER_OPERATOR_FIELD}: advertiser links are not stored`);
    const candidates = options.candidates === false ? null : new CandidateRepository(engine, options);
    return new LinkStage(
      engine,
      directory,
      ownsDirectory,
      adsAlias,
      candidates,
      advertiserField,
      log,
      options.writer,
    );
  }

  /** The link of a page from its identifiers and URL (no engine round trip). */
  link(page: CandidatePage): LinkResult {
    return linkIdentity(this.directory.index, page);
  }

  /** Fields to merge into the page document before it is written. */
  linkPage(page: CandidatePage): LinkedFields {
    return toLinkedFields(this.link(page));
  }

  /** The advertiser's operator: the operator registering the ad's landing domain or shop URL. */
  linkLanding(ad: Pick<AdSighting, 'landing_url' | 'landing_domain'>): LinkResult {
    const host = ad.landing_domain ?? hostOf(ad.landing_url);
    if (!host) return UNLINKED;
    return linkIdentity(this.directory.index, { host, ...(ad.landing_url ? { url: ad.landing_url } : {}) });
  }

  /**
   * After the page and its ads are written: links the ads to the page's operator (and the advertiser's),
   * and records the page as a candidate if it is unlinked e-commerce. One bulk request.
   */
  async afterPage(page: CandidatePage, linked: LinkedFields, ads: readonly AdSighting[]): Promise<void> {
    const operations: BulkOperation[] = ads.map((ad) => this.adOperation(ad, linked));
    const candidate = this.candidates?.operationFor(page, fromLinkedFields(linked));
    if (candidate) operations.push(candidate);
    if (operations.length === 0) return;
    const writer = this.writer;
    const items = writer
      ? await Promise.all(operations.map((operation) => writer.add(operation)))
      : (await this.engine.bulk(operations)).items;
    for (const item of items.filter((i) => !i.ok)) {
      this.log.warn({ id: item.id, index: item.index, error: item.error }, 'link write failed');
    }
  }

  async close(): Promise<void> {
    if (this.ownsDirectory) await this.directory.close();
  }

  private adOperation(ad: AdSighting, linked: LinkedFields): BulkOperation {
    const advertiser = this.advertiserField ? this.linkLanding(ad).operator_id : null;
    return {
      op: 'update',
      index: this.adsAlias,
      id: ad.id,
      script: {
        source: AD_LINK_SCRIPT,
        params: {
          operator_id: linked.operator_id,
          jurisdiction: linked.jurisdiction,
          advertiser_field: this.advertiserField,
          advertiser_operator_id: advertiser,
        },
      },
      retryOnConflict: 5,
    };
  }
}

export function toLinkedFields(link: LinkResult): LinkedFields {
  return {
    operator_id: link.operator_id,
    link: { confidence: link.confidence, reason: link.reason, licence_on_file: link.licence_on_file },
    jurisdiction: { ...link.jurisdiction },
  };
}

function fromLinkedFields(fields: LinkedFields): LinkResult {
  return { operator_id: fields.operator_id, ...fields.link, jurisdiction: fields.jurisdiction };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}
