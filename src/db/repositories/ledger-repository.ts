import { sql, type Insertable, type Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Store } from '../connection.js';
import type { Database, LedgerEntriesTable, LedgerTransactionsTable } from '../schema.js';
import { keyVendor } from './scoping.js';

export const PAYABLE = 'partner:rebate-payable';
export const EXPENSE = 'vendor:incentive-expense';

/** The ledger is append-only: this repository inserts and reads, and has no update or delete. */
export function ledgerRepository(db: Kysely<Database>) {
  return {
    /** The vendor's transaction under an idempotency key (unique per vendor). */
    transactionByKey(vendorId: string, key: string) {
      return db
        .selectFrom('ledgerTransactions')
        .select(['id', 'inputHash'])
        .where(keyVendor(db, 'vendor_id', vendorId))
        .where('idempotencyKey', '=', key)
        .executeTakeFirst();
    },
    async append(
      tx: Insertable<LedgerTransactionsTable>,
      entries: Insertable<LedgerEntriesTable>[],
    ): Promise<void> {
      await db.insertInto('ledgerTransactions').values(tx).execute();
      for (let i = 0; i < entries.length; i += 200)
        await db
          .insertInto('ledgerEntries')
          .values(entries.slice(i, i + 200))
          .execute();
    },
    /**
     * What a partner has earned, by program, period and component (credits to its payable account): read
     * from the payable totals (kept in step with the ledger by a trigger), one row per budget pool.
     */
    async earnings(scope: Scope, partnerId: string, programId?: string) {
      let q = db
        .selectFrom('payableTotals')
        .select([
          'programId',
          'period',
          'component',
          'currency',
          sql<number | string>`-sum(line_amount_minor)`.as('lineAmount'),
          sql<number | string>`-sum(amount_minor)`.as('amount'),
          sql<number | string>`sum(entries)`.as('entries'),
        ])
        .where('partnerId', '=', partnerId)
        .groupBy(['programId', 'period', 'component', 'currency'])
        .orderBy('programId')
        .orderBy('period')
        .orderBy('component');
      if (scope.kind === 'vendor') q = q.where('vendorId', '=', scope.vendorId);
      if (scope.kind === 'partner' && scope.partnerId !== partnerId) return [];
      if (programId) q = q.where('programId', '=', programId);
      return (await q.execute()).map((r) => ({
        ...r,
        amount: Number(r.amount),
        lineAmount: Number(r.lineAmount),
        entries: Number(r.entries),
      }));
    },
    /**
     * What the ledger holds for an order's lines, to explain how each cent came about: the stored entries,
     * and the postings with their rules (a posting is rendered as its two legs by the caller). Only the
     * given partner's when `partnerId` is set.
     */
    async orderLedger(orderId: string, partnerId: string | null) {
      let entries = db
        .selectFrom('ledgerEntries as e')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
        )
        .innerJoin('orderLines as l', (j) =>
          j.onRef('l.vendorId', '=', 'e.vendorId').onRef('l.id', '=', 'e.lineId'),
        )
        .selectAll('e')
        .select(['t.kind as txKind', 't.postedAt', 'l.orderDate', 'l.family'])
        .where('l.orderId', '=', orderId);
      if (partnerId) entries = entries.where('e.partnerId', '=', partnerId);
      let postings = db
        .selectFrom('ledgerPostings as p')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'p.vendorId').onRef('t.id', '=', 'p.transactionId'),
        )
        .innerJoin('ledgerRules as r', (j) =>
          j.onRef('r.vendorId', '=', 'p.vendorId').onRef('r.id', '=', 'p.rule'),
        )
        .innerJoin('orderLines as l', (j) =>
          j.onRef('l.vendorId', '=', 'p.vendorId').onRef('l.id', '=', 'p.lineId'),
        )
        .select([
          'p.transactionId',
          'p.seq',
          'p.lineId',
          'p.baseMinor',
          'p.amountMinor',
          'p.dueMinor',
          't.kind as txKind',
          't.postedAt',
          't.partnerId',
          't.period',
          'r.component',
          'r.kind',
          'r.name',
          'r.ruleId',
          'r.ruleVersion',
          'r.debitAccount',
          'r.creditAccount',
          'r.currency',
          'r.tier',
          'r.rate',
          'r.multiplier',
          'r.multipliers',
          'r.effectiveRate',
          'r.budgetPool',
          'l.orderDate',
          'l.family',
          // A converted line's original (migration 0033): its sentence shows both amounts.
          'l.originalAmountMinor',
          'l.originalCurrency',
          'l.fxRate',
          'l.amountMinor as lineAmountMinor',
        ])
        .where('l.orderId', '=', orderId);
      if (partnerId) postings = postings.where('t.partnerId', '=', partnerId);
      return { entries: await entries.execute(), postings: await postings.execute() };
    },
  };
}

/**
 * Payable totals of a bulk write (migration 0020): on SQLite, postings of the transactions named here skip
 * the per-row totals trigger while `write` runs, and naming them off adds each transaction's postings to
 * `payable_totals` in one grouped statement (a trigger). Name only transactions `write` creates (none of
 * their postings may exist before). A name left at commit fails the commit. PostgreSQL's totals trigger
 * already works per statement: `write` just runs.
 */
export async function withBulkPostings<T>(
  db: Kysely<Database>,
  store: Store,
  transactionIds: readonly string[],
  write: () => Promise<T>,
): Promise<T> {
  if (store.capabilities.kind !== 'sqlite' || transactionIds.length === 0) return write();
  await store.bulk.insertRows(db, 'ledger_bulk_postings', ['transaction_id'], [...transactionIds]);
  const out = await write();
  await sql`delete from ledger_bulk_postings`.execute(db);
  return out;
}
