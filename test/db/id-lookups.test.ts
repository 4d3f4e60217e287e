import { CamelCasePlugin, CompiledQuery, Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE, type Scope } from '../../src/core/access/scope.js';
import { ID_LOOKUP_TABLES } from '../../src/db/migrations/20261207-0039-id-lookups.js';
import { dealRepository } from '../../src/db/repositories/deal-repository.js';
import { dealSupportRepository } from '../../src/db/repositories/deal-support-repository.js';
import { ledgerRepository } from '../../src/db/repositories/ledger-repository.js';
import { payoutRepository } from '../../src/db/repositories/payout-repository.js';
import { settlementRepository } from '../../src/db/repositories/settlement-repository.js';
import type { Database } from '../../src/db/schema.js';
import { refreshPlannerStatistics } from '../../src/db/statistics.js';
import { openTestStore, PG_URL, type TestStore } from '../support/stores.js';

/**
 * Look-ups by id on PostgreSQL (migration 20261207-0039). A vendor-owned table is keyed by (vendor_id, id)
 * there, so a statement naming a row by id alone reads the whole table unless an index serves it: the
 * tables read that way have an index on id, and the readers of the tables written in bulk (order lines,
 * statement lines) name the vendor. Checked on the plans of the statements the readers run.
 */
describe.runIf(PG_URL)('look-ups by id (postgres)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore('postgres');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  /**
   * The tables a statement of `read` reads from start to end: a sequential scan, or an index scan whose
   * condition does not name the index's first column (a walk of the whole index). Each statement `read`
   * runs is captured and explained, with sequential scans priced out (`enable_seqscan` off), so a plan
   * reads a table whole only when no index can serve the statement, however few rows the store holds.
   */
  async function scannedBy(read: (db: Kysely<Database>) => Promise<unknown>): Promise<string[]> {
    const captured: CompiledQuery[] = [];
    const pool = t.store.pgPool;
    if (!pool) throw new Error('a PostgreSQL store has a pool');
    const db = new Kysely<Database>({
      dialect: new PostgresDialect({ pool }),
      plugins: [new CamelCasePlugin()],
      log: (event) => {
        if (event.level === 'query') captured.push(event.query);
      },
    });
    await read(db).catch(() => undefined); // (not found is fine: the plans are what is checked)
    const statements = [...captured];
    const wholes = new Set<string>();
    await db.connection().execute(async (c) => {
      await sql`set enable_seqscan = off`.execute(c);
      for (const q of statements) {
        const { rows } = await c.executeQuery<{ 'QUERY PLAN': unknown }>(
          CompiledQuery.raw(`explain (format json) ${q.sql}`, [...q.parameters]),
        );
        const nodes: Record<string, unknown>[] = [];
        const walk = (n: Record<string, unknown>) => {
          nodes.push(n);
          for (const child of (n.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
        };
        walk(
          (
            (rows[0] as { 'QUERY PLAN': { Plan: Record<string, unknown> }[] })['QUERY PLAN'][0] as {
              Plan: Record<string, unknown>;
            }
          ).Plan,
        );
        for (const n of nodes) {
          const table = n['Relation Name'] as string | undefined;
          if (n['Node Type'] === 'Seq Scan' && table) wholes.add(table);
          const index = n['Index Name'] as string | undefined;
          if (!index) continue;
          const first = await sql<{ column: string; table: string }>`
            select a.attname as "column", t.relname as "table" from pg_index x
            join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
            join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
            where i.relname = ${index} and i.relnamespace = current_schema()::regnamespace`.execute(c);
          const key = first.rows[0];
          const cond = String(n['Index Cond'] ?? '');
          if (key && !new RegExp(`\\b${key.column}\\b`).test(cond)) wholes.add(key.table);
        }
      }
      await sql`reset enable_seqscan`.execute(c);
    });
    expect(statements.length).toBeGreaterThan(0);
    return [...wholes].sort();
  }

  it('each table looked up by id alone has an index starting with id', async () => {
    const { rows } = await sql<{ table: string }>`
      select distinct t.relname as "table"
      from pg_index x
      join pg_class t on t.oid = x.indrelid
      join pg_attribute a on a.attrelid = t.oid and a.attnum = x.indkey[0]
      where t.relnamespace = current_schema()::regnamespace and a.attname = 'id'`.execute(t.store.db);
    const indexed = new Set(rows.map((r) => r.table));
    expect(ID_LOOKUP_TABLES.filter((table) => !indexed.has(table))).toEqual([]);
    for (const table of ID_LOOKUP_TABLES)
      expect(
        await scannedBy((db) => sql`select * from ${sql.table(table)} where id = 'x'`.execute(db)),
      ).toEqual([]);
  });

  it('a statement, a dispute and a registration are found by id alone (a partner or the system asking)', async () => {
    const scopes: Scope[] = [SYSTEM_SCOPE, { kind: 'partner', partnerId: 'ptn_x', ownerPersonId: null }];
    for (const scope of scopes) {
      expect(await scannedBy((db) => settlementRepository(db).getStatement(scope, 'stm_1'))).toEqual([]);
      expect(await scannedBy((db) => settlementRepository(db).getDispute(scope, 'dsp_1'))).toEqual([]);
      expect(await scannedBy((db) => dealRepository(db).get(scope, 'reg_1'))).toEqual([]);
    }
  });

  it("a close's reads of returned sales, and intake's link of an order to its registration, name the vendor", async () => {
    expect(await scannedBy((db) => settlementRepository(db).lineDates('vnd_x', ['lin_1', 'lin_2']))).toEqual(
      [],
    );
    expect(await scannedBy((db) => dealSupportRepository(db).returnedSales('vnd_x', ['lin_1']))).toEqual([]);
    // The registrations the period's orders name, and their lines' families.
    expect(await scannedBy((db) => dealSupportRepository(db).benefitRows('vnd_x', ['reg_1']))).toEqual([]);
    expect(await scannedBy((db) => dealSupportRepository(db).lineFamilies('vnd_x', ['reg_1']))).toEqual([]);
    // A replayed order's accruals, and an MDF expiry, are found by their idempotency key.
    expect(await scannedBy((db) => ledgerRepository(db).transactionByKey('vnd_x', 'k'))).toEqual([]);
    // Intake links an order to the registration it names.
    expect(await scannedBy((db) => dealSupportRepository(db).linkOrder('vnd_x', 'ord_1', 'reg_1'))).toEqual(
      [],
    );
  });

  it("a statement's lines are read by the vendor's key", async () => {
    const page = { limit: 50, sort: 'lineNo' as const, direction: 'asc' as const };
    const reads: [string, (db: Kysely<Database>) => Promise<unknown>][] = [
      ['statementLine', (db) => settlementRepository(db).statementLine('vnd_x', 'stm_1', 'sln_1')],
      ['statementLineById', (db) => settlementRepository(db).statementLineById('vnd_x', 'sln_1')],
      ['statementLines', (db) => settlementRepository(db).statementLines('vnd_x', 'stm_1', {}, page)],
      [
        'allStatementLines',
        async (db) => {
          for await (const chunk of settlementRepository(db).allStatementLines('vnd_x', 'stm_1')) void chunk;
        },
      ],
      ['lineAmounts', (db) => payoutRepository(db).lineAmounts('vnd_x', 'stm_1')],
    ];
    for (const [name, read] of reads)
      expect({ name, scanned: await scannedBy(read) }).toEqual({ name, scanned: [] });
  });
});

/**
 * On SQLite the keys are on id alone, and the statistics a refresh writes (ANALYZE of a sample of each
 * index) count about a thousand lines per vendor: a plain `vendor_id = ?` beside `id in (...)` steered the
 * planner to walk the vendor's lines by its day index (a medium close's reading took 18 s instead of 3 s).
 * The readers test the vendor so that the id's key serves them (`keyVendor`).
 */
describe('look-ups by id (sqlite)', () => {
  it("a close's reads of returned sales find the lines by id", async () => {
    const t = await openTestStore('sqlite');
    try {
      const handle = t.store.sqlite;
      if (!handle) return; // (a store on a worker thread has no handle here; the main-thread run checks)
      handle.pragma('foreign_keys = off');
      handle.exec(`insert into order_lines (id, order_id, vendor_id, line_no, product_id, family, quantity,
          unit_price_minor, amount_minor, currency, reseller_id, customer_id, order_date)
        with recursive n(i) as (select 1 union all select i + 1 from n where i < 6000)
        select 'lin_' || i, 'ord_' || i, 'vnd_x', 1, 'prd_x', 'storage', 1, 100, 100, 'USD', 'ptn_r' || (i % 50),
          'cus_' || (i % 1000), '2025-' || printf('%02d', 1 + i % 12) || '-01'
        from n`);
      handle.pragma('foreign_keys = on');
      await refreshPlannerStatistics(t.store);
      const captured: CompiledQuery[] = [];
      const db = new Kysely<Database>({
        dialect: new SqliteDialect({ database: handle }),
        plugins: [new CamelCasePlugin()],
        log: (event) => {
          if (event.level === 'query') captured.push(event.query);
        },
      });
      const ids = Array.from({ length: 300 }, (_, i) => `lin_${1 + i * 7}`);
      const reads: [string, () => Promise<unknown>][] = [
        ['lineDates', () => settlementRepository(db).lineDates('vnd_x', ids)],
        ['returnedSales', () => dealSupportRepository(db).returnedSales('vnd_x', ids)],
      ];
      for (const [name, read] of reads) {
        captured.length = 0;
        await read();
        expect(captured.length).toBeGreaterThan(0);
        for (const q of captured) {
          const plan = handle
            .prepare(`explain query plan ${q.sql}`)
            .all(...(q.parameters as unknown[]))
            .map((r) => (r as { detail: string }).detail);
          const lines = plan.filter((d) => /\b(order_lines|l)\b/.test(d) && /^(SEARCH|SCAN)/.test(d));
          expect({ name, lines }).toEqual({
            name,
            lines: lines.map(() => expect.stringContaining('PRIMARY KEY')),
          });
        }
      }
    } finally {
      await t.cleanup();
    }
  });
});
