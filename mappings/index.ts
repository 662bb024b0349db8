/** Every Argus index definition, and the names of aliases, versioned indices and templates. */
import { adsDefinition } from './ads.mapping.js';
import { alertRoutesDefinition } from './alert-routes.mapping.js';
import { alertsDefinition } from './alerts.mapping.js';
import { auditDefinition } from './audit.mapping.js';
import { candidatesDefinition } from './candidates.mapping.js';
import type { IndexDefinition } from './definition.js';
import { entitiesDefinition } from './entities.mapping.js';
import { evidenceDefinition } from './evidence.mapping.js';
import { jurisdictionsDefinition } from './jurisdictions.mapping.js';
import { lookalikesDefinition } from './lookalikes.mapping.js';
import { operatorHistoryDefinition } from './operator-history.mapping.js';
import { pageVersionsDefinition } from './page-versions.mapping.js';
import { pagesDefinition } from './pages.mapping.js';
import { ruleVersionsDefinition } from './rule-versions.mapping.js';
import { rulesDefinition } from './rules.mapping.js';
import { usersDefinition } from './users.mapping.js';

export { adsDefinition, MAX_AD_PAGE_URLS } from './ads.mapping.js';
export { alertRoutesDefinition } from './alert-routes.mapping.js';
export { alertsDefinition } from './alerts.mapping.js';
export { auditDefinition } from './audit.mapping.js';
export { candidatesDefinition, MAX_CANDIDATE_SAMPLE_URLS } from './candidates.mapping.js';
export { definitionMeta, type IndexDefinition, type Properties, type FieldMapping } from './definition.js';
export { entitiesDefinition } from './entities.mapping.js';
export { lookalikesDefinition } from './lookalikes.mapping.js';
export { evidenceDefinition } from './evidence.mapping.js';
export { jurisdictionsDefinition } from './jurisdictions.mapping.js';
export { operatorHistoryDefinition } from './operator-history.mapping.js';
export { pageVersionsDefinition } from './page-versions.mapping.js';
export { pagesDefinition } from './pages.mapping.js';
export { RULE_QUERY_FIELD, rulesDefinition } from './rules.mapping.js';
export { ruleVersionsDefinition } from './rule-versions.mapping.js';
export { usersDefinition } from './users.mapping.js';

export const INDEX_DEFINITIONS: readonly IndexDefinition[] = [
  pagesDefinition,
  pageVersionsDefinition,
  adsDefinition,
  entitiesDefinition,
  rulesDefinition,
  ruleVersionsDefinition,
  alertsDefinition,
  evidenceDefinition,
  auditDefinition,
  candidatesDefinition,
  jurisdictionsDefinition,
  operatorHistoryDefinition,
  usersDefinition,
  lookalikesDefinition,
  alertRoutesDefinition,
];

/** The indices one crawl writes or reads: pages, their versions, ads, operators (linking) and candidates. */
export const CRAWL_DEFINITIONS: readonly IndexDefinition[] = [
  pagesDefinition,
  pageVersionsDefinition,
  adsDefinition,
  entitiesDefinition,
  candidatesDefinition,
];

export type IndexName =
  | 'pages'
  | 'page-versions'
  | 'ads'
  | 'entities'
  | 'rules'
  | 'rule-versions'
  | 'alerts'
  | 'evidence'
  | 'audit'
  | 'candidates'
  | 'lookalikes'
  | 'jurisdictions'
  | 'operator-history'
  | 'users'
  | 'alert-routes';

/** The alias every reader and writer uses, e.g. `argus-pages`. */
export function aliasName(prefix: string, name: string): string {
  return `${prefix}-${name}`;
}

/** The concrete index behind an alias, e.g. `argus-pages-v1`. */
export function versionedIndexName(prefix: string, name: string, version: number): string {
  return `${aliasName(prefix, name)}-v${version}`;
}

/** The index template covering every version of one index. */
export function templateName(prefix: string, name: string): string {
  return aliasName(prefix, name);
}
