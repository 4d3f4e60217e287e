import type { Insertable, Kysely } from 'kysely';
import type { Database, DirectNamedAccountsTable, DirectNamedMatchesTable } from '../schema.js';

/**
 * The vendor's direct-named accounts, their matches to customers and the vendor's count row (how many
 * are active, and the list's version). The count row is the one the list's limit is held on: taking a
 * slot is a conditional update of it.
 */
export function namedAccountRepository(db: Kysely<Database>) {
  return {
    /** The vendor's count row, created empty if missing. */
    async ensureCountRow(vendorId: string): Promise<void> {
      await db
        .insertInto('namedAccountCounts')
        .values({ vendorId, active: 0, version: 0 })
        .onConflict((oc) => oc.column('vendorId').doNothing())
        .execute();
    },
    /** The vendor's active accounts (no order). */
    activeAccounts(vendorId: string) {
      return db
        .selectFrom('directNamedAccounts')
        .select(['id', 'name', 'domain', 'country'])
        .where('vendorId', '=', vendorId)
        .where('status', '=', 'active')
        .execute();
    },
    async insertAccounts(rows: readonly Insertable<DirectNamedAccountsTable>[]): Promise<void> {
      await db
        .insertInto('directNamedAccounts')
        .values([...rows])
        .execute();
    },
    /** Moves the active count by `delta` and the list's version by one. */
    async moveCount(vendorId: string, delta: number): Promise<void> {
      await db
        .updateTable('namedAccountCounts')
        .set((eb) => ({
          active: delta < 0 ? eb('active', '-', -delta) : eb('active', '+', delta),
          version: eb('version', '+', 1),
        }))
        .where('vendorId', '=', vendorId)
        .execute();
    },
    /**
     * Takes one slot of the list (active + 1, version + 1) unless `max` are active already (no limit when
     * null): a conditional update, so two additions racing for the last slot cannot both take it.
     */
    async takeSlot(vendorId: string, max: number | null): Promise<boolean> {
      const taken = await db
        .updateTable('namedAccountCounts')
        .set((eb) => ({ active: eb('active', '+', 1), version: eb('version', '+', 1) }))
        .where('vendorId', '=', vendorId)
        .$if(max !== null, (q) => q.where('active', '<', max as number))
        .executeTakeFirst();
      return Number(taken.numUpdatedRows) !== 0;
    },
    /** Records a match unless the same (vendor, customer, account) is recorded. */
    async recordMatch(row: DirectNamedMatchesTable): Promise<void> {
      await db
        .insertInto('directNamedMatches')
        .values(row)
        .onConflict((oc) => oc.columns(['vendorId', 'customerId', 'namedAccountId']).doNothing())
        .execute();
    },
    async insertMatches(rows: readonly DirectNamedMatchesTable[]): Promise<void> {
      await db
        .insertInto('directNamedMatches')
        .values([...rows])
        .execute();
    },
    /** The vendor's list by name (then id), of one status or all. */
    list(vendorId: string, status: 'active' | 'removed' | 'all') {
      let q = db.selectFrom('directNamedAccounts').selectAll().where('vendorId', '=', vendorId);
      if (status !== 'all') q = q.where('status', '=', status);
      return q.orderBy('name').orderBy('id').execute();
    },
    /** Every match of the vendor with its customer's name and region. */
    matchesWithCustomers(vendorId: string) {
      return db
        .selectFrom('directNamedMatches')
        .innerJoin('customers', (j) =>
          j
            .onRef('customers.vendorId', '=', 'directNamedMatches.vendorId')
            .onRef('customers.id', '=', 'directNamedMatches.customerId'),
        )
        .select([
          'directNamedMatches.namedAccountId',
          'directNamedMatches.customerId',
          'directNamedMatches.score',
          'customers.name as customerName',
          'customers.region',
        ])
        .where('directNamedMatches.vendorId', '=', vendorId)
        .execute();
    },
    /** The vendor's count row (undefined when none was created). */
    counts(vendorId: string) {
      return db
        .selectFrom('namedAccountCounts')
        .select(['active', 'version'])
        .where('vendorId', '=', vendorId)
        .executeTakeFirst();
    },
    /** One account by id, whatever its vendor (the caller checks it). */
    get(id: string) {
      return db
        .selectFrom('directNamedAccounts')
        .select(['id', 'vendorId', 'name', 'status', 'domain', 'country'])
        .where('id', '=', id)
        .executeTakeFirst();
    },
    /** active -> removed; false when it was not active any more. */
    async remove(
      id: string,
      patch: { removedBy: string; removedAt: string; removalReason: string },
    ): Promise<boolean> {
      const done = await db
        .updateTable('directNamedAccounts')
        .set({ status: 'removed', ...patch })
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return Number(done.numUpdatedRows) !== 0;
    },
    /** The customers matched to an account. */
    matchedCustomers(namedAccountId: string) {
      return db
        .selectFrom('directNamedMatches')
        .select('customerId')
        .where('namedAccountId', '=', namedAccountId)
        .execute();
    },
    /** All the vendor's accounts' names, whatever their status. */
    names(vendorId: string) {
      return db
        .selectFrom('directNamedAccounts')
        .select(['id', 'name'])
        .where('vendorId', '=', vendorId)
        .execute();
    },
  };
}
