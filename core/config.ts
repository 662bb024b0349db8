import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(1).max(65535);

/**
 * Every setting of Argus: env var name → schema with a default that works on a fresh machine.
 * Add a field here, never read `process.env` elsewhere.
 */
const schema = z.object({
  /** Engine flavour; `auto` asks `GET /`. */
  ENGINE: z.enum(['opensearch', 'elasticsearch', 'auto']).default('auto'),
  ENGINE_URL: z.url().default('http://127.0.0.1:9200'),
  ENGINE_USERNAME: z.string().optional(),
  ENGINE_PASSWORD: z.string().optional(),
  ENGINE_API_KEY: z.string().optional(),
  ENGINE_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  /** Local engine (npm run engine:start): HTTP port, heap, home folder. The runner caps ports at 9299. */
  ENGINE_PORT: port.max(9299).default(9200),
  ENGINE_HEAP_MB: z.coerce.number().int().min(256).default(1024),
  ENGINE_HOME: z.string().default('.argus/engine'),
  ENGINE_VERSION: z.string().default('2.19.1.0'),
  /** Optional Maven settings.xml (a mirror of Maven Central, a proxy). */
  ENGINE_MAVEN_SETTINGS: z.string().optional(),
  ENGINE_START_TIMEOUT_MS: z.coerce.number().int().positive().default(120_000),
  /** Prefix of every index and alias, so tests and tenants run isolated. */
  INDEX_PREFIX: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, _ and - only')
    .default('argus'),
  REDIS_URL: z.string().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().default('argus'),
  /** The crawl (BullMQ queue) a worker process serves. */
  CRAWL_QUEUE: z
    .string()
    .regex(/^[\w-]+$/)
    .default('crawl'),
  API_HOST: z.string().default('127.0.0.1'),
  API_PORT: port.default(8080),
  /** API sessions: idle lifetime (renewed on use), failed sign-ins per username and address before 429, that window, Secure cookie. */
  API_SESSION_TTL_SEC: z.coerce.number().int().min(60).default(28_800),
  API_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  API_LOGIN_WINDOW_SEC: z.coerce.number().int().min(1).default(900),
  API_SECURE_COOKIE: bool.default(false),
  /** API: how long a process keeps a signed-in user and its scope in memory; any user or tree change through the registry ends it at once (docs/api.md). 0 turns it off. */
  API_PRINCIPAL_CACHE_MS: z.coerce.number().int().min(0).default(10_000),
  /** API: requests per caller (token, session, else address) per window, shared through Redis; 0 turns it off. */
  API_RATE_LIMIT_MAX: z.coerce.number().int().min(0).default(600),
  API_RATE_LIMIT_WINDOW_SEC: z.coerce.number().int().min(1).default(60),
  /** API: origins allowed by CORS, comma-separated; empty (the default) sends no CORS headers at all. */
  API_CORS_ORIGINS: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.argus/data'),
  /** Crawl: user agent names Argus with a contact URL. */
  CRAWL_USER_AGENT: z.string().default('ArgusBot/0.1 (+https://argus.example.gov.cn/bot)'),
  CRAWL_CONCURRENCY: z.coerce.number().int().min(1).max(1024).default(32),
  CRAWL_PER_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  CRAWL_MIN_DELAY_MS: z.coerce.number().int().min(0).default(250),
  CRAWL_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  CRAWL_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  CRAWL_MAX_REDIRECTS: z.coerce.number().int().min(0).max(20).default(5),
  CRAWL_MAX_DEPTH: z.coerce.number().int().min(0).default(5),
  /** BullMQ job lock, and how often jobs of dead (SIGKILLed) workers are put back in the queue. */
  CRAWL_LOCK_DURATION_MS: z.coerce.number().int().min(1_000).default(30_000),
  CRAWL_STALLED_INTERVAL_MS: z.coerce.number().int().min(500).default(30_000),
  /** Tries per URL for retryable failures, and the first back-off (doubling). */
  CRAWL_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(4),
  CRAWL_BACKOFF_MS: z.coerce.number().int().min(0).default(1_000),
  CRAWL_MAX_PAGES_PER_SITE: z.coerce.number().int().positive().default(10_000),
  /**
   * V8 old-space limit of a crawl worker process (`--max-old-space-size`), applied where the worker
   * starts (`npm run start:worker`, bench:crawl's worker child). V8 sizes heap growth from this limit:
   * with Node's default (a share of RAM, ~4 GB here) it lets the old generation grow to ~4x what
   * survives a full GC between collections; a worker at 64 concurrent fetches keeps ~90-115 MB (~60 MB
   * of it loaded code and models), so its heap reached 450 MB and its RSS 600-700 MB. Under 512 V8
   * keeps the heap near 180 MB (RSS ~300 MB) at about the same pages/s, with 4x headroom over what a
   * worker retains.
   */
  CRAWL_WORKER_HEAP_MB: z.coerce.number().int().min(128).default(512),
  /** SSRF guard allow-list: CIDRs or host names that may resolve to private addresses. */
  CRAWL_ALLOW_PRIVATE: z.string().default(''),
  /** curl-like `host:port:address` entries, comma separated. */
  CRAWL_RESOLVE: z.string().default(''),
  /** Extract: longest main text kept per page, in characters (the footer is kept apart). */
  EXTRACT_MAX_TEXT_CHARS: z.coerce.number().int().min(1_000).default(200_000),
  /** Linking: how often the in-memory operator index checks the engine for changed operators. */
  LINK_REFRESH_INTERVAL_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** Inspection frequency table (class and risk tier → days), a JSON file; see rules/inspection-schedule.json. */
  SCHEDULE_TABLE_PATH: z.string().default('rules/inspection-schedule.json'),
  /** How often a worker sets the recrawl times of every operator's sites from the schedule table. */
  SCHEDULE_PLAN_INTERVAL_MS: z.coerce.number().int().min(60_000).default(3_600_000),
  /** How often a worker (and the main job) evaluates scheduled rules over their last closed window. */
  SCHEDULED_RULES_INTERVAL_MS: z.coerce.number().int().min(1_000).default(60_000),
  /** Notify: SMTP server for alert email (`smtp://user:pass@host:port`, `smtps://` for TLS). */
  SMTP_URL: z.string().default('smtp://127.0.0.1:2525'),
  NOTIFY_EMAIL_FROM: z.string().default('Argus <argus@localhost>'),
  /** Notify: HMAC-SHA256 key of webhook signatures when a target has none of its own; set it in production. */
  NOTIFY_WEBHOOK_SECRET: z.string().min(16).default('argus-dev-webhook-secret-change-me'),
  /** Notify: tries per HTTP delivery (webhook, DingTalk, WeCom), first back-off (doubling), request timeout. */
  NOTIFY_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(4),
  NOTIFY_BACKOFF_MS: z.coerce.number().int().min(0).default(500),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /**
   * Notify: webhook, DingTalk and WeCom targets are held to the crawler's SSRF guard (no loopback,
   * private, link-local or metadata address, checked after DNS); this allow-list (CRAWL_ALLOW_PRIVATE's
   * syntax) admits a receiver on the bureau's own network, e.g. `10.20.0.0/16,hooks.intranet`.
   */
  NOTIFY_ALLOW_PRIVATE: z.string().default(''),
  /** Notify: in-app events kept in the Redis stream for `Last-Event-ID` resume, and the SSE heartbeat. */
  NOTIFY_SSE_STREAM_MAXLEN: z.coerce.number().int().min(10).default(10_000),
  NOTIFY_SSE_HEARTBEAT_MS: z.coerce.number().int().min(100).default(15_000),
  /** Notify: how often the outbox flusher sends due digests and retries; how long alert routes are cached. */
  NOTIFY_FLUSH_INTERVAL_MS: z.coerce.number().int().min(10).default(1_000),
  NOTIFY_ROUTE_CACHE_MS: z.coerce.number().int().min(0).default(5_000),
  /** Seeds to crawl on `npm start`; empty means the demo web. */
  SEEDS: z.string().default(''),
  DEMO: bool.default(true),
  /** Size and seed of the demo web `npm start` serves when no SEEDS are set. */
  DEMO_SITES: z.coerce.number().int().min(1).max(1_000).default(12),
  DEMO_PAGES: z.coerce.number().int().min(1).max(5_000).default(40),
  DEMO_SEED: z.coerce.number().int().default(42),
  /** Port of the demo web; 0 picks a free one. */
  DEMO_PORT: z.coerce.number().int().min(0).max(65535).default(8090),
});

export type Config = Readonly<z.infer<typeof schema>>;

/** Parses an env-like record; throws one line naming the first bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const name = issue?.path.join('.') ?? 'config';
    throw new Error(`Bad config: ${name}: ${issue?.message ?? 'invalid'} (got ${JSON.stringify(env[name])})`);
  }
  return Object.freeze(result.data);
}

let loaded: Config | undefined;

/** The process config, read once from `process.env` and frozen. Bad config stops the process. */
export function config(): Config {
  if (!loaded) {
    try {
      loaded = parseConfig(process.env);
    } catch (error) {
      console.error((error as Error).message);
      process.exit(78); // EX_CONFIG
    }
  }
  return loaded;
}
