import { sql, type KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod, type CloseResult } from '../../src/app/incentives/close-period.js';
import type { Store } from '../../src/db/connection.js';
import { FACT_TABLES } from '../../src/db/migrations/20261207-0038-fact-versions.js';
import { buildServer } from '../../src/server/app.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { addMembership } from '../support/memberships.js';
import { postQuarterOrders } from '../support/reclose.js';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * A re-close of a period whose facts did not change since the last close reuses what that close computed
 * (close-period.ts `reusableClose`, migration 0038's fact versions): nothing is read or computed again,
 * and what it reports is what a re-close that reads everything reports. Any change to a fact the close
 * reads makes the next re-close read the period again.
 */

/** Tables a close reads that are not facts of the period, and why a change to them needs no new read. */
const NOT_FACTS: Record<string, string> = {
  programs: "the program's id and code (its definition is the program version, tracked)",
  period_closes: 'the closes themselves (what a re-close reuses)',
  fact_versions: 'the counters (SQLite)',
  fact_changes: 'the changes (PostgreSQL)',
  ledger_postings: 'written with their transaction (ledger_transactions is tracked), append-only',
  ledger_entries: 'written with their transaction (ledger_transactions is tracked), append-only',
  ledger_rules: 'what a posting applies, append-only, written with its first posting',
  ledger_bulk_postings: "the bulk write's commit-time guard",
  payable_totals: "totals of the ledger's payable entries (kept by its triggers)",
  statements: 'built from the ledger after the plan, on every close (reused or not)',
  statement_lines: 'built from the ledger after the plan, on every close (reused or not)',
  audit_events: 'written by the close',
  agreements: 'solution rewards: computed on every close (reused or not)',
  agreement_parties: 'solution rewards: computed on every close (reused or not)',
  agreement_programs: 'solution rewards: computed on every close (reused or not)',
  agreement_rewards: 'solution rewards: computed on every close (reused or not)',
  vendors: "the caller's vendor",
  sqlite_master: 'the planner statistics refresh',
  sqlite_stat1: 'the planner statistics refresh',
  pragma_table_list: 'the planner statistics refresh',
};

function withTables(store: Store, seen: Set<string>): Store {
  const read = (raw: string) => {
    const text = raw.replace(/--[^\n]*/g, '');
    // Common table expressions are named in the query, not tables.
    const named = new Set(
      [...text.matchAll(/(?:\bwith|,)\s+"?([a-z_][a-z0-9_]*)"?\s+as\s+(?:materialized\s+)?\(/gi)].map((m) =>
        (m[1] as string).toLowerCase(),
      ),
    );
    for (const m of text.matchAll(/\b(?:from|join|into|update)\s+"?([a-z_][a-z0-9_]*)"?/gi))
      if (!named.has((m[1] as string).toLowerCase())) seen.add((m[1] as string).toLowerCase());
  };
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      read(store.db.getExecutor().compileQuery(args.node, args.queryId).sql);
      return args.node;
    },
    transformResult: (args) => Promise.resolve(args.result),
  };
  return {
    ...store,
    db: store.db.withPlugin(plugin),
    bulk: {
      ...store.bulk,
      eachRow: (db, text, params, each) => {
        read(text);
        return store.bulk.eachRow(db, text, params, each);
      },
    },
  };
}

/** Alpha holds Titanium from the period's start (a tier record: what a close reads). */
function titanium(s: { t: { store: Store }; dell: { vendorId: string; programId: string } }) {
  return addMembership(s.t.store.db, s.dell, 'mbr_alpha_t', 'ptn_alpha', 'titanium', '2017-02-01', null);
}

const who = (vendorId: string) => ({
  actor: { kind: 'system' as const, id: 'test' },
  scope: { kind: 'vendor' as const, vendorId, regions: [] },
});

/** A close's result without its id (two closes never share one). */
const report = ({ closeId: _id, ...rest }: CloseResult) => rest;

