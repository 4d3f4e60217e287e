import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkTenantKeys, describeViolation, REFERENCE_TABLES } from '../../src/db/postgres/tenant-keys.js';
import { openTestStore, PARTITIONED, PG_URL, type TestStore } from '../support/stores.js';

/**
 * Tenant keys (issue 18): on the latest schema every vendor-owned table keys its rows by vendor, as Citus
 * (and PostgreSQL's hash partitioning by vendor_id) needs. A PostgreSQL catalog check: it runs when the
 * PostgreSQL store does, on the plain schema and, with TRELLIS_TEST_PARTITIONED=1, on the partitioned one.
 */
describe.runIf(PG_URL)('tenant keys (postgres)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore('postgres');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('the latest schema breaks no tenant-key rule', async () => {
    const report = await checkTenantKeys(t.store.db);
    expect(report.violations.map(describeViolation)).toEqual([]);
    expect(report.distributed).toContain('order_lines');
    expect(report.distributed).toContain('ledger_postings');
    expect(report.reference).toContain('partners');
    // Every listed reference table exists: the list names no table that is gone.
    expect(Object.keys(REFERENCE_TABLES).filter((name) => !report.reference.includes(name))).toEqual([]);
  });

  it.runIf(PARTITIONED)('partitions every distributed table by hash of vendor_id', async () => {
    const { rows } = await sql<{ table: string; key: string }>`
      select c.relname as "table", pg_get_partkeydef(c.oid) as key
      from pg_partitioned_table p join pg_class c on c.oid = p.partrelid
      where c.relnamespace = current_schema()::regnamespace order by 1`.execute(t.store.db);
    const { distributed } = await checkTenantKeys(t.store.db);
    expect(rows).toEqual(distributed.map((table) => ({ table, key: 'HASH (vendor_id)' })));
  });

  it('names the table and the key of each rule a new table breaks', async () => {
    const db = t.store.db;
    await sql`create table tk_probe_parent (id text primary key, vendor_id text not null)`.execute(db);
    await sql`create table tk_probe (id text primary key, code text, parent_id text references tk_probe_parent (id))`.execute(
      db,
    );
    await sql`create unique index tk_probe_code_ux on tk_probe (code)`.execute(db);
    await sql`alter table vendors add column tk_probe_program text, add constraint tk_probe_ref_fkey
      foreign key (id, tk_probe_program) references programs (vendor_id, id)`.execute(db);
    try {
      const found = (await checkTenantKeys(db)).violations
        .filter((v) => v.table.startsWith('tk_probe') || v.constraint?.startsWith('tk_probe'))
        .map((v) => [v.kind, v.table, v.constraint]);
      expect(found).toEqual(
        expect.arrayContaining([
          ['no-vendor-column', 'tk_probe', null],
          ['primary-key', 'tk_probe', 'tk_probe_pkey'],
          ['unique-key', 'tk_probe', 'tk_probe_code_ux'],
          ['foreign-key', 'tk_probe', 'tk_probe_parent_id_fkey'],
          ['primary-key', 'tk_probe_parent', 'tk_probe_parent_pkey'],
          ['reference-to-distributed', 'vendors', 'tk_probe_ref_fkey'],
        ]),
      );
      expect(found).toHaveLength(6);
    } finally {
      await sql`drop table tk_probe, tk_probe_parent`.execute(db);
      await sql`alter table vendors drop column tk_probe_program`.execute(db);
    }
  });
});

/**
 * A documented lint (issue 18): a row lock outside the migrations names the vendor, so on Citus it locks
 * rows of one shard (a `FOR UPDATE` across vendors is refused there). Each lock statement — from
 * `select` (raw SQL) or `selectFrom` (Kysely) to the lock — must mention `vendor_id` or `'vendorId'`.
 */
describe('row locks name the vendor', () => {
  it('every for update / for no key update / for share in src names vendor_id', () => {
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.startsWith('db/migrations') && !f.includes('.test.'),
    );
    const lock =
      /for update|for no key update|for share|\.forUpdate\(\)|\.forNoKeyUpdate\(\)|\.forShare\(\)/gi;
    const found: string[] = [];
    const unscoped: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const m of text.matchAll(lock)) {
        const before = text.slice(0, m.index);
        // A comment that mentions a lock is not one.
        if (/\/\/[^\n]*$|\*[^\n/]*$/.test(before.slice(before.lastIndexOf('\n')))) continue;
        const start = Math.max(before.lastIndexOf('select '), before.lastIndexOf('selectFrom('));
        const statement = text.slice(start, m.index);
        found.push(file);
        if (!/vendor_id|'vendorId'/.test(statement)) unscoped.push(`${file}: ${statement.slice(0, 120)}`);
      }
    }
    expect(found.length).toBeGreaterThan(0);
    expect(unscoped).toEqual([]);
  });
});
