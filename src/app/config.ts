import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { z } from 'zod';
import { TrellisError } from '../core/shared/errors.js';
import type { StoreTarget } from '../db/connection.js';
import { parseSecretsKey } from './access/secret-box.js';
import { DEFAULT_SHARD_QUEUE, type ShardQueueSettings } from './shards/settings.js';

/** The largest upload by default (TRELLIS_MAX_UPLOAD_BYTES): 10 MiB. */
export const DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TRELLIS_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
    .optional(),
  TRELLIS_SCHEDULER: z.enum(['on', 'off']).default('on'),
  TRELLIS_SQLITE_THREAD: z.enum(['main', 'worker']).default('main'),
  TRELLIS_SMTP_URL: z
    .string()
    .refine((v) => /^smtps?:\/\//.test(v), 'must be an smtp:// or smtps:// URL')
    .optional(),
  TRELLIS_SMTP_HOST: z.string().min(1).optional(),
  TRELLIS_SMTP_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  TRELLIS_SMTP_SECURE: z.enum(['on', 'off']).optional(),
  TRELLIS_SMTP_USER: z.string().min(1).optional(),
  TRELLIS_SMTP_PASSWORD: z.string().min(1).optional(),
  TRELLIS_SMTP_FROM: z.string().min(3).optional(),
  TRELLIS_PUBLIC_URL: z
    .string()
    .refine((v) => /^https?:\/\/[^/]/.test(v), 'must be an http:// or https:// URL')
    .optional(),
  TRELLIS_SECRETS_KEY: z
    .string()
    .refine((v) => parseSecretsKey(v) !== null, 'must be 32 bytes as 64 hex characters or base64')
    .optional(),
  TRELLIS_WEBHOOKS_ALLOW_PRIVATE: z.enum(['0', '1']).default('0'),
  TRELLIS_MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1024, 'must be at least 1024 bytes')
    .max(1024 * 1024 * 1024, 'must be at most 1 GiB')
    .default(DEFAULT_MAX_UPLOAD_BYTES),
  TRELLIS_FILE_STORE: z.enum(['disk']).default('disk'),
  TRELLIS_WEBHOOK_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  TRELLIS_CLOSE_SHARDS: z.coerce.number().int().min(1).max(16).default(1),
  TRELLIS_SIMULATION_THREADS: z.coerce.number().int().min(1).max(16).default(1),
  TRELLIS_SHARD_QUEUE: z.enum(['on', 'off']).default('off'),
  TRELLIS_SHARD_CLAIM_MS: z.coerce.number().int().min(0).max(3_600_000).default(DEFAULT_SHARD_QUEUE.claimMs),
  TRELLIS_SHARD_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400_000)
    .default(DEFAULT_SHARD_QUEUE.timeoutMs),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRELLIS_TRUST_PROXY: z
    .string()
    .trim()
    .default('off')
    .transform((v, c) => {
      const parsed = parseTrustProxy(v);
      if (parsed === undefined) {
        c.addIssue({
          code: 'custom',
          message:
            'must be off, on, a number of proxy hops (1-10), or addresses and CIDR ranges separated by commas',
        });
        return z.NEVER;
      }
      return parsed;
    }),
});

/** What TRELLIS_TRUST_PROXY may say; undefined when it is none of these. */
export function parseTrustProxy(value: string): boolean | number | string[] | undefined {
  const v = value.toLowerCase();
  if (v === 'off' || v === 'false' || v === '0') return false;
  if (v === 'on' || v === 'true') return true;
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops >= 1 && hops <= 10 ? hops : undefined;
  }
  const entries = v.split(',').map((e) => e.trim());
  const valid = entries.every((e) => {
    const [address = '', prefix, ...rest] = e.split('/');
    const family = isIP(address);
    if (family === 0 || rest.length > 0) return false;
    if (prefix === undefined) return true;
    return /^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
  });
  return valid && entries.length > 0 ? entries : undefined;
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  store: StoreTarget;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Daily tier re-evaluation inside `trellis serve`. */
  scheduler: boolean;
  /**
   * Proxies believed about the client address and protocol (X-Forwarded-For, X-Forwarded-Proto): false
   * (none), true (any), a hop count, or addresses and CIDR ranges. Decides the address sign-in throttling
   * counts and whether session cookies are marked Secure.
   */
  trustProxy: boolean | number | string[];
  /** The mail transport of notification e-mail; null = no e-mail (the in-app feed only). */
  mail: MailConfig | null;
  /** TRELLIS_SECRETS_KEY: seals stored secrets (OIDC client secrets, webhook signing secrets); null = `secretsKeyOf` uses `<data dir>/secrets.key`. */
  secretsKey: Buffer | null;
  /** Webhooks (docs/webhooks.md). */
  webhooks: {
    /** TRELLIS_WEBHOOKS_ALLOW_PRIVATE=1: endpoints may be loopback or private addresses (tests, closed networks). */
    allowPrivate: boolean;
    /** The server's own address (TRELLIS_PUBLIC_URL), which an endpoint may not point at. */
    publicUrl: string | null;
    /** TRELLIS_WEBHOOK_RETENTION_DAYS (default 30): how long finished deliveries and their log are kept. */
    retentionDays: number;
  };
  /** Stored files (docs/files.md). */
  files: FilesConfig;
  /**
   * TRELLIS_CLOSE_SHARDS (1..16, default 1): the shards of partners a close computes in, each on a thread
   * of its own (docs/operations.md), when the close does not say.
   */
  closeShards: number;
  /**
   * TRELLIS_SIMULATION_THREADS (1..16, default 1): the threads a simulation plans its periods on, in
   * blocks of consecutive periods (docs/operations.md).
   */
  simulationThreads: number;
  /**
   * TRELLIS_SHARD_QUEUE (on|off, default off), TRELLIS_SHARD_CLAIM_MS (default 2000),
   * TRELLIS_SHARD_TIMEOUT_MS (default 600000): a close's shards through the task queue to `trellis worker`
   * processes (PostgreSQL; docs/operations.md "Several machines").
   */
  shardQueue: ShardQueueSettings;
}