for (const kind of STORE_KINDS) {
  describe(`re-close of an unchanged period on ${kind}`, () => {
    const setUp = async () => {
      const t = await openTestStore(kind);
      const ctx = createContext(t.store);
      const app = await buildServer(ctx);
      const { dell } = await loadFixture(ctx);
      await postQuarterOrders(client(app, await signIn(app, 'admin@dell.test')));
      const close = async (on: AppContext = ctx, dryRun = false) => {
        const phases: string[] = [];
        const result = await closePeriod(on, who(dell.vendorId), {
          program: 'dell-emc-partner-program',
          period: 'FY18-Q1',
          dryRun,
          progress: { phase: (name) => phases.push(name), update: () => {} },
        });
        return { result, reused: phases.some((p) => p.startsWith('reusing')) };
      };
      /** The same store, as a store that keeps no fact versions (every re-close reads the period). */
      const reading = createContext({
        ...t.store,
        capabilities: { ...t.store.capabilities, factVersions: null },
      });
      return {
        t,
        ctx,
        dell,
        close,
        reading,
        cleanup: async () => {
          await app.close();
          await t.cleanup();
        },
      };
    };

    it('reuses the last close where the store keeps fact versions, and reports what reading everything reports', async () => {
      const s = await setUp();
      try {
        const first = await s.close();
        expect(first.reused).toBe(false);
        expect(first.result.transactions).toBeGreaterThan(0);
        const again = await s.close();
        expect(again.reused).toBe(true);
        expect(again.result.transactions).toBe(0);
        // A dry run of the closed period reuses it too, and reports what a dry run reading everything does.
        const dry = await s.close(s.ctx, true);
        expect(dry.reused).toBe(true);
        expect(report(dry.result)).toEqual(report((await s.close(s.reading, true)).result));
        const read = await s.close(s.reading);
        expect(read.reused).toBe(false);
        expect(report(again.result)).toEqual(report(read.result));
        expect(again.result.totalMinor).toBe(first.result.totalMinor);
        expect(again.result.closeItems).toEqual(first.result.closeItems);
        // A close that kept no fact versions leaves nothing to reuse; the close after it does, and the
        // reused close leaves its mark too: the next one reuses again.
        expect((await s.close()).reused).toBe(false);
        expect((await s.close()).reused).toBe(true);
        expect((await s.close()).reused).toBe(true);
      } finally {
        await s.cleanup();
      }
    });

    it('reads the period again after any change to a fact the close reads, whatever the table', async () => {
      const s = await setUp();
      try {
        await s.close();
        const touchedTables: string[] = [];
        for (const table of FACT_TABLES) {
          // A change that changes nothing (a column set to itself) still counts: the triggers cannot tell.
          const touched = await sql`update ${sql.table(table)} set vendor_id = vendor_id
            where vendor_id = ${s.dell.vendorId}`.execute(s.t.store.db);
          if (Number(touched.numAffectedRows ?? 0) === 0) continue;
          touchedTables.push(table);
          const after = await s.close();
          expect(after.reused, table).toBe(false);
          expect(after.result.transactions, table).toBe(0);
          expect((await s.close()).reused, table).toBe(true);
        }
        expect(touchedTables).toEqual(
          expect.arrayContaining([
            'orders',
            'order_lines',
            'enrolments',
            'products',
            'program_versions',
            'ledger_transactions',
          ]),
        );
        await s.t.store.db
          .updateTable('partners')
          .set({ region: 'EMEA' })
          .where('id', '=', 'ptn_alpha')
          .execute();
        expect((await s.close()).reused).toBe(false);
        // A tier change: read again, and what it owes is posted (test/db/reclose.test.ts has the amounts).
        await titanium(s);
        const upgraded = await s.close();
        expect(upgraded.reused).toBe(false);
        expect(upgraded.result.reconciled).toBe(true);
        expect(upgraded.result.transactions).toBeGreaterThan(0);
      } finally {
        await s.cleanup();
      }
    });

    it('tracks every table whose rows a close reads as facts', async () => {
      const s = await setUp();
      try {
        const seen = new Set<string>();
        const ctx = createContext(withTables(s.t.store, seen));
        await s.close(ctx);
        // A re-close that reads everything, with a posting to compare (the holdings read back).
        await titanium(s);
        await s.close(ctx);
        for (const fact of ['order_lines', 'orders', 'memberships', 'enrolments', 'products', 'partners'])
          expect(seen.has(fact), fact).toBe(true);
        const tracked = new Set<string>([...FACT_TABLES, 'partners']);
        const untracked = [...seen].filter((table) => !tracked.has(table) && !(table in NOT_FACTS));
        expect(untracked, 'tables a close reads, neither tracked nor listed as not facts').toEqual([]);
      } finally {
        await s.cleanup();
      }
    });
  });
}
