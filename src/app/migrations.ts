import type { Store } from '../db/connection.js';
import { currentSchemaVersion, migrateDownAll, migrateToLatest } from '../db/migrator.js';

export interface MigrationReport {
  steps: { name: string; direction: 'up' | 'down'; status: string }[];
  error: string | null;
  version: string | null;
}

/** `trellis db migrate [--down]`: apply every pending migration, or revert them all. */
export async function runMigrations(store: Store, direction: 'up' | 'down'): Promise<MigrationReport> {
  const { error, results } =
    direction === 'up' ? await migrateToLatest(store.db) : await migrateDownAll(store.db);
  return {
    steps: (results ?? []).map((r) => ({
      name: r.migrationName,
      direction: r.direction === 'Up' ? 'up' : 'down',
      status: r.status,
    })),
    error: error ? ((error as Error).message ?? String(error)) : null,
    version: await currentSchemaVersion(store.db),
  };
}
