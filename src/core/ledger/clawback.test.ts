import { describe, expect, it } from 'vitest';
import { inTurnOrder, leftOfSale, limitsOf, returnInTurn } from './clawback.js';

describe('clawback limits', () => {
  it('limits a return to what the sale kept, less what earlier returns clawed back', () => {
    const left = leftOfSale(
      [
        { component: 'base', amountMinor: 300 },
        { component: 'nb', amountMinor: 800 },
      ],
      [{ component: 'base', amountMinor: -100 }],
    );
    expect(limitsOf(left)).toEqual({ base: 200, nb: 800 });
  });

  it('a return priced above its sale claws back only what the sale earned (USD 100 sale, USD 200 return)', () => {
    const left = leftOfSale([{ component: 'base', amountMinor: 10_000 }]);
    // The engine would claw back twice the sale at the same rate; the limit keeps it to the sale's credit.
    const accrue = (limits: Record<string, number>) => [
      { component: 'base', amountMinor: Math.max(-20_000, 0 - (limits.base ?? 0)) },
    ];
    expect(returnInTurn(left, accrue)).toEqual([{ component: 'base', amountMinor: -10_000 }]);
    // A second return of the same sale finds nothing left.
    expect(returnInTurn(left, accrue)).toEqual([{ component: 'base', amountMinor: 0 }]);
  });

  it('never gives a negative limit, and nothing for a component the sale did not earn', () => {
    expect(
      limitsOf(leftOfSale([{ component: 'base', amountMinor: 5 }], [{ component: 'base', amountMinor: -9 }])),
    ).toEqual({
      base: 0,
    });
    expect(limitsOf(leftOfSale([]))).toEqual({});
  });

  it('takes returns in date order, then line id', () => {
    const r = (lineId: string, orderDate: string) => ({ lineId, orderDate });
    expect(
      inTurnOrder([r('b', '2017-03-02'), r('c', '2017-03-01'), r('a', '2017-03-02')]).map((x) => x.lineId),
    ).toEqual(['c', 'a', 'b']);
  });
});
