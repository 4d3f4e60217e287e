import type { Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import { addDays } from '../../core/programs/dates.js';
import type { IsoDate, ProgramDefinition } from '../../core/programs/types.js';
import { zoneOf } from '../../core/programs/zones.js';
import { fundStanding, isShortfall, type FundCredit, type FundEvent } from '../../core/mdf/fund-balance.js';
import {
  creditOf,
  EARNED_FUND,
  fundEventsOf,
  fundOpenTo,
  fundPeriodOf,
  parseCreditId,
  proposalFundUse,
  quarterOf,
  revenuePerSpent,
} from '../../core/mdf/funds.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { mdfRepository } from '../../db/repositories/mdf-repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';

/** How far ahead "expiring soon" looks. */
export const EXPIRING_SOON_DAYS = 90;

export interface ProgramVersions {
  programId: string;
  vendorId: string;
  code: string;
  /** Published versions, earliest first. */
  definitions: ProgramDefinition[];
}

/** A program's published versions (by id or code, within scope). */
export async function programVersions(
  ctx: AppContext,
  scope: Scope,
  idOrCode: string,
): Promise<ProgramVersions> {
  const program = await ctx.repos.programs.get(scope, idOrCode);
  if (!program) throw notFound('program', idOrCode);
  const versions = await ctx.repos.programs.versions(scope, program.id);
  return {
    programId: program.id,
    vendorId: program.vendorId,
    code: program.code,
    definitions: versions
      .filter((v) => v.status === 'published')
      .sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))
      .map((v) => JSON.parse(v.definition) as ProgramDefinition),
  };
}

/** The version in force on a day, or null. */
export function versionOn(p: ProgramVersions, day: IsoDate): ProgramDefinition | null {
  return (
    p.definitions.find(
      (d) => d.effective.from <= day && (d.effective.to === null || day <= d.effective.to),
    ) ?? null
  );
}

/** The version to show a program's funds on a day: in force then, else the latest that started before. */
export function versionAround(p: ProgramVersions, day: IsoDate): ProgramDefinition | null {
  return (
    versionOn(p, day) ??
    p.definitions.filter((d) => d.effective.from <= day).at(-1) ??
    p.definitions[0] ??
    null
  );
}

/**
 * A partner's earned fund in a program: its credits (from the ledger, each with the day it becomes usable
 * and the day it expires, from the version whose period it is) and the events its activities made.
 */
export async function earnedFund(
  db: Kysely<Database>,
  p: ProgramVersions,
  partnerId: string,
  currency: string,
): Promise<{
  credits: FundCredit[];
  events: FundEvent[];
  periods: Map<string, { period: string; component: string }>;
}> {
  const repo = mdfRepository(db);
  const groups = await repo.earnedGroups(p.vendorId, partnerId, p.programId);
  const credits: FundCredit[] = [];
  const periods = new Map<string, { period: string; component: string }>();
  for (const g of groups) {
    if (g.currency !== currency || g.amountMinor <= 0) continue;
    for (const def of p.definitions) {
      const c = creditOf(def, g);
      if (c) {
        credits.push(c);
        periods.set(c.id, { period: g.period, component: g.component });
        break;
      }
    }
  }
  const events = fundEventsOf(await repo.earnedSteps(p.programId, partnerId));
  return { credits, events, periods };
}

/** What the earned fund has available on a day (what a pre-approval may reserve). */
export async function earnedAvailable(
  db: Kysely<Database>,
  p: ProgramVersions,
  partnerId: string,
  currency: string,
  day: IsoDate,
): Promise<number> {
  const { credits, events } = await earnedFund(db, p, partnerId, currency);
  const s = fundStanding(credits, events, day);
  return isShortfall(s) ? 0 : s.availableMinor;
}

/** What a proposal fund has left in a period. */
export async function proposalLeft(
  db: Kysely<Database>,
  programId: string,
  fund: { code: string; amountMinor: number },
  period: string,
): Promise<number> {
  const rows = await mdfRepository(db).proposalActivities(programId, fund.code, period);
  return proposalFundUse(fund.amountMinor, rows).leftMinor;
}

