import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { TrellisError } from '../core/shared/errors.js';
import { openStore, StoreConnectionError, type Store, type StoreTarget } from '../db/connection.js';
import { migrateToLatest } from '../db/migrator.js';

/** Opens the configured store (creating the SQLite folder if needed) and, unless told not to, migrates it. */
export async function openAppStore(target: StoreTarget, options: { migrate?: boolean } = {}): Promise<Store> {
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
  return store;
}