/** Where uploaded files' bytes live and how large an upload may be (docs/files.md). */
export interface FilesConfig {
  /** TRELLIS_FILE_STORE: `disk` (under `<data dir>/files`); an S3-compatible store is documented as an option. */
  store: 'disk';
  /** `<data dir>/files`. */
  dir: string;
  /** TRELLIS_MAX_UPLOAD_BYTES (default 10 MiB): larger uploads are refused with 413 while they stream. */
  maxUploadBytes: number;
}

/** SMTP settings: a URL (`smtp://user:pass@host:587`) or a host and port, and the sender. */
export interface MailConfig {
  url: string | null;
  host: string | null;
  port: number | null;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
  /** The web app's address, for links in e-mail (`https://trellis.example.com`); null = relative paths. */
  publicUrl: string | null;
}

/** Reads and validates the environment once, at start-up. An invalid variable is named with what it must be. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(cleaned);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({
      location: String(i.path[0] ?? 'env'),
      message: i.message,
    }));
    throw new TrellisError(
      'invalid_config',
      `invalid configuration: ${details.map((d) => `${d.location} ${d.message}`).join('; ')}`,
      details,
    );
  }
  const e = parsed.data;
  const dataDir = resolve(e.TRELLIS_DATA_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    store: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'sqlite', file: resolve(dataDir, 'trellis.db'), thread: e.TRELLIS_SQLITE_THREAD },
    logLevel: e.LOG_LEVEL,
    scheduler: e.TRELLIS_SCHEDULER === 'on',
    trustProxy: e.TRELLIS_TRUST_PROXY,
    mail:
      e.TRELLIS_SMTP_URL || e.TRELLIS_SMTP_HOST
        ? {
            url: e.TRELLIS_SMTP_URL ?? null,
            host: e.TRELLIS_SMTP_HOST ?? null,
            port: e.TRELLIS_SMTP_PORT ?? null,
            secure: e.TRELLIS_SMTP_SECURE === 'on',
            user: e.TRELLIS_SMTP_USER ?? null,
            password: e.TRELLIS_SMTP_PASSWORD ?? null,
            from: e.TRELLIS_SMTP_FROM ?? 'Trellis <trellis@localhost>',
            publicUrl: e.TRELLIS_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
          }
        : null,
    secretsKey: parseSecretsKey(e.TRELLIS_SECRETS_KEY),
    webhooks: {
      allowPrivate: e.TRELLIS_WEBHOOKS_ALLOW_PRIVATE === '1',
      publicUrl: e.TRELLIS_PUBLIC_URL?.replace(/\/+$/, '') ?? null,
      retentionDays: e.TRELLIS_WEBHOOK_RETENTION_DAYS,
    },
    files: {
      store: e.TRELLIS_FILE_STORE,
      dir: resolve(dataDir, 'files'),
      maxUploadBytes: e.TRELLIS_MAX_UPLOAD_BYTES,
    },
    closeShards: e.TRELLIS_CLOSE_SHARDS,
    simulationThreads: e.TRELLIS_SIMULATION_THREADS,
    shardQueue: {
      ...DEFAULT_SHARD_QUEUE,
      on: e.TRELLIS_SHARD_QUEUE === 'on',
      claimMs: e.TRELLIS_SHARD_CLAIM_MS,
      timeoutMs: e.TRELLIS_SHARD_TIMEOUT_MS,
    },
  };
}
