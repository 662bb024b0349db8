/**
 * Password hashing with Node's built-in scrypt (RFC 7914), a memory-hard KDF. Not argon2: the argon2
 * packages need a native build (node-gyp, a compiler) on every machine; scrypt ships with Node.
 * Format: `scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>`, so the cost can rise without breaking
 * stored hashes (each verifies with the parameters it was made with).
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt cost parameters. */
export interface PasswordHashOptions {
  /** CPU/memory cost, a power of two. @default 16384 (16 MiB with r = 8) */
  N?: number;
  /** Block size. @default 8 */
  r?: number;
  /** Parallelism. @default 1 */
  p?: number;
}

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Longest password accepted: scrypt takes any length, but a megabyte of "password" is an attack. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MIN_PASSWORD_LENGTH = 8;

function derive(password: string, salt: Buffer, options: Required<PasswordHashOptions>): Promise<Buffer> {
  const params: ScryptOptions = {
    N: options.N,
    r: options.r,
    p: options.p,
    maxmem: 256 * options.N * options.r,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, params, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

/** A fresh hash of `password` with a random per-user salt. */
export async function hashPassword(password: string, options: PasswordHashOptions = {}): Promise<string> {
  const cost = { N: options.N ?? 16384, r: options.r ?? 8, p: options.p ?? 1 };
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches `stored`, compared in constant time; false for a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (![cost.N, cost.r, cost.p].every((v) => Number.isInteger(v) && v > 0)) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), cost);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

let dummyHash: Promise<string> | undefined;

/**
 * Spends the time of one verification for a user that does not exist, so response time does not tell
 * whether a username is taken.
 */
export async function burnVerification(password: string): Promise<void> {
  dummyHash ??= hashPassword('argus-dummy-password');
  await verifyPassword(password, await dummyHash);
}
