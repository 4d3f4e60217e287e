import { TrellisError } from '../shared/errors.js';

/**
 * Settlement rules, pure: which ledger transactions the engine owns (and a close recomputes), the
 * statement life cycle, and how a close turns "what the ledger holds" and "what the engine computes now"
 * into true-ups.
 */

/** Ledger transaction kinds. */
export const TX_KINDS = {
  accrual: 'accrual',
  accrualReturn: 'accrual-return',
  trueUp: 'true-up',
  adjustment: 'adjustment',
  payout: 'payout',
  /** A party's share of a cross-vendor solution reward (agreements), posted at its close, once per set. */
  solutionReward: 'solution-reward',
  /** A paid MDF claim: from the partner's earned fund (or the vendor's MDF expense for a proposal fund) to cash. */
  mdfClaim: 'mdf-claim',
  /** Earned MDF that expired unused, given back from the partner's fund to the vendor's MDF expense. */
  mdfExpiry: 'mdf-expiry',
} as const;

/**
 * Transactions the incentive engine owns: a close recomputes them and posts the difference. Dispute
 * adjustments and payouts are decisions on top of the computation; a close never undoes them.
 */
export const ENGINE_KINDS: readonly string[] = [TX_KINDS.accrual, TX_KINDS.accrualReturn, TX_KINDS.trueUp];

/** Ledger accounts. Debits positive, credits negative. */
export const ACCOUNTS = {
  expense: 'vendor:incentive-expense',
  payable: 'partner:rebate-payable',
  cash: 'vendor:cash',
  /**
   * Earned market development funds are not cash owed: their accruals debit the vendor's MDF expense and
   * credit the partner's MDF fund, which a paid claim spends (to cash) and expiry gives back (to expense).
   * Statements pay only the rebate payable.
   */
  mdfExpense: 'vendor:mdf-expense',
  mdfFund: 'partner:mdf-fund',
  /**
   * Payouts in another currency (issue 17): the vendor's FX conversion position. A statement paid in the
   * partner's currency moves its total from the rebate payable to this account in the program's currency,
   * and from this account to cash in the payout currency (the sum of the converted lines), so each
   * currency balances on its own. Its balance in each currency is what the vendor bought and sold.
   */
  fxConversion: 'vendor:fx-conversion',
  /**
   * The rounding of a payout in another currency: the converted total minus the sum of the converted
   * lines (a few cents either way), posted as its own line so the lines a partner reads plus this
   * difference equal what it is paid.
   */
  fxRounding: 'vendor:fx-rounding',
} as const;

/**
 * The accounts an engine component's amounts move between: earned MDF into the partner's MDF fund (spent
 * through claims, never paid by a statement), everything else into the rebate payable.
 */
export function componentAccounts(kind: string): { readonly debit: string; readonly credit: string } {
  return kind === 'mdf-accrual'
    ? { debit: ACCOUNTS.mdfExpense, credit: ACCOUNTS.mdfFund }
    : { debit: ACCOUNTS.expense, credit: ACCOUNTS.payable };
}

/** The accounts where the engine's credits to partners are held (a close compares with both). */
export const ENGINE_CREDIT_ACCOUNTS: readonly string[] = [ACCOUNTS.payable, ACCOUNTS.mdfFund];

export const STATEMENT_STATUSES = ['draft', 'issued', 'approved', 'paid', 'carried'] as const;
export type StatementStatus = (typeof STATEMENT_STATUSES)[number];

export const STATEMENT_ACTIONS = ['issue', 'approve', 'pay'] as const;
export type StatementAction = (typeof STATEMENT_ACTIONS)[number];

/**
 * draft -> issued (the partner sees it; its lines are fixed) -> approved (finance) -> paid on the payout
 * calendar, or carried (a total below the program's minimum payout, or not positive, moves to the next
 * statement instead of being paid).
 */
export function nextStatus(
  current: StatementStatus,
  action: StatementAction,
  total: { totalMinor: number; minimumPayoutMinor: number | null },
): StatementStatus {
  const from: Record<StatementAction, StatementStatus> = {
    issue: 'draft',
    approve: 'issued',
    pay: 'approved',
  };
  if (current !== from[action]) {
    throw new TrellisError(
      'conflict',
      `a statement can be ${action === 'issue' ? 'issued' : action === 'approve' ? 'approved' : 'paid'} only when ${from[action]}; this one is ${current}`,
    );
  }
  if (action === 'issue') return 'issued';
  if (action === 'approve') return 'approved';
  const minimum = Math.max(1, total.minimumPayoutMinor ?? 1);
  return total.totalMinor >= minimum ? 'paid' : 'carried';
}

/** What a line of a statement is, from the ledger transaction behind it. */
export type StatementLineKind =
  'accrual' | 'return' | 'clawback' | 'true-up' | 'close' | 'adjustment' | 'carried';

export function statementLineKind(
  txKind: string,
  hasOrderLine: boolean,
  returnOfPaidLine: boolean,
): StatementLineKind {
  switch (txKind) {
    case TX_KINDS.accrual:
      return 'accrual';
    case TX_KINDS.accrualReturn:
      return returnOfPaidLine ? 'clawback' : 'return';
    case TX_KINDS.trueUp:
      return hasOrderLine ? 'true-up' : 'close';
    default:
      return 'adjustment';
  }
}

/** A (partner, line or close item, component) amount as the partner sees it: positive = owed to it. */
export interface HeldAmount {
  readonly key: string;
  readonly amountMinor: number;
}

/**
 * The true-ups a close posts: for every key, what the engine computes now minus what the ledger holds.
 * Keys on one side only count 0 on the other. Zero differences are dropped, so a second close of an
 * unchanged period posts nothing. Sorted by key for a stable ledger.
 */
export function trueUps(
  expected: ReadonlyMap<string, number>,
  held: ReadonlyMap<string, number>,
): { key: string; expectedMinor: number; heldMinor: number; diffMinor: number }[] {
  const keys = new Set([...expected.keys(), ...held.keys()]);
  const out: { key: string; expectedMinor: number; heldMinor: number; diffMinor: number }[] = [];
  for (const key of [...keys].sort()) {
    const e = expected.get(key) ?? 0;
    const h = held.get(key) ?? 0;
    if (e !== h) out.push({ key, expectedMinor: e, heldMinor: h, diffMinor: e - h });
  }
  return out;
}

/**
 * How much of what a returned line earned for a component the partner actually kept: its line-level
 * credits scaled by the share of the component its period finally paid (a minimum reversal keeps 0, a
 * cap keeps cap / accrued), rounded down so a clawback never exceeds what was paid.
 */
export function keptOfLine(creditedMinor: number, periodLineMinor: number, periodCloseMinor: number): number {
  if (creditedMinor <= 0) return 0;
  if (periodLineMinor <= 0 || periodCloseMinor >= 0) return creditedMinor;
  const kept = periodLineMinor + periodCloseMinor;
  if (kept <= 0) return 0;
  return Math.floor((creditedMinor * kept) / periodLineMinor);
}