/**
 * A partner's funds in a program on a day: its earned MDF (earned, available, reserved, spent, expired,
 * what expires when, and what expires within 90 days), and the proposal funds open to its zone in the
 * period of that day (amount, reserved, paid, left). A vendor without a partner gets the proposal funds.
 */
export async function fundBalances(
  ctx: AppContext,
  scope: Scope,
  input: {
    programId: string;
    partnerId?: string | undefined;
    asOf?: string | undefined;
    period?: string | undefined;
  },
) {
  const partnerId = input.partnerId ?? (scope.kind === 'partner' ? scope.partnerId : undefined);
  if (scope.kind === 'partner' && partnerId !== scope.partnerId) throw notFound('partner', partnerId ?? '');
  const p = await programVersions(ctx, scope, input.programId);
  const asOf = input.asOf ?? ctx.clock.now().toISOString().slice(0, 10);
  const def = versionAround(p, asOf);
  if (!def) throw notFound('published version of program', p.code);
  const db = ctx.store.db;
  const repo = mdfRepository(db);
  let zone: string | null = null;
  let earned = null;
  if (partnerId) {
    const partner = await repo.partner(partnerId);
    const enrolled = partner ? await repo.enrolled(p.programId, partnerId) : undefined;
    // A vendor reads its enrolled partners (a channel manager, those of its regions).
    if (
      !partner ||
      !enrolled ||
      (scope.kind === 'vendor' && scope.regions.length > 0 && !scope.regions.includes(partner.region))
    )
      throw notFound('partner', partnerId);
    zone = zoneOf(def, partner.country);
    const { credits, events, periods } = await earnedFund(db, p, partnerId, def.currency);
    const s = fundStanding(credits, events, asOf);
    const soon = addDays(asOf, EXPIRING_SOON_DAYS);
    earned = isShortfall(s)
      ? null
      : {
          currency: def.currency,
          earnedMinor: s.earnedMinor,
          availableMinor: s.availableMinor,
          reservedMinor: s.reservedMinor,
          spentMinor: s.spentMinor,
          expiredMinor: s.expiredMinor,
          expiring: s.expiring.map((e) => ({ on: e.on, amountMinor: e.amountMinor })),
          expiringSoon: s.expiring
            .filter((e) => e.on <= soon)
            .map((e) => ({ on: e.on, amountMinor: e.amountMinor })),
          credits: credits
            .filter((c) => c.earnedOn <= asOf)
            .map((c) => ({
              id: c.id,
              period: periods.get(c.id)?.period ?? '',
              component: periods.get(c.id)?.component ?? '',
              earnedOn: c.earnedOn,
              expiresOn: c.expiresOn,
              amountMinor: c.amountMinor,
            })),
          pending: credits.filter((c) => c.earnedOn > asOf).reduce((sum, c) => sum + c.amountMinor, 0),
        };
  }
  const use = await repo.proposalUse(p.programId);
  const proposalFunds = (def.marketingFunds?.proposalFunds ?? [])
    .filter((f) => zone === null || fundOpenTo(f, zone))
    .map((f) => {
      const period = input.period ?? fundPeriodOf(def, f.per, asOf) ?? '';
      const u = proposalFundUse(
        f.amount.amountMinor,
        use.filter((r) => r.fund === f.code && r.fundPeriod === period),
      );
      return {
        code: f.code,
        name: f.name,
        per: f.per,
        zones: [...f.zones],
        period,
        currency: f.amount.currency,
        ...u,
      };
    });
  return {
    programId: p.programId,
    partnerId: partnerId ?? null,
    zone,
    asOf,
    earned,
    proposalFunds,
    claimWithin: def.marketingFunds ? def.marketingFunds.claimWithin : null,
    activityTypes: (def.marketingFunds?.activityTypes ?? []).map((t) => ({
      code: t.code,
      name: t.name,
      proof: [...t.proof],
    })),
  };
}

