import {
  Migrator,
  PostgresAdapter,
  sql,
  type Migration,
  type MigrationProvider,
  type MigrationResultSet,
} from 'kysely';
import type { Kysely } from 'kysely';
import * as foundation from './migrations/20261122-0001-foundation.js';
import * as access from './migrations/20261122-0002-access.js';
import * as tiers from './migrations/20261122-0003-tiers.js';
import * as orderIntake from './migrations/20261122-0004-order-intake.js';
import * as ledger from './migrations/20261122-0005-ledger.js';
import * as settlement from './migrations/20261123-0006-settlement.js';
import * as moneyLimits from './migrations/20261202-0007-money-limits.js';
import * as settlementRaces from './migrations/20261202-0008-settlement-races.js';
import * as scopeIndexes from './migrations/20261202-0010-scope-indexes.js';
import * as jobs from './migrations/20261202-0011-jobs.js';
import * as membershipOverlap from './migrations/20261202-0012-membership-overlap.js';
import * as listIndexes from './migrations/20261202-0013-list-indexes.js';
import * as dealRegistration from './migrations/20261203-0014-deal-registration.js';
import * as engagement from './migrations/20261203-0015-engagement.js';
import * as agreements from './migrations/20261203-0016-agreements.js';
import * as productAttributes from './migrations/20261203-0017-product-attributes.js';
import * as programTransfers from './migrations/20261203-0018-program-transfers.js';
import * as ledgerPostings from './migrations/20261204-0019-ledger-postings.js';
import * as closeIndexes from './migrations/20261204-0020-close-indexes.js';
import * as simulations from './migrations/20261204-0021-simulations.js';
import * as notifications from './migrations/20261204-0023-notifications.js';
import * as searchIndexes from './migrations/20261205-0025-search-indexes.js';
import * as partnerScopeIndexes from './migrations/20261205-0026-partner-scope-indexes.js';
import * as singleSignOn from './migrations/20261206-0028-single-sign-on.js';
import * as webhooks from './migrations/20261206-0027-webhooks.js';
import * as marketingFunds from './migrations/20261206-0030-marketing-funds.js';
import * as storedFiles from './migrations/20261206-0029-stored-files.js';
import * as webhookRetention from './migrations/20261206-0031-webhook-retention.js';
import * as exchangeRates from './migrations/20261206-0032-exchange-rates.js';
import * as orderCurrencies from './migrations/20261206-0033-order-currencies.js';
import * as payoutCurrencies from './migrations/20261206-0034-payout-currencies.js';
import * as tenantKeys from './migrations/20261206-0036-tenant-keys.js';
import * as shardTasks from './migrations/20261206-0037-shard-tasks.js';
import * as factVersions from './migrations/20261207-0038-fact-versions.js';
import * as idLookups from './migrations/20261207-0039-id-lookups.js';

/** Every migration, in order. Static imports so the compiled build needs no directory scan. */
const MIGRATIONS: Record<string, Migration> = {
  '20261122-0001-foundation': foundation,
  '20261122-0002-access': access,
  '20261122-0003-tiers': tiers,
  '20261122-0004-order-intake': orderIntake,
  '20261122-0005-ledger': ledger,
  '20261123-0006-settlement': settlement,
  '20261202-0007-money-limits': moneyLimits,
  '20261202-0008-settlement-races': settlementRaces,
  '20261202-0010-scope-indexes': scopeIndexes,
  '20261202-0011-jobs': jobs,
  '20261202-0012-membership-overlap': membershipOverlap,
  '20261202-0013-list-indexes': listIndexes,
  '20261203-0014-deal-registration': dealRegistration,
  '20261203-0015-engagement': engagement,
  '20261203-0016-agreements': agreements,
  '20261203-0017-product-attributes': productAttributes,
  '20261203-0018-program-transfers': programTransfers,
  '20261204-0019-ledger-postings': ledgerPostings,
  '20261204-0020-close-indexes': closeIndexes,
  '20261204-0021-simulations': simulations,
  '20261204-0023-notifications': notifications,
  '20261205-0025-search-indexes': searchIndexes,
  '20261205-0026-partner-scope-indexes': partnerScopeIndexes,
  '20261206-0028-single-sign-on': singleSignOn,
  '20261206-0030-marketing-funds': marketingFunds,
  '20261206-0027-webhooks': webhooks,
  '20261206-0029-stored-files': storedFiles,
  '20261206-0031-webhook-retention': webhookRetention,
  '20261206-0032-exchange-rates': exchangeRates,
  '20261206-0033-order-currencies': orderCurrencies,
  '20261206-0034-payout-currencies': payoutCurrencies,
  '20261206-0036-tenant-keys': tenantKeys,
  '20261206-0037-shard-tasks': shardTasks,
  '20261207-0038-fact-versions': factVersions,
  '20261207-0039-id-lookups': idLookups,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

export const LATEST_MIGRATION = Object.keys(MIGRATIONS).sort().at(-1) ?? '';

/**
 * On PostgreSQL the migration tables are named in the connection's current schema: Kysely's migrator
 * otherwise looks for its tables in every schema, and a store in one schema would take another schema's
 * lock table for its own (seen as "relation trellis_migration_lock does not exist" when test stores in
 * their own schemas migrate at the same time).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function migrator(db: Kysely<any>): Promise<Migrator> {
  let migrationTableSchema: string | undefined;
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    migrationTableSchema = rows[0]?.schema;
  }
  return new Migrator({
    db,
    provider,
    migrationTableName: 'trellis_migration',
    migrationLockTableName: 'trellis_migration_lock',
    ...(migrationTableSchema ? { migrationTableSchema } : {}),
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  return (await migrator(db)).migrateToLatest();
}

/** Reverts every migration (used by CI's up/down/up check and `trellis db migrate --down all`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateDownAll(db: Kysely<any>): Promise<MigrationResultSet> {
  const { NO_MIGRATIONS } = await import('kysely');
  return (await migrator(db)).migrateTo(NO_MIGRATIONS);
}

/** The name of the newest applied migration, or null on an empty database. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function currentSchemaVersion(db: Kysely<any>): Promise<string | null> {
  const list = await (await migrator(db)).getMigrations();
  const applied = list.filter((m) => m.executedAt !== undefined).map((m) => m.name);
  return applied.sort().at(-1) ?? null;
}

/** Every migration this version knows, with whether the store has applied it (`trellis db status`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrationStatus(db: Kysely<any>): Promise<{ name: string; applied: boolean }[]> {
  const list = await (await migrator(db)).getMigrations();
  return list
    .map((m) => ({ name: m.name, applied: m.executedAt !== undefined }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
