import {
  sql,
  type Insertable,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  type SqlBool,
  type Updateable,
} from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type {
  Database,
  DealConflictsTable,
  DealFlagsTable,
  DealRegistrationEventsTable,
  DealRegistrationLinesTable,
  DealRegistrationsTable,
} from '../schema.js';
import { paginate, type PageRequest } from './page.js';
import { inRegions } from './scoping.js';

export type DealRow = Selectable<DealRegistrationsTable>;
export type DealLineRow = Selectable<DealRegistrationLinesTable>;
export type DealEventRow = Selectable<DealRegistrationEventsTable>;
export type DealConflictRow = Selectable<DealConflictsTable>;
export type DealFlagRow = Selectable<DealFlagsTable>;

export type DealSort = 'createdAt' | 'reviewDueAt' | 'expectedCloseDate' | 'total' | 'protectedUntil';
export type DealFlagSort = 'createdAt';

export interface DealFilter {
  vendorId?: string | undefined;
  programId?: string | undefined;
  partnerId?: string | undefined;
  statuses?: readonly string[] | undefined;
  customerId?: string | undefined;
  /** Awaiting review past its due time at this instant. */
  breachedAt?: string | undefined;
  /** Protection ending on or before this day (approved or extended). */
  protectedThrough?: string | undefined;
  extensionRequested?: boolean | undefined;
  q?: string | undefined;
}

/** Who may see a registration: its vendor (regional channel managers: their regions), its partner (a rep: its own). */
function dealScope(scope: Scope, table = 'deal_registrations') {
  switch (scope.kind) {
    case 'system':
      return sql<SqlBool>`1 = 1`;
    case 'vendor':
      return sql<SqlBool>`${sql.ref(`${table}.vendor_id`)} = ${scope.vendorId} and ${inRegions(scope.regions, `${table}.customer_region`)}`;
    case 'partner':
      return scope.ownerPersonId
        ? sql<SqlBool>`${sql.ref(`${table}.partner_id`)} = ${scope.partnerId} and ${sql.ref(`${table}.owner_person_id`)} = ${scope.ownerPersonId}`
        : sql<SqlBool>`${sql.ref(`${table}.partner_id`)} = ${scope.partnerId}`;
  }
}

const DEAL_SORTS = {
  createdAt: { ref: 'deal_registrations.created_at', value: (r: DealRow) => r.createdAt },
  reviewDueAt: { ref: 'deal_registrations.review_due_at', value: (r: DealRow) => r.reviewDueAt },
  expectedCloseDate: {
    ref: 'deal_registrations.expected_close_date',
    value: (r: DealRow) => r.expectedCloseDate,
  },
  total: { ref: 'deal_registrations.total_minor', value: (r: DealRow) => Number(r.totalMinor) },
  protectedUntil: { ref: 'deal_registrations.protected_until', value: (r: DealRow) => r.protectedUntil },
} as const;

function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

