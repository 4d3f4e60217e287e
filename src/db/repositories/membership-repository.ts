import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, MembershipsTable } from '../schema.js';
import { inRegions } from './scoping.js';

export type MembershipRow = MembershipsTable;
/** A record as a writer plans from it (`code`: the tier or status code). */
export type StoredMembershipRow = Pick<
  MembershipsTable,
  'id' | 'partnerId' | 'validFrom' | 'validTo' | 'source' | 'grandfatheredUntil'
> & { code: string };

/**
 * Memberships are time-boxed records, never one mutable column: a change closes the current record
 * (valid_to) and opens a new one; the history stays.
 */
export function membershipRepository(db: Kysely<Database>) {
  const scoped = (scope: Scope) => {
    let q = db.selectFrom('memberships').selectAll('memberships');
    if (scope.kind === 'vendor') {
      q = q.where('memberships.vendorId', '=', scope.vendorId);
      // Channel managers limited to regions: the partners of those regions (no join for the others).
      if (scope.regions.length > 0)
        q = q.where('memberships.partnerId', 'in', (eb) =>
          eb.selectFrom('partners').select('partners.id').where(inRegions(scope.regions, 'partners.region')),
        );
    }
    if (scope.kind === 'partner') q = q.where('memberships.partnerId', '=', scope.partnerId);
    return q;
  };
  return {
    /** Records in force on a day (valid_from <= day < valid_to), optionally for some partners or codes. */
    current(
      scope: Scope,
      programId: string,
      asOf: string,
      filter: { partnerId?: string; codes?: readonly string[] } = {},
    ) {
      let q = scoped(scope)
        .where('memberships.programId', '=', programId)
        .where('memberships.validFrom', '<=', asOf)
        .where((eb) => eb.or([eb('memberships.validTo', 'is', null), eb('memberships.validTo', '>', asOf)]));
      if (filter.partnerId) q = q.where('memberships.partnerId', '=', filter.partnerId);
      if (filter.codes && filter.codes.length > 0) q = q.where('memberships.tierCode', 'in', filter.codes);
      return q.orderBy('memberships.partnerId').orderBy('memberships.validFrom').execute();
    },
    /**
     * The list of records in force on a day, as the API shows them: without `detail` (what produced the
     * record, a JSON document of ~400 bytes that the list never shows: thousands of them made a program's
     * list megabytes), but with the reason's message it keeps (`reasonMessageJson`, JSON or null).
     */
    listInForce(scope: Scope, programId: string, asOf: string, partnerId?: string) {
      const reasonMessageJson =
        db.getExecutor().adapter instanceof PostgresAdapter
          ? sql<string | null>`(memberships.detail::json -> 'reasonMessage')::text`
          : sql<string | null>`json_extract(memberships.detail, '$.reasonMessage')`;
      let q = scoped(scope)
        .clearSelect()
        .select([
          'memberships.id',
          'memberships.partnerId',
          'memberships.tierCode',
          'memberships.validFrom',
          'memberships.validTo',
          'memberships.source',
          'memberships.reason',
          'memberships.grandfatheredUntil',
          'memberships.sponsor',
          reasonMessageJson.as('reasonMessageJson'),
        ])
        .where('memberships.programId', '=', programId)
        .where('memberships.validFrom', '<=', asOf)
        .where((eb) => eb.or([eb('memberships.validTo', 'is', null), eb('memberships.validTo', '>', asOf)]));
      if (partnerId) q = q.where('memberships.partnerId', '=', partnerId);
      return q.orderBy('memberships.partnerId').orderBy('memberships.validFrom').execute();
    },
    history(scope: Scope, programId: string, partnerId: string) {
      return scoped(scope)
        .where('memberships.programId', '=', programId)
        .where('memberships.partnerId', '=', partnerId)
        .orderBy('memberships.validFrom')
        .orderBy('memberships.createdAt')
        .execute();
    },
    /** Every grant of a code (for invitation limits and renewals), whatever the caller's regions. */
    grantsOf(vendorId: string, programId: string, code: string) {
      return db
        .selectFrom('memberships')
        .select(['partnerId', 'validFrom', 'validTo'])
        .where('vendorId', '=', vendorId)
        .where('programId', '=', programId)
        .where('tierCode', '=', code)
        .execute();
    },
    /**
     * Serialises writers of these partners' memberships in the program until the transaction ends: locks
     * their enrolment rows (all of the program's without `partnerIds`) in partner order, so two writers
     * never deadlock. PostgreSQL only; SQLite has one writer. Call first in the transaction, then read.
     */
    /**
     * Serialises the grants of a program's invitation-only statuses (PostgreSQL; SQLite has one writer):
     * a grant counts every partner holding the status against `maxGrants`, so two grants to different
     * partners must not both read the count before either writes. `for no key update`: two grants wait
     * for each other, while the key-share locks that inserting memberships takes on the program (its
     * foreign key) do not, so a grant never deadlocks with an evaluation run.
     */
    async lockGrants(vendorId: string, programId: string): Promise<void> {
      if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
      await db
        .selectFrom('programs')
        .select('id')
        .where('vendorId', '=', vendorId)
        .where('id', '=', programId)
        .forNoKeyUpdate()
        .execute();
    },
    async lockPartners(vendorId: string, programId: string, partnerIds?: readonly string[]): Promise<void> {
      if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
      if (partnerIds && partnerIds.length === 0) return;
      let q = db
        .selectFrom('enrolments')
        .select('id')
        .where('vendorId', '=', vendorId)
        .where('programId', '=', programId);
      if (partnerIds) q = q.where('partnerId', 'in', partnerIds);
      await q.orderBy('partnerId').forUpdate().execute();
    },
    /** Every record (tiers and statuses) of the program, optionally of some partners, for planning a write. */
    stored(programId: string, partnerIds?: readonly string[]): Promise<StoredMembershipRow[]> {
      let q = db
        .selectFrom('memberships')
        .select([
          'id',
          'partnerId',
          'tierCode as code',
          'validFrom',
          'validTo',
          'source',
          'grandfatheredUntil',
        ])
        .where('programId', '=', programId);
      if (partnerIds) {
        if (partnerIds.length === 0) return Promise.resolve([]);
        q = q.where('partnerId', 'in', partnerIds);
      }
      return q.execute();
    },
    async close(id: string, validTo: string): Promise<void> {
      await db.updateTable('memberships').set({ validTo }).where('id', '=', id).execute();
    },
    async insert(rows: MembershipRow[]): Promise<void> {
      for (let i = 0; i < rows.length; i += 500)
        await db
          .insertInto('memberships')
          .values(rows.slice(i, i + 500))
          .execute();
    },
  };
}
export type MembershipRepository = ReturnType<typeof membershipRepository>;
