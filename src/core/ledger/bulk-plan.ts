import { nextStatus, type StatementAction, type StatementStatus } from './settlement.js';

/**
 * What a bulk action on statements (issue, approve or pay many at once) will do, pure: for each statement
 * selected, the status it moves to or why it is skipped; the counts and totals per currency. The preview
 * answers it; the run plans again from what the store holds then and applies each move conditionally.
 */

export interface BulkCandidate {
  id: string;
  vendorId: string;
  partnerId: string;
  programId: string;
  period: string;
  sequence: number;
  status: StatementStatus;
  totalMinor: number;
  currency: string;
}

/** Why a selected statement is left alone. */
/** `missing-rate`: paid in the partner's currency, the rate the program's rule needs is not loaded. */
export type BulkSkipReason = 'not-found' | 'already-done' | 'not-ready' | 'moved-meanwhile' | 'missing-rate';

export interface BulkMove extends BulkCandidate {
  to: StatementStatus;
}

export interface BulkSkip {
  id: string;
  partnerId: string | null;
  status: StatementStatus | null;
  reason: BulkSkipReason;
}

export interface BulkPlan {
  action: StatementAction;
  moves: BulkMove[];
  skipped: BulkSkip[];
}

/** The status a statement must hold for each action. */
export const BULK_FROM: Record<StatementAction, StatementStatus> = {
  issue: 'draft',
  approve: 'issued',
  pay: 'approved',
};

const ORDER: readonly StatementStatus[] = ['draft', 'issued', 'approved', 'paid', 'carried'];

/**
 * Plans a bulk action. `minimumPayoutOf` gives the program's minimum payout for a statement (in its
 * currency, or null): paying a statement below it carries the total instead. A statement past the
 * action's step is `already-done`; one before it is `not-ready`; an id the caller cannot see is
 * `not-found`. Moves keep the order of `selected` (then of `missing`).
 */
export function planBulk(
  action: StatementAction,
  selected: readonly BulkCandidate[],
  missing: readonly string[],
  minimumPayoutOf: (s: BulkCandidate) => number | null,
): BulkPlan {
  const from = BULK_FROM[action];
  const moves: BulkMove[] = [];
  const skipped: BulkSkip[] = [];
  for (const s of selected) {
    if (s.status === from) {
      const to = nextStatus(s.status, action, {
        totalMinor: s.totalMinor,
        minimumPayoutMinor: minimumPayoutOf(s),
      });
      moves.push({ ...s, to });
      continue;
    }
    const done = ORDER.indexOf(s.status) > ORDER.indexOf(from);
    skipped.push({
      id: s.id,
      partnerId: s.partnerId,
      status: s.status,
      reason: done ? 'already-done' : 'not-ready',
    });
  }
  for (const id of missing) skipped.push({ id, partnerId: null, status: null, reason: 'not-found' });
  return { action, moves, skipped };
}

export interface BulkSummary {
  /** Statements that move. */
  count: number;
  /** Per status reached (`paid`, `carried`, `issued`, `approved`): how many. */
  outcomes: Partial<Record<StatementStatus, number>>;
  /** Per currency: the statements' totals, and what is paid out (pay: the `paid` ones only). */
  totals: { currency: string; count: number; totalMinor: number; payoutMinor: number }[];
  /** Per reason: how many are skipped. */
  skippedByReason: Partial<Record<BulkSkipReason, number>>;
}

export function summarizeBulk(moves: readonly BulkMove[], skipped: readonly BulkSkip[]): BulkSummary {
  const outcomes: Partial<Record<StatementStatus, number>> = {};
  const totals = new Map<
    string,
    { currency: string; count: number; totalMinor: number; payoutMinor: number }
  >();
  for (const m of moves) {
    outcomes[m.to] = (outcomes[m.to] ?? 0) + 1;
    const t = totals.get(m.currency) ?? { currency: m.currency, count: 0, totalMinor: 0, payoutMinor: 0 };
    t.count += 1;
    t.totalMinor += m.totalMinor;
    if (m.to === 'paid') t.payoutMinor += m.totalMinor;
    totals.set(m.currency, t);
  }
  const skippedByReason: Partial<Record<BulkSkipReason, number>> = {};
  for (const s of skipped) skippedByReason[s.reason] = (skippedByReason[s.reason] ?? 0) + 1;
  return {
    count: moves.length,
    outcomes,
    totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
    skippedByReason,
  };
}

/**
 * A fingerprint of what a plan moves (each statement, the status it is in and goes to, its total), so a
 * run confirmed on a preview can refuse when the selection changed since: FNV-1a over the sorted moves,
 * as 8 hex digits. Not a security measure; the conditional update per statement is what keeps runs safe.
 */
export function bulkFingerprint(plan: BulkPlan): string {
  const text = plan.moves
    .map((m) => `${m.id}:${m.status}>${m.to}:${m.totalMinor}${m.currency}`)
    .sort()
    .join('|');
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return `${plan.action}-${plan.moves.length}-${(h >>> 0).toString(16).padStart(8, '0')}`;
}
