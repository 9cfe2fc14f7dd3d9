import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const Bytes = z.coerce.number().int().positive();

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PROMPTLOG_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DATABASE_URL: z.string().url().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  PROMPTLOG_DATA_DIR: z.string().default('.promptlog/data'),
  PROMPTLOG_WEB_DIST: z.string().optional(),
  PROMPTLOG_MAX_BODY_BYTES: Bytes.default(10 * 1024 * 1024),
  PROMPTLOG_MAX_RECORD_BYTES: Bytes.default(2 * 1024 * 1024),
  PROMPTLOG_MAX_BATCH_SIZE: z.coerce.number().int().positive().default(1000),
  PROMPTLOG_SEARCH_SCAN_EXECUTIONS: z.coerce.number().int().min(1).default(5_000),
  PROMPTLOG_MAX_CONCURRENT_EXPORTS: z.coerce.number().int().positive().default(16),
  PROMPTLOG_INGEST_STATEMENTS: z.coerce.number().int().positive().default(2),
  PROMPTLOG_DATABASE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
  PROMPTLOG_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(10).default(500),
  PROMPTLOG_LOAD_SHEDDING: z.stringbool().default(true),
  PROMPTLOG_MAX_REQUESTS_IN_PROGRESS: z.coerce.number().int().positive().default(16),
  PROMPTLOG_MAX_EVENT_LOOP_UTILIZATION: z.coerce.number().gt(0).max(1).default(1),
  PROMPTLOG_MAX_RSS_MB: z.coerce.number().int().min(64).default(1024),
  PROMPTLOG_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(300).default(100),
  PROMPTLOG_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  PROMPTLOG_SESSION_DAYS: z.coerce.number().positive().default(14),
  PROMPTLOG_TRUST_PROXY: z.stringbool().default(false),
  PROMPTLOG_LOG_REQUESTS: z.stringbool().default(false),
  PROMPTLOG_ROLLUP_INTERVAL_MS: z.coerce.number().int().min(100).max(60_000).default(1000),
  PROMPTLOG_REPRICING_INTERVAL_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  PROMPTLOG_RETENTION_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(600_000),
  PROMPTLOG_ALERTS_INTERVAL_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  PROMPTLOG_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  PROMPTLOG_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  PROMPTLOG_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PROMPTLOG_INIT_ADMIN_EMAIL: z.email().optional(),
  PROMPTLOG_INIT_ADMIN_PASSWORD: z.string().min(10).optional(),
  PROMPTLOG_INIT_PROJECT_NAME: z.string().min(1).optional(),
  PROMPTLOG_INIT_API_KEY: z.string().min(16).optional(),
});

export type DatabaseConfig =
  | { kind: 'postgres'; url: string; poolSize: number; connectTimeoutMs: number }
  | { kind: 'embedded'; dataDir?: string };

export interface InitialSetup {
  adminEmail: string;
  adminPassword: string;
  projectName: string;
  apiKey?: string;
}

export interface Config {
  port: number;
  host: string;
  /** A second port answering only GET /api/health, for probes that must not wait behind API clients' connections. */
  healthPort?: number;
  database: DatabaseConfig;
  webDistDir: string;
  limits: {
    maxBodyBytes: number;
    maxRecordBytes: number;
    maxBatchSize: number;
    /** OTLP exports processed at once; more are answered 503 with Retry-After, which exporters honour. */
    maxConcurrentExports: number;
    /**
     * Ingest statements this process writes at once, for batches and again for single executions (which wait
     * together and then share one). More would only contend inside PostgreSQL for the same CPU.
     */
    ingestStatements: number;
    /** Executions whose payloads one text-search request reads at most, newest first, before it answers. */
    searchScanExecutions: number;
  };
  /** Past any, new requests are answered 503 with Retry-After until the process has caught up (health excepted). */
  loadShedding: {
    enabled: boolean;
    maxEventLoopDelayMs: number;
    /** The share of time the event loop is busy (0–1), over the last quarter second; 1 never sheds on it. */
    maxEventLoopUtilization: number;
    maxRssBytes: number;
    /** API requests served at once (health and live streams aside). */
    maxRequestsInProgress: number;
    maxWaitingForConnection: number;
  };
  /**
   * How far past the live data the JavaScript heap may grow before V8 collects it again, in percent; 0 leaves it to
   * V8, which lets it grow up to fourfold.
   */
  heapGrowthPercent: number;
  /** How long SIGTERM waits for in-flight requests before closing the database anyway. */
  shutdownTimeoutMs: number;
  sessionDays: number;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-Proto/For, so cookies are Secure and rate limits see clients. */
  trustProxy: boolean;
  logLevel: string;
  logRequests: boolean;
  rollupIntervalMs: number;
  /** How often the background re-pricing looks for a price change's job to walk; 0 never (tests walk them). */
  repricingIntervalMs: number;
  /** How often old executions and rollups are deleted per the projects' retention settings; 0 never. */
  retentionIntervalMs: number;
  /** How often alert rules are evaluated from the rollups (and webhooks walked); 0 never. */
  alertsIntervalMs: number;
  /** How long one alert webhook delivery may take before it counts as failed and is retried. */
  webhookTimeoutMs: number;
  /** The address the team opens Promptlog at, which makes links sent outside the app absolute. */
  publicUrl: string | undefined;
  initialSetup?: InitialSetup;
}

