import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributionPlan } from '../../src/app/maintenance/citus.js';
import { openTestStore, PG_URL, type TestStore } from '../support/stores.js';

/**
 * (On the partitioned test schema, PostgreSQL clones a foreign key to a partitioned table once per partition
 * it references, `conparentid` naming the original: the stand-ins, as the script, read the originals.)
 *
 * `trellis db citus` (issue 18): the SQL that distributes the schema on Citus, run here against stand-ins
 * for Citus's two functions and its catalog table that refuse what Citus refuses: a reference table pointing
 * at a table that is not a reference table, a table distributed before a table it points at, a distributed
 * table pointing at a distributed table of another co-location group or without the distribution column.
 */
const CITUS_STAND_INS = `
  create table pg_dist_partition (logicalrelid regclass primary key, partmethod char, colocationid text);
  create function create_reference_table(t regclass) returns void language plpgsql as $$
  declare bad text;
  begin
    select string_agg(k.conname, ', ') into bad from pg_constraint k
      where k.contype = 'f' and k.conrelid = t and k.confrelid <> t and k.conparentid = 0
        and not exists (select 1 from pg_dist_partition d where d.logicalrelid = k.confrelid and d.partmethod = 'n');
    if bad is not null then raise exception 'reference table % points at a table that is not a reference table: %', t, bad; end if;
    insert into pg_dist_partition values (t, 'n', null);
  end $$;
  create function create_distributed_table(t regclass, col text, colocate_with text default 'default')
  returns void language plpgsql as $$
  declare bad text; grp text;
  begin
    grp := case when colocate_with = 'default' then t::text else
      (select colocationid from pg_dist_partition where logicalrelid = colocate_with::regclass) end;
    if grp is null then raise exception 'cannot co-locate % with %', t, colocate_with; end if;
    select string_agg(k.conname, ', ') into bad from pg_constraint k
      where k.contype = 'f' and k.conrelid = t and k.confrelid <> t and k.conparentid = 0 and (
        not exists (select 1 from pg_dist_partition d where d.logicalrelid = k.confrelid)
        or exists (select 1 from pg_dist_partition d where d.logicalrelid = k.confrelid and d.partmethod = 'h'
          and (d.colocationid <> grp or not exists (
            select 1 from unnest(k.conkey, k.confkey) u(c, f)
            join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.c and a.attname = col
            join pg_attribute b on b.attrelid = k.confrelid and b.attnum = u.f and b.attname = col))));
    if bad is not null then raise exception 'cannot distribute %: foreign keys %', t, bad; end if;
    insert into pg_dist_partition values (t, 'h', grp);
  end $$;`;

describe.runIf(PG_URL)('trellis db citus: the distribution script (postgres)', () => {
  let t: TestStore;
  let client: pg.Client;
  beforeAll(async () => {
    t = await openTestStore('postgres');
    client = new pg.Client({ connectionString: t.url! });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
    await t.cleanup();
  });

  it('distributes every table in an order Citus accepts, twice without harm, and keeps every foreign key', async () => {
    const plan = await distributionPlan(t.store);
    const tables = (
      await client.query<{ name: string }>(
        `select relname as name from pg_class where relnamespace = current_schema()::regnamespace
           and relkind in ('r', 'p') and not relispartition order by 1`,
      )
    ).rows.map((r) => r.name);
    // Every table is placed once: reference, distributed or left on the coordinator.
    expect([...plan.reference, ...plan.distributed, ...plan.coordinator].sort()).toEqual(tables);
    expect(plan.distributed).toEqual(expect.arrayContaining(['orders', 'order_lines', 'ledger_postings']));
    expect(plan.reference).toEqual(expect.arrayContaining(['vendors', 'partners', 'people']));
    // orders and deal_registrations point at each other: one of the two keys waits for both.
    expect(plan.cyclicForeignKeys).toHaveLength(1);
    const foreignKeys = async () =>
      (
        await client.query<{ n: number }>(
          `select count(*)::int as n from pg_constraint where contype = 'f'
             and connamespace = current_schema()::regnamespace`,
        )
      ).rows[0]!.n;
    const before = await foreignKeys();

    await client.query(CITUS_STAND_INS);
    await client.query(plan.sql);
    const placed = (
      await client.query<{ t: string; m: string; g: string | null }>(
        `select logicalrelid::text as t, partmethod as m, colocationid as g from pg_dist_partition order by 1`,
      )
    ).rows;
    expect(
      placed
        .filter((p) => p.m === 'n')
        .map((p) => p.t)
        .sort(),
    ).toEqual([...plan.reference].sort());
    expect(
      placed
        .filter((p) => p.m === 'h')
        .map((p) => p.t)
        .sort(),
    ).toEqual([...plan.distributed].sort());
    // One co-location group: a vendor's rows of every table on one node.
    expect(new Set(placed.filter((p) => p.m === 'h').map((p) => p.g)).size).toBe(1);
    expect(await foreignKeys()).toBe(before);

    // After a migration that adds tables, the same script runs again: what is placed is skipped.
    await client.query(plan.sql);
    expect((await client.query(`select count(*)::int as n from pg_dist_partition`)).rows[0].n).toBe(
      placed.length,
    );
    expect(await foreignKeys()).toBe(before);
  });

  it('is refused on SQLite, naming DATABASE_URL', async () => {
    const sqlite = await openTestStore('sqlite');
    try {
      await expect(distributionPlan(sqlite.store)).rejects.toThrow(/set DATABASE_URL to the coordinator/);
    } finally {
      await sqlite.cleanup();
    }
  });
});
