import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrellisError } from '../shared/errors.js';
import {
  checkRates,
  convertMinor,
  crossRate,
  daysBefore,
  formatFxRate,
  fxRate,
  invertRate,
  meanRate,
  parseFxRate,
  RateBook,
} from './fx.js';

describe('exchange rates', () => {
  it('parses exact decimals and refuses what is not a positive rate', () => {
    expect(formatFxRate(fxRate('1.0712'))).toBe('1.0712');
    expect(formatFxRate(fxRate('1.07120'))).toBe('1.0712');
    expect(formatFxRate(fxRate('161'))).toBe('161');
    expect(formatFxRate(fxRate('0.000123'))).toBe('0.000123');
    for (const bad of ['0', '0.000', '-1.2', '1,07', '1e3', '', 'abc', '1.12345678901'])
      expect(parseFxRate(bad).ok, bad).toBe(false);
    const zero = parseFxRate('0');
    expect(!zero.ok && zero.error).toMatch(/greater than zero/);
  });

  it('converts EUR 10,000.00 at 1.0712 to USD 10,712.00, half to even, across minor units', () => {
    expect(convertMinor(1_000_000, 'EUR', 'USD', fxRate('1.0712'))).toBe(1_071_200);
    // 0.125 cent rounds to even: 12.5 -> 12, 13.5 -> 14
    expect(convertMinor(25, 'EUR', 'USD', fxRate('0.5'))).toBe(12);
    expect(convertMinor(27, 'EUR', 'USD', fxRate('0.5'))).toBe(14);
    expect(convertMinor(-25, 'EUR', 'USD', fxRate('0.5'))).toBe(-12);
    // EUR cents to yen: EUR 10.00 at 161.25 = JPY 1,613 (1612.5 -> even)
    expect(convertMinor(1000, 'EUR', 'JPY', fxRate('161.25'))).toBe(1612);
    expect(convertMinor(1000, 'USD', 'USD', fxRate('2'))).toBe(1000);
  });

  it('derives inverse and cross rates to ten decimals', () => {
    expect(formatFxRate(invertRate(fxRate('1.25')))).toBe('0.8');
    expect(formatFxRate(invertRate(fxRate('3')))).toBe('0.3333333333');
    // GBP/USD from EUR/USD 1.08 and EUR/GBP 0.84: 1.08 / 0.84 = 1.2857142857...
    expect(formatFxRate(crossRate(fxRate('0.84'), fxRate('1.08')))).toBe('1.2857142857');
    expect(formatFxRate(meanRate([fxRate('1.07'), fxRate('1.08'), fxRate('1.0805')]))).toBe('1.0768333333');
  });

  it("finds a day's rate: loaded, inverted, crossed, or the last known within the window", () => {
    const book = new RateBook([
      { base: 'EUR', quote: 'USD', day: '2026-03-02', rate: fxRate('1.08') },
      { base: 'EUR', quote: 'GBP', day: '2026-03-02', rate: fxRate('0.84') },
      { base: 'EUR', quote: 'USD', day: '2026-03-03', rate: fxRate('1.09') },
    ]);
    expect(book.exact('EUR', 'USD', '2026-03-03')?.derivation).toEqual({ kind: 'direct' });
    expect(formatFxRate(book.exact('USD', 'EUR', '2026-03-02')!.rate)).toBe('0.9259259259');
    const cross = book.exact('GBP', 'USD', '2026-03-02');
    expect(cross?.derivation).toEqual({ kind: 'cross', via: 'EUR' });
    expect(book.exact('GBP', 'USD', '2026-03-03')).toBeNull();
    expect(book.find('EUR', 'USD', '2026-03-05', { policy: 'refuse' })).toBeNull();
    const bridged = book.find('EUR', 'USD', '2026-03-05', { policy: 'last-known', withinDays: 3 });
    expect(bridged).toMatchObject({ day: '2026-03-05', rateDay: '2026-03-03' });
    expect(book.find('EUR', 'USD', '2026-03-07', { policy: 'last-known', withinDays: 3 })).toBeNull();
    expect(book.find('GBP', 'USD', '2026-03-04', { policy: 'last-known', withinDays: 5 })?.rateDay).toBe(
      '2026-03-02',
    );
    const avg = book.average('EUR', 'USD', '2026-03-01', '2026-03-31');
    expect(avg && formatFxRate(avg.rate)).toBe('1.085');
    expect(avg?.days).toBe(2);
  });

  it('crosses through a currency whichever way its pairs were loaded, and treats an unkeepable rate as missing', () => {
    const book = new RateBook([
      { base: 'GBP', quote: 'EUR', day: '2026-03-02', rate: fxRate('1.19') },
      { base: 'EUR', quote: 'USD', day: '2026-03-02', rate: fxRate('1.08') },
      { base: 'USD', quote: 'KRW', day: '2026-03-02', rate: fxRate('20000000000') },
    ]);
    // GBP/USD = 1.19 x 1.08 = 1.2852 exactly.
    const cross = book.exact('GBP', 'USD', '2026-03-02');
    expect(cross && { rate: formatFxRate(cross.rate), derivation: cross.derivation }).toEqual({
      rate: '1.2852',
      derivation: { kind: 'cross', via: 'EUR' },
    });
    // 1 / 2e10 rounds to zero at ten decimals: not a rate one can convert with.
    expect(book.exact('KRW', 'USD', '2026-03-02')).toBeNull();
    expect(() => daysBefore('2026-13-01', 4)).toThrow(TrellisError);
    expect(() => convertMinor(9e14, 'USD', 'KRW', fxRate('20000000000'))).toThrow(TrellisError);
  });

  it("a return converted at its sale's rate cancels the sale exactly (rounding is symmetric)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e11, max: 1e11 }),
        fc.integer({ min: 1, max: 10_000_000_000 }),
        fc.integer({ min: 6, max: 10 }),
        (amount, units, scale) => {
          const rate = { units: BigInt(units), scale };
          const r = parseFxRate(formatFxRate(rate));
          if (!r.ok) return;
          expect(convertMinor(-amount, 'EUR', 'USD', r.value)).toBe(
            -convertMinor(amount, 'EUR', 'USD', r.value) + 0,
          );
          // Within half a minor unit of the exact product.
          const exact = (amount * units) / 10 ** scale;
          expect(Math.abs(convertMinor(amount, 'EUR', 'USD', r.value) - exact)).toBeLessThanOrEqual(
            0.5 + Math.abs(exact) * 1e-12,
          );
        },
      ),
    );
  });

  it("refuses a rate file's bad rows, each where it is", () => {
    const at = (i: number, f: string) => `line ${i + 2}, column ${f}`;
    const errors = checkRates(
      [
        { base: 'EUR', quote: 'USD', day: '2026-03-02', rate: '1.08' },
        { base: 'EUR', quote: 'USD', day: '2026-03-02', rate: '1.09' },
        { base: 'EUR', quote: 'XXX', day: '2026-02-30', rate: '-1' },
        { base: 'GBP', quote: 'GBP', day: '2026-03-02', rate: '1' },
      ],
      at,
    );
    expect(errors).toEqual([
      {
        location: 'line 3, column day',
        message: expect.stringMatching(/second EUR\/USD rate for 2026-03-02 \(the first is at line 2/),
      },
      { location: 'line 4, column quote', message: expect.stringMatching(/unknown currency "XXX"/) },
      { location: 'line 4, column day', message: expect.stringMatching(/not a date/) },
      { location: 'line 4, column rate', message: expect.stringMatching(/not a rate/) },
      { location: 'line 5, column quote', message: expect.stringMatching(/not GBP to itself/) },
    ]);
  });
});
