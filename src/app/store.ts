import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TrellisError } from '../core/shared/errors.js';
import { openStore, StoreConnectionError, type Store, type StoreTarget } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';
import { vendorRepository } from '../db/repositories/vendor-repository.js';

/** What the last openAppStore() of this process opened: which store, whether it was new, whether empty. */
export interface OpenedStore {
  kind: 'sqlite' | 'postgres';
  location: string;
  /** The SQLite file did not exist before: this open created it. */
  created: boolean;
  /** It holds no vendor (a fresh or wrong database), or null when that could not be read. */
  empty: boolean | null;
}

let lastOpened: OpenedStore | null = null;

/** For the CLI's error messages: "program not found" in an empty store says so. */
export function lastOpenedStore(): OpenedStore | null {
  return lastOpened;
}

/** Opens the configured store (creating the SQLite folder if needed) and, unless told not to, migrates it. */
export async function openAppStore(target: StoreTarget, options: { migrate?: boolean } = {}): Promise<Store> {
  const created = target.kind === 'sqlite' && target.file !== ':memory:' && !existsSync(target.file);
  if (target.kind === 'sqlite' && target.file !== ':memory:') {
    try {
      mkdirSync(dirname(target.file), { recursive: true });
    } catch (e) {
      throw new TrellisError(
        'invalid_config',
        `cannot create data directory ${dirname(target.file)}: ${(e as Error).message}`,
      );
    }
  }
  let store: Store;
  try {
    store = await openStore(target);
  } catch (e) {
    if (e instanceof StoreConnectionError) throw new TrellisError('store_unreachable', e.message);
    throw e;
  }
  if (options.migrate !== false) {
    const { error } = await migrateToLatest(store.db);
    if (error) {
      await store.close();
      throw new TrellisError(
        'store_unreachable',
        `migration failed: ${(error as Error).message ?? String(error)}`,
      );
    }
  }
  const vendors = await vendorRepository(store.db)
    .count()
    .catch(() => null);
  lastOpened = {
    kind: store.capabilities.kind,
    location: store.location,
    created,
    empty: vendors === null ? null : vendors === 0,
  };
  return store;
}
