import type { LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { ValidationError } from '../../core/errors.js';
import { FetchError } from '../../indexer/fetch/fetch-errors.js';
import {
  classifyAddress,
  createSsrfGuard,
  parseAllowList,
  parseResolveMap,
} from '../../indexer/fetch/ssrf-guard.js';

/** Runs a guard lookup the way node's net module does and returns the answer or the error. */
function lookup(fn: LookupFunction, host: string, all: boolean): Promise<LookupAddress[] | string> {
  return new Promise((resolve, reject) => {
    fn(host, { all }, (error, address) => (error ? reject(error) : resolve(address)));
  });
}

/** The error `fn` throws; fails the test when it returns. */
function thrown(fn: () => void): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('address classification', () => {
  test.each([
    ['127.0.0.1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'linkLocal'],
    ['169.254.169.254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fc00::1', 'uniqueLocal'],
    ['fe80::1', 'linkLocal'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:169.254.169.254', 'metadata'],
    ['::ffff:10.1.2.3', 'private'],
    ['64:ff9b::a00:1', 'rfc6052'],
    ['::7f00:1', 'ipv4Compatible'],
  ])('%s is refused as %s', (address, reason) => {
    expect(classifyAddress(address)).toBe(reason);
  });

  test.each(['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => {
      expect(classifyAddress(address)).toBeUndefined();
    },
  );
});

describe('allow-list and resolve map parsing', () => {
  test('CIDRs, single addresses and host names are accepted', () => {
    const list = parseAllowList('127.0.0.1/32, 10.0.0.0/8 ::1 shop.test,*.intranet.example');
    expect(list.cidrs).toHaveLength(3);
    expect([...list.hosts]).toEqual(['shop.test']);
    expect(list.suffixes).toEqual(['.intranet.example']);
  });

  test('a bad allow-list entry is a ValidationError naming it', () => {
    expect(() => parseAllowList('10.0.0.0/33')).toThrow(ValidationError);
    expect(() => parseAllowList('http://x/')).toThrow(/http:\/\/x\//);
  });

  test('resolve entries accumulate per host:port; IPv6 may be bracketed', () => {
    const map = parseResolveMap('shop.test:8090:127.0.0.1,shop.test:8090:[::1],Other.Test.:80:10.0.0.1');
    expect(map.get('shop.test:8090')).toEqual([
      { address: '127.0.0.1', family: 4 },
      { address: '::1', family: 6 },
    ]);
    expect(map.get('other.test:80')).toEqual([{ address: '10.0.0.1', family: 4 }]);
  });

  test('a malformed resolve entry is a ValidationError naming it', () => {
    expect(() => parseResolveMap('shop.test:127.0.0.1')).toThrow(/shop.test:127.0.0.1/);
    expect(() => parseResolveMap('shop.test:80:not-an-ip')).toThrow(ValidationError);
    expect(() => parseResolveMap('shop.test:70000:127.0.0.1')).toThrow(ValidationError);
  });
});

describe('the guard', () => {
  test('the resolve map answers lookups for its port only, and the answer is still checked', async () => {
    const guard = createSsrfGuard({ resolve: 'shop.test:8090:127.0.0.1', allowPrivate: '127.0.0.1/32' });
    await expect(lookup(guard.lookupFor(8090), 'shop.test', false)).resolves.toBe('127.0.0.1');
    await expect(lookup(guard.lookupFor(8090), 'SHOP.TEST', true)).resolves.toEqual([
      { address: '127.0.0.1', family: 4 },
    ]);
    // No map entry for port 8091: real DNS is asked, and .test names do not exist.
    await expect(lookup(guard.lookupFor(8091), 'shop.test', false)).rejects.toMatchObject({
      code: 'ENOTFOUND',
    });
    const strict = createSsrfGuard({ resolve: 'shop.test:8090:127.0.0.1' });
    await expect(lookup(strict.lookupFor(8090), 'shop.test', false)).rejects.toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { host: 'shop.test', address: '127.0.0.1', reason: 'loopback' },
    });
  });

  test('one private address among public ones refuses the whole name (no rebinding through a second record)', async () => {
    const guard = createSsrfGuard({ resolve: ['mixed.test:80:93.184.216.34', 'mixed.test:80:10.0.0.7'] });
    const error = await lookup(guard.lookupFor(80), 'mixed.test', true).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FetchError);
    expect(error).toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { address: '10.0.0.7', reason: 'private' },
    });
  });

  test('a host-name allow entry permits private addresses but never a metadata endpoint', () => {
    const guard = createSsrfGuard({ allowPrivate: 'intranet.test' });
    expect(() => guard.checkAddress('intranet.test', '10.1.1.1')).not.toThrow();
    expect(() => guard.checkAddress('other.test', '10.1.1.1')).toThrow(FetchError);
    expect(() => guard.checkAddress('intranet.test', '169.254.169.254')).toThrow(/metadata/);
    const cidr = createSsrfGuard({ allowPrivate: '169.254.169.254/32' });
    expect(() => cidr.checkAddress('any.test', '169.254.169.254')).not.toThrow();
  });

  test('an allow-listed IPv4 CIDR also covers the IPv4-mapped IPv6 form', () => {
    const guard = createSsrfGuard({ allowPrivate: '127.0.0.0/8' });
    expect(() => guard.checkAddress('x', '::ffff:127.0.0.1')).not.toThrow();
    expect(() => guard.checkAddress('x', '::1')).toThrow(FetchError);
  });

  test('non-HTTP schemes are bad URLs; IP-literal hosts are checked without any lookup', () => {
    const guard = createSsrfGuard();
    expect(thrown(() => guard.checkUrl(new URL('file:///etc/passwd')))).toMatchObject({
      code: 'FETCH_BAD_URL',
    });
    expect(thrown(() => guard.checkUrl(new URL('http://[::1]:80/')))).toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { host: '::1', address: '::1', reason: 'loopback' },
    });
    // WHATWG URL parsing turns decimal and hex hosts into dotted quads before the guard sees them.
    expect(thrown(() => guard.checkUrl(new URL('http://2130706433/')))).toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
      details: { address: '127.0.0.1' },
    });
    expect(thrown(() => guard.checkUrl(new URL('http://0x7f.1/')))).toMatchObject({
      code: 'FETCH_SSRF_BLOCKED',
    });
    expect(() => guard.checkUrl(new URL('https://shop.example.com/'))).not.toThrow();
  });
});
