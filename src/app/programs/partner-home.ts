import { readsStandingOf } from '../../core/access/policy.js';
import type { Scope } from '../../core/access/scope.js';
import { periodOf, programPeriods } from '../../core/ledger/periods.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { AppContext } from '../context.js';
import { programInForce } from './program-in-force.js';
import { ACTIVE_STATUSES, AWAITING_REVIEW } from '../../core/deals/lifecycle.js';
import { payoutDates } from '../../core/ledger/periods.js';
import { addDays, daysBetween } from '../../core/programs/dates.js';
import { closestNextTier } from '../../core/tiers/next-tier.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { homeRepository } from '../../db/repositories/home-repository.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import { closePeriod } from '../incentives/close-period.js';
import { partnerProgress } from '../tiers/partner-standing.js';

export interface PartnerHomeProgram {
  programId: string;
  code: string;
  name: string;
  vendorId: string;
  vendorName: string;
  enrolment: { status: string; partnerNumber: string; enrolledAt: string };
  /**
   * The day the card reads the program on: today when a version is in force today, else the last day
   * of its latest program year (the same default as the standing and earnings pages); null without a
   * published version.
   */
  asOf: string | null;
  inForceToday: boolean;
  /** The program year (version) in force on `asOf`, its periods, and the period `asOf` falls in. */
  year: {
    version: string;
    from: string;
    to: string | null;
    periods: { code: string; from: string; to: string }[];
  } | null;
  currentPeriod: string | null;
  /** The program year's components (code and name), in the program's order: the chart's legend. */
  components: { code: string; name: string }[];
  /** Null without a published year, or when the standing cannot be read (an ended enrolment's facts). */
  standing: {
    tier: { code: string; name: string; rank: number; of: number; since: string } | null;
    statuses: { code: string; name: string; until: string | null }[];
    next: {
      tier: string;
      name: string;
      path: string;
      percent: number;
      gaps: {
        measure: string;
        family: string | null;
        kind: string | null;
        target: number;
        current: number;
        gap: number;
      }[];
    } | null;
    currency: string;
  } | null;
  earnings: {
    currency: string;
    yearEarnedMinor: number;
    yearPaidMinor: number;
    periodEarnedMinor: number;
    periodPaidMinor: number;
    /** Earned in the current period plus what a close would post today (null: the period is closed). */
    periodProjectedMinor: number | null;
    provisional: boolean;
  }[];
  nextPayout: { period: string; closeOn: string; payOn: string } | null;
  registrations: {
    awaitingReview: number;
    protected: {
      id: string;
      customerName: string;
      totalMinor: number;
      currency: string;
      protectedUntil: string;
      daysLeft: number;
    }[];
  };
  offers: { id: string; routedOrderId: string; deadline: string; offeredAt: string }[];
  statements: {
    toRead: number;
    latest: {
      id: string;
      period: string;
      sequence: number;
      status: string;
      totalMinor: number;
      currency: string;
      payOn: string;
      /** Paid in the partner's currency: the converted total (null until the rate is fixed). */
      payout: { currency: string; totalMinor: number | null } | null;
    }[];
  };
  certificationsExpiring: {
    id: string;
    code: string;
    kind: string;
    family: string;
    personId: string;
    personName: string;
    expiresOn: string;
    daysLeft: number;
  }[];
  /** Earned per month of the program year and component (payouts apart), for the chart. */
  monthly: { month: string; component: string; currency: string; amountMinor: number }[];
  /** A distributor's own view of this vendor: its sell-out and the resellers it supplies (no standing). */
  distributor: {
    sellOut: { currency: string; yearMinor: number; periodMinor: number; resellers: number }[];
    resellers: { id: string; name: string; country: string; since: string }[];
  } | null;
}

export interface PartnerHome {
  partnerId: string;
  partnerName: string;
  today: string;
  programs: PartnerHomeProgram[];
}

/** Certifications expiring within this many days are listed. */
const CERTIFICATIONS_AHEAD = 90;
/** Lists on the home show this many items. */
const FIRST = 5;

/**
 * A partner's home in one answer: one card per vendor program it is enrolled in (a vendor caller sees
 * only its own), each with the program year and period that "this year" and "this quarter" mean today,
 * the tier held and the closest next tier with its gaps, earned (year, quarter, projected) and paid, the
 * next payout date, open registrations with their protection countdown, offers awaiting an answer,
 * statements to read, certifications expiring, earnings by month and component; for a distributor, its
 * sell-out and the resellers it supplies (never their standing).
 */
