/**
 * Who may do what: the one table of role → resource → actions. Scope (which documents) is decided by
 * the principal's jurisdiction in `principal.ts`; this table only says whether the role has the power.
 */
import type { Role } from '../../registry/types.js';

export type ApiResource =
  | 'operators'
  | 'pages'
  | 'ads'
  | 'alerts'
  | 'rules'
  | 'evidence'
  | 'jurisdictions'
  | 'users'
  | 'tokens'
  | 'tasks'
  | 'candidates'
  | 'lookalikes'
  | 'crawl'
  | 'channels';

export type ApiAction = 'read' | 'write';

type Grants = Partial<Record<ApiResource, readonly ApiAction[]>>;

const READ = ['read'] as const;
const READ_WRITE = ['read', 'write'] as const;

const ALL_RESOURCES: readonly ApiResource[] = [
  'operators',
  'pages',
  'ads',
  'alerts',
  'rules',
  'evidence',
  'jurisdictions',
  'users',
  'tokens',
  'tasks',
  'candidates',
  'lookalikes',
  'crawl',
  'channels',
];

/**
 * admin: everything in its scope. supervisor: reads everything in scope, writes rules, works alerts and
 * submits crawls. inspector: reads and writes operators, works alerts, submits crawls, reads pages, ads
 * and the work around them.
 * analyst: reads pages and ads. public: nothing of this API.
 */
export const ACCESS_POLICY: Readonly<Record<Role, Grants>> = {
  admin: Object.fromEntries(ALL_RESOURCES.map((r) => [r, READ_WRITE])),
  supervisor: {
    operators: READ,
    pages: READ,
    ads: READ,
    alerts: READ_WRITE,
    crawl: READ_WRITE,
    channels: READ_WRITE,
    rules: READ_WRITE,
    evidence: READ,
    jurisdictions: READ,
    tasks: READ,
    candidates: READ,
    lookalikes: READ,
  },
  inspector: {
    operators: READ_WRITE,
    pages: READ,
    ads: READ,
    alerts: READ_WRITE,
    crawl: READ_WRITE,
    rules: READ,
    evidence: READ,
    jurisdictions: READ,
    tasks: READ,
    candidates: READ,
    lookalikes: READ,
  },
  analyst: { pages: READ, ads: READ },
  public: {},
};

export function allows(role: Role, resource: ApiResource, action: ApiAction): boolean {
  return ACCESS_POLICY[role][resource]?.includes(action) ?? false;
}
