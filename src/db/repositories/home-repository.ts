import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database } from '../schema.js';

const num = (v: number | string | bigint | null | undefined) => Number(v ?? 0);

/**
 * The partners a vendor caller sees, as a condition on a partner id column: every partner for a vendor
 * admin or auditor, the partners of its regions for a channel manager limited to regions.
 */
function partnerInScope(scope: Scope, ref: string): RawBuilder<SqlBool> {
  if (scope.kind !== 'vendor' || scope.regions.length === 0) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${sql.ref(ref)} in (select p.id from partners p where p.region in (${sql.join(
    scope.regions.map((r) => sql`${r}`),
  )}))`;
}

/**
 * What the homes read at a glance: the vendor's KPIs and work queues, a partner's queues and earnings by
 * month. Each query is an aggregate or a short list over an index (see the migrations' indexes beside
 * each): none reads a whole table.
 */
export function homeRepository(db: Kysely<Database>) {
  return {
    /**
     * Partner-channel revenue (reseller or distributor lines) of the vendor between two days, per currency,
     * with the part on and after `periodFrom` (a period's, within the range; 0 without one), in one read.
     */
    async channelRevenue(
      scope: Scope,
      vendorId: string,
      from: string,
      to: string,
      periodFrom: string | null,
    ) {
      const rows = await db
        .selectFrom('orderLines')
        .select([
          'currency',
          sql<number | string>`sum(amount_minor)`.as('amount'),
          sql<
            number | string
          >`sum(case when order_date >= ${periodFrom ?? '9999-12-31'} then amount_minor else 0 end)`.as(
            'period',
          ),
        ])
        .where('vendorId', '=', vendorId)
        .where('orderDate', '>=', from)
        .where('orderDate', '<=', to)
        .where((eb) => eb.or([eb('resellerId', 'is not', null), eb('distributorId', 'is not', null)]))
        .where(partnerInScope(scope, 'order_lines.reseller_id'))
        .groupBy('currency')
        .execute();
      return rows.map((r) => ({
        currency: r.currency,
        yearMinor: num(r.amount),
        periodMinor: num(r.period),
      }));
    },
    /** Rebates of a program's periods: accrued to partners (credits) and paid (payouts), per currency. */
    async rebates(scope: Scope, programId: string, periods: readonly string[]) {
      if (periods.length === 0) return [];
      const rows = await db
        .selectFrom('payableTotals')
        .select([
          'currency',
          sql<number | string>`-sum(case when component = 'payout' then 0 else amount_minor end)`.as(
            'accrued',
          ),
          sql<number | string>`sum(case when component = 'payout' then amount_minor else 0 end)`.as('paid'),
        ])
        .where('programId', '=', programId)
        .where('period', 'in', [...periods])
        .where(partnerInScope(scope, 'payable_totals.partner_id'))
        .groupBy('currency')
        .execute();
      return rows.map((r) => ({
        currency: r.currency,
        accruedMinor: num(r.accrued),
        paidMinor: num(r.paid),
      }));
    },
    /** Partners by tier (or status) held on a day in a program. */
    async tierCounts(scope: Scope, programId: string, day: string) {
      const rows = await db
        .selectFrom('memberships')
        .select(['tierCode', sql<number | string>`count(distinct partner_id)`.as('n')])
        .where('programId', '=', programId)
        .where('validFrom', '<=', day)
        .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', day)]))
        .where(partnerInScope(scope, 'memberships.partner_id'))
        .groupBy('tierCode')
        .execute();
      return rows.map((r) => ({ tierCode: r.tierCode, partners: num(r.n) }));
    },
    /** Tier changes that took effect between two days: the new record and the one it followed. */
    async tierMoves(scope: Scope, programId: string, from: string, to: string) {
      return db
        .selectFrom('memberships as m')
        .innerJoin('memberships as before', (j) =>
          j
            .onRef('before.programId', '=', 'm.programId')
            .onRef('before.partnerId', '=', 'm.partnerId')
            .onRef('before.validTo', '=', 'm.validFrom'),
        )
        .select(['m.partnerId', 'm.tierCode as toTier', 'before.tierCode as fromTier', 'm.validFrom'])
        .where('m.programId', '=', programId)
        .where('m.validFrom', '>', from)
        .where('m.validFrom', '<=', to)
        .where(partnerInScope(scope, 'm.partner_id'))
        .execute();
    },
    /** Registrations waiting for review: how many, how many past their review due time, the first due. */
    async reviewQueue(
      scope: Scope,
      vendorId: string,
      now: string,
      statuses: readonly string[],
      limit: number,
    ) {
      const base = db
        .selectFrom('dealRegistrations as d')
        .where('d.vendorId', '=', vendorId)
        .where('d.status', 'in', [...statuses])
        .where(partnerInScope(scope, 'd.partner_id'));
      const counts = await base
        .select([
          sql<number | string>`count(*)`.as('n'),
          sql<number | string>`sum(case when d.review_due_at < ${now} then 1 else 0 end)`.as('overdue'),
        ])
        .executeTakeFirstOrThrow();
      const first = await base
        .innerJoin('partners as p', 'p.id', 'd.partnerId')
        .select([
          'd.id',
          'd.partnerId',
          'p.name as partnerName',
          'd.customerName',
          'd.totalMinor',
          'd.currency',
          'd.status',
          'd.reviewDueAt',
        ])
        .orderBy('d.reviewDueAt')
        .orderBy('d.id')
        .limit(limit)
        .execute();
      return {
        count: num(counts.n),
        overdue: num(counts.overdue),
        first: first.map((r) => ({ ...r, totalMinor: num(r.totalMinor) })),
      };
    },
    /** Open disputes: how many and the oldest. */
    async openDisputes(scope: Scope, vendorId: string, limit: number) {
      const base = db
        .selectFrom('disputes as x')
        .where('x.vendorId', '=', vendorId)
        .where('x.status', '=', 'open')
        .where(partnerInScope(scope, 'x.partner_id'));
      const counts = await base.select(sql<number | string>`count(*)`.as('n')).executeTakeFirstOrThrow();
      const first = await base
        .innerJoin('partners as p', 'p.id', 'x.partnerId')
        .select([
          'x.id',
          'x.partnerId',
          'p.name as partnerName',
          'x.statementId',
          'x.requestedMinor',
          'x.currency',
          'x.openedAt',
        ])
        .orderBy('x.openedAt')
        .orderBy('x.id')
        .limit(limit)
        .execute();
      return {
        count: num(counts.n),
        first: first.map((r) => ({ ...r, requestedMinor: num(r.requestedMinor) })),
      };
    },
    /** Statements still to issue, approve or pay, per program, period and status, with their totals. */
    async statementQueue(scope: Scope, vendorId: string) {
      const rows = await db
        .selectFrom('statements')
        .select([
          'programId',
          'period',
          'status',
          'currency',
          sql<number | string>`count(*)`.as('n'),
          sql<number | string>`sum(total_minor)`.as('total'),
          sql<string>`min(pay_on)`.as('payOn'),
        ])
        .where('vendorId', '=', vendorId)
        .where('status', 'in', ['draft', 'issued', 'approved'])
        .where(partnerInScope(scope, 'statements.partner_id'))
        .groupBy(['programId', 'period', 'status', 'currency'])
        .orderBy('period')
        .execute();
      return rows.map((r) => ({
        programId: r.programId,
        period: r.period,
        status: r.status,
        currency: r.currency,
        count: num(r.n),
        totalMinor: num(r.total),
        payOn: r.payOn,
      }));
    },
    /** Open routing offers of the vendor's partners by deadline: how many, how many lapse before `soon`. */
    async openOffers(scope: Scope, vendorId: string, soon: string, limit: number) {
      const base = db
        .selectFrom('routingOffers as o')
        .where('o.vendorId', '=', vendorId)
        .where('o.status', '=', 'open')
        .where(partnerInScope(scope, 'o.partner_id'));
      const counts = await base
        .select([
          sql<number | string>`count(*)`.as('n'),
          sql<number | string>`sum(case when o.deadline <= ${soon} then 1 else 0 end)`.as('soon'),
        ])
        .executeTakeFirstOrThrow();
      const first = await base
        .innerJoin('partners as p', 'p.id', 'o.partnerId')
        .select(['o.id', 'o.partnerId', 'p.name as partnerName', 'o.routedOrderId', 'o.deadline'])
        .orderBy('o.deadline')
        .orderBy('o.id')
        .limit(limit)
        .execute();
      return { count: num(counts.n), lapsingSoon: num(counts.soon), first };
    },

    // --- a partner's own ---

    /** A partner's registrations with a vendor still open: awaiting review, and protected until a day. */
    async partnerDeals(partnerId: string, vendorId: string, statuses: readonly string[], limit: number) {
      return db
        .selectFrom('dealRegistrations')
        .select(['id', 'status', 'customerName', 'totalMinor', 'currency', 'protectedUntil', 'reviewDueAt'])
        .where('partnerId', '=', partnerId)
        .where('vendorId', '=', vendorId)
        .where('status', 'in', [...statuses])
        .orderBy(sql`coalesce(protected_until, review_due_at)`)
        .orderBy('id')
        .limit(limit)
        .execute();
    },
    /** Open offers routed to a partner by a vendor, soonest deadline first. */
    async partnerOffers(partnerId: string, vendorId: string, limit: number) {
      return db
        .selectFrom('routingOffers')
        .select(['id', 'routedOrderId', 'deadline', 'offeredAt'])
        .where('partnerId', '=', partnerId)
        .where('vendorId', '=', vendorId)
        .where('status', '=', 'open')
        .orderBy('deadline')
        .orderBy('id')
        .limit(limit)
        .execute();
    },
    /** A partner's statements of a program that it reads (issued on), newest first. */
    async partnerStatements(partnerId: string, programId: string, limit: number) {
      const rows = await db
        .selectFrom('statements')
        .select([
          'id',
          'period',
          'sequence',
          'status',
          'totalMinor',
          'currency',
          'issuedAt',
          'payOn',
          'payoutCurrency',
          'payoutTotalMinor',
        ])
        .where('partnerId', '=', partnerId)
        .where('programId', '=', programId)
        .where('status', '!=', 'draft')
        .orderBy('period', 'desc')
        .orderBy('sequence', 'desc')
        .limit(limit)
        .execute();
      return rows.map(({ payoutCurrency, payoutTotalMinor, ...r }) => ({
        ...r,
        totalMinor: num(r.totalMinor),
        // Paid in the partner's currency: the converted total once the rate is fixed (null until then).
        payout:
          payoutCurrency && payoutCurrency !== r.currency
            ? {
                currency: payoutCurrency,
                totalMinor:
                  payoutTotalMinor === null || payoutTotalMinor === undefined ? null : num(payoutTotalMinor),
              }
            : null,
      }));
    },
    /** Certifications of a partner's people with a vendor that expire between two days. */
    async expiringCertifications(partnerId: string, vendorId: string, from: string, to: string) {
      return db
        .selectFrom('certifications as c')
        .innerJoin('people as p', 'p.id', 'c.personId')
        .select(['c.id', 'c.code', 'c.kind', 'c.family', 'c.expiresOn', 'c.personId', 'p.name as personName'])
        .where('c.partnerId', '=', partnerId)
        .where('c.vendorId', '=', vendorId)
        .where('c.expiresOn', '>=', from)
        .where('c.expiresOn', '<=', to)
        .orderBy('c.expiresOn')
        .orderBy('c.id')
        .execute();
    },
    /**
     * What a partner earned in a program per month (of the transaction's effective day) and component,
     * over the given periods (payouts apart): postings and entries credited to its rebate payable.
     */
    async monthlyEarnings(
      vendorId: string,
      partnerId: string,
      programId: string,
      periods: readonly string[],
    ) {
      if (periods.length === 0) return [];
      const rows = await db
        .selectFrom('ledgerLegs as e')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
        )
        .select([
          sql<string>`substr(t.effective_date, 1, 7)`.as('month'),
          'e.component',
          'e.currency',
          sql<number | string>`-sum(e.amount_minor)`.as('amount'),
        ])
        .where('t.vendorId', '=', vendorId)
        .where('t.partnerId', '=', partnerId)
        .where('t.period', 'in', [...periods])
        .where('t.programId', '=', programId)
        .where('e.account', '=', 'partner:rebate-payable')
        .where('e.partnerId', '=', partnerId)
        .where('e.component', '!=', 'payout')
        .groupBy([sql`substr(t.effective_date, 1, 7)`, 'e.component', 'e.currency'])
        .orderBy(sql`substr(t.effective_date, 1, 7)`)
        .orderBy('e.component')
        .execute();
      return rows.map((r) => ({
        month: r.month,
        component: r.component,
        currency: r.currency,
        amountMinor: num(r.amount),
      }));
    },
    /** The resellers a distributor supplies for a vendor (names only: never their standing). */
    async suppliedResellers(distributorId: string, vendorId: string) {
      return db
        .selectFrom('supplyRelationships as s')
        .innerJoin('partners as p', 'p.id', 's.resellerId')
        .select(['p.id', 'p.name', 'p.country', 's.since'])
        .where('s.distributorId', '=', distributorId)
        .where('s.vendorId', '=', vendorId)
        .orderBy('p.name')
        .execute();
    },
    /** A distributor's sell-out for a vendor between two days, per currency, with the resellers it reached. */
    async sellOut(distributorId: string, vendorId: string, from: string, to: string) {
      const rows = await db
        .selectFrom('orderLines')
        .select([
          'currency',
          sql<number | string>`sum(amount_minor)`.as('amount'),
          sql<number | string>`count(distinct reseller_id)`.as('resellers'),
        ])
        .where('vendorId', '=', vendorId)
        .where('distributorId', '=', distributorId)
        .where('orderDate', '>=', from)
        .where('orderDate', '<=', to)
        .groupBy('currency')
        .execute();
      return rows.map((r) => ({
        currency: r.currency,
        amountMinor: num(r.amount),
        resellers: num(r.resellers),
      }));
    },
  };
}
