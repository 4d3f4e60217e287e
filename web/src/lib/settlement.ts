/**
 * Settlement display rules (statements, lines, disputes, earnings, budget pools), pure. The API enforces
 * the life cycle; these helpers decide what the app shows and offers, from the same rules
 * (src/core/ledger/settlement.ts): draft -> issued -> approved -> paid, or carried below the minimum.
 */
import type { Translate } from './standing';

export const STATEMENT_STATUSES = ['draft', 'issued', 'approved', 'paid', 'carried'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export const LINE_KINDS = [
  'accrual',
  'return',
  'clawback',
  'true-up',
  'close',
  'adjustment',
  'carried',
] as const;

export const DISPUTE_STATUSES = ['open', 'accepted', 'rejected'] as const;

export type StatementAction = 'issue' | 'approve' | 'pay';

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral' | 'info';

/** The one action that moves a statement on from `status`, or null at the end of its life. */
export function nextAction(status: string): StatementAction | null {
  if (status === 'draft') return 'issue';
  if (status === 'issued') return 'approve';
  if (status === 'approved') return 'pay';
  return null;
}

export function statementTone(status: string): Tone {
  switch (status) {
    case 'paid':
      return 'ok';
    case 'approved':
      return 'info';
    case 'issued':
      return 'warn';
    default:
      return 'neutral';
  }
}

export function disputeTone(status: string): Tone {
  return status === 'accepted' ? 'ok' : status === 'rejected' ? 'bad' : 'warn';
}

/** Lines that take money back from the partner stand out. */
export function lineKindTone(kind: string): Tone {
  if (kind === 'clawback') return 'bad';
  if (kind === 'return') return 'warn';
  if (kind === 'adjustment' || kind === 'carried') return 'info';
  return 'neutral';
}

/** A partner may dispute the lines of a statement it can see: every one but a draft (never shown to it). */
export function canDisputeStatement(status: string): boolean {
  return status !== 'draft';
}

export type AmountSign = 'negative' | 'zero' | 'positive';

export function amountSign(minor: number): AmountSign {
  return minor < 0 ? 'negative' : minor > 0 ? 'positive' : 'zero';
}

/** "FY18-Q1", or "FY18-Q1 #2" for a supplement after a re-close. */
export function statementLabel(s: { readonly period: string; readonly sequence: number }): string {
  return s.sequence > 1 ? `${s.period} #${s.sequence}` : s.period;
}

export interface TimelineStep {
  /** The step; its name is `settle.statements.step.<key>` in the catalogues. */
  readonly key: 'created' | 'issued' | 'approved' | 'paid' | 'carried';
  readonly at: string | null;
  readonly state: 'done' | 'next' | 'pending';
}

export interface StatementDates {
  readonly status: string;
  readonly createdAt: string;
  readonly issuedAt: string | null;
  readonly approvedAt: string | null;
  readonly paidAt: string | null;
}

/**
 * The life of a statement as steps: created, issued, approved, then paid (or carried, when the total was
 * below the minimum payout). Steps with a date are done; the first one without is next.
 */
export function statementTimeline(s: StatementDates): TimelineStep[] {
  const last: TimelineStep['key'] = s.status === 'carried' ? 'carried' : 'paid';
  const raw: [TimelineStep['key'], string | null][] = [
    ['created', s.createdAt],
    ['issued', s.issuedAt],
    ['approved', s.approvedAt],
    [last, s.paidAt],
  ];
  let nextSeen = false;
  return raw.map(([key, at]) => {
    if (at) return { key, at, state: 'done' };
    const state = nextSeen ? 'pending' : 'next';
    nextSeen = true;
    return { key, at: null, state };
  });
}

interface PeriodAmounts {
  readonly programId: string;
  readonly period: string;
  readonly currency: string;
  readonly earnedMinor: number;
  readonly paidMinor: number;
  readonly projectedMinor: number;
}

export interface CurrencyTotals {
  readonly currency: string;
  readonly earnedMinor: number;
  readonly paidMinor: number;
  readonly unpaidMinor: number;
  readonly projectedMinor: number;
}

/** Earned, paid, unpaid and projected per currency (amounts in different currencies never add up). */
export function totalsByCurrency(periods: readonly PeriodAmounts[]): CurrencyTotals[] {
  const by = new Map<string, { earnedMinor: number; paidMinor: number; projectedMinor: number }>();
  for (const p of periods) {
    const t = by.get(p.currency) ?? { earnedMinor: 0, paidMinor: 0, projectedMinor: 0 };
    by.set(p.currency, {
      earnedMinor: t.earnedMinor + p.earnedMinor,
      paidMinor: t.paidMinor + p.paidMinor,
      projectedMinor: t.projectedMinor + p.projectedMinor,
    });
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]) => ({ currency, ...t, unpaidMinor: t.earnedMinor - t.paidMinor }));
}

/** Periods grouped by program (in first-seen order), each program's periods in period order. */
export function periodsByProgram<P extends PeriodAmounts>(periods: readonly P[]): [string, P[]][] {
  const by = new Map<string, P[]>();
  for (const p of periods) {
    const list = by.get(p.programId);
    if (list) list.push(p);
    else by.set(p.programId, [p]);
  }
  return [...by.entries()].map(([id, list]) => [
    id,
    [...list].sort((a, b) => a.period.localeCompare(b.period) || a.currency.localeCompare(b.currency)),
  ]);
}

/** Width of a usage bar, 0-100, from parts per million used (over 100% stays a full bar). */
export function usedBarPercent(usedPpm: number): number {
  if (!(usedPpm > 0)) return 0;
  return Math.min(100, usedPpm / 10_000);
}

/**
 * The earnings badge, in the person's language: which periods are closed, said as they are (a partner
 * with entries in FY18-Q1 only is not "every period closed" while FY18-Q2 runs). Periods are listed by
 * code, open ones first.
 */
export function earningsBadge(
  t: Translate,
  periods: readonly { readonly period: string; readonly closed: boolean }[],
): { tone: Tone; text: string } | null {
  if (periods.length === 0) return null;
  const codes = (closed: boolean) => [
    ...new Set(periods.filter((p) => p.closed === closed).map((p) => p.period)),
  ];
  const list = (xs: string[]) =>
    xs.length <= 3 ? xs.join(', ') : t('settle.earnings.periods', { count: xs.length });
  const open = codes(false).sort();
  const closed = codes(true).sort();
  if (open.length > 0)
    return { tone: 'warn', text: t('settle.earnings.provisional', { periods: list(open) }) };
  return { tone: 'ok', text: t('settle.earnings.closedBadge', { periods: list(closed) }) };
}
