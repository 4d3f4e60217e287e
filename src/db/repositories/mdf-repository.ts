import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { ACCOUNTS as CoreAccounts, TX_KINDS as CoreTxKinds } from '../../core/ledger/settlement.js';
import type {
  Database,
  MdfActivitiesTable,
  MdfActivityEventsTable,
  MdfActivityLinksTable,
  MdfClaimFilesTable,
} from '../schema.js';
import { paginate, type PageRequest } from './page.js';

export type MdfActivityRow = Selectable<MdfActivitiesTable>;

export const MDF_ACTIVITY_SORTS = {
  createdAt: { ref: 'createdAt', value: (r: { createdAt: string }) => r.createdAt },
  startsOn: { ref: 'startsOn', value: (r: { startsOn: string }) => r.startsOn },
  claimDeadline: { ref: 'claimDeadline', value: (r: { claimDeadline: string }) => r.claimDeadline },
};
export type MdfActivitySort = keyof typeof MDF_ACTIVITY_SORTS;

export interface MdfActivityFilter {
  status?: string | undefined;
  programId?: string | undefined;
  partnerId?: string | undefined;
  zone?: string | undefined;
  /** A fiscal quarter (`FY22-Q2`) or a proposal fund's period. */
  period?: string | undefined;
  fund?: string | undefined;
}

// The ledger's accounts and kinds this repository reads (core/ledger/settlement.ts; storage imports core
// types only, and these types pin each value to core's).
const MDF_FUND: (typeof CoreAccounts)['mdfFund'] = 'partner:mdf-fund';
const MDF_EXPIRY: (typeof CoreTxKinds)['mdfExpiry'] = 'mdf-expiry';
const ENGINE_KINDS: (typeof CoreTxKinds)[keyof typeof CoreTxKinds][] = [
  'accrual',
  'accrual-return',
  'true-up',
];

const num = (v: number | string | bigint | null | undefined): number => (v == null ? 0 : Number(v));