export async function partnerHome(ctx: AppContext, scope: Scope, partnerId: string): Promise<PartnerHome> {
  if (!readsStandingOf(scope, partnerId)) throw notFound('partner', partnerId);
  const partner = await ctx.repos.partners.get(scope, partnerId);
  if (!partner) throw notFound('partner', partnerId);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const enrolments = await ctx.repos.partners.enrolments(scope, partnerId);
  const programs: PartnerHomeProgram[] = [];
  const seen = new Set<string>();
  for (const e of enrolments) {
    if (seen.has(e.programId)) continue;
    seen.add(e.programId);
    const [program, vendor] = await Promise.all([
      ctx.repos.programs.get(scope, e.programId),
      ctx.repos.vendors.get(scope, e.vendorId),
    ]);
    if (!program) continue;
    let pif: Awaited<ReturnType<typeof programInForce>> | null = null;
    try {
      pif = await programInForce(ctx, scope, program.id, undefined);
    } catch (err) {
      // No published version: the card says so rather than failing the whole home.
      if (!(err instanceof TrellisError) || err.code !== 'invalid_input') throw err;
    }
    const d = pif?.definition;
    const year = d
      ? {
          version: d.version,
          from: d.effective.from,
          to: d.effective.to,
          periods: programPeriods(d).map((p) => ({ code: p.code, from: p.from, to: p.to })),
        }
      : null;
    const currentPeriod = d && pif ? periodOf(d, pif.asOf) : null;
    const [standing, earnings, queues] = await Promise.all([
      pif ? standingOf(ctx, scope, partner.id, program.id, pif.asOf) : Promise.resolve(null),
      d && year
        ? earningsOf(
            ctx,
            scope,
            partner.id,
            program.id,
            year.periods.map((p) => p.code),
            currentPeriod,
          )
        : Promise.resolve([]),
      queuesOf(ctx, partner.id, program.vendorId, program.id, today, year?.periods.map((p) => p.code) ?? []),
    ]);
    const range = year?.periods.find((p) => p.code === currentPeriod);
    const distributor =
      partner.kind === 'distributor' && year && pif
        ? await distributorOf(
            ctx,
            partner.id,
            program.vendorId,
            year.from,
            range?.from ?? year.from,
            pif.asOf,
          )
        : null;
    programs.push({
      programId: program.id,
      code: program.code,
      name: program.name,
      vendorId: program.vendorId,
      vendorName: vendor?.name ?? program.vendorId,
      enrolment: { status: e.status, partnerNumber: e.partnerNumber, enrolledAt: e.enrolledAt },
      asOf: pif?.asOf ?? null,
      inForceToday: pif !== null && pif.asOf === today,
      year,
      currentPeriod,
      components: (d?.components ?? []).map((c) => ({ code: c.code, name: c.name })),
      standing,
      earnings,
      nextPayout: d && range ? { period: range.code, ...payoutDates(d, range) } : null,
      ...queues,
      distributor,
    });
  }
  return { partnerId: partner.id, partnerName: partner.name, today, programs };
}

/** The tier held, its statuses and the closest next tier with its gaps; null when it cannot be read. */
async function standingOf(
  ctx: AppContext,
  scope: Scope,
  partnerId: string,
  programId: string,
  asOf: string,
): Promise<PartnerHomeProgram['standing']> {
  let p: Awaited<ReturnType<typeof partnerProgress>>;
  try {
    p = await partnerProgress(ctx, scope, { partnerId, program: programId, asOf });
  } catch (err) {
    if (err instanceof TrellisError && (err.code === 'not_found' || err.code === 'invalid_input'))
      return null;
    throw err;
  }
  const pif = await programInForce(ctx, scope, programId, asOf);
  const tiers = pif.definition.tiers;
  const nameOf = (code: string) =>
    [...tiers, ...pif.definition.statuses].find((t) => t.code === code)?.name ?? code;
  const rank = p.tier ? tiers.findIndex((t) => t.code === p.tier?.code) : -1;
  const next = closestNextTier(p.evaluation.targets, rank);
  return {
    tier: p.tier
      ? {
          code: p.tier.code,
          name: nameOf(p.tier.code),
          rank: rank + 1,
          of: tiers.length,
          since: p.tier.validFrom,
        }
      : null,
    statuses: p.statuses.map((s) => ({ code: s.code, name: nameOf(s.code), until: s.validTo })),
    next: next
      ? {
          tier: next.tier,
          name: nameOf(next.tier),
          path: next.path,
          percent: next.percent,
          gaps: next.gaps.map((g) => ({
            measure: g.measure,
            family: g.family,
            kind: g.kind,
            target: g.target,
            current: g.current,
            gap: g.gap,
          })),
        }
      : null,
    currency: p.evaluation.measures.currency,
  };
}

/**
 * Earned and paid in the program year and the current period (the ledger's payable totals), and the
 * current period projected: earned plus what a dry-run close for this partner would post today.
 */
