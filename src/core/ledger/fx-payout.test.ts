import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertMinor, fxRate } from '../money/fx.js';
import { convertStatement, payoutLegs } from './fx-payout.js';
import { ACCOUNTS } from './settlement.js';

describe('payouts in the partner currency (core)', () => {
  it('golden: USD lines paid in EUR at 0.9259, the rounding difference its own leg', () => {
    const c = convertStatement([123_456, 78_901, 45_555, 1], 247_913, 'USD', 'EUR', fxRate('0.9259'));
    expect(c).toMatchObject({ linesMinor: 229_542, convertedMinor: 229_543, roundingMinor: 1 });
    expect(payoutLegs('USD', 247_913, c)).toEqual([
      { account: ACCOUNTS.payable, currency: 'USD', amountMinor: 247_913, role: 'payable' },
      { account: ACCOUNTS.fxConversion, currency: 'USD', amountMinor: -247_913, role: 'conversion-out' },
      { account: ACCOUNTS.fxConversion, currency: 'EUR', amountMinor: 229_542, role: 'conversion-in' },
      { account: ACCOUNTS.fxRounding, currency: 'EUR', amountMinor: 1, role: 'rounding' },
      { account: ACCOUNTS.cash, currency: 'EUR', amountMinor: -229_543, role: 'cash' },
    ]);
  });

  it('a payout in the program currency is the payable to cash, as before', () => {
    expect(payoutLegs('USD', 500, null)).toEqual([
      { account: ACCOUNTS.payable, currency: 'USD', amountMinor: 500, role: 'payable' },
      { account: ACCOUNTS.cash, currency: 'USD', amountMinor: -500, role: 'cash' },
    ]);
  });

  it('to a currency without minor units (JPY): lines and total round to yen, the difference posted', () => {
    // 0.05 USD at 161.25 = 8.0625 -> 8 yen each; three lines 24, the total 0.15 USD = 24.1875 -> 24.
    const c = convertStatement([5, 5, 5], 15, 'USD', 'JPY', fxRate('161.25'));
    expect(c).toMatchObject({ linesMinor: 24, convertedMinor: 24, roundingMinor: 0 });
    const d = convertStatement([3, 3, 3], 9, 'USD', 'JPY', fxRate('161.25'));
    // 0.03 USD = 4.8375 -> 5 yen each (15); 0.09 USD = 14.5125 -> 15: no difference.
    expect(d.roundingMinor).toBe(0);
    // 0.01 USD = 1.6125 -> 2 yen each (6); 0.03 USD = 4.8375 -> 5: the rounding gives back 1 yen.
    const e = convertStatement([1, 1, 1], 3, 'USD', 'JPY', fxRate('161.25'));
    expect(e).toMatchObject({ linesMinor: 6, convertedMinor: 5, roundingMinor: -1 });
  });

  it('property: every currency balances; converted lines + rounding = converted total', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -10_000_000, max: 100_000_000 }), { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 1, max: 999_999_999 }),
        fc.integer({ min: 0, max: 10 }),
        fc.constantFrom('EUR', 'GBP', 'JPY', 'CHF'),
        (lines, units, scale, to) => {
          const rate = { units: BigInt(units), scale };
          if (units / 10 ** scale > 1000) return;
          const total = lines.reduce((a, b) => a + b, 0);
          const c = convertStatement(lines, total, 'USD', to, rate);
          expect(c.linesMinor).toBe(lines.reduce((a, l) => a + convertMinor(l, 'USD', to, rate), 0));
          expect(c.convertedMinor).toBe(convertMinor(total, 'USD', to, rate));
          expect(c.linesMinor + c.roundingMinor).toBe(c.convertedMinor);
          const legs = payoutLegs('USD', total, c);
          const by = new Map<string, number>();
          for (const l of legs) by.set(l.currency, (by.get(l.currency) ?? 0) + l.amountMinor);
          for (const v of by.values()) expect(v).toBe(0);
          // The rounding never exceeds half a minor unit per line (each line's rounding is at most 1/2).
          expect(Math.abs(c.roundingMinor)).toBeLessThanOrEqual(Math.ceil((lines.length + 1) / 2));
        },
      ),
      { numRuns: 500, seed: 17 },
    );
  });
});