/**
 * A vendor's MDF use by zone and fiscal quarter (of the activity's start; expiries by the day they
 * expired): what was asked for, pre-approved and paid, what expired unused, and the return: registrations
 * and order revenue linked to the activities, per unit paid. A channel manager sees its regions'.
 */
export async function mdfUsage(
  ctx: AppContext,
  scope: Scope,
  vendorIdOrSlug: string,
  input: { programId?: string | undefined },
) {
  if (scope.kind === 'partner') throw notFound('vendor', vendorIdOrSlug);
  const vendor = await ctx.repos.vendors.get(scope, vendorIdOrSlug);
  if (!vendor || (scope.kind === 'vendor' && scope.vendorId !== vendor.id))
    throw notFound('vendor', vendorIdOrSlug);
  let programId: string | undefined;
  if (input.programId) {
    const program = await ctx.repos.programs.get(scope, input.programId);
    if (!program || program.vendorId !== vendor.id) throw notFound('program', input.programId);
    programId = program.id;
  }
  const repo = mdfRepository(ctx.store.db);
  const rows = await repo.usageRows(scope, vendor.id, programId);
  const returns = await repo.linkReturns(rows.map((r) => r.id));
  const regions = scope.kind === 'vendor' ? scope.regions : [];
  const expiries = await repo.expiries(vendor.id, regions, programId);
  const programs = new Map<string, ProgramVersions>();
  for (const id of new Set(expiries.map((e) => e.programId)))
    programs.set(id, await programVersions(ctx, { kind: 'system' }, id));

  type Cell = {
    zone: string;
    quarter: string;
    currency: string;
    activities: number;
    requestedMinor: number;
    approvedMinor: number;
    paidMinor: number;
    expiredMinor: number;
    registrations: number;
    orders: number;
    orderRevenueMinor: number;
  };
  const cells = new Map<string, Cell>();
  const cell = (zone: string, quarter: string, currency: string): Cell => {
    const key = `${zone}\u0000${quarter}\u0000${currency}`;
    let c = cells.get(key);
    if (!c)
      cells.set(
        key,
        (c = {
          zone,
          quarter,
          currency,
          activities: 0,
          requestedMinor: 0,
          approvedMinor: 0,
          paidMinor: 0,
          expiredMinor: 0,
          registrations: 0,
          orders: 0,
          orderRevenueMinor: 0,
        }),
      );
    return c;
  };
  for (const r of rows) {
    const c = cell(r.zone, r.quarter, r.currency);
    c.activities += 1;
    c.requestedMinor += Number(r.requestedMinor);
    if (r.preapprovedMinor != null && !['proposed', 'refused'].includes(r.status))
      c.approvedMinor += Number(r.preapprovedMinor);
    if (r.status === 'paid') c.paidMinor += Number(r.paidMinor ?? 0);
    const back = returns.get(r.id);
    if (back) {
      c.registrations += back.registrations;
      c.orders += back.orders;
      c.orderRevenueMinor += back.revenueMinor;
    }
  }
  for (const e of expiries) {
    const p = programs.get(e.programId);
    const def = p ? versionAround(p, e.effectiveDate) : null;
    if (!def) continue;
    const zone = zoneOf(def, e.country) ?? '';
    const quarter = quarterOf(def, e.effectiveDate) ?? e.effectiveDate.slice(0, 7);
    cell(zone, quarter, e.currency).expiredMinor += e.amountMinor;
  }
  const items = [...cells.values()]
    .sort((a, b) =>
      a.quarter < b.quarter ? -1 : a.quarter > b.quarter ? 1 : a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0,
    )
    .map((c) => ({ ...c, revenuePerSpent: revenuePerSpent(c.orderRevenueMinor, c.paidMinor) }));
  return { vendorId: vendor.id, programId: programId ?? null, items };
}

/** The credit an expiry posting names, or a refusal (a stored key that does not parse). */
export function creditParts(id: string) {
  const parts = parseCreditId(id);
  if (!parts) throw new TrellisError('invalid_input', `not a credit key: ${id}`);
  return parts;
}

export { EARNED_FUND };
