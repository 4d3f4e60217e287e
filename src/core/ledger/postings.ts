import { formatMoney } from '../money/money.js';
import { applyRate, formatFactor, formatPercent, type Ppm } from '../money/rate.js';
import type { ComponentKind } from '../programs/types.js';
import { ACCOUNTS } from './settlement.js';

/**
 * The ledger's narrow rows (issue 13): what a rule earns on an order line is one **posting**, a transfer
 * of `amountMinor` from the rule's debit account to its credit account. What repeats across the lines a
 * rule earns on (program, component, version, tier, rate, multiplier, pool, accounts) is one
 * **ledger rule**, stored once. The sentence a person reads is rendered here from the rule and the
 * posting's inputs, the same way whenever it is read; nothing is stored as text per row.
 */

/** What repeats across the postings of one rule application. */
export interface LedgerRule {
  readonly vendorId: string;
  readonly programId: string;
  readonly component: string;
  readonly kind: ComponentKind;
  /** The component's name in the program version. */
  readonly name: string;
  readonly ruleId: string;
  readonly ruleVersion: string;
  readonly debitAccount: string;
  readonly creditAccount: string;
  readonly currency: string;
  readonly tier: string;
  readonly rate: Ppm;
  readonly multiplier: Ppm;
  /** Codes of the payout multipliers applied, comma-separated ('' = none). */
  readonly multipliers: string;
  readonly effectiveRate: Ppm;
  readonly budgetPool: string | null;
}

/** What an accrual component proposed for a line, as the ledger keeps it. */
export interface RuleApplication {
  readonly component: string;
  readonly kind: ComponentKind;
  readonly ruleId: string;
  readonly ruleVersion: string;
  readonly tier: string;
  readonly rate: Ppm;
  readonly multiplier: Ppm;
  readonly multipliers: readonly string[];
  readonly effectiveRate: Ppm;
  readonly budgetPool: string | null;
}

/** The ledger rule of an accrual: debit the vendor's incentive expense, credit the partner's payable. */
export function accrualRule(
  p: RuleApplication,
  where: { vendorId: string; programId: string; currency: string; name: string },
): LedgerRule {
  return {
    vendorId: where.vendorId,
    programId: where.programId,
    component: p.component,
    kind: p.kind,
    name: where.name,
    ruleId: p.ruleId,
    ruleVersion: p.ruleVersion,
    debitAccount: ACCOUNTS.expense,
    creditAccount: ACCOUNTS.payable,
    currency: where.currency,
    tier: p.tier,
    rate: p.rate,
    multiplier: p.multiplier,
    multipliers: p.multipliers.join(','),
    effectiveRate: p.effectiveRate,
    budgetPool: p.budgetPool,
  };
}

/**
 * The canonical text of a rule: equal rules have equal keys (the store's rule id is a hash of it, so a
 * rule is written once whoever posts it first).
 */
export function ledgerRuleKey(r: LedgerRule): string {
  return JSON.stringify([
    r.vendorId,
    r.programId,
    r.component,
    r.kind,
    r.name,
    r.ruleId,
    r.ruleVersion,
    r.debitAccount,
    r.creditAccount,
    r.currency,
    r.tier,
    r.rate,
    r.multiplier,
    r.multipliers,
    r.effectiveRate,
    r.budgetPool,
  ]);
}

/** The inputs a posting keeps besides its rule. */
export interface PostingFacts {
  readonly baseMinor: number;
  readonly amountMinor: number;
  /** A close's true-up: what the line owes for the rule after it; null = the amount itself. */
  readonly dueMinor: number | null;
}

/** The order line a posting is on, as a reader has it. */
export interface PostingLine {
  readonly lineId: string;
  readonly orderDate: string | null;
  readonly family: string | null;
}

export type RuleForText = Pick<
  LedgerRule,
  | 'component'
  | 'kind'
  | 'name'
  | 'currency'
  | 'tier'
  | 'rate'
  | 'multiplier'
  | 'multipliers'
  | 'effectiveRate'
>;

/**
 * The sentence of what a rule earns on a line for an amount, as the engine words an accrual:
 * "Base rebate: 4% of USD 40,000.00 (Titanium, storage) x1.25 (exclusive) = USD 2,000.00 on line ... of
 * 2026-02-03." A return reads "on return"; a return limited to what was paid says so.
 */
export function ruleSentence(
  rule: RuleForText,
  baseMinor: number,
  amountMinor: number,
  line: PostingLine,
): string {
  const money = (m: number) => formatMoney({ amountMinor: m, currency: rule.currency });
  const family = line.family ?? '';
  const detail =
    rule.kind === 'base-rebate'
      ? [rule.tier, family].filter((s) => s !== '').join(', ')
      : rule.kind === 'deal-registration'
        ? `${family}; registration approved and protecting this customer`
        : family;
  const codes = rule.multipliers === '' ? [] : rule.multipliers.split(',');
  const mult = codes.length === 0 ? '' : ` ${formatFactor(rule.multiplier)} (${codes.join(', ')})`;
  const what = baseMinor < 0 ? 'return' : 'line';
  const computed = applyRate(baseMinor, rule.effectiveRate);
  const limited =
    amountMinor === computed || amountMinor >= 0
      ? ''
      : ` Clawback limited to ${money(-amountMinor)}, what was paid and not yet clawed back for the returned line (computed ${money(computed)}).`;
  const on = line.orderDate ? ` of ${line.orderDate}` : '';
  return (
    `${rule.name}: ${formatPercent(rule.rate)} of ${money(baseMinor)}${detail ? ` (${detail})` : ''}${mult}` +
    ` = ${money(amountMinor)} on ${what} ${line.lineId}${on}.${limited}`
  );
}

/**
 * The sentence of a posting: an accrual's (real time or import) is the rule's sentence; a close's
 * true-up says what was accrued before, what is due and what it posted.
 */
export function explainPosting(
  rule: RuleForText,
  posting: PostingFacts,
  line: PostingLine,
  closeOf: string | null,
): string {
  const money = (m: number) => formatMoney({ amountMinor: m, currency: rule.currency });
  if (posting.dueMinor === null || closeOf === null)
    return ruleSentence(rule, posting.baseMinor, posting.amountMinor, line);
  const due = posting.dueMinor;
  const held = due - posting.amountMinor;
  if (held === 0)
    return `Posted at the close of ${closeOf}: ${ruleSentence(rule, posting.baseMinor, due, line)}`;
  if (due === 0)
    return `Reversed at the close of ${closeOf}: the ${money(held)} accrued for ${rule.component} on line ${line.lineId} is no longer due (${rule.tier}).`;
  return `True-up at the close of ${closeOf}: ${money(held)} accrued, ${money(due)} due, ${money(posting.amountMinor)} posted. ${ruleSentence(rule, posting.baseMinor, due, line)}`;
}
