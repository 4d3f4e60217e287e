import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Kysely } from 'kysely';
import * as foundation from './migrations/20261122-0001-foundation.js';
import * as access from './migrations/20261122-0002-access.js';
import * as tiers from './migrations/20261122-0003-tiers.js';
import * as orderIntake from './migrations/20261122-0004-order-intake.js';
import * as ledger from './migrations/20261122-0005-ledger.js';
import * as settlement from './migrations/20261123-0006-settlement.js';
import * as scopeIndexes from './migrations/20261202-0010-scope-indexes.js';
import * as listIndexes from './migrations/20261202-0013-list-indexes.js';

/** Every migration, in order. Static imports so the compiled build needs no directory scan. */
const MIGRATIONS: Record<string, Migration> = {
  '20261122-0001-foundation': foundation,
  '20261122-0002-access': access,
  '20261122-0003-tiers': tiers,
  '20261122-0004-order-intake': orderIntake,
  '20261122-0005-ledger': ledger,
  '20261123-0006-settlement': settlement,
  '20261202-0010-scope-indexes': scopeIndexes,
  '20261202-0013-list-indexes': listIndexes,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export const LATEST_MIGRATION = Object.keys(MIGRATIONS).sort().at(-1) ?? '';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function migrator(db: Kysely<any>): Migrator {
  return new Migrator({
    db,
    provider,
    migrationTableName: 'trellis_migration',
    migrationLockTableName: 'trellis_migration_lock',
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  return migrator(db).migrateToLatest();
}

/** Reverts every migration (used by CI's up/down/up check and `trellis db migrate --down all`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateDownAll(db: Kysely<any>): Promise<MigrationResultSet> {
  const { NO_MIGRATIONS } = await import('kysely');
  return migrator(db).migrateTo(NO_MIGRATIONS);
}

/** The name of the newest applied migration, or null on an empty database. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function currentSchemaVersion(db: Kysely<any>): Promise<string | null> {
  const list = await migrator(db).getMigrations();
  const applied = list.filter((m) => m.executedAt !== undefined).map((m) => m.name);
  return applied.sort().at(-1) ?? null;
}
