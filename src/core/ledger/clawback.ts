/**
 * Clawback limits: a return claws back, per component, at most what the partner kept of the sale it
 * returns, less what earlier returns of that sale clawed back. One rule for real-time accrual, the bulk
 * import and the period close; each path says what "kept" is from what it knows:
 *
 * - real time and import: the sale's credits in the ledger (accruals and true-ups), per component;
 * - the close, for a sale of an earlier period: those credits scaled by the share its period finally paid
 *   (`keptOfLine`); for a sale of the period it closes: what the sale earns in this close.
 *
 * Returns of one sale take their turn (by date, then line id), each limited by what the previous left.
 */
export interface ComponentAmount {
  readonly component: string;
  /** Signed minor units as the partner sees them: a sale's credit is positive, a return's negative. */
  readonly amountMinor: number;
}

/** What is left to claw back of a sale, per component: what was kept plus what returns clawed (negative). */
export function leftOfSale(
  kept: Iterable<ComponentAmount>,
  clawed: Iterable<ComponentAmount> = [],
): Map<string, number> {
  const left = new Map<string, number>();
  for (const k of kept) left.set(k.component, (left.get(k.component) ?? 0) + k.amountMinor);
  for (const c of clawed) left.set(c.component, (left.get(c.component) ?? 0) + c.amountMinor);
  return left;
}

/** The limits a return takes from what is left: per component, never below zero (absent: nothing). */
export function limitsOf(left: ReadonlyMap<string, number>): Record<string, number> {
  const limits: Record<string, number> = {};
  for (const [component, amount] of left) limits[component] = Math.max(0, amount);
  return limits;
}

/**
 * One return takes its turn: it accrues under the limits of what is left, and what it claws back is taken
 * from what is left for the next return of the same sale. Returns what `accrue` proposed.
 */
export function returnInTurn<P extends ComponentAmount>(
  left: Map<string, number>,
  accrue: (limits: Record<string, number>) => readonly P[],
): readonly P[] {
  const proposals = accrue(limitsOf(left));
  for (const p of proposals) left.set(p.component, (left.get(p.component) ?? 0) + p.amountMinor);
  return proposals;
}

/** The order in which returns of one sale take their turn: by date, then by line id. */
export function inTurnOrder<R extends { readonly orderDate: string; readonly lineId: string }>(
  returns: readonly R[],
): R[] {
  return [...returns].sort((a, b) =>
    a.orderDate < b.orderDate
      ? -1
      : a.orderDate > b.orderDate
        ? 1
        : a.lineId < b.lineId
          ? -1
          : a.lineId > b.lineId
            ? 1
            : 0,
  );
}
