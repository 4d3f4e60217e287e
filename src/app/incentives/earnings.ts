import { readsStandingOf } from '../../core/access/policy.js';
import type { Scope } from '../../core/access/scope.js';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import { notFound } from '../../core/shared/errors.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import type { AppContext } from '../context.js';
import { closePeriod } from './close-period.js';

interface ComponentEarnings {
  component: string;
  /** Per-line accruals and their true-ups (minor units). */
  accruedMinor: number;
  /** Close items posted (cross-sell, growth, caps, minimums) and dispute adjustments without a line. */
  closeMinor: number;
  /**
   * What the component comes to for the period: earned (accrued + close) plus, for a period not closed
   * yet, what a close would post today. The same meaning as the period's `projectedMinor`.
   */
  projectedMinor: number;
  entries: number;
}

/**
 * What a partner has earned, straight from the ledger, per program and period: earned (every credit to
 * its rebate payable: real-time accruals, close true-ups, dispute adjustments), paid (payouts), and for
 * periods not closed yet, projected: earned plus what a close would post today (cross-sell, growth, caps
 * and true-ups, computed by a dry run of the close for this partner). `projectedMinor` means one thing at
 * every level (period, component, total): what it comes to if every open period were closed today.
 */
export async function partnerEarnings(ctx: AppContext, scope: Scope, partnerId: string, program?: string) {
  if (!readsStandingOf(scope, partnerId)) throw notFound('partner', partnerId);
  const partner = await ctx.repos.partners.get(scope, partnerId);
  if (!partner) throw notFound('partner', partnerId);
  let programId: string | undefined;
  if (program) {
    const p = await ctx.repos.programs.get(scope, program);
    if (!p) throw notFound('program', program);
    programId = p.id;
  }
  const db = ctx.store.db;
  const rows = await ledgerRepository(db).earnings(scope, partnerId, programId);
  const settlement = settlementRepository(db);
  const periods = new Map<
    string,
    {
      programId: string;
      period: string;
      currency: string;
      accruedMinor: number;
      earnedMinor: number;
      paidMinor: number;
      projectedMinor: number;
      closed: boolean;
      components: ComponentEarnings[];
    }
  >();
  for (const r of rows) {
    const key = `${r.programId}/${r.period}/${r.currency}`;
    let p = periods.get(key);
    if (!p)
      periods.set(
        key,
        (p = {
          programId: r.programId,
          period: r.period,
          currency: r.currency,
          accruedMinor: 0,
          earnedMinor: 0,
          paidMinor: 0,
          projectedMinor: 0,
          closed: false,
          components: [],
        }),
      );
    if (r.component === 'payout') {
      p.paidMinor += -r.amount;
      continue;
    }
    p.earnedMinor += r.amount;
    p.accruedMinor += r.amount;
    p.components.push({
      component: r.component,
      accruedMinor: r.lineAmount,
      closeMinor: r.amount - r.lineAmount,
      projectedMinor: r.amount,
      entries: r.entries,
    });
  }
  const closedByProgram = new Map<string, Set<string>>();
  for (const p of periods.values()) {
    if (!closedByProgram.has(p.programId))
      closedByProgram.set(
        p.programId,
        new Set((await settlement.closedPeriods(p.programId)).map((c) => c.period)),
      );
    p.closed = closedByProgram.get(p.programId)?.has(p.period) ?? false;
    p.projectedMinor = p.earnedMinor;
    if (p.closed) continue;
    const dry = await closePeriod(
      ctx,
      { actor: { kind: 'system', id: 'earnings-projection' }, scope: SYSTEM_SCOPE },
      { program: p.programId, period: p.period, dryRun: true, partnerId },
    );
    p.projectedMinor = p.earnedMinor + dry.netMinor;
    for (const c of dry.components) {
      if (c.trueUpMinor === 0) continue;
      let mine = p.components.find((x) => x.component === c.component);
      if (!mine)
        p.components.push(
          (mine = { component: c.component, accruedMinor: 0, closeMinor: 0, projectedMinor: 0, entries: 0 }),
        );
      mine.projectedMinor += c.trueUpMinor;
    }
  }
  const list = [...periods.values()];
  const sum = (f: (p: (typeof list)[number]) => number) => list.reduce((s, p) => s + f(p), 0);
  return {
    partnerId,
    periods: list,
    earnedMinor: sum((p) => p.earnedMinor),
    paidMinor: sum((p) => p.paidMinor),
    projectedMinor: sum((p) => p.projectedMinor),
    status: earningsStatus(list),
  };
}

/**
 * `none` when the partner has no entry (nothing earned, nothing closed); `closed` when every period with
 * entries is closed; `provisional` when one of them is still open.
 */
export function earningsStatus(periods: readonly { closed: boolean }[]): 'none' | 'provisional' | 'closed' {
  if (periods.length === 0) return 'none';
  return periods.some((p) => !p.closed) ? 'provisional' : 'closed';
}
