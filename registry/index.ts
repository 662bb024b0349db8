/** The bureau's registry: jurisdiction tree, operators, users, scope filtering, CSV and demo data. */
export type * from './types.js';
export { JURISDICTION_LEVELS } from './types.js';
export { deepestLevel, refWithin, scopedQuery, scopeFilter, type ScopeFilterOptions } from './scope.js';
export { RegistryErrorCode, type RegistryStoreOptions } from './registry.errors.js';
export {
  JurisdictionTree,
  type ListNodesOptions,
  type MoveResult,
} from './jurisdictions/jurisdiction-tree.js';
export { nodeProblems, parentLevelOf, type FieldProblem } from './jurisdictions/jurisdiction.rules.js';
export { reassignJurisdiction, type ReassignOptions } from './jurisdictions/reassign.js';
export {
  OperatorRepository,
  type OperatorPage,
  type OperatorRepositoryOptions,
  type UpdateOptions,
  type VersionedOperator,
  type WriteOptions,
} from './operators/operator.repository.js';
export { operatorSearchSchema, type OperatorSearch } from './operators/operator-query.js';
export {
  normaliseHost,
  operatorInputSchema,
  operatorPatchSchema,
  type OperatorInput,
  type OperatorPatch,
} from './operators/operator.schema.js';
export type { FieldChange, HistoryEntry } from './operators/operator-history.js';
export {
  AuthenticationError,
  canSee,
  ROLES,
  UserRepository,
  type AuthenticatedUser,
  type NewUser,
  type UserPatch,
} from './users/user.repository.js';
export { hashPassword, verifyPassword } from './users/password.js';
export * from './csv/index.js';
export {
  buildDemoRegistry,
  DEMO_USERS,
  demoTree,
  importDemoRegistry,
  type DemoRegistry,
} from './demo-registry.js';