export function dealRepository(db: Kysely<Database>) {
  /**
   * A vendor's abuse flags; a channel manager limited to regions sees those on registrations it sees (of
   * customers in its regions): a flag's evidence names the partner and the registration.
   */
  function inFlagScope<Q extends SelectQueryBuilder<Database, 'dealFlags', DealFlagRow>>(
    q: Q,
    scope: Extract<Scope, { kind: 'vendor' }>,
  ): Q {
    const own = q.where('dealFlags.vendorId', '=', scope.vendorId);
    if (scope.regions.length === 0) return own as Q;
    return own.where(
      'dealFlags.registrationId',
      'in',
      db
        .selectFrom('dealRegistrations')
        .select('dealRegistrations.id')
        .where('dealRegistrations.vendorId', '=', scope.vendorId)
        .where(inRegions(scope.regions, 'deal_registrations.customer_region')),
    ) as Q;
  }
  return {
    async insert(row: Insertable<DealRegistrationsTable>, lines: Insertable<DealRegistrationLinesTable>[]) {
      await db.insertInto('dealRegistrations').values(row).execute();
      if (lines.length > 0) await db.insertInto('dealRegistrationLines').values(lines).execute();
    },
    async replaceLines(registrationId: string, lines: Insertable<DealRegistrationLinesTable>[]) {
      await db.deleteFrom('dealRegistrationLines').where('registrationId', '=', registrationId).execute();
      if (lines.length > 0) await db.insertInto('dealRegistrationLines').values(lines).execute();
    },
    /**
     * Moves a registration only if it is still at `version` (and in one of `from`): of requests racing on
     * one registration exactly one changes it. True when this caller did.
     */
    async update(
      id: string,
      version: number,
      from: readonly string[],
      patch: Updateable<DealRegistrationsTable>,
    ): Promise<boolean> {
      const r = await db
        .updateTable('dealRegistrations')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .where('status', 'in', from)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    get(scope: Scope, id: string): Promise<DealRow | undefined> {
      return db
        .selectFrom('dealRegistrations')
        .selectAll()
        .where('id', '=', id)
        .where(dealScope(scope))
        .executeTakeFirst();
    },
    getByExternalRef(vendorId: string, partnerId: string, externalRef: string) {
      return db
        .selectFrom('dealRegistrations')
        .selectAll()
        .where('vendorId', '=', vendorId)
        .where('partnerId', '=', partnerId)
        .where('externalRef', '=', externalRef)
        .executeTakeFirst();
    },
    list(scope: Scope, filter: DealFilter, page: PageRequest<DealSort>) {
      let q = db.selectFrom('dealRegistrations').selectAll().where(dealScope(scope));
      if (filter.vendorId) q = q.where('vendorId', '=', filter.vendorId);
      if (filter.programId) q = q.where('programId', '=', filter.programId);
      if (filter.partnerId) q = q.where('partnerId', '=', filter.partnerId);
      if (filter.customerId) q = q.where('customerId', '=', filter.customerId);
      if (filter.statuses && filter.statuses.length > 0) q = q.where('status', 'in', filter.statuses);
      if (filter.breachedAt)
        q = q
          .where('status', 'in', ['submitted', 'under-review'])
          .where('reviewDueAt', '<=', filter.breachedAt);
      if (filter.protectedThrough)
        q = q
          .where('status', 'in', ['approved', 'extended'])
          .where('protectedUntil', '<=', filter.protectedThrough);
      if (filter.extensionRequested !== undefined)
        q = filter.extensionRequested
          ? q.where('extensionRequestedAt', 'is not', null)
          : q.where('extensionRequestedAt', 'is', null);
      if (filter.q) {
        const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q = q.where(sql<SqlBool>`lower(deal_registrations.customer_name) like ${like} escape '\\'`);
      }
      return paginate(q, page, DEAL_SORTS, 'deal_registrations.id');
    },
    lines(registrationId: string): Promise<DealLineRow[]> {
      return db
        .selectFrom('dealRegistrationLines')
        .selectAll()
        .where('registrationId', '=', registrationId)
        .orderBy('lineNo')
        .execute();
    },
    linesOf(registrationIds: readonly string[]): Promise<DealLineRow[]> {
      if (registrationIds.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('dealRegistrationLines')
        .selectAll()
        .where('registrationId', 'in', registrationIds)
        .orderBy('registrationId')
        .orderBy('lineNo')
        .execute();
    },
    events(registrationId: string): Promise<DealEventRow[]> {
      return db
        .selectFrom('dealRegistrationEvents')
        .selectAll()
        .where('registrationId', '=', registrationId)
        .orderBy('seq')
        .execute();
    },
    /** Appends the registration's next step (its `seq` follows the last one's). */
    async appendEvent(row: Omit<Insertable<DealRegistrationEventsTable>, 'seq'>) {
      const last = await db
        .selectFrom('dealRegistrationEvents')
        .select(sql<number | string | null>`max(seq)`.as('seq'))
        .where('registrationId', '=', row.registrationId)
        .executeTakeFirst();
      await db
        .insertInto('dealRegistrationEvents')
        .values({ ...row, seq: num(last?.seq ?? 0) + 1 })
        .execute();
    },
    async insertConflicts(rows: Insertable<DealConflictsTable>[]) {
      if (rows.length > 0) await db.insertInto('dealConflicts').values(rows).execute();
    },
    conflicts(registrationId: string): Promise<DealConflictRow[]> {
      return db
        .selectFrom('dealConflicts')
        .selectAll()
        .where('registrationId', '=', registrationId)
        .orderBy('score', 'desc')
        .orderBy('id')
        .execute();
    },
    /** Conflicts later registrations of the vendor found with this one. */
    conflictsAgainst(vendorId: string, registrationId: string): Promise<DealConflictRow[]> {
      return db
        .selectFrom('dealConflicts')
        .selectAll()
        .where('otherId', '=', registrationId)
        .where('vendorId', '=', vendorId)
        .orderBy('createdAt')
        .orderBy('id')
        .execute();
    },
    async resolveConflicts(
      registrationId: string,
      status: 'confirmed' | 'dismissed',
      by: string,
      at: string,
    ) {
      await db
        .updateTable('dealConflicts')
        .set({ status, resolvedBy: by, resolvedAt: at })
        .where('registrationId', '=', registrationId)
        .where('status', '=', 'open')
        .execute();
    },
    /**
     * Takes the vendor's next submission number. On PostgreSQL the row lock it leaves is held until the
     * transaction ends: submissions of one vendor run one after the other, each seeing the ones before it.
     */
    async nextSequence(vendorId: string): Promise<number> {
      const row = await db
        .insertInto('dealSequences')
        .values({ vendorId, sequence: 1 })
        .onConflict((oc) =>
          oc.column('vendorId').doUpdateSet({ sequence: sql<number>`deal_sequences.sequence + 1` }),
        )
        .returning('sequence')
        .executeTakeFirstOrThrow();
      return num(row.sequence);
    },
    /**
     * Claims (customer, family, region) for a registration; false when another active registration already
     * holds any of them (the partial unique index decides, whatever the isolation level).
     */
    async claim(
      rows: {
        registrationId: string;
        vendorId: string;
        claimKey: string;
        family: string;
        region: string;
        createdAt: string;
      }[],
    ): Promise<boolean> {
      for (const r of rows) {
        const res = await db
          .insertInto('dealClaims')
          .values({ ...r, active: 1 })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
      }
      return true;
    },
    /** Active claims on a customer key (what holds it, for the reviewer). */
    claimsOn(vendorId: string, claimKey: string) {
      return db
        .selectFrom('dealClaims')
        .select(['registrationId', 'family', 'region'])
        .where('vendorId', '=', vendorId)
        .where('claimKey', '=', claimKey)
        .where('active', '=', 1)
        .execute();
    },
    async releaseClaims(registrationId: string) {
      await db
        .updateTable('dealClaims')
        .set({ active: 0 })
        .where('registrationId', '=', registrationId)
        .where('active', '=', 1)
        .execute();
    },
    /** Registrations of a vendor by id with their state, for the candidates the matcher returned. */
    statesOf(vendorId: string, ids: readonly string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return (
        db
          .selectFrom('dealRegistrations')
          .select([
            'id',
            'vendorId',
            'partnerId',
            'ownerPersonId',
            'status',
            'claimKey',
            'customerRegion',
            'protectedUntil',
            'customerId',
          ])
          // By primary key alone, the vendor checked on the rows: with `vendor_id = ? and id in (...)` SQLite
          // may walk the vendor's index (a million registrations) instead of looking the few ids up.
          .where('id', 'in', ids)
          .execute()
          .then((rows) => rows.filter((r) => r.vendorId === vendorId))
      );
    },
    familiesOf(ids: readonly string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return db
        .selectFrom('dealRegistrationLines')
        .select(['registrationId', 'family'])
        .where('registrationId', 'in', ids)
        .execute();
    },
    /** Submitted registrations of a vendor after a sequence number: what the in-memory index has not seen. */
    submittedAfter(vendorId: string, sequence: number) {
      return db
        .selectFrom('dealRegistrations')
        .select([
          'id',
          'sequence',
          'status',
          'customerName',
          'customerDomain',
          'customerCountry',
          'customerAddressLine',
          'customerCity',
          'customerPostalCode',
        ])
        .where('vendorId', '=', vendorId)
        .where('sequence', '>', sequence)
        .orderBy('sequence')
        .execute();
    },
    /**
     * Counts one conflict check of a partner for a vendor and day, unless it already ran `limit`: a
     * conditional upsert, so concurrent checks cannot pass the limit together. The new count, or null.
     */
    async countCheck(
      vendorId: string,
      partnerId: string,
      day: string,
      limit: number,
    ): Promise<number | null> {
      const row = await db
        .insertInto('dealCheckCounts')
        .values({ vendorId, partnerId, day, count: 1 })
        .onConflict((oc) =>
          oc
            .columns(['vendorId', 'partnerId', 'day'])
            .doUpdateSet({ count: sql<number>`deal_check_counts.count + 1` })
            .where(sql.ref('deal_check_counts.count'), '<', limit),
        )
        .returning('count')
        .executeTakeFirst();
      return row ? num(row.count) : null;
    },
    /** Approved or extended registrations whose last protected day is before `today`. */
    toExpire(today: string, limit: number) {
      return db
        .selectFrom('dealRegistrations')
        .selectAll()
        .where('status', 'in', ['approved', 'extended'])
        .where('protectedUntil', '<', today)
        .orderBy('protectedUntil')
        .limit(limit)
        .execute();
    },
    /** Registrations awaiting review past their due time that no sweep has flagged yet. */
    breachedUnflagged(now: string, limit: number) {
      return db
        .selectFrom('dealRegistrations')
        .selectAll()
        .where('status', 'in', ['submitted', 'under-review'])
        .where('reviewDueAt', '<=', now)
        .where('slaBreachedAt', 'is', null)
        .orderBy('reviewDueAt')
        .limit(limit)
        .execute();
    },
    /** Registrations of a partner with a vendor submitted since `since` whose customer the partner never sold to. */
    async unsoldSince(vendorId: string, partnerId: string, since: string) {
      const row = await db
        .selectFrom('dealRegistrations as d')
        .select(sql<number | string>`count(*)`.as('n'))
        .where('d.vendorId', '=', vendorId)
        .where('d.partnerId', '=', partnerId)
        .where('d.submittedAt', '>=', since)
        .where(
          sql<SqlBool>`not exists (select 1 from orders o where o.vendor_id = d.vendor_id and o.reseller_id = d.partner_id and d.customer_id is not null and o.customer_id = d.customer_id)`,
        )
        .executeTakeFirstOrThrow();
      return num(row.n);
    },

    // --- abuse flags ---
    /** Raises a flag unless one with its dedupe key exists; true when raised. */
    async raiseFlag(row: Insertable<DealFlagsTable>): Promise<boolean> {
      const r = await db
        .insertInto('dealFlags')
        .values(row)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    listFlags(
      scope: Scope,
      filter: { status?: string | undefined; rule?: string | undefined; partnerId?: string | undefined },
      page: PageRequest<DealFlagSort>,
    ) {
      let q = db.selectFrom('dealFlags').selectAll();
      if (scope.kind === 'vendor') q = inFlagScope(q, scope);
      else if (scope.kind === 'partner') q = q.where(sql<SqlBool>`1 = 0`);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.rule) q = q.where('rule', '=', filter.rule);
      if (filter.partnerId) q = q.where('partnerId', '=', filter.partnerId);
      return paginate(
        q,
        page,
        { createdAt: { ref: 'deal_flags.created_at', value: (r: DealFlagRow) => r.createdAt } },
        'deal_flags.id',
      );
    },
    getFlag(scope: Scope, id: string) {
      let q = db.selectFrom('dealFlags').selectAll().where('id', '=', id);
      if (scope.kind === 'vendor') q = inFlagScope(q, scope);
      else if (scope.kind === 'partner') return Promise.resolve(undefined);
      return q.executeTakeFirst();
    },
    async resolveFlag(id: string, patch: Updateable<DealFlagsTable>): Promise<boolean> {
      const r = await db
        .updateTable('dealFlags')
        .set(patch)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
