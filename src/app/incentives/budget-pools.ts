import type { Scope } from '../../core/access/scope.js';
import { TrellisError } from '../../core/shared/errors.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import type { AppContext } from '../context.js';
import { programInForce } from '../programs/program-in-force.js';

/**
 * The budget pools of a program (such as the $150M fund that lifted EMC partners to Dell's rebate level)
 * and what they have funded: accrued (every credit to partners from a component the pool funds, true-ups
 * and adjustments included) and paid (on paid statements), against the pool's amount and its policy.
 */
export async function budgetPools(ctx: AppContext, scope: Scope, program: string, asOf?: string) {
  // A pool's accrued, paid and remaining are vendor-wide totals: a channel manager limited to regions is
  // not shown them (its partners' amounts are on their statements).
  if (scope.kind === 'vendor' && scope.regions.length > 0)
    throw new TrellisError(
      'forbidden',
      'budget pools are vendor-wide totals; a channel manager limited to regions does not see them',
    );
  const p = await programInForce(ctx, scope, program, asOf);
  const usage = await settlementRepository(ctx.store.db).poolUsage(p.programId);
  return {
    programId: p.programId,
    version: p.definition.version,
    pools: p.definition.budgetPools.map((pool) => {
      const accrued = usage.accrued.get(pool.code) ?? 0;
      const paid = usage.paid.get(pool.code) ?? 0;
      const amount = pool.amount.amountMinor;
      return {
        code: pool.code,
        name: pool.name,
        currency: pool.amount.currency,
        amountMinor: amount,
        accruedMinor: accrued,
        paidMinor: paid,
        remainingMinor: amount - accrued,
        usedPpm: amount > 0 ? Math.round((accrued * 1_000_000) / amount) : 0,
        onExhausted: pool.onExhausted,
        exhausted: accrued >= amount,
        overrunMinor: Math.max(0, accrued - amount),
        components: p.definition.components.filter((c) => c.budgetPool === pool.code).map((c) => c.code),
      };
    }),
  };
}
