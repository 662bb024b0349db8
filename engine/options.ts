import { config } from '../core/config.js';
import { ValidationError } from '../core/errors.js';
import type { EngineFlavour } from './port.js';

/** How to reach the engine. Every field defaults from `core/config.ts` (env `ENGINE_*`). */
export interface EngineOptions {
  /** Which adapter to use; `auto` asks `GET /`. Env `ENGINE`. @default 'auto' */
  engine: EngineFlavour | 'auto';
  /** Base URL; `user:password@` in it is taken as basic auth and never logged. Env `ENGINE_URL`. @default 'http://127.0.0.1:9200' */
  url: string;
  /** Basic auth user. Env `ENGINE_USERNAME`. */
  username?: string;
  /** Basic auth password. Env `ENGINE_PASSWORD`. */
  password?: string;
  /** Elasticsearch API key (base64 `id:key`). Env `ENGINE_API_KEY`. */
  apiKey?: string;
  /** Per-request timeout. Env `ENGINE_REQUEST_TIMEOUT_MS`. @default 30000 */
  requestTimeoutMs: number;
  /** Retries of the client on connection errors and 502/503/504. @default 3 */
  maxRetries?: number;
}

/** A URL without credentials plus the credentials, ready for a client. */
export interface EngineConnection {
  url: string;
  auth?: { username: string; password: string } | { apiKey: string };
  requestTimeoutMs: number;
  maxRetries: number;
}

/** Fills unset options from the process config. */
export function resolveEngineOptions(options: Partial<EngineOptions> = {}): EngineOptions {
  const c = config();
  return {
    engine: options.engine ?? c.ENGINE,
    url: options.url ?? c.ENGINE_URL,
    username: options.username ?? c.ENGINE_USERNAME,
    password: options.password ?? c.ENGINE_PASSWORD,
    apiKey: options.apiKey ?? c.ENGINE_API_KEY,
    requestTimeoutMs: options.requestTimeoutMs ?? c.ENGINE_REQUEST_TIMEOUT_MS,
    maxRetries: options.maxRetries,
  };
}

/** The URL as it may appear in logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** What an adapter needs to build its own client. */
export type ConnectionOptions = Pick<EngineOptions, 'url' | 'username' | 'password' | 'apiKey'> &
  Partial<Pick<EngineOptions, 'requestTimeoutMs' | 'maxRetries'>>;

/** Connection settings, or a ready client (how tests run the Elasticsearch adapter with another transport). */
export type AdapterOptions<C> =
  | ConnectionOptions
  | {
      client: C;
      /** Whether the adapter's `close()` closes this client too. @default false */
      closeClient?: boolean;
    };

/** The injected client, or a new one from the connection settings (then owned, i.e. closed by the adapter). */
export function adoptClient<C>(
  options: AdapterOptions<C>,
  build: (connection: EngineConnection) => C,
): { client: C; owned: boolean } {
  if ('client' in options) return { client: options.client, owned: options.closeClient ?? false };
  return { client: build(toConnection(options)), owned: true };
}

/** Splits credentials out of the URL; explicit username/password/apiKey win over URL ones. */
export function toConnection(options: ConnectionOptions): EngineConnection {
  let parsed: URL;
  try {
    parsed = new URL(options.url);
  } catch {
    throw new ValidationError(
      `ENGINE_URL is not a URL: ${redactUrl(options.url)}`,
      undefined,
      'ENGINE_CONFIG',
    );
  }
  const username = options.username ?? (decodeURIComponent(parsed.username) || undefined);
  const password = options.password ?? (decodeURIComponent(parsed.password) || undefined);
  parsed.username = '';
  parsed.password = '';
  const url = parsed.toString().replace(/\/$/, '');
  let auth: EngineConnection['auth'];
  if (options.apiKey) auth = { apiKey: options.apiKey };
  else if (username !== undefined) auth = { username, password: password ?? '' };
  return {
    url,
    auth,
    requestTimeoutMs: options.requestTimeoutMs ?? 30_000,
    maxRetries: options.maxRetries ?? 3,
  };
}
