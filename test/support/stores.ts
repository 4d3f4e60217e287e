import { openStore, type Store } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { createTestDatabase } from './pg-databases.js';
import { auditDatabase, describeFindings, explainRecorded, installRouterAudit } from './router-audit.js';

/**
 * Every repository test runs once per database: SQLite always, PostgreSQL when TRELLIS_TEST_DATABASE_URL
 * is set (as .ci/run sets it). When set and unreachable, the tests fail: they never skip.
 * Each PostgreSQL store is a database of its own, cloned from a migrated template (test/support/pg-databases.ts),
 * so test files run in parallel and a store costs a block copy, not every migration.
 */
export const PG_URL = process.env.TRELLIS_TEST_DATABASE_URL;

/** Where SQLite runs in the tests: TRELLIS_SQLITE_THREAD=worker runs the suites over the worker dialect. */
export const SQLITE_THREAD: 'main' | 'worker' =
  process.env.TRELLIS_SQLITE_THREAD === 'worker' ? 'worker' : 'main';

/**
 * TRELLIS_TEST_PARTITIONED=1: the PostgreSQL store's schema has every vendor-owned table hash-partitioned
 * by vendor_id (issue 18, test/support/partitioned.ts), so the suites prove the tenant keys.
 */
export const PARTITIONED = process.env.TRELLIS_TEST_PARTITIONED === '1';

/**
 * In the partitioned mode the router audit (test/support/router-audit.ts) records what each PostgreSQL
 * store runs and, when the store is cleaned up, fails on a statement that pins one vendor but reads a
 * distributed table on several partitions. TRELLIS_ROUTER_AUDIT=0 turns it off.
 */
export const ROUTER_AUDIT = PARTITIONED && process.env.TRELLIS_ROUTER_AUDIT !== '0';
if (ROUTER_AUDIT) installRouterAudit();

export type StoreKind = 'sqlite' | 'postgres';
/** The partitioned variant runs on PostgreSQL only (SQLite has no partitions). */
export const STORE_KINDS: readonly StoreKind[] = PARTITIONED
  ? ['postgres']
  : PG_URL
    ? ['sqlite', 'postgres']
    : ['sqlite'];

export interface TestStore {
  store: Store;
  /** For PostgreSQL the connection URL bound to this store's private schema. */
  url: string | null;
  cleanup(): Promise<void>;
}

export async function openTestStore(
  kind: StoreKind,
  options: { migrate?: boolean } = {},
): Promise<TestStore> {
  let store: Store;
  let url: string | null = null;
  if (kind === 'sqlite') {
    store = await openStore({ kind: 'sqlite', file: ':memory:', thread: SQLITE_THREAD });
  } else {
    if (!PG_URL) throw new Error('TRELLIS_TEST_DATABASE_URL is not set');
    url = await createTestDatabase(PG_URL, { migrated: options.migrate !== false, partitioned: PARTITIONED });
    if (ROUTER_AUDIT && options.migrate !== false) auditDatabase(url);
    store = await openStore({ kind: 'postgres', url });
  }
  if (options.migrate !== false) {
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
  }
  return {
    store,
    url,
    // The database is dropped when the run ends (test/support/global-setup.ts): a drop checkpoints.
    cleanup: async () => {
      let failure: string | null = null;
      try {
        const findings = url && ROUTER_AUDIT ? await explainRecorded(url) : [];
        failure = findings.length > 0 ? describeFindings(findings) : null;
      } finally {
        await store.close();
      }
      if (failure) throw new Error(failure);
    },
  };
}
