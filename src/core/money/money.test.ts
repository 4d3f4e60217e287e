import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatMoney, parseMoney } from './money.js';
import {
  applyRate,
  divRoundHalfEven,
  formatFactor,
  formatPercent,
  parseFactor,
  parsePercent,
} from './rate.js';

describe('parseMoney', () => {
  it.each([
    ['USD 3,000,000', 300_000_000],
    ['USD 1.6M', 160_000_000],
    ['USD 400K', 40_000_000],
    ['EUR 500000.00', 50_000_000],
    ['JPY 1,000', 1000],
    ['USD 0.01', 1],
  ])('%s is %i minor units', (text, minor) => {
    expect(parseMoney(text)).toEqual({ ok: true, value: { amountMinor: minor, currency: text.slice(0, 3) } });
  });

  it.each(['3000000', 'usd 3', 'USD 1.234', 'XXX 5', 'USD 3,00,000', 'JPY 1.5'])('rejects %s', (text) => {
    expect(parseMoney(text).ok).toBe(false);
  });

  it('round-trips through formatMoney', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (n) => {
        const text = formatMoney({ amountMinor: n, currency: 'USD' });
        expect(parseMoney(text)).toEqual({ ok: true, value: { amountMinor: n, currency: 'USD' } });
      }),
    );
  });
});

describe('rates', () => {
  it('parses percentages and factors exactly', () => {
    expect(parsePercent('4%')).toEqual({ ok: true, value: 40_000 });
    expect(parsePercent('0.5%')).toEqual({ ok: true, value: 5_000 });
    expect(parseFactor('x1.25')).toEqual({ ok: true, value: 1_250_000 });
    expect(parseFactor(1.25)).toEqual({ ok: true, value: 1_250_000 });
    expect(parsePercent('4')).toMatchObject({ ok: false });
    expect(formatPercent(40_000)).toBe('4%');
    expect(formatPercent(12_500)).toBe('1.25%');
    expect(formatFactor(1_250_000)).toBe('x1.25');
  });

  it('is exact where the float quotient lands next to an integer', () => {
    // 4_000_000_000 * 1_000_000 - 1 over 1e6: the float division rounds up to 4e9.
    expect(applyRate(3_999_999_999, 1_000_000)).toBe(3_999_999_999);
    expect(divRoundHalfEven(4_000_000_000_000_000 - 1, 1_000_000)).toBe(4_000_000_000);
  });

  it('rounds half to even', () => {
    expect(divRoundHalfEven(5, 2)).toBe(2);
    expect(divRoundHalfEven(7, 2)).toBe(4);
    expect(divRoundHalfEven(-5, 2)).toBe(-2);
    expect(applyRate(1, 40_000)).toBe(0); // 0.04 cent
    expect(applyRate(100, 40_000)).toBe(4); // $1 at 4% is 4 cents: from the first dollar
    expect(applyRate(1250, 40_000)).toBe(50);
    expect(applyRate(12_50, 1_250_000)).toBe(1562); // 1562.5 -> 1562 (even)
  });

  it('takes the exact BigInt path for large products and agrees with it elsewhere', () => {
    fc.assert(
      fc.property(fc.integer({ min: -9e14, max: 9e14 }), fc.integer({ min: 0, max: 5_000_000 }), (a, r) => {
        const exact = (() => {
          const p = BigInt(a) * BigInt(r);
          const d = 1_000_000n;
          let q = p / d;
          let rem = p % d;
          if (rem < 0n) {
            q -= 1n;
            rem += d;
          }
          if (2n * rem > d || (2n * rem === d && q % 2n !== 0n)) q += 1n;
          return Number(q);
        })();
        expect(applyRate(a, r)).toBe(exact);
      }),
      { numRuns: 20_000 },
    );
  });
});
