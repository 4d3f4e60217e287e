import type { Clock } from '../core/shared/clock.js';
import type { IdGenerator } from '../core/shared/ids.js';
import { timeOrderedIds } from '../core/shared/ids.js';
import { randomBytes, randomInt } from 'node:crypto';
import type { Store } from '../db/connection.js';
import { DEFAULT_ACCESS_SETTINGS, type AccessSettings } from './access/settings.js';
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
  };
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

export function createContext(
  store: Store,
  options: {
    clock?: Clock;
    ids?: IdGenerator;
    access?: Partial<AccessSettings>;
    secretsKey?: Buffer;
    webhooks?: Partial<WebhookSettings>;
  } = {},
): AppContext {
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
    },
  };
}
