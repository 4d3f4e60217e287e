import type { Scope } from '../../core/access/scope.js';
import { lineOriginal, postingMessage } from '../../core/ledger/postings.js';
import { renderEnglish, storedExplanation, type Message } from '../../core/messages/message.js';
import type { ComponentKind } from '../../core/programs/types.js';
import { notFound } from '../../core/shared/errors.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import type { AppContext } from '../context.js';

/** One leg of the ledger as people read it: an account moved by an amount, with the rule and why. */
export interface LedgerLeg {
  transactionId: string;
  /** accrual, accrual-return, true-up, adjustment, payout, solution-reward */
  transactionKind: string;
  postedAt: string;
  partnerId: string | null;
  period: string;
  lineId: string | null;
  orderDate: string | null;
  family: string | null;
  account: string;
  /** Debits positive, credits negative. */
  amountMinor: number;
  currency: string;
  component: string;
  ruleId: string;
  ruleVersion: string;
  tier: string;
  baseMinor: number;
  rate: number;
  multiplier: number;
  effectiveRate: number;
  budgetPool: string | null;
  explanation: string;
  explanationMessage: Message | null;
}

/**
 * How each cent of an order came about: every ledger leg on its lines (a posting shown as its debit and
 * credit legs), each with its rule, inputs and sentence. A partner sees only what it earned (a
 * distributor's order can earn for the reseller too); a vendor sees its own orders.
 */
function explained(e: { text: string; message: Message | null }) {
  return { explanation: e.text, explanationMessage: e.message };
}

export async function orderLedger(ctx: AppContext, scope: Scope, orderId: string): Promise<LedgerLeg[]> {
  const order = await ctx.repos.orders.get(scope, orderId);
  if (!order) throw notFound('order', orderId);
  const { entries, postings } = await ledgerRepository(ctx.store.db).orderLedger(
    orderId,
    scope.kind === 'partner' ? scope.partnerId : null,
  );
  const legs: LedgerLeg[] = entries.map((e) => ({
    transactionId: e.transactionId,
    transactionKind: e.txKind,
    postedAt: e.postedAt,
    partnerId: e.partnerId,
    period: e.period,
    lineId: e.lineId,
    orderDate: e.orderDate,
    family: e.family,
    account: e.account,
    amountMinor: Number(e.amountMinor),
    currency: e.currency,
    component: e.component,
    ruleId: e.ruleId,
    ruleVersion: e.ruleVersion,
    tier: e.tier,
    baseMinor: Number(e.baseMinor),
    rate: e.rate,
    multiplier: e.multiplier,
    effectiveRate: e.effectiveRate,
    budgetPool: e.budgetPool,
    ...explained(storedExplanation(e.explanation)),
  }));
  for (const p of postings) {
    const amount = Number(p.amountMinor);
    const due = p.dueMinor === null ? null : Number(p.dueMinor);
    const message = postingMessage(
      { ...p, kind: p.kind as ComponentKind },
      { baseMinor: Number(p.baseMinor), amountMinor: amount, dueMinor: due },
      {
        lineId: p.lineId ?? '',
        orderDate: p.orderDate,
        family: p.family,
        original: lineOriginal({ ...p, amountMinor: p.lineAmountMinor }),
      },
      due === null ? null : p.period,
    );
    for (const [account, amountMinor] of [
      [p.debitAccount, amount],
      [p.creditAccount, -amount],
    ] as const)
      legs.push({
        transactionId: p.transactionId,
        transactionKind: p.txKind,
        postedAt: p.postedAt,
        partnerId: p.partnerId,
        period: p.period,
        lineId: p.lineId,
        orderDate: p.orderDate,
        family: p.family,
        account,
        amountMinor,
        currency: p.currency,
        component: p.component,
        ruleId: p.ruleId,
        ruleVersion: p.ruleVersion,
        tier: p.tier,
        baseMinor: Number(p.baseMinor),
        rate: p.rate,
        multiplier: p.multiplier,
        effectiveRate: p.effectiveRate,
        budgetPool: p.budgetPool,
        explanation: renderEnglish(message),
        explanationMessage: message,
      });
  }
  return legs.sort((a, b) =>
    a.postedAt !== b.postedAt
      ? a.postedAt < b.postedAt
        ? -1
        : 1
      : (a.lineId ?? '').localeCompare(b.lineId ?? '') || a.transactionId.localeCompare(b.transactionId),
  );
}
