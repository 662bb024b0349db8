import { promises as dns, type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ValidationError } from '../../core/errors.js';
import { FetchError } from './fetch-errors.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Cidr = [Address, number];

/**
 * Why an address is refused: an ipaddr.js range name (`loopback`, `private`, `linkLocal`, `uniqueLocal`,
 * `carrierGradeNat`, `unspecified`, `multicast`, `reserved`, ...), `metadata` for cloud metadata endpoints, or
 * `notGlobalUnicast` for IPv6 outside 2000::/3.
 */
export type BlockReason = string;

/** Options of {@link createSsrfGuard}. */
export interface SsrfGuardOptions {
  /**
   * Allow-list (`CRAWL_ALLOW_PRIVATE`): CIDRs (`127.0.0.1/32`, `fd00::/8`), single addresses, or host names
   * (`shop.test`, `*.intranet.example`) that may resolve to non-public addresses. A host name never unlocks a
   * cloud metadata address; only a CIDR containing it does. Comma or space separated, or an array.
   * @default none: every non-public address is refused
   */
  allowPrivate?: string | readonly string[];
  /**
   * curl-like resolve map (`CRAWL_RESOLVE`): `host:port:address` entries, comma separated or an array, answered
   * without DNS. Several entries for one host:port give several addresses. The address still goes through the guard.
   * @default none
   */
  resolve?: string | readonly string[];
}

/** Decides which addresses the crawler may connect to, after DNS resolution and on every redirect hop. */
export interface SsrfGuard {
  /** Throws FETCH_BAD_URL for non-HTTP(S) URLs and FETCH_SSRF_BLOCKED for a refused IP-literal host, before any connection. */
  checkUrl(url: URL): void;
  /** Throws FETCH_SSRF_BLOCKED (details: host, address, reason) when `address`, resolved for `host`, is refused. */
  checkAddress(host: string, address: string): void;
  /** A `net` lookup for connections to `port`: answers from the resolve map or DNS and validates every address. */
  lookupFor(port: number): LookupFunction;
}

/** Cloud metadata endpoints: AWS/GCP/Azure/Huawei, AWS ECS task metadata, AWS IPv6, Tencent Cloud, Alibaba Cloud. */
const METADATA: readonly Cidr[] = [
  '169.254.169.254/32',
  '169.254.170.2/32',
  'fd00:ec2::254/128',
  '169.254.0.23/32',
  '100.100.100.200/32',
].map((cidr) => ipaddr.parseCIDR(cidr));

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
/** IPv4-compatible IPv6 (`::a.b.c.d`, deprecated); ipaddr.js files it under `unicast`. */
const V4_COMPATIBLE_V6 = ipaddr.parseCIDR('::/96');

function inCidr(address: Address, cidr: Cidr): boolean {
  const [range, bits] = cidr;
  if (address.kind() !== range.kind()) return false;
  return address.kind() === 'ipv4'
    ? (address as ipaddr.IPv4).match(range, bits)
    : (address as ipaddr.IPv6).match(range, bits);
}