async function earningsOf(
  ctx: AppContext,
  scope: Scope,
  partnerId: string,
  programId: string,
  yearPeriods: readonly string[],
  currentPeriod: string | null,
): Promise<PartnerHomeProgram['earnings']> {
  const rows = await ledgerRepository(ctx.store.db).earnings(scope, partnerId, programId);
  const inYear = new Set(yearPeriods);
  const byCurrency = new Map<string, PartnerHomeProgram['earnings'][number]>();
  const closed = new Set(
    (await settlementRepository(ctx.store.db).closedPeriods(programId)).map((c) => c.period),
  );
  for (const r of rows) {
    if (!inYear.has(r.period)) continue;
    const e = byCurrency.get(r.currency) ?? {
      currency: r.currency,
      yearEarnedMinor: 0,
      yearPaidMinor: 0,
      periodEarnedMinor: 0,
      periodPaidMinor: 0,
      periodProjectedMinor: null,
      provisional: false,
    };
    if (r.component === 'payout') {
      e.yearPaidMinor += -r.amount;
      if (r.period === currentPeriod) e.periodPaidMinor += -r.amount;
    } else {
      e.yearEarnedMinor += r.amount;
      if (r.period === currentPeriod) e.periodEarnedMinor += r.amount;
      if (!closed.has(r.period)) e.provisional = true;
    }
    byCurrency.set(r.currency, e);
  }
  if (currentPeriod && !closed.has(currentPeriod)) {
    try {
      const dry = await closePeriod(
        ctx,
        { actor: { kind: 'system', id: 'partner-home' }, scope: SYSTEM_SCOPE },
        { program: programId, period: currentPeriod, dryRun: true, partnerId },
      );
      const e = byCurrency.get(dry.currency) ?? {
        currency: dry.currency,
        yearEarnedMinor: 0,
        yearPaidMinor: 0,
        periodEarnedMinor: 0,
        periodPaidMinor: 0,
        periodProjectedMinor: null,
        provisional: true,
      };
      e.periodProjectedMinor = e.periodEarnedMinor + dry.netMinor;
      byCurrency.set(dry.currency, e);
    } catch (err) {
      // A period that cannot be computed yet (no facts) shows no projection rather than failing the home.
      if (!(err instanceof TrellisError) || err.code !== 'invalid_input') throw err;
    }
  }
  return [...byCurrency.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Registrations, offers, statements, certifications and the monthly chart of one vendor program. */
async function queuesOf(
  ctx: AppContext,
  partnerId: string,
  vendorId: string,
  programId: string,
  today: string,
  yearPeriods: readonly string[],
) {
  const home = homeRepository(ctx.store.db);
  const [awaiting, held, offers, statements, certifications, monthly] = await Promise.all([
    home.partnerDeals(partnerId, vendorId, AWAITING_REVIEW, 1000),
    home.partnerDeals(
      partnerId,
      vendorId,
      ACTIVE_STATUSES.filter((s) => !AWAITING_REVIEW.includes(s)),
      FIRST,
    ),
    home.partnerOffers(partnerId, vendorId, FIRST),
    home.partnerStatements(partnerId, programId, FIRST),
    home.expiringCertifications(partnerId, vendorId, today, addDays(today, CERTIFICATIONS_AHEAD)),
    home.monthlyEarnings(vendorId, partnerId, programId, yearPeriods),
  ]);
  return {
    registrations: {
      awaitingReview: awaiting.filter((d) => d.status !== 'info-requested').length,
      protected: held
        .filter((d) => d.protectedUntil !== null && d.protectedUntil >= today)
        .map((d) => ({
          id: d.id,
          customerName: d.customerName,
          totalMinor: Number(d.totalMinor),
          currency: d.currency,
          protectedUntil: d.protectedUntil as string,
          daysLeft: daysBetween(today, d.protectedUntil as string),
        })),
    },
    offers,
    statements: {
      toRead: statements.filter((s) => s.status === 'issued' || s.status === 'approved').length,
      latest: statements,
    },
    certificationsExpiring: certifications.map((c) => ({ ...c, daysLeft: daysBetween(today, c.expiresOn) })),
    monthly: monthly.filter((m) => m.amountMinor !== 0),
  };
}

async function distributorOf(
  ctx: AppContext,
  partnerId: string,
  vendorId: string,
  yearFrom: string,
  periodFrom: string,
  asOf: string,
): Promise<PartnerHomeProgram['distributor']> {
  const home = homeRepository(ctx.store.db);
  const [year, period, resellers] = await Promise.all([
    home.sellOut(partnerId, vendorId, yearFrom, asOf),
    home.sellOut(partnerId, vendorId, periodFrom, asOf),
    home.suppliedResellers(partnerId, vendorId),
  ]);
  return {
    sellOut: year.map((y) => ({
      currency: y.currency,
      yearMinor: y.amountMinor,
      periodMinor: period.find((p) => p.currency === y.currency)?.amountMinor ?? 0,
      resellers: y.resellers,
    })),
    resellers,
  };
}
