import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fxRate, RateBook, type DayRate } from '../money/fx.js';
import {
  convertOrder,
  currencyProblem,
  missingRateMessage,
  type OrderRatePolicy,
  type SoldLineRate,
} from './order-currency.js';

const rates = (rows: [string, string, string, string][]): DayRate[] =>
  rows.map(([base, quote, day, rate]) => ({ base, quote, day, rate: fxRate(rate) }));
const BRIDGE: OrderRatePolicy = {
  missing: { policy: 'last-known', withinDays: 5 },
  program: 'dell-emc-partner-program FY27',
};
const REFUSE: OrderRatePolicy = { missing: { policy: 'refuse' }, program: 'dell-emc-partner-program FY27' };
const NONE = new Map<string, SoldLineRate | null>();
const line = (quantity: number, unitPriceMinor: number, returnsLineId?: string) => ({
  productId: 'p',
  quantity,
  unitPriceMinor,
  ...(returnsLineId ? { returnsLineId } : {}),
});

describe('orders in other currencies', () => {
  const book = new RateBook(
    rates([
      ['EUR', 'USD', '2026-03-02', '1.0712'],
      ['EUR', 'GBP', '2026-03-02', '0.84'],
    ]),
  );

  it('converts each line at the day rate, half to even, the total being the sum of the lines', () => {
    const out = convertOrder(
      { currency: 'EUR', orderDate: '2026-03-02', lines: [line(1, 1_000_000), line(3, 5)] },
      'USD',
      BRIDGE,
      book,
      NONE,
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    // EUR 10,000.00 x 1.0712 = USD 10,712.00; 15 cents x 1.0712 = 16.068 -> 16.
    expect(out.lines.map((l) => l.amountMinor)).toEqual([1_071_200, 16]);
    expect(out.totalMinor).toBe(1_071_216);
    expect(out.originalTotalMinor).toBe(1_000_015);
    expect(out.lines[0]?.fx).toEqual({
      originalCurrency: 'EUR',
      originalUnitPriceMinor: 1_000_000,
      originalAmountMinor: 1_000_000,
      fxRate: '1.0712',
      fxRateDay: '2026-03-02',
      fxRateSource: 'direct',
    });
  });

  it('leaves an order in the program currency as it is, with no rate', () => {
    const out = convertOrder(
      { currency: 'USD', orderDate: '2026-03-09', lines: [line(2, 150)] },
      'USD',
      REFUSE,
      null,
      NONE,
    );
    expect(out).toEqual({
      ok: true,
      lines: [{ unitPriceMinor: 150, amountMinor: 300, currency: 'USD', fx: null }],
      totalMinor: 300,
      originalTotalMinor: null,
      originalCurrency: null,
    });
  });

  it('bridges a missing day within the window, and refuses beyond it or under refuse', () => {
    const bridged = convertOrder(
      { currency: 'EUR', orderDate: '2026-03-07', lines: [line(1, 100)] },
      'USD',
      BRIDGE,
      book,
      NONE,
    );
    expect(bridged.ok && bridged.lines[0]?.fx?.fxRateDay).toBe('2026-03-02');
    const late = convertOrder(
      { currency: 'EUR', orderDate: '2026-03-08', lines: [line(1, 100)] },
      'USD',
      BRIDGE,
      book,
      NONE,
    );
    expect(late).toEqual({
      ok: false,
      errors: [
        {
          location: 'body.currency',
          message: missingRateMessage('EUR', 'USD', '2026-03-08', BRIDGE),
        },
      ],
    });
    expect(missingRateMessage('EUR', 'USD', '2026-03-08', BRIDGE)).toBe(
      'no EUR/USD rate for 2026-03-08, nor within the 5 days before it (dell-emc-partner-program FY27 bridges up to 5 days); load the rate (trellis rates import)',
    );
    const refused = convertOrder(
      { currency: 'EUR', orderDate: '2026-03-03', lines: [line(1, 100)] },
      'USD',
      REFUSE,
      book,
      NONE,
    );
    expect(!refused.ok && refused.errors[0]?.message).toMatch(/refuses a missing rate/);
  });

  it('converts a return at the rate of its sale, cancelling it to the cent', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000 }),
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.integer({ min: 1, max: 99_999_999 }),
        (quantity, unit, units) => {
          const rate = `${Math.floor(units / 10_000_000)}.${String(units % 10_000_000).padStart(7, '0')}`;
          const sold: SoldLineRate = {
            fxRate: fxRateText(rate),
            fxRateDay: '2026-01-05',
            fxRateSource: 'direct',
          };
          const sale = convertOrder(
            { currency: 'EUR', orderDate: '2026-01-05', lines: [line(quantity, unit)] },
            'USD',
            REFUSE,
            new RateBook(rates([['EUR', 'USD', '2026-01-05', rate]])),
            NONE,
          );
          const back = convertOrder(
            { currency: 'EUR', orderDate: '2026-06-30', lines: [line(-quantity, unit, 'oln_1')] },
            'USD',
            REFUSE,
            null,
            new Map([['oln_1', sold]]),
          );
          expect(sale.ok && back.ok).toBe(true);
          if (!sale.ok || !back.ok) return;
          expect((sale.lines[0]?.amountMinor ?? 0) + (back.lines[0]?.amountMinor ?? 0)).toBe(0);
          expect(back.lines[0]?.fx?.fxRateDay).toBe('2026-01-05');
        },
      ),
    );
  });

  it('gives the return that takes the last of a sale what is left of it converted, to the cent', () => {
    // 3 x EUR 0.05 at 1.05: the sale is 15.75 -> 16 cents; each unit alone is 5.25 -> 5 cents.
    const sold: SoldLineRate = {
      fxRate: '1.05',
      fxRateDay: '2026-01-05',
      fxRateSource: 'direct',
      left: { originalMinor: 15, convertedMinor: 16 },
    };
    const back = (lines: ReturnType<typeof line>[], rate: SoldLineRate) =>
      convertOrder(
        { currency: 'EUR', orderDate: '2026-02-01', lines },
        'USD',
        REFUSE,
        null,
        new Map([['oln_1', rate]]),
      );
    const first = back([line(-1, 5, 'oln_1')], sold);
    expect(first.ok && first.lines.map((l) => l.amountMinor)).toEqual([-5]);
    // Then two units in one order: the first is 5, the second takes what is left (16 - 5 - 5 = 6).
    const rest = back([line(-1, 5, 'oln_1'), line(-1, 5, 'oln_1')], {
      ...sold,
      left: { originalMinor: 10, convertedMinor: 11 },
    });
    expect(rest.ok && rest.lines.map((l) => l.amountMinor)).toEqual([-5, -6]);
  });

  it('converts through a cross rate and names how', () => {
    const out = convertOrder(
      { currency: 'GBP', orderDate: '2026-03-02', lines: [line(1, 100_000)] },
      'USD',
      REFUSE,
      book,
      NONE,
    );
    // GBP/USD = 1.0712 / 0.84 = 1.27523809523... -> 1.2752380952; GBP 1,000.00 -> USD 1,275.24.
    expect(out.ok && out.lines[0]).toMatchObject({
      amountMinor: 127_524,
      fx: { fxRate: '1.2752380952', fxRateSource: 'cross:EUR' },
    });
  });

  it('refuses an unknown code and a currency not accepted there, naming the accepted ones', () => {
    const terms = { accepted: ['USD', 'EUR'], programs: 'p FY27', country: 'FR' };
    expect(currencyProblem('EUR', terms)).toBeNull();
    expect(currencyProblem('XQX', terms)).toBe(
      'unknown currency "XQX"; expected an ISO 4217 code such as "EUR"',
    );
    expect(currencyProblem('GBP', terms)).toBe(
      'GBP is not accepted for orders in FR under p FY27; accepted: USD, EUR',
    );
  });

  it('refuses a line that converts past the money limits', () => {
    const out = convertOrder(
      { currency: 'EUR', orderDate: '2026-03-02', lines: [line(1_000, 1_000_000_000)] },
      'USD',
      REFUSE,
      book,
      NONE,
    );
    expect(!out.ok && out.errors[0]?.location).toBe('body.lines.0.unitPriceMinor');
  });
});

/** The canonical text of a rate, as stored (trailing zeros dropped). */
function fxRateText(text: string): string {
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
