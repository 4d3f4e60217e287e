import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeFindings, explainRecorded, MULTI_VENDOR_MARKER } from '../support/router-audit.js';
import { openTestStore, ROUTER_AUDIT, type TestStore } from '../support/stores.js';

/**
 * The router audit (issue 18, test/support/router-audit.ts) catches a join that Citus could not route to
 * one node, and lets pass the same join on the vendor and a statement marked multi-vendor. It runs in the
 * partitioned mode (TRELLIS_TEST_PARTITIONED=1), where each PostgreSQL store's statements are audited.
 */
describe.runIf(ROUTER_AUDIT)('router audit (partitioned)', () => {
  let t: TestStore;
  beforeAll(async () => {
    t = await openTestStore('postgres');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('flags a distributed table joined on id alone to one pinned to a vendor; not one joined on the vendor', async () => {
    const db = t.store.db;
    const vendor = 'v-router-audit';
    // Bad: order_lines joined on its order's id only, so no vendor reaches it: every partition is read.
    await sql`select l.id from orders o join order_lines l on l.order_id = o.id
      where o.vendor_id = ${vendor} and o.customer_id = ${'c1'}`.execute(db);
    // Bad: a subquery on a distributed table that names no vendor.
    await sql`update orders set original_currency = original_currency where vendor_id = ${vendor}
      and id in (select order_id from order_lines where quantity > ${0})`.execute(db);
    // Good: the vendor equality carries the pinned vendor to order_lines.
    await sql`select l.id from orders o join order_lines l on l.vendor_id = o.vendor_id and l.order_id = o.id
      where o.vendor_id = ${vendor} and o.customer_id = ${'c2'}`.execute(db);
    // Good: each table filtered on the vendor.
    await sql`select l.id from orders o join order_lines l on l.order_id = o.id
      where o.vendor_id = ${vendor} and l.vendor_id = ${vendor} and o.customer_id = ${'c3'}`.execute(db);
    // Allowed: the same bad join, marked as reading several vendors on purpose.
    await sql`select /* ${sql.raw(MULTI_VENDOR_MARKER)} the audit's own test */ l.id from orders o
      join order_lines l on l.order_id = o.id where o.vendor_id = ${vendor} and o.customer_id = ${'c5'}`.execute(
      db,
    );

    // Bad: no vendor pinned, and two distributed tables joined on id alone (on Citus: a repartition join).
    await sql`select l.id from orders o join order_lines l on l.order_id = o.id
      where o.customer_id = ${'c6'}`.execute(db);
    // Good: no vendor pinned, joined on the vendor (co-located: each node joins its own shards).
    await sql`select l.id from orders o join order_lines l on l.vendor_id = o.vendor_id and l.order_id = o.id
      where o.customer_id = ${'c7'}`.execute(db);
    // Allowed: the unpinned join on id alone, marked.
    await sql`select /* ${sql.raw(MULTI_VENDOR_MARKER)} the audit's own test */ l.id from orders o
      join order_lines l on l.order_id = o.id where o.customer_id = ${'c8'}`.execute(db);

    const findings = await explainRecorded(t.url!);
    expect(findings.map((f) => [f.statement.split(' where ')[0], f.tables, f.joins !== undefined])).toEqual([
      [
        'select l.id from orders o join order_lines l on l.order_id = o.id',
        [{ table: 'order_lines', partitions: 4 }],
        false,
      ],
      [
        'update orders set original_currency = original_currency',
        [{ table: 'order_lines', partitions: 4 }],
        false,
      ],
      ['select l.id from orders o join order_lines l on l.order_id = o.id', [], true],
    ]);
    expect(findings[2]!.statement).toContain('o.customer_id = $1');
    const message = describeFindings(findings);
    expect(message).toContain(
      'order_lines (4 partitions): select l.id from orders o join order_lines l on l.order_id',
    );
    expect(message).toContain('joined without the vendor (');
    expect(message).toContain(MULTI_VENDOR_MARKER);
  });
});
