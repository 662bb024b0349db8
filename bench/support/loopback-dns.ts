/**
 * A curl-like resolve map (`host:port:address`) for code that resolves host names itself, such as a
 * third-party crawler under comparison: the demo web's `.test` hosts all live on one loopback port.
 */
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** Host name (lower case) → address, from `host:port:address` entries; the port is not checked. */
export function parseResolveEntries(entries: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of entries) {
    const match = /^([^:]+):(\d+):\[?([^\]]+)\]?$/.exec(entry.trim());
    if (!match?.[1] || !match[3] || isIP(match[3]) === 0) {
      throw new Error(`Bad resolve entry (expected host:port:address): ${entry}`);
    }
    map.set(match[1].toLowerCase(), match[3]);
  }
  return map;
}

/**
 * Makes `dns.lookup` (what `net`, `http` and got use by default) answer the mapped hosts from the map
 * and everything else as before, for this process only; like an /etc/hosts entry without touching the
 * machine. Returns a function that puts the original back.
 */
export function installLoopbackDns(entries: readonly string[]): () => void {
  const map = parseResolveEntries(entries);
  const original = dns.lookup;
  function lookup(hostname: string, options: unknown, callback?: LookupCallback): void {
    const done = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts: LookupOptions =
      typeof options === 'number'
        ? { family: options }
        : typeof options === 'object' && options
          ? options
          : {};
    const address = map.get(hostname.toLowerCase());
    if (address === undefined) {
      original(
        hostname,
        opts,
        done as (e: NodeJS.ErrnoException | null, a: string | LookupAddress[], f: number) => void,
      );
      return;
    }
    const family = isIP(address);
    process.nextTick(() => (opts.all ? done(null, [{ address, family }]) : done(null, address, family)));
  }
  // dns.lookup has five overloads; `lookup` above handles the three call shapes net and got use.
  dns.lookup = lookup as typeof dns.lookup;
  return () => {
    dns.lookup = original;
  };
}
