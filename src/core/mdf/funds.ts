import { periodOf, periodRange } from '../ledger/periods.js';
import { addDays, addDuration } from '../programs/dates.js';
import type { IsoDate, MdfProposalFund, ProgramDefinition } from '../programs/types.js';
import type { ActivityStatus } from './activity.js';
import type { FundCredit, FundDraw, FundEvent } from './fund-balance.js';

/**
 * Where market development funds come from and where they go, pure: the earned fund's credits (what the
 * ledger credited to `partner:mdf-fund` per program period and `mdf-accrual` component) with the day each
 * becomes usable and the day it expires; the fund events an activity's history makes (reserve at
 * pre-approval, spend and release when paid, release when withdrawn or lapsed); what a proposal fund holds
 * per period; what an expiry run must post so that the ledger says what expired, once.
 */

/** The fund of an activity: the partner's earned MDF, or a proposal fund of the program by its code. */
export const EARNED_FUND = 'earned';

type CalendarProgram = Pick<ProgramDefinition, 'version' | 'effective' | 'periods'>;

/** The fiscal quarter of a day in a program year (`FY22-Q2`), whatever the program's own periods. */
export function quarterOf(program: CalendarProgram, day: IsoDate): string | null {
  return periodOf({ ...program, periods: 'quarter' }, day);
}

/** A proposal fund's period holding a day: its fiscal quarter, or the program year (`FY22`). */
export function fundPeriodOf(
  program: CalendarProgram,
  per: MdfProposalFund['per'],
  day: IsoDate,
): string | null {
  const quarter = quarterOf(program, day);
  if (quarter === null) return null;
  return per === 'quarter' ? quarter : program.version;
}

/** What the ledger credited to a partner's MDF fund for one program period and component. */
export interface EarnedGroup {
  readonly programId: string;
  readonly period: string;
  readonly component: string;
  readonly currency: string;
  readonly amountMinor: number;
}

/**
 * The credit of an earned group: usable from the last day of the period it was earned in (accruals within an
 * open period may still be returned), expiring the component's `expiresAfter` after the period ends. Null
 * when the program version does not know the period or the component (nothing to spend, nothing expires).
 */
export function creditOf(program: ProgramDefinition, g: EarnedGroup): FundCredit | null {
  const component = program.components.find((c) => c.code === g.component);
  if (!component || component.kind !== 'mdf-accrual') return null;
  let to: IsoDate;
  try {
    to = periodRange(program, g.period).to;
  } catch {
    return null;
  }
  return {
    id: creditId(g),
    earnedOn: to,
    expiresOn: addDuration(addDays(to, 1), component.expiresAfter),
    amountMinor: g.amountMinor,
  };
}

/** A credit's key: program, period and component (an expiry posting names it). */
export function creditId(g: Pick<EarnedGroup, 'programId' | 'period' | 'component'>): string {
  return `${g.programId}/${g.period}/${g.component}`;
}

export function parseCreditId(id: string): { programId: string; period: string; component: string } | null {
  const [programId, period, component, ...rest] = id.split('/');
  if (!programId || !period || !component || rest.length) return null;
  return { programId, period, component };
}

/** One step of an activity's history, as the fund sees it. */
export interface HistoryStep {
  readonly activityId: string;
  readonly action: string;
  readonly day: IsoDate;
  readonly amountMinor: number | null;
}

/**
 * The earned fund's events from its activities' histories: a pre-approval reserves its amount, a paid claim
 * spends what was paid and releases the rest, a withdrawal or a lapse releases what was reserved.
 */
export function fundEventsOf(steps: readonly HistoryStep[]): FundEvent[] {
  const out: FundEvent[] = [];
  for (const s of steps) {
    if (s.action === 'preapprove' && s.amountMinor)
      out.push({ kind: 'reserve', id: s.activityId, on: s.day, amountMinor: s.amountMinor });
    else if (s.action === 'approve') {
      if (s.amountMinor) out.push({ kind: 'spend', id: s.activityId, on: s.day, amountMinor: s.amountMinor });
      out.push({ kind: 'release', id: s.activityId, on: s.day });
    } else if (s.action === 'withdraw' || s.action === 'lapse')
      out.push({ kind: 'release', id: s.activityId, on: s.day });
  }
  return out;
}

/** Statuses whose pre-approved amount a fund still holds for the activity. */
export const HOLDING_STATUSES: readonly ActivityStatus[] = ['preapproved', 'claimed', 'claim-rejected'];

/** What a proposal fund holds in one period: its amount, what approved activities hold, paid, what is left. */
export interface ProposalFundUse {
  readonly amountMinor: number;
  readonly reservedMinor: number;
  readonly paidMinor: number;
  readonly leftMinor: number;
}

export function proposalFundUse(
  amountMinor: number,
  activities: readonly { status: string; preapprovedMinor: number | null; paidMinor: number | null }[],
): ProposalFundUse {
  let reserved = 0;
  let paid = 0;
  for (const a of activities) {
    if ((HOLDING_STATUSES as readonly string[]).includes(a.status)) reserved += a.preapprovedMinor ?? 0;
    if (a.status === 'paid') paid += a.paidMinor ?? 0;
  }
  return { amountMinor, reservedMinor: reserved, paidMinor: paid, leftMinor: amountMinor - reserved - paid };
}

/** Whether a proposal fund takes proposals from a zone (an empty list: every zone). */
export function fundOpenTo(fund: MdfProposalFund, zone: string): boolean {
  return fund.zones.length === 0 || fund.zones.includes(zone);
}

/** One expiry to post: a credit's expired total as of the run, less what earlier runs posted. */
export interface ExpiryPosting {
  readonly creditId: string;
  /** The day the funds expired (the posting's effective day). */
  readonly on: IsoDate;
  readonly amountMinor: number;
  /** The credit's expired total after this posting (part of the idempotency key). */
  readonly totalMinor: number;
}

/**
 * What an expiry run posts: per credit and day, what the standing traces as expired (`draws` of kind
 * expired) beyond what the ledger already holds as expired for that credit. A credit expires on its day;
 * a reservation released after that expires on the day of its release. A rerun finds nothing new.
 */
export function expiryPostings(
  draws: readonly FundDraw[],
  posted: ReadonlyMap<string, number>,
): ExpiryPosting[] {
  const byCredit = new Map<string, Map<IsoDate, number>>();
  for (const d of draws)
    if (d.kind === 'expired') {
      const days = byCredit.get(d.creditId) ?? new Map<IsoDate, number>();
      days.set(d.on, (days.get(d.on) ?? 0) + d.amountMinor);
      byCredit.set(d.creditId, days);
    }
  const out: ExpiryPosting[] = [];
  for (const [creditId, days] of [...byCredit.entries()].sort(([a], [b]) => cmp(a, b))) {
    const already = posted.get(creditId) ?? 0;
    let total = 0;
    for (const [on, amount] of [...days.entries()].sort(([a], [b]) => cmp(a, b))) {
      const before = total;
      total += amount;
      const due = total - Math.max(already, before);
      if (due > 0) out.push({ creditId, on, amountMinor: due, totalMinor: total });
    }
  }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Revenue (minor units) per unit spent, to two decimals; null when nothing was spent. */
export function revenuePerSpent(revenueMinor: number, spentMinor: number): number | null {
  if (spentMinor <= 0) return null;
  return Math.round((revenueMinor / spentMinor) * 100) / 100;
}
