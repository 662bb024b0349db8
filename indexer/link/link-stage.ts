/**
 * The linking stage as the pipeline calls it: `linkPage` before a page is written (fields to merge
 * into the page document), `adLink` for each ad sighting (the page's operator and jurisdiction and the
 * advertiser's operator, written by the AdIndexer with the sighting), `afterPage` once the page is
 * written (unlinked e-commerce pages become unregistered-operator candidates).
 */
import type { BulkWriter } from '../index/bulk-writer.js';
import type { Logger } from 'pino';
import { logger } from '../../core/logger.js';
import type { BulkItemResult, BulkOperation, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { JurisdictionRef } from '../../registry/types.js';
import type { AdLink, AdSighting } from '../index/ad-indexer.js';
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
    return new LinkStage(engine, directory, ownsDirectory, candidates, advertiserField, log, options.writer);
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
   * What an ad sighting on a page linked as `linked` carries into its write (`AdIndexer.record`): the
   * page's operator and jurisdiction, and the advertiser's operator when the ads mapping stores it.
   */
  adLink(ad: Pick<AdSighting, 'landing_url' | 'landing_domain'>, linked: LinkedFields): AdLink {
    return {
      operator_id: linked.operator_id,
      jurisdiction: linked.jurisdiction,
      ...(this.advertiserField ? { advertiser_operator_id: this.linkLanding(ad).operator_id } : {}),
    };
  }

  /**
   * After the page is written: records it as a candidate if it is unlinked e-commerce. Through the
   * crawl's writer, pages of one domain in one batch fold into one write of their candidate.
   */
  async afterPage(page: CandidatePage, linked: LinkedFields): Promise<void> {
    const candidates = this.candidates;
    const evidence = candidates?.evidenceOf(page, fromLinkedFields(linked));
    if (!candidates || !evidence) return;
    const item = this.writer
      ? await this.writer.fold(`candidate:${evidence.domain}`, evidence, (list) =>
          candidates.operationForEvidence(list),
        )
      : await this.writeOne(candidates.operationForEvidence([evidence]));
    if (!item.ok) this.log.warn({ id: item.id, error: item.error }, 'candidate write failed');
  }

  async close(): Promise<void> {
    if (this.ownsDirectory) await this.directory.close();
  }

  private async writeOne(operation: BulkOperation): Promise<BulkItemResult> {
    const [item] = (await this.engine.bulk([operation])).items;
    if (!item) throw new Error(`no bulk result for ${operation.id}`);
    return item;
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
