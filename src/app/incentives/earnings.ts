import type { Scope } from '../../core/access/scope.js';
import { notFound } from '../../core/shared/errors.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import type { AppContext } from '../context.js';

/**
 * What a partner has earned, straight from the ledger: per program, period and component, the provisional
 * accruals posted as its orders came in. Paid amounts and close-time components (cross-sell, growth,
 * caps) appear once period close and payouts exist.
 */
export async function partnerEarnings(ctx: AppContext, scope: Scope, partnerId: string, program?: string) {
  const partner = await ctx.repos.partners.get(scope, partnerId);
  if (!partner) throw notFound('partner', partnerId);
  let programId: string | undefined;
  if (program) {
    const p = await ctx.repos.programs.get(scope, program);
    if (!p) throw notFound('program', program);
    programId = p.id;
  }
  const rows = await ledgerRepository(ctx.store.db).earnings(scope, partnerId, programId);
  const periods = new Map<
    string,
    {
      programId: string;
      period: string;
      currency: string;
      accruedMinor: number;
      components: { component: string; accruedMinor: number; entries: number }[];
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
          components: [],
        }),
      );
    p.accruedMinor += r.amount;
    p.components.push({ component: r.component, accruedMinor: r.amount, entries: r.entries });
  }
  return { partnerId, periods: [...periods.values()], paidMinor: 0, status: 'provisional' as const };
}
