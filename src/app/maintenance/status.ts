import { statSync } from 'node:fs';
import type { Store } from '../../db/connection.js';
import { LATEST_MIGRATION, migrationStatus } from '../../db/migrator.js';
import { vendorRepository } from '../../db/repositories/vendor-repository.js';

/** `trellis db status`: which store this configuration opens, its schema and what is pending. */
export interface StoreStatus {
  kind: 'sqlite' | 'postgres';
  /** The SQLite file, or the PostgreSQL URL without its password. */
  location: string;
  schemaVersion: string | null;
  latest: string;
  pending: string[];
  vendors: number | null;
  /** The SQLite file's size (its WAL apart); null on PostgreSQL. */
  bytes: number | null;
}

export async function storeStatus(store: Store): Promise<StoreStatus> {
  const migrations = await migrationStatus(store.db);
  const applied = migrations.filter((m) => m.applied).map((m) => m.name);
  const vendors =
    applied.length > 0
      ? await vendorRepository(store.db)
          .count()
          .catch(() => null)
      : null;
  let bytes: number | null = null;
  if (store.capabilities.kind === 'sqlite' && store.location !== ':memory:') {
    try {
      bytes = statSync(store.location).size;
    } catch {
      bytes = null;
    }
  }
  return {
    kind: store.capabilities.kind,
    location: store.location,
    schemaVersion: applied.at(-1) ?? null,
    latest: LATEST_MIGRATION,
    pending: migrations.filter((m) => !m.applied).map((m) => m.name),
    vendors,
    bytes,
  };
}