function stripBrackets(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function normalizeHost(host: string): string {
  return stripBrackets(host.trim().toLowerCase()).replace(/\.$/, '');
}

/** Parses an address, unwrapping IPv4-mapped IPv6 (`::ffff:127.0.0.1` is 127.0.0.1). */
function parseAddress(address: string): Address | undefined {
  const bare = stripBrackets(address).replace(/%.*$/, '');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}

/** The reason an address is not public, or `undefined` when it is an ordinary public unicast address. */
export function classifyAddress(address: string): BlockReason | undefined {
  const parsed = parseAddress(address);
  if (!parsed) return 'invalid';
  if (METADATA.some((cidr) => inCidr(parsed, cidr))) return 'metadata';
  const range = parsed.range();
  if (range !== 'unicast') return range;
  if (parsed.kind() === 'ipv6') {
    if (inCidr(parsed, V4_COMPATIBLE_V6)) return 'ipv4Compatible';
    if (!inCidr(parsed, GLOBAL_UNICAST_V6)) return 'notGlobalUnicast';
  }
  return undefined;
}

function splitList(value: string | readonly string[] | undefined): string[] {
  const items = typeof value === 'string' ? value.split(/[\s,]+/) : [...(value ?? [])];
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

interface AllowList {
  cidrs: Cidr[];
  hosts: Set<string>;
  suffixes: string[];
}

/** Parses `CRAWL_ALLOW_PRIVATE`; a bad entry is a config error naming the entry. */
export function parseAllowList(value: string | readonly string[] | undefined): AllowList {
  const list: AllowList = { cidrs: [], hosts: new Set(), suffixes: [] };
  for (const entry of splitList(value)) {
    const bare = stripBrackets(entry);
    if (entry.includes('/')) {
      try {
        const [range, bits] = ipaddr.parseCIDR(bare);
        const unwrapped = range.kind() === 'ipv6' && (range as ipaddr.IPv6).isIPv4MappedAddress();
        list.cidrs.push(unwrapped ? [(range as ipaddr.IPv6).toIPv4Address(), bits - 96] : [range, bits]);
      } catch (cause) {
        throw new ValidationError(`CRAWL_ALLOW_PRIVATE: bad CIDR "${entry}"`, {
          entry,
          cause: String(cause),
        });
      }
    } else if (ipaddr.isValid(bare)) {
      const address = ipaddr.process(bare);
      list.cidrs.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else if (/^(\*\.)?[a-z0-9_.-]+$/i.test(entry)) {
      if (entry.startsWith('*.')) list.suffixes.push(normalizeHost(entry.slice(1)));
      else list.hosts.add(normalizeHost(entry));
    } else {
      throw new ValidationError(
        `CRAWL_ALLOW_PRIVATE: "${entry}" is neither a CIDR, an address nor a host name`,
        {
          entry,
        },
      );
    }
  }
  return list;
}

/** Parses `CRAWL_RESOLVE` (`host:port:address`, IPv6 addresses may be bracketed) into `host:port` → addresses. */
export function parseResolveMap(value: string | readonly string[] | undefined): Map<string, LookupAddress[]> {
  const map = new Map<string, LookupAddress[]>();
  for (const entry of splitList(value)) {
    const match = /^([^:]+):(\d{1,5}):(.+)$/.exec(entry);
    const address = match ? stripBrackets(match[3] ?? '') : '';
    const port = Number(match?.[2]);
    const family = isIP(address);
    if (!match || family === 0 || port < 1 || port > 65535) {
      throw new ValidationError(`CRAWL_RESOLVE: "${entry}" is not host:port:address`, { entry });
    }
    const key = `${normalizeHost(match[1] ?? '')}:${port}`;
    map.set(key, [...(map.get(key) ?? []), { address, family }]);
  }
  return map;
}

function wantedFamily(family: LookupOptions['family']): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

/** The port a connection to `url` goes to: its own, else 443 for https and 80 for http (see `lookupFor`). */
export function defaultPort(url: URL): number {
  return url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/** Builds the guard. Entries are parsed once; a bad entry throws a ValidationError naming it. */
export function createSsrfGuard(options: SsrfGuardOptions = {}): SsrfGuard {
  const allow = parseAllowList(options.allowPrivate);
  const resolveMap = parseResolveMap(options.resolve);

  const hostAllowed = (host: string): boolean => {
    const name = normalizeHost(host);
    return allow.hosts.has(name) || allow.suffixes.some((suffix) => name.endsWith(suffix));
  };

  const checkAddress = (host: string, address: string): void => {
    const reason = classifyAddress(address);
    if (reason === undefined) return;
    const parsed = parseAddress(address);
    if (parsed && allow.cidrs.some((cidr) => inCidr(parsed, cidr))) return;
    if (reason !== 'metadata' && reason !== 'invalid' && hostAllowed(host)) return;
    throw new FetchError('FETCH_SSRF_BLOCKED', `Refused ${host}: ${address} is a ${reason} address`, {
      details: { host, address, reason },
    });
  };

  const checkUrl = (url: URL): void => {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new FetchError('FETCH_BAD_URL', `Only http and https can be fetched, not ${url.protocol}`, {
        details: { url: url.href },
      });
    }
    const host = stripBrackets(url.hostname);
    if (host === '') throw new FetchError('FETCH_BAD_URL', 'URL has no host', { details: { url: url.href } });
    if (isIP(host) !== 0) checkAddress(host, host);
  };

  const resolve = async (hostname: string, port: number, family: 0 | 4 | 6): Promise<LookupAddress[]> => {
    const mapped = resolveMap.get(`${normalizeHost(hostname)}:${port}`);
    if (!mapped) return dns.lookup(hostname, { all: true, family, verbatim: true });
    const matching = mapped.filter((entry) => family === 0 || entry.family === family);
    if (matching.length > 0) return matching;
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND', hostname });
  };

  const lookupFor = (port: number): LookupFunction => {
    const lookup = (hostname: string, lookupOptions: LookupOptions, callback: LookupCallback): void => {
      resolve(hostname, port, wantedFamily(lookupOptions.family))
        .then((addresses) => {
          for (const entry of addresses) checkAddress(hostname, entry.address);
          const first = addresses[0];
          if (lookupOptions.all) callback(null, addresses);
          else if (first) callback(null, first.address, first.family);
          else callback(Object.assign(new Error(`No address for ${hostname}`), { code: 'ENOTFOUND' }), '');
        })
        .catch((error: NodeJS.ErrnoException) => callback(error, ''));
    };
    return lookup;
  };

  return { checkUrl, checkAddress, lookupFor };
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;
