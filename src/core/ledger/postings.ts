import {
  day,
  decimal,
  factor,
  list,
  message,
  money,
  optional,
  percent,
  renderEnglish,
  type Message,
} from '../messages/message.js';
import { applyRate, type Ppm } from '../money/rate.js';
import type { ComponentKind } from '../programs/types.js';
import { componentAccounts } from './settlement.js';

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

/**
 * The ledger rule of an accrual: debit the vendor's incentive expense, credit the partner's payable (earned
 * MDF: the vendor's MDF expense and the partner's MDF fund).
 */
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
    debitAccount: componentAccounts(p.kind).debit,
    creditAccount: componentAccounts(p.kind).credit,
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
  /**
   * A line invoiced in another currency than the program's (issue 17): what was invoiced, the rate, and
   * the converted amount; the sentence then shows both ("EUR 10,000.00 at 1.0712 = USD 10,712.00; 4% ...").
   */
  readonly original?: LineOriginal | null | undefined;
}

/** What a converted line was invoiced as. */
export interface LineOriginal {
  readonly amountMinor: number;
  readonly currency: string;
  /** The exact decimal rate text: 1 original = rate converted. */
  readonly rate: string;
  /** The line's amount in the program's currency. */
  readonly convertedMinor: number;
}

/** The original of a line from its stored columns (null when the line was in the program's currency). */
export function lineOriginal(l: {
  originalAmountMinor: number | string | null;
  originalCurrency: string | null;
  fxRate: string | null;
  amountMinor: number | string;
}): LineOriginal | null {
  return l.originalAmountMinor === null || l.originalCurrency === null || l.fxRate === null
    ? null
    : {
        amountMinor: Number(l.originalAmountMinor),
        currency: l.originalCurrency,
        rate: l.fxRate,
        convertedMinor: Number(l.amountMinor),
      };
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
 * What a rule earns on a line for an amount, as the engine words an accrual:
 * "Base rebate: 4% of USD 40,000.00 (Titanium, storage) x1.25 (exclusive) = USD 2,000.00 on line ... of
 * 2026-02-03." A return reads "on return"; a return limited to what was paid says so.
 */
export function ruleMessage(
  rule: RuleForText,
  baseMinor: number,
  amountMinor: number,
  line: PostingLine,
): Message {
  const family = line.family ?? '';
  const detail =
    rule.kind === 'base-rebate'
      ? [rule.tier, family].filter((s) => s !== '').join(', ')
      : rule.kind === 'deal-registration'
        ? null
        : family;
  const codes = rule.multipliers === '' ? [] : rule.multipliers.split(',');
  const computed = applyRate(baseMinor, rule.effectiveRate);
  // A base that is the converted line shows what was invoiced and the rate first.
  const original = line.original && line.original.convertedMinor === baseMinor ? line.original : null;
  return message(original ? 'ledger.ruleConverted' : 'ledger.rule', {
    ...(original
      ? {
          original: money(original.amountMinor, original.currency),
          fx: decimal(original.rate, original.rate.split('.')[1]?.length ?? 0),
        }
      : {}),
    name: rule.name,
    rate: percent(rule.rate),
    base: money(baseMinor, rule.currency),
    detail:
      detail === null
        ? { message: message('ledger.registration', { family }) }
        : optional(detail === '' ? null : message('ledger.detail', { detail })),
    multiplier: optional(
      codes.length === 0
        ? null
        : message('ledger.multiplier', { factor: factor(rule.multiplier), codes: list(codes) }),
    ),
    amount: money(amountMinor, rule.currency),
    what: { message: message(baseMinor < 0 ? 'ledger.return' : 'ledger.line', { lineId: line.lineId }) },
    on: optional(line.orderDate ? message('ledger.ofDay', { day: day(line.orderDate) }) : null),
    limited: optional(
      amountMinor === computed || amountMinor >= 0
        ? null
        : message('ledger.limited', {
            limit: money(-amountMinor, rule.currency),
            computed: money(computed, rule.currency),
          }),
    ),
  });
}

/** `ruleMessage` in English. */
export function ruleSentence(
  rule: RuleForText,
  baseMinor: number,
  amountMinor: number,
  line: PostingLine,
): string {
  return renderEnglish(ruleMessage(rule, baseMinor, amountMinor, line));
}

/**
 * What a posting says: an accrual's (real time or import) is the rule's message; a close's true-up says
 * what was accrued before, what is due and what it posted.
 */
export function postingMessage(
  rule: RuleForText,
  posting: PostingFacts,
  line: PostingLine,
  closeOf: string | null,
): Message {
  if (posting.dueMinor === null || closeOf === null)
    return ruleMessage(rule, posting.baseMinor, posting.amountMinor, line);
  const due = posting.dueMinor;
  const held = due - posting.amountMinor;
  const c = rule.currency;
  if (held === 0)
    return message('ledger.closePosted', {
      period: closeOf,
      rule: { message: ruleMessage(rule, posting.baseMinor, due, line) },
    });
  if (due === 0)
    return message('ledger.closeReversed', {
      period: closeOf,
      held: money(held, c),
      component: rule.component,
      lineId: line.lineId,
      tier: rule.tier,
    });
  return message('ledger.closeTrueUp', {
    period: closeOf,
    held: money(held, c),
    due: money(due, c),
    posted: money(posting.amountMinor, c),
    rule: { message: ruleMessage(rule, posting.baseMinor, due, line) },
  });
}

/** `postingMessage` in English (the API's and CSV's text). */
export function explainPosting(
  rule: RuleForText,
  posting: PostingFacts,
  line: PostingLine,
  closeOf: string | null,
): string {
  return renderEnglish(postingMessage(rule, posting, line, closeOf));
}
