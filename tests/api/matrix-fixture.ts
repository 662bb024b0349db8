/**
 * The isolation matrix's world: a city, two counties, two stations each, two grids per station; users
 * of every role at several nodes; one document of every resource in every node (plus one linked to no
 * operator), written straight into the indices with `jurisdiction` set, refreshed once.
 */
import type { EnginePort } from '../../engine/port.js';
import { aliasName } from '../../mappings/index.js';
import type { JurisdictionNode, JurisdictionRef, Role } from '../../registry/types.js';
import type { NewUser } from '../../registry/users/user.repository.js';

const COUNTIES = ['k1', 'k2'];

function buildTree(): JurisdictionNode[] {
  const nodes: JurisdictionNode[] = [{ id: 'c', level: 'city', name: '示范市', parent_id: null }];
  for (const county of COUNTIES) {
    nodes.push({ id: county, level: 'county', name: `县${county}`, parent_id: 'c' });
    for (const s of ['s1', 's2']) {
      const station = `${county}${s}`;
      nodes.push({ id: station, level: 'station', name: `所${station}`, parent_id: county });
      for (const g of ['g1', 'g2']) {
        nodes.push({ id: `${station}${g}`, level: 'grid', name: `网格${station}${g}`, parent_id: station });
      }
    }
  }
  return nodes;
}

export const MATRIX_TREE = buildTree();

const byId = new Map(MATRIX_TREE.map((n) => [n.id, n]));

/** The node's ref, computed from the test's own tree (independent of the registry's code). */
export function refOf(nodeId: string): JurisdictionRef {
  const ref: JurisdictionRef = {};
  for (let node = byId.get(nodeId); node; node = node.parent_id ? byId.get(node.parent_id) : undefined) {
    ref[node.level] = node.id;
  }
  return ref;
}

/** Whether `viewer` (a node id) is `node` or one of its ancestors. */
export function covers(viewer: string, node: string | null): boolean {
  if (node === null) return viewer === 'c';
  for (let n = byId.get(node); n; n = n.parent_id ? byId.get(n.parent_id) : undefined) {
    if (n.id === viewer) return true;
  }
  return false;
}

export const MATRIX_ROLES: readonly Role[] = ['admin', 'supervisor', 'inspector', 'analyst'];
/** Where the matrix's users sit: the city, a county, a station of each county, a grid. */
export const MATRIX_NODES = ['c', 'k1', 'k1s1', 'k2s2', 'k1s2g1'] as const;
export const PASSWORD = 'matrix-secret';

export const MATRIX_USERS: NewUser[] = [
  ...MATRIX_ROLES.flatMap((role) =>
    MATRIX_NODES.map((node) => ({
      username: `${role}-${node}`,
      display_name: `${role} ${node}`,
      role,
      scope_node_id: node,
      password: PASSWORD,
    })),
  ),
  {
    username: 'public-user',
    display_name: 'public',
    role: 'public',
    scope_node_id: null,
    password: PASSWORD,
  },
];

export type MatrixResource = 'operators' | 'pages' | 'ads' | 'alerts' | 'rules' | 'evidence';
export const MATRIX_RESOURCES: readonly MatrixResource[] = [
  'operators',
  'pages',
  'ads',
  'alerts',
  'rules',
  'evidence',
];

/** The word every seeded document carries in its full-text field. */
export const SEARCH_WORD = 'matrixword';

/** One seeded document: its id, the node it belongs to (null: linked to none). */
export interface SeededDoc {
  id: string;
  node: string | null;
}

/** A node per document: every node of the tree, plus one unlinked document. */
export const SEEDED_NODES: ReadonlyArray<string | null> = [...MATRIX_TREE.map((n) => n.id), null];

export function docId(resource: MatrixResource, node: string | null): string {
  return `${resource}-${node ?? 'unlinked'}`;
}

/**
 * The document of `resource` at `node`. Each puts the node id in the field its `site`/`category`/
 * `status` facet groups by, so a leaked facet bucket names the node it leaked from.
 */
function docFor(
  resource: MatrixResource,
  node: string | null,
): { index: string; doc: Record<string, unknown> } {
  const id = docId(resource, node);
  const tag = node ?? 'unlinked';
  const ref = node ? refOf(node) : undefined;
  const where = ref ? { jurisdiction: ref } : {};
  const now = '2026-01-01T00:00:00Z';
  switch (resource) {
    case 'operators':
      return {
        index: 'entities',
        doc: {
          id,
          name: `${SEARCH_WORD} 商户 ${tag}`,
          type: 'self_run_site',
          classification: tag,
          risk_tier: 'low',
          status: 'active',
          ...where,
          updated_at: now,
        },
      };
    case 'pages':
      return {
        index: 'pages',
        doc: {
          id,
          url: `http://${tag}.test/`,
          site: tag,
          title: `${SEARCH_WORD} ${tag}`,
          text: `${SEARCH_WORD} 页面`,
          ...where,
          fetched_at: now,
        },
      };
    case 'ads':
      return {
        index: 'ads',
        doc: {
          id,
          creative_text: `${SEARCH_WORD} 广告 ${tag}`,
          sites: [tag],
          category: 'health',
          ...where,
          last_seen: now,
        },
      };
    case 'alerts':
      return {
        index: 'alerts',
        doc: {
          id,
          rule_id: 'r1',
          site: tag,
          status: 'open',
          severity: 'high',
          resolution_note: `${SEARCH_WORD} ${tag}`,
          ...where,
          last_hit_at: now,
        },
      };
    case 'rules':
      return {
        index: 'rules',
        doc: {
          id,
          name: `${SEARCH_WORD} rule ${tag}`,
          category: tag,
          target: 'pages',
          enabled: true,
          ...(ref ? { scope: ref } : {}),
        },
      };
    case 'evidence':
      return {
        index: 'evidence',
        doc: {
          id,
          url: `http://${tag}.test/`,
          status: tag,
          note: `${SEARCH_WORD} ${tag}`,
          ...where,
          requested_at: now,
        },
      };
  }
}

/** The facet each resource's test groups by. */
export const FACET_OF: Readonly<Record<MatrixResource, string>> = {
  operators: 'classification',
  pages: 'site',
  ads: 'site',
  alerts: 'site',
  rules: 'category',
  evidence: 'status',
};

/** Writes every resource's documents in one bulk request and refreshes once. */
export async function seedMatrix(engine: EnginePort, prefix: string): Promise<void> {
  const operations = MATRIX_RESOURCES.flatMap((resource) =>
    SEEDED_NODES.map((node) => {
      const { index, doc } = docFor(resource, node);
      return { op: 'index' as const, index: aliasName(prefix, index), id: doc.id as string, doc };
    }),
  );
  const result = await engine.bulk(operations, { refresh: true });
  const failed = result.items.filter((item) => !item.ok);
  if (failed.length > 0) throw new Error(`seeding failed: ${JSON.stringify(failed.slice(0, 3))}`);
}
