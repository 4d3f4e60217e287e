import type { Kysely } from 'kysely';
import { leftOfSale, returnInTurn, type ComponentAmount } from '../../core/ledger/clawback.js';
import { settlementRepository } from '../../db/repositories/settlement-repository.js';
import type { Database } from '../../db/schema.js';

/** Key of what is left of one sold line in one program. */
export const saleKey = (lineId: string, programId: string) => `${lineId}\u0000${programId}`;

/**
 * What is left to claw back of each returned sale, per program and component, as the ledger holds it (the
 * rule is core's `leftOfSale`): the sale's engine credits (accruals and true-ups, any period) plus what its
 * returns posted so far clawed back. Real-time accrual and the import read it before accruing returns.
 */
export async function returnedSalesLeft(
  db: Kysely<Database>,
  saleIds: readonly string[],
): Promise<Map<string, Map<string, number>>> {
  const left = new Map<string, Map<string, number>>();
  if (saleIds.length === 0) return left;
  const repo = settlementRepository(db);
  const returns = await repo.returnsOf(saleIds);
  const saleOf = new Map(returns.map((r) => [r.id, r.returnsLineId as string]));
  const credits = await repo.lineCredits([...saleIds, ...returns.map((r) => r.id)]);
  const kept = new Map<string, ComponentAmount[]>();
  const clawed = new Map<string, ComponentAmount[]>();
  for (const c of credits) {
    const sale = saleOf.get(c.lineId);
    const key = saleKey(sale ?? c.lineId, c.programId);
    const into = sale ? clawed : kept;
    const list = into.get(key) ?? [];
    list.push(c);
    into.set(key, list);
  }
  for (const key of new Set([...kept.keys(), ...clawed.keys()]))
    left.set(key, leftOfSale(kept.get(key) ?? [], clawed.get(key) ?? []));
  return left;
}

/**
 * Accrues a line: a return of a known sale takes its turn under the clawback limits of what is left of
 * the sale (and takes what it claws back from it); any other line accrues as it is.
 */
export function accrueInTurn<P extends ComponentAmount>(
  left: Map<string, Map<string, number>>,
  programId: string,
  line: { amountMinor: number; returnsLineId?: string | null | undefined },
  accrue: (limits: Record<string, number> | null) => readonly P[],
): readonly P[] {
  if (!line.returnsLineId || line.amountMinor >= 0) return accrue(null);
  const key = saleKey(line.returnsLineId, programId);
  let sale = left.get(key);
  if (!sale) left.set(key, (sale = new Map()));
  return returnInTurn(sale, accrue);
}
