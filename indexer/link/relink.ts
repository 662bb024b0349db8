/**
 * Propagation: when an operator's identifiers, domains or jurisdiction change (or a domain is
 * registered), pages and ads already indexed are linked again, so alerts route to the right district.
 * The affected pages are found by query, linked again in memory with the current operators, and
 * rewritten with `updateByQuery` (one painless script per distinct outcome, over the ids it applies to).
 * Ads then take the operators and jurisdictions of the pages they appear on.
 */
import type { Logger } from 'pino';
import { AppError } from '../../core/errors.js';
import { logger } from '../../core/logger.js';
import { scanAll } from '../../engine/index.js';
import type { Doc, EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { JurisdictionRef } from '../../registry/types.js';
import type { CandidateRepository } from './candidate.repository.js';
import { hostKey, icpKeys, licenceKey, registeredKey, shopUrlKey, usccKey } from './identity-keys.js';
import type { LinkableOperator, PageIdentity } from './link.types.js';
import { toLinkedFields, type LinkedFields } from './link-stage.js';
import type { OperatorDirectory } from './operator-directory.js';
import { linkIdentity } from './operator-linker.js';

const SET_LINK_SCRIPT = `
ctx._source.operator_id = params.operator_id;
ctx._source.link = params.link;
ctx._source.jurisdiction = params.jurisdiction;
`;

const SET_AD_OPERATORS_SCRIPT = `
ctx._source.operator_id = params.operator_ids;
ctx._source.jurisdiction = params.jurisdiction;
`;

/** Ids per `updateByQuery` request. */
const IDS_PER_REQUEST = 1000;

/** What a relink changed. */
export interface RelinkReport {
  /** Pages looked at (matching the operator's or domain's old or new identity). */
  pagesExamined: number;
  /** Pages whose operator, link or jurisdiction changed. */
  pagesUpdated: number;
  adsUpdated: number;
  /** Candidates that became `registered`. */
  candidatesRegistered: number;
}

interface StoredPage extends PageIdentity, Partial<LinkedFields> {
  url: string;
  registered_domain?: string;
}

/** Options of {@link Relinker}. */
export interface RelinkerOptions {
  prefix: string;
  /** The operators linking uses; refreshed (forced) before every relink. */
  directory: OperatorDirectory;
  /** Marks candidates of newly covered domains as registered. @default none */
  candidates?: CandidateRepository;
  /** @default logger('relink') */
  log?: Logger;
}

export class Relinker {
  private readonly pages: string;
  private readonly ads: string;
  private readonly log: Logger;

  constructor(
    private readonly engine: EnginePort,
    private readonly options: RelinkerOptions,
  ) {
    this.pages = aliasName(options.prefix, 'pages');
    this.ads = aliasName(options.prefix, 'ads');
    this.log = options.log ?? logger('relink');
  }

  /**
   * Relinks every page that was linked to `operator` or shows its (new) identifiers, domains or shop
   * URLs. Call after the operator is saved; pass the previous version too when its identity changed,
   * so pages matching only the old identity are found even if they were never linked to it.
   */
  async relinkOperator(operator: LinkableOperator, previous?: LinkableOperator): Promise<RelinkReport> {
    await this.options.directory.refresh({ force: true });
    const clauses = [{ term: { operator_id: operator.id } }, ...identityClauses(operator)];
    if (previous) clauses.push(...identityClauses(previous));
    const report = await this.relinkWhere({ bool: { should: clauses, minimum_should_match: 1 } });
    for (const domain of new Set((operator.domains ?? []).map((d) => registeredKey(hostKey(d))))) {
      if (domain && (await this.options.candidates?.markRegistered(domain, operator.id)))
        report.candidatesRegistered++;
    }
    return report;
  }

  /** Relinks every page on `domain` or its sub-domains (after it was registered, moved or removed). */
  async relinkDomain(domain: string): Promise<RelinkReport> {
    await this.options.directory.refresh({ force: true });
    const host = hostKey(domain);
    if (host === '')
      throw new AppError(`Not a domain: "${domain}"`, { code: 'DOMAIN_INVALID', httpStatus: 400 });
    const report = await this.relinkWhere(hostClause(host));
    const owner = linkIdentity(this.options.directory.index, { host }).operator_id;
    if (owner && (await this.options.candidates?.markRegistered(registeredKey(host), owner))) {
      report.candidatesRegistered++;
    }
    return report;
  }

  private async relinkWhere(query: Doc): Promise<RelinkReport> {
    const report: RelinkReport = {
      pagesExamined: 0,
      pagesUpdated: 0,
      adsUpdated: 0,
      candidatesRegistered: 0,
    };
    const groups = new Map<string, { fields: LinkedFields; ids: string[]; urls: string[] }>();
    await this.engine.refresh(this.pages);
    const hits = scanAll<StoredPage>(this.engine, {
      index: this.pages,
      query,
      source: ['url', 'host', 'identifiers', 'operator_id', 'link', 'jurisdiction'],
    });
    for await (const hit of hits) {
      report.pagesExamined++;
      const fields = toLinkedFields(linkIdentity(this.options.directory.index, hit.source));
      if (sameLink(hit.source, fields)) continue;
      const key = JSON.stringify(fields);
      const group = groups.get(key) ?? { fields, ids: [], urls: [] };
      group.ids.push(hit.id);
      group.urls.push(hit.source.url);
      groups.set(key, group);
    }
    for (const { fields, ids } of groups.values()) {
      for (let i = 0; i < ids.length; i += IDS_PER_REQUEST) {
        const result = await this.engine.updateByQuery(
          this.pages,
          { ids: { values: ids.slice(i, i + IDS_PER_REQUEST) } },
          { source: SET_LINK_SCRIPT, params: { ...fields } },
          { refresh: true },
        );
        report.pagesUpdated += result.affected;
      }
    }
    const urls = [...groups.values()].flatMap((g) => g.urls);
    if (urls.length > 0) report.adsUpdated = await this.relinkAdsOn(urls);
    this.log.info({ ...report }, 'relinked');
    return report;
  }

  /** Ads shown on `urls` take again the operators and jurisdictions of all the pages they appear on. */
  private async relinkAdsOn(urls: string[]): Promise<number> {
    await this.engine.refresh(this.ads);
    let updated = 0;
    for (let i = 0; i < urls.length; i += IDS_PER_REQUEST) {
      const ads = scanAll<{ page_urls?: string[] }>(this.engine, {
        index: this.ads,
        query: { terms: { page_urls: urls.slice(i, i + IDS_PER_REQUEST) } },
        source: ['page_urls'],
      });
      for await (const ad of ads) {
        const { operatorIds, jurisdiction } = await this.operatorsOfPages(ad.source.page_urls ?? []);
        const result = await this.engine.updateByQuery(
          this.ads,
          { ids: { values: [ad.id] } },
          { source: SET_AD_OPERATORS_SCRIPT, params: { operator_ids: operatorIds, jurisdiction } },
          { refresh: false },
        );
        updated += result.affected;
      }
    }
    await this.engine.refresh(this.ads);
    return updated;
  }

  private async operatorsOfPages(
    urls: string[],
  ): Promise<{ operatorIds: string[]; jurisdiction: Record<string, string[]> }> {
    const result = await this.engine.search<Partial<LinkedFields>>({
      index: this.pages,
      query: { terms: { url: urls } },
      size: urls.length,
      source: ['operator_id', 'jurisdiction'],
    });
    const operatorIds = new Set<string>();
    const jurisdiction: Record<string, Set<string>> = {};
    for (const hit of result.hits) {
      if (!hit.source.operator_id) continue;
      operatorIds.add(hit.source.operator_id);
      for (const [level, value] of Object.entries(hit.source.jurisdiction ?? {}) as [
        keyof JurisdictionRef,
        string,
      ][]) {
        (jurisdiction[level] ??= new Set()).add(value);
      }
    }
    return {
      operatorIds: [...operatorIds],
      jurisdiction: Object.fromEntries(Object.entries(jurisdiction).map(([k, v]) => [k, [...v]])),
    };
  }
}

function sameLink(stored: Partial<LinkedFields>, fields: LinkedFields): boolean {
  return (
    (stored.operator_id ?? null) === fields.operator_id &&
    stored.link?.reason === fields.link.reason &&
    stored.link?.confidence === fields.link.confidence &&
    stored.link?.licence_on_file === fields.link.licence_on_file &&
    JSON.stringify(sortedRef(stored.jurisdiction ?? {})) === JSON.stringify(sortedRef(fields.jurisdiction))
  );
}

function sortedRef(ref: JurisdictionRef): [string, unknown][] {
  return Object.entries(ref).sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Pages on `host` or under it: the `host` field's domain analyzer matches sub-domains. */
function hostClause(host: string): Doc {
  return {
    bool: {
      should: [{ match: { host } }, { term: { registered_domain: registeredKey(host) } }],
      minimum_should_match: 1,
    },
  };
}

/** Query clauses for pages showing any of the operator's identifiers or living on its sites. */
function identityClauses(op: LinkableOperator): Doc[] {
  const clauses: Doc[] = [];
  if (op.uscc) clauses.push({ term: { 'identifiers.uscc': usccKey(op.uscc) } });
  const licences = (op.licence_numbers ?? []).map(licenceKey);
  if (licences.length > 0) clauses.push({ terms: { 'identifiers.licence': licences } });
  for (const icp of op.icp_numbers ?? []) {
    const keys = icpKeys(icp);
    clauses.push({ prefix: { 'identifiers.icp': keys[keys.length - 1] as string } });
  }
  for (const domain of op.domains ?? []) {
    const host = hostKey(domain);
    if (host !== '') clauses.push(hostClause(host));
  }
  for (const url of op.shop_urls ?? []) {
    const key = shopUrlKey(url);
    if (key) clauses.push(hostClause(key.host));
  }
  return clauses;
}
