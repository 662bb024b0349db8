/**
 * The scoped resources the API lists, gets, facets and exports, each over its own index: which field
 * holds the document's jurisdiction, what a listing shows, what may be filtered and grouped.
 */
import type { ApiResource } from '../auth/access-policy.js';

export type CatalogResource = Extract<
  ApiResource,
  'operators' | 'pages' | 'ads' | 'alerts' | 'rules' | 'evidence'
>;

/** One resource of the catalogue. */
export interface ResourceSpec {
  resource: CatalogResource;
  /** Logical index name (alias `${prefix}-${index}`). */
  index: string;
  /** Singular, for messages (`No page "x"`). */
  kind: string;
  /** Object field holding the document's `JurisdictionRef`. */
  scopeField: string;
  /** `_source` of listings and exports. */
  fields: readonly string[];
  /** Query parameter → keyword field for exact filters. */
  filters: Readonly<Record<string, string>>;
  /** Filters whose values are document ids, validated as such (`idString`) rather than as free text. */
  idFilters?: readonly string[];
  /** Facet name → keyword field (terms aggregation). */
  facets: Readonly<Record<string, string>>;
  /** Full-text fields for `q`. */
  textFields: readonly string[];
  sort: readonly unknown[];
  /** Columns of the CSV export (dotted paths into `_source`). */
  csvColumns: readonly string[];
}

const JURISDICTION_COLUMNS = ['jurisdiction.county', 'jurisdiction.station', 'jurisdiction.grid'];

export const RESOURCE_CATALOG: Readonly<Record<CatalogResource, ResourceSpec>> = {
  operators: {
    resource: 'operators',
    index: 'entities',
    kind: 'operator',
    scopeField: 'jurisdiction',
    fields: [
      'id',
      'name',
      'uscc',
      'type',
      'classification',
      'risk_tier',
      'status',
      'domains',
      'district',
      'jurisdiction',
      'inspector_id',
      'inspection_frequency_days',
      'source_focus',
      'updated_at',
    ],
    filters: {
      type: 'type',
      status: 'status',
      risk_tier: 'risk_tier',
      inspector_id: 'inspector_id',
      district: 'district',
    },
    facets: { type: 'type', status: 'status', risk_tier: 'risk_tier', classification: 'classification' },
    textFields: ['name', 'name.en', 'address', 'notes'],
    sort: [{ 'name.keyword': 'asc' }, { id: 'asc' }],
    csvColumns: ['id', 'name', 'uscc', 'type', 'risk_tier', 'status', 'district', ...JURISDICTION_COLUMNS],
  },
  pages: {
    resource: 'pages',
    index: 'pages',
    kind: 'page',
    scopeField: 'jurisdiction',
    fields: [
      'id',
      'url',
      'host',
      'site',
      'title',
      'lang',
      'status',
      'fetched_at',
      'operator_id',
      'jurisdiction',
    ],
    filters: {
      site: 'site',
      operator_id: 'operator_id',
      lang: 'lang',
      registered_domain: 'registered_domain',
    },
    facets: { site: 'site', lang: 'lang', operator: 'operator_id', rule: 'rule_hits' },
    textFields: ['title^2', 'text', 'description', 'title.en', 'text.en'],
    sort: [{ fetched_at: { order: 'desc', unmapped_type: 'date' } }, { id: 'asc' }],
    csvColumns: ['id', 'url', 'site', 'title', 'fetched_at', 'operator_id', ...JURISDICTION_COLUMNS],
  },
  ads: {
    resource: 'ads',
    index: 'ads',
    kind: 'ad',
    scopeField: 'jurisdiction',
    fields: [
      'id',
      'creative_text',
      'landing_url',
      'landing_domain',
      'advertiser',
      'sites',
      'category',
      'seen_count',
      'first_seen',
      'last_seen',
      'operator_id',
      'jurisdiction',
      'rule_hits',
    ],
    filters: { site: 'sites', category: 'category', operator_id: 'operator_id', slot: 'slot' },
    facets: { site: 'sites', category: 'category', advertiser: 'advertiser.keyword', rule: 'rule_hits' },
    textFields: ['creative_text', 'creative_text.en', 'image_alt', 'advertiser'],
    sort: [{ last_seen: { order: 'desc', unmapped_type: 'date' } }, { id: 'asc' }],
    csvColumns: [
      'id',
      'creative_text',
      'landing_url',
      'category',
      'seen_count',
      'operator_id',
      ...JURISDICTION_COLUMNS,
    ],
  },
  alerts: {
    resource: 'alerts',
    index: 'alerts',
    kind: 'alert',
    scopeField: 'jurisdiction',
    fields: [
      'id',
      'rule_id',
      'rule_name',
      'severity',
      'category',
      'target',
      'doc_id',
      'url',
      'site',
      'operator_id',
      'jurisdiction',
      'status',
      'assignee',
      'hit_count',
      'first_hit_at',
      'last_hit_at',
    ],
    filters: {
      status: 'status',
      severity: 'severity',
      rule_id: 'rule_id',
      rule: 'rule_id',
      district: 'jurisdiction.county',
      assignee: 'assignee',
      site: 'site',
      doc_id: 'doc_id',
      operator_id: 'operator_id',
    },
    idFilters: ['doc_id', 'operator_id'],
    facets: { site: 'site', category: 'category', severity: 'severity', status: 'status', rule: 'rule_id' },
    textFields: ['rule_name', 'resolution_note'],
    sort: [{ last_hit_at: { order: 'desc', unmapped_type: 'date' } }, { id: 'asc' }],
    csvColumns: ['id', 'rule_id', 'severity', 'status', 'url', 'site', 'assignee', ...JURISDICTION_COLUMNS],
  },
  rules: {
    resource: 'rules',
    index: 'rules',
    kind: 'rule',
    scopeField: 'scope',
    fields: [
      'id',
      'name',
      'description',
      'target',
      'severity',
      'category',
      'owner',
      'scope',
      'enabled',
      'version',
      'updated_at',
    ],
    filters: { target: 'target', severity: 'severity', category: 'category', owner: 'owner' },
    facets: { category: 'category', severity: 'severity', target: 'target' },
    textFields: ['name', 'description', 'legal_basis'],
    sort: [{ id: 'asc' }],
    csvColumns: [
      'id',
      'name',
      'target',
      'severity',
      'category',
      'enabled',
      'scope.county',
      'scope.station',
      'scope.grid',
    ],
  },
  evidence: {
    resource: 'evidence',
    index: 'evidence',
    kind: 'evidence',
    scopeField: 'jurisdiction',
    fields: [
      'id',
      'url',
      'page_id',
      'alert_id',
      'case_id',
      'requested_by',
      'requested_at',
      'captured_at',
      'status',
      'content_sha256',
      'chain_hash',
      'jurisdiction',
    ],
    filters: { status: 'status', page_id: 'page_id', alert_id: 'alert_id', case_id: 'case_id' },
    facets: { status: 'status' },
    textFields: ['note'],
    sort: [{ requested_at: { order: 'desc', unmapped_type: 'date' } }, { id: 'asc' }],
    csvColumns: [
      'id',
      'url',
      'page_id',
      'alert_id',
      'status',
      'content_sha256',
      'captured_at',
      ...JURISDICTION_COLUMNS,
    ],
  },
};
