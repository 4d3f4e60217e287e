import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { partitionedSchemaSql } from './partitioned.js';
import { auditSchema, describeFindings, explainRecorded, installRouterAudit } from './router-audit.js';

/**
 * Every repository test runs once per database: SQLite always, PostgreSQL when TRELLIS_TEST_DATABASE_URL
 * is set (as .ci/run sets it). When set and unreachable, the tests fail: they never skip.
 * Each PostgreSQL store lives in its own schema so test files can run in parallel.
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
  let dropSchema = async () => undefined as void;
  let audit = async (): Promise<string | null> => null;
  if (kind === 'sqlite') {
    store = await openStore({ kind: 'sqlite', file: ':memory:', thread: SQLITE_THREAD });
  } else {
    if (!PG_URL) throw new Error('TRELLIS_TEST_DATABASE_URL is not set');
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    try {
      if (PARTITIONED && options.migrate !== false)
        await admin.query(await partitionedSchemaSql(PG_URL, schema));
    } finally {
      await admin.end();
    }
    const u = new URL(PG_URL);
    u.searchParams.set('options', `-c search_path=${schema}`);
    url = u.toString();
    const storeUrl = url;
    if (ROUTER_AUDIT && options.migrate !== false) {
      auditSchema(schema);
      audit = async () => {
        const findings = await explainRecorded(storeUrl);
        return findings.length > 0 ? describeFindings(findings) : null;
      };
    }
    store = await openStore({ kind: 'postgres', url });
    dropSchema = async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    };
  }
  if (options.migrate !== false) {
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
  }
  return {
    store,
    url,
    cleanup: async () => {
      let failure: string | null = null;
      try {
        failure = await audit();
      } finally {
        await store.close();
        await dropSchema();
      }
      if (failure) throw new Error(failure);
    },
  };
}