/** Reads the environment once, at start; nothing else in the server touches process.env. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as shells and compose files commonly write it.
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const init = [e.PROMPTLOG_INIT_ADMIN_EMAIL, e.PROMPTLOG_INIT_ADMIN_PASSWORD, e.PROMPTLOG_INIT_PROJECT_NAME];
  if (init.some(Boolean) && !init.every(Boolean)) {
    throw new Error(
      'Invalid configuration: PROMPTLOG_INIT_ADMIN_EMAIL, PROMPTLOG_INIT_ADMIN_PASSWORD and PROMPTLOG_INIT_PROJECT_NAME go together',
    );
  }
  return {
    port: e.PORT,
    host: e.HOST,
    healthPort: e.PROMPTLOG_HEALTH_PORT,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          poolSize: e.DATABASE_POOL_SIZE,
          connectTimeoutMs: e.PROMPTLOG_DATABASE_TIMEOUT_MS,
        }
      : { kind: 'embedded', dataDir: path.resolve(repoRoot, e.PROMPTLOG_DATA_DIR) },
    webDistDir: e.PROMPTLOG_WEB_DIST ?? path.join(repoRoot, 'apps/web/dist'),
    limits: {
      maxBodyBytes: e.PROMPTLOG_MAX_BODY_BYTES,
      maxRecordBytes: e.PROMPTLOG_MAX_RECORD_BYTES,
      maxBatchSize: e.PROMPTLOG_MAX_BATCH_SIZE,
      maxConcurrentExports: e.PROMPTLOG_MAX_CONCURRENT_EXPORTS,
      ingestStatements: e.PROMPTLOG_INGEST_STATEMENTS,
      searchScanExecutions: e.PROMPTLOG_SEARCH_SCAN_EXECUTIONS,
    },
    loadShedding: {
      enabled: e.PROMPTLOG_LOAD_SHEDDING,
      maxEventLoopDelayMs: e.PROMPTLOG_MAX_EVENT_LOOP_DELAY_MS,
      maxEventLoopUtilization: e.PROMPTLOG_MAX_EVENT_LOOP_UTILIZATION,
      maxRssBytes: e.PROMPTLOG_MAX_RSS_MB * 1024 * 1024,
      maxRequestsInProgress: e.PROMPTLOG_MAX_REQUESTS_IN_PROGRESS,
      // A few rounds of the pool's connections may wait: tens of milliseconds of queue, not an unbounded one.
      maxWaitingForConnection: 4 * e.DATABASE_POOL_SIZE,
    },
    heapGrowthPercent: e.PROMPTLOG_HEAP_GROWTH_PERCENT,
    shutdownTimeoutMs: e.PROMPTLOG_SHUTDOWN_TIMEOUT_MS,
    sessionDays: e.PROMPTLOG_SESSION_DAYS,
    trustProxy: e.PROMPTLOG_TRUST_PROXY,
    logLevel: e.PROMPTLOG_LOG_LEVEL,
    logRequests: e.PROMPTLOG_LOG_REQUESTS,
    rollupIntervalMs: e.PROMPTLOG_ROLLUP_INTERVAL_MS,
    repricingIntervalMs: e.PROMPTLOG_REPRICING_INTERVAL_MS,
    retentionIntervalMs: e.PROMPTLOG_RETENTION_INTERVAL_MS,
    alertsIntervalMs: e.PROMPTLOG_ALERTS_INTERVAL_MS,
    webhookTimeoutMs: e.PROMPTLOG_WEBHOOK_TIMEOUT_MS,
    publicUrl: e.PROMPTLOG_PUBLIC_URL,
    initialSetup:
      e.PROMPTLOG_INIT_ADMIN_EMAIL && e.PROMPTLOG_INIT_ADMIN_PASSWORD && e.PROMPTLOG_INIT_PROJECT_NAME
        ? {
            adminEmail: e.PROMPTLOG_INIT_ADMIN_EMAIL,
            adminPassword: e.PROMPTLOG_INIT_ADMIN_PASSWORD,
            projectName: e.PROMPTLOG_INIT_PROJECT_NAME,
            apiKey: e.PROMPTLOG_INIT_API_KEY,
          }
        : undefined,
  };
}
