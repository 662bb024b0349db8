/**
 * An in-memory index of operators by every key linking uses, so linking a page costs no engine round
 * trip. Built in one pass; rebuilt (not mutated) on refresh.
 */
import {
  hostKey,
  icpKeys,
  licenceKey,
  registeredKey,
  shopUrlKey,
  usccKey,
  type ShopUrlKey,
} from './identity-keys.js';
import type { LinkableOperator } from './link.types.js';

interface ShopUrlEntry extends ShopUrlKey {
  operatorId: string;
}

function add(map: Map<string, Set<string>>, key: string, id: string): void {
  if (key === '') return;
  let ids = map.get(key);
  if (!ids) map.set(key, (ids = new Set()));
  ids.add(id);
}

export class OperatorIndex {
  readonly size: number;
  private readonly byId = new Map<string, LinkableOperator>();
  private readonly byUscc = new Map<string, Set<string>>();
  private readonly byLicence = new Map<string, Set<string>>();
  private readonly byIcp = new Map<string, Set<string>>();
  private readonly byHost = new Map<string, Set<string>>();
  /** Operators owning a registered domain itself (its apex or `www.`). */
  private readonly byApex = new Map<string, Set<string>>();
  /** Operators owning only sub-domains of a registered domain. */
  private readonly bySubdomainOf = new Map<string, Set<string>>();
  private readonly shopUrlsByHost = new Map<string, ShopUrlEntry[]>();

  constructor(operators: Iterable<LinkableOperator>) {
    for (const op of operators) this.addOperator(op);
    this.size = this.byId.size;
  }

  get(id: string): LinkableOperator | undefined {
    return this.byId.get(id);
  }

  all(): IterableIterator<LinkableOperator> {
    return this.byId.values();
  }

  byUsccKey(key: string): ReadonlySet<string> | undefined {
    return this.byUscc.get(key);
  }

  byLicenceKey(key: string): ReadonlySet<string> | undefined {
    return this.byLicence.get(key);
  }

  byIcpKey(key: string): ReadonlySet<string> | undefined {
    return this.byIcp.get(key);
  }

  /** Operators registering exactly this host (host keys ignore `www.`). */
  ownersOfHost(host: string): ReadonlySet<string> | undefined {
    return this.byHost.get(host);
  }

  /**
   * Operators of a registered domain: those owning the apex if any, else those owning sub-domains of it.
   * Several distinct owners mean the domain alone says nothing.
   */
  ownersOfRegisteredDomain(domain: string): ReadonlySet<string> | undefined {
    return this.byApex.get(domain) ?? this.bySubdomainOf.get(domain);
  }

  /** The operator whose shop URL is the longest prefix of `host` + `path`, if any. */
  shopUrlOwner(host: string, path: string): ShopUrlEntry | undefined {
    let best: ShopUrlEntry | undefined;
    for (const entry of this.shopUrlsByHost.get(host) ?? []) {
      const under = entry.path === '' || path === entry.path || path.startsWith(`${entry.path}/`);
      if (under && (!best || entry.path.length > best.path.length)) best = entry;
    }
    return best;
  }

  /** Whether `operatorId` registered `host` (by domain, registered domain or a shop URL on it). */
  ownsHost(operatorId: string, host: string): boolean {
    if (this.byHost.get(host)?.has(operatorId)) return true;
    const domain = registeredKey(host);
    if (this.byApex.get(domain)?.has(operatorId)) return true;
    return (this.shopUrlsByHost.get(host) ?? []).some((e) => e.operatorId === operatorId);
  }

  /** Whether the operator registered any web presence at all. */
  hasWebPresence(operatorId: string): boolean {
    const op = this.byId.get(operatorId);
    return (op?.domains?.length ?? 0) + (op?.shop_urls?.length ?? 0) > 0;
  }

  private addOperator(op: LinkableOperator): void {
    this.byId.set(op.id, op);
    if (op.uscc) add(this.byUscc, usccKey(op.uscc), op.id);
    for (const licence of op.licence_numbers ?? []) add(this.byLicence, licenceKey(licence), op.id);
    for (const icp of op.icp_numbers ?? []) for (const key of icpKeys(icp)) add(this.byIcp, key, op.id);
    for (const domain of op.domains ?? []) {
      const host = hostKey(domain);
      if (host === '') continue;
      add(this.byHost, host, op.id);
      const apex = registeredKey(host);
      add(apex === host ? this.byApex : this.bySubdomainOf, apex, op.id);
    }
    for (const url of op.shop_urls ?? []) {
      const key = shopUrlKey(url);
      if (!key) continue;
      const list = this.shopUrlsByHost.get(key.host) ?? [];
      list.push({ ...key, operatorId: op.id });
      this.shopUrlsByHost.set(key.host, list);
    }
  }
}