/** A vendor sees its activities (a channel manager, its regions'); a partner its own. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function scoped<Q extends { where: any }>(q: Q, scope: Scope): Q {
  if (scope.kind === 'vendor') {
    const own = q.where('mdfActivities.vendorId', '=', scope.vendorId) as Q;
    return scope.regions.length ? (own.where('mdfActivities.region', 'in', [...scope.regions]) as Q) : own;
  }
  if (scope.kind === 'partner') return q.where('mdfActivities.partnerId', '=', scope.partnerId) as Q;
  return q;
}

/** Market development funds: activities, their history, proof files and links, and what funds hold. */
export function mdfRepository(db: Kysely<Database>) {
  return {
    async insertActivity(row: Insertable<MdfActivitiesTable>) {
      await db.insertInto('mdfActivities').values(row).execute();
    },
    getActivity(scope: Scope, id: string) {
      return scoped(
        db.selectFrom('mdfActivities').selectAll().where('id', '=', id),
        scope,
      ).executeTakeFirst();
    },
    listActivities(scope: Scope, filter: MdfActivityFilter, page: PageRequest<MdfActivitySort>) {
      let q = scoped(db.selectFrom('mdfActivities').selectAll(), scope);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.programId) q = q.where('programId', '=', filter.programId);
      if (filter.partnerId) q = q.where('partnerId', '=', filter.partnerId);
      if (filter.zone) q = q.where('zone', '=', filter.zone);
      if (filter.fund) q = q.where('fund', '=', filter.fund);
      if (filter.period) {
        const period = filter.period;
        q = q.where((eb) => eb.or([eb('quarter', '=', period), eb('fundPeriod', '=', period)]));
      }
      return paginate(q, page, MDF_ACTIVITY_SORTS, 'id');
    },
    /**
     * Changes an activity only if it is still at `version` (and moves it to version + 1): false when another
     * request changed it first (the caller answers a conflict; nothing else is written).
     */
    async updateActivity(id: string, version: number, patch: Updateable<MdfActivitiesTable>) {
      const r = await db
        .updateTable('mdfActivities')
        .set({ ...patch, version: version + 1 })
        .where('id', '=', id)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async appendEvent(row: Insertable<MdfActivityEventsTable>) {
      await db.insertInto('mdfActivityEvents').values(row).execute();
    },
    history(activityId: string) {
      return db
        .selectFrom('mdfActivityEvents')
        .selectAll()
        .where('activityId', '=', activityId)
        .orderBy('seq')
        .execute();
    },
    async insertClaimFiles(rows: Insertable<MdfClaimFilesTable>[]) {
      if (rows.length) await db.insertInto('mdfClaimFiles').values(rows).execute();
    },
    claimFiles(activityId: string) {
      return db
        .selectFrom('mdfClaimFiles')
        .selectAll()
        .where('activityId', '=', activityId)
        .orderBy('claimSeq')
        .orderBy('fileId')
        .execute();
    },
    /** Adds a link; false when it was there already. */
    async insertLink(row: Insertable<MdfActivityLinksTable>) {
      const r = await db
        .insertInto('mdfActivityLinks')
        .values(row)
        // No conflict target: the key starts with vendor_id on PostgreSQL only (migration 0036).
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    async deleteLink(activityId: string, kind: string, targetId: string) {
      const r = await db
        .deleteFrom('mdfActivityLinks')
        .where('activityId', '=', activityId)
        .where('kind', '=', kind)
        .where('targetId', '=', targetId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) === 1;
    },
    links(activityId: string) {
      return db
        .selectFrom('mdfActivityLinks')
        .selectAll()
        .where('activityId', '=', activityId)
        .orderBy('createdAt')
        .orderBy('targetId')
        .execute();
    },
    /**
     * What the links of activities brought: registrations linked, and the revenue of the linked orders (in
     * their currency), per activity.
     */
    async linkReturns(activityIds: readonly string[]) {
      const out = new Map<string, { registrations: number; orders: number; revenueMinor: number }>();
      for (let i = 0; i < activityIds.length; i += 500) {
        const ids = activityIds.slice(i, i + 500);
        const regs = await db
          .selectFrom('mdfActivityLinks')
          .select(['activityId', sql<number | string>`count(*)`.as('n')])
          .where('activityId', 'in', ids)
          .where('kind', '=', 'registration')
          .groupBy('activityId')
          .execute();
        const orders = await db
          .selectFrom('mdfActivityLinks as k')
          .innerJoin('orders as o', (j) =>
            j.onRef('o.vendorId', '=', 'k.vendorId').onRef('o.id', '=', 'k.targetId'),
          )
          .select([
            'k.activityId',
            sql<number | string>`count(*)`.as('n'),
            sql<number | string>`sum(o.total_minor)`.as('revenue'),
          ])
          .where('k.activityId', 'in', ids)
          .where('k.kind', '=', 'order')
          .groupBy('k.activityId')
          .execute();
        for (const r of regs) out.set(r.activityId, { registrations: num(r.n), orders: 0, revenueMinor: 0 });
        for (const r of orders) {
          const held = out.get(r.activityId) ?? { registrations: 0, orders: 0, revenueMinor: 0 };
          out.set(r.activityId, { ...held, orders: num(r.n), revenueMinor: num(r.revenue) });
        }
      }
      return out;
    },
    /** A registration the partner registered with the vendor, or undefined. */
    registrationOf(vendorId: string, partnerId: string, id: string) {
      return db
        .selectFrom('dealRegistrations')
        .select(['id', 'submittedAt'])
        .where('id', '=', id)
        .where('vendorId', '=', vendorId)
        .where('partnerId', '=', partnerId)
        .executeTakeFirst();
    },
    /** An order of the vendor the partner sold (as reseller or distributor), or undefined. */
    orderOf(vendorId: string, partnerId: string, id: string) {
      return db
        .selectFrom('orders')
        .select(['id', 'totalMinor', 'currency', 'orderDate'])
        .where('id', '=', id)
        .where('vendorId', '=', vendorId)
        .where((eb) => eb.or([eb('resellerId', '=', partnerId), eb('distributorId', '=', partnerId)]))
        .executeTakeFirst();
    },

    // --- the earned fund ---
    /**
     * What the ledger credited to a partner's MDF fund (its accruals, returns and true-ups, net), per
     * program, period, component and currency: the legs of `partner:mdf-fund` of the engine's kinds.
     */
    async earnedGroups(vendorId: string, partnerId: string, programId?: string) {
      let q = db
        .selectFrom('ledgerLegs as e')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
        )
        .select([
          'e.programId',
          'e.period',
          'e.component',
          'e.currency',
          sql<number | string>`-sum(e.amount_minor)`.as('amount'),
        ])
        .where('t.vendorId', '=', vendorId)
        .where('t.partnerId', '=', partnerId)
        .where('e.account', '=', MDF_FUND)
        .where('t.kind', 'in', [...ENGINE_KINDS])
        .groupBy(['e.programId', 'e.period', 'e.component', 'e.currency']);
      if (programId) q = q.where('t.programId', '=', programId);
      return (await q.execute()).map((r) => ({
        programId: r.programId,
        period: r.period,
        component: r.component,
        currency: r.currency,
        amountMinor: num(r.amount),
      }));
    },
    /** What expiry runs posted per credit (program/period/component) of a partner in a program. */
    async postedExpiries(programId: string, partnerId: string) {
      const rows = await db
        .selectFrom('ledgerEntries as e')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
        )
        .select(['e.period', 'e.component', sql<number | string>`sum(e.amount_minor)`.as('amount')])
        .where('t.programId', '=', programId)
        .where('t.partnerId', '=', partnerId)
        .where('t.kind', '=', MDF_EXPIRY)
        .where('e.account', '=', MDF_FUND)
        .groupBy(['e.period', 'e.component'])
        .execute();
      return new Map(rows.map((r) => [`${programId}/${r.period}/${r.component}`, num(r.amount)]));
    },
    /** The partners with anything in their MDF fund in a program (whose funds an expiry run looks at). */
    async partnersWithEarnedFunds(programId: string) {
      const rows = await db
        .selectFrom('ledgerLegs as e')
        .select('e.partnerId')
        .distinct()
        .where('e.programId', '=', programId)
        .where('e.account', '=', MDF_FUND)
        .where('e.partnerId', 'is not', null)
        .orderBy('e.partnerId')
        .execute();
      return rows.map((r) => r.partnerId as string);
    },
    /** Every step of the partner's activities on its earned fund in a program, in order. */
    async earnedSteps(programId: string, partnerId: string) {
      const rows = await db
        .selectFrom('mdfActivityEvents as v')
        .innerJoin('mdfActivities as a', (j) =>
          j.onRef('a.vendorId', '=', 'v.vendorId').onRef('a.id', '=', 'v.activityId'),
        )
        .select(['v.activityId', 'v.action', 'v.day', 'v.amountMinor'])
        .where('a.programId', '=', programId)
        .where('a.partnerId', '=', partnerId)
        .where('a.fund', '=', 'earned')
        .orderBy('v.day')
        .orderBy('v.at')
        .orderBy('v.activityId')
        .orderBy('v.seq')
        .execute();
      return rows.map((r) => ({ ...r, amountMinor: r.amountMinor == null ? null : num(r.amountMinor) }));
    },
    /** The activities on a proposal fund in one period (what it holds and paid). */
    async proposalActivities(programId: string, fund: string, period: string) {
      const rows = await db
        .selectFrom('mdfActivities')
        .select(['status', 'preapprovedMinor', 'paidMinor'])
        .where('programId', '=', programId)
        .where('fund', '=', fund)
        .where('fundPeriod', '=', period)
        .execute();
      return rows.map((r) => ({
        status: r.status,
        preapprovedMinor: r.preapprovedMinor == null ? null : num(r.preapprovedMinor),
        paidMinor: r.paidMinor == null ? null : num(r.paidMinor),
      }));
    },
    /** Per proposal fund and period of a program: what its activities hold and paid. */
    async proposalUse(programId: string) {
      const rows = await db
        .selectFrom('mdfActivities')
        .select(['fund', 'fundPeriod', 'status', 'preapprovedMinor', 'paidMinor'])
        .where('programId', '=', programId)
        .where('fund', '!=', 'earned')
        .execute();
      return rows.map((r) => ({
        fund: r.fund,
        fundPeriod: r.fundPeriod ?? '',
        status: r.status,
        preapprovedMinor: r.preapprovedMinor == null ? null : num(r.preapprovedMinor),
        paidMinor: r.paidMinor == null ? null : num(r.paidMinor),
      }));
    },

    // --- guards: one version per fund ---
    /** The fund's guard version (created at 0 on first use). */
    async guardVersion(vendorId: string, key: string, now: string): Promise<number> {
      // No conflict target: the key is (vendor_id, fund_key) on PostgreSQL, fund_key on SQLite (0036).
      await db
        .insertInto('mdfFundGuards')
        .values({ vendorId, fundKey: key, version: 0, updatedAt: now })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const row = await db
        .selectFrom('mdfFundGuards')
        .select('version')
        .where('vendorId', '=', vendorId)
        .where('fundKey', '=', key)
        .executeTakeFirstOrThrow();
      return num(row.version);
    },
    /** Moves the guard from `version` to the next; false when another request moved it first. */
    async bumpGuard(vendorId: string, key: string, version: number, now: string) {
      const r = await db
        .updateTable('mdfFundGuards')
        .set({ version: version + 1, updatedAt: now })
        .where('vendorId', '=', vendorId)
        .where('fundKey', '=', key)
        .where('version', '=', version)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    // --- the expiry run and reports ---
    /** Activities of a program pre-approved (or with a rejected claim) whose claim deadline has passed. */
    lapsable(programId: string, today: string) {
      return db
        .selectFrom('mdfActivities')
        .selectAll()
        .where('programId', '=', programId)
        .where('status', 'in', ['preapproved', 'claim-rejected'])
        .where('claimDeadline', '<', today)
        .orderBy('claimDeadline')
        .orderBy('id')
        .execute();
    },
    /** Activities pre-approved (or whose claim was rejected) that have ended, with a deadline in [from, to]. */
    claimsDue(today: string, until: string) {
      return db
        .selectFrom('mdfActivities')
        .select(['id', 'vendorId', 'partnerId', 'title', 'claimDeadline', 'preapprovedMinor', 'currency'])
        .where('status', 'in', ['preapproved', 'claim-rejected'])
        .where('claimDeadline', '>=', today)
        .where('claimDeadline', '<=', until)
        .where('endsOn', '<=', today)
        .orderBy('claimDeadline')
        .orderBy('id')
        .execute();
    },
    /** Every activity of a vendor in scope (optionally of one program): the usage report's rows. */
    usageRows(scope: Scope, vendorId: string, programId?: string) {
      let q = scoped(
        db
          .selectFrom('mdfActivities')
          .select([
            'id',
            'programId',
            'partnerId',
            'zone',
            'quarter',
            'fund',
            'status',
            'currency',
            'requestedMinor',
            'preapprovedMinor',
            'paidMinor',
          ])
          .where('vendorId', '=', vendorId),
        scope,
      );
      if (programId) q = q.where('programId', '=', programId);
      return q.execute();
    },
    /** The expiry postings of a vendor (optionally of one program), per partner, day and currency. */
    async expiries(vendorId: string, regions: readonly string[], programId?: string) {
      let q = db
        .selectFrom('ledgerEntries as e')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
        )
        .innerJoin('partners as p', 'p.id', 't.partnerId')
        .select([
          't.programId',
          't.partnerId',
          'p.country',
          't.effectiveDate',
          'e.currency',
          sql<number | string>`sum(e.amount_minor)`.as('amount'),
        ])
        .where('t.vendorId', '=', vendorId)
        .where('t.kind', '=', MDF_EXPIRY)
        .where('e.account', '=', MDF_FUND)
        .groupBy(['t.programId', 't.partnerId', 'p.country', 't.effectiveDate', 'e.currency']);
      if (regions.length) q = q.where('p.region', 'in', [...regions]);
      if (programId) q = q.where('t.programId', '=', programId);
      return (await q.execute()).map((r) => ({ ...r, amountMinor: num(r.amount) }));
    },
    partner(id: string) {
      return db
        .selectFrom('partners')
        .select(['id', 'name', 'country', 'region'])
        .where('id', '=', id)
        .executeTakeFirst();
    },
    enrolled(programId: string, partnerId: string) {
      return db
        .selectFrom('enrolments')
        .select(['id', 'status'])
        .where('programId', '=', programId)
        .where('partnerId', '=', partnerId)
        .executeTakeFirst();
    },
  };
}
