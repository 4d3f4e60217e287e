import type { Clock } from '../core/shared/clock.js';
import type { IdGenerator } from '../core/shared/ids.js';
import { timeOrderedIds } from '../core/shared/ids.js';
import { randomBytes, randomInt } from 'node:crypto';
import type { Store } from '../db/connection.js';
import { DEFAULT_ACCESS_SETTINGS, type AccessSettings } from './access/settings.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MAX_UPLOAD_BYTES, type FilesConfig } from './config.js';
import { diskFileStore, fileStoreOf, type FileStore } from './files/file-store.js';
import { DEFAULT_SHARD_QUEUE, type ShardQueueSettings } from './shards/settings.js';
import { customerRepository } from '../db/repositories/customer-repository.js';
import { orderRepository } from '../db/repositories/order-repository.js';
import { partnerRepository } from '../db/repositories/partner-repository.js';
import { productRepository } from '../db/repositories/product-repository.js';
import { programRepository } from '../db/repositories/program-repository.js';
import { vendorRepository } from '../db/repositories/vendor-repository.js';

/** The composition root: everything a use case needs, wired by hand. */
export interface AppContext {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  repos: ReturnType<typeof createRepositories>;
  settings: {
    access: AccessSettings;
    /** The key that seals secrets Trellis must use later (OIDC client secrets, webhook signing secrets). */
    secretsKey: Buffer;
    webhooks: WebhookSettings;
    files: FileSettings;
    /**
     * Closes: the shards of partners a close computes in when it does not say (TRELLIS_CLOSE_SHARDS), and
     * whether they go to worker processes through the task queue (TRELLIS_SHARD_QUEUE).
     */
    close: { shards: number; queue: ShardQueueSettings };
    /**
     * Simulations: the threads one shard's periods are planned on, in blocks of consecutive periods
     * (TRELLIS_SIMULATION_THREADS; src/app/simulation/simulation-shards.ts, `periodBlocks`).
     */
    simulation: { threads: number };
  };
}

/** Stored files (docs/files.md): where their bytes go, where uploads are spooled, the size limit. */
export interface FileSettings {
  store: FileStore;
  /** A folder for uploads being received (on the same disk as a disk store); emptied after each. */
  spoolDir: string;
  maxUploadBytes: number;
}

/** Webhook settings (docs/webhooks.md): see `webhookSettingsOf` (src/app/webhooks/settings.ts). */
export interface WebhookSettings {
  /** Loopback and private addresses allowed as endpoints (TRELLIS_WEBHOOKS_ALLOW_PRIVATE=1). */
  allowPrivate: boolean;
  /** Origins of this server, which an endpoint may not point at. */
  selfOrigins: string[];
  /** Finished deliveries, their attempts and events are kept this many days (TRELLIS_WEBHOOK_RETENTION_DAYS). */
  retentionDays: number;
}

function createRepositories(store: Store) {
  const db = store.db;
  return {
    vendors: vendorRepository(db),
    programs: programRepository(db),
    partners: partnerRepository(db),
    products: productRepository(db),
    customers: customerRepository(db),
    orders: orderRepository(db),
  };
}

/** The real clock: core never reads it; only this composition root hands it out. */
const SYSTEM_CLOCK: Clock = { now: () => new Date() };

export interface ContextOptions {
  clock?: Clock;
  ids?: IdGenerator;
  access?: Partial<AccessSettings>;
  secretsKey?: Buffer;
  webhooks?: Partial<WebhookSettings>;
  /** The configured file store (`trellis serve`); a store of this process's own under the system temp folder otherwise. */
  files?: FilesConfig | Partial<FileSettings>;
  /** The shards a close computes in when it does not say (TRELLIS_CLOSE_SHARDS); 1 when not given. */
  closeShards?: number;
  /** The shard task queue (TRELLIS_SHARD_QUEUE...); off when not given. */
  shardQueue?: Partial<ShardQueueSettings>;
  /** The threads a simulation plans its periods on (TRELLIS_SIMULATION_THREADS); 1 when not given. */
  simulationThreads?: number;
}

export function createContext(store: Store, options: ContextOptions = {}): AppContext {
  const clock = options.clock ?? SYSTEM_CLOCK;
  return {
    store,
    clock,
    ids:
      options.ids ??
      timeOrderedIds(
        () => clock.now().getTime(),
        () => randomInt(0, 2 ** 30) / 2 ** 30,
      ),
    repos: createRepositories(store),
    settings: {
      access: { ...DEFAULT_ACCESS_SETTINGS, ...options.access },
      // Without a key given (tests, tools that store no secret), one for this process only: secrets sealed
      // with it cannot be opened by another process (`trellis serve` passes the installation's key).
      secretsKey: options.secretsKey ?? randomBytes(32),
      webhooks: { allowPrivate: false, selfOrigins: [], retentionDays: 30, ...options.webhooks },
      files: fileSettingsOf(options.files),
      close: {
        shards: options.closeShards ?? 1,
        queue: { ...DEFAULT_SHARD_QUEUE, ...options.shardQueue },
      },
      simulation: { threads: options.simulationThreads ?? 1 },
    },
  };
}

function fileSettingsOf(files: FilesConfig | Partial<FileSettings> | undefined): FileSettings {
  if (files && 'dir' in files)
    return {
      store: fileStoreOf(files),
      spoolDir: join(files.dir, '.tmp'),
      maxUploadBytes: files.maxUploadBytes,
    };
  // Tests and tools that store no file: a folder of this process's own, made only when a file is stored.
  const dir = join(tmpdir(), `trellis-files-${process.pid}-${randomBytes(6).toString('hex')}`);
  return {
    store: files?.store ?? diskFileStore(dir),
    spoolDir: files?.spoolDir ?? join(dir, '.tmp'),
    maxUploadBytes: files?.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES,
  };
}
