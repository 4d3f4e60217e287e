import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatPpmFactor,
  formatPpmPercent,
  isMoney,
  minorExponent,
  parseMajorToMinor,
  parseSignedMajorToMinor,
  scaledDecimal,
} from './money';

describe('scaledDecimal', () => {
  it('places the decimal point exactly', () => {
    expect(scaledDecimal(12345, 2)).toBe('123.45');
    expect(scaledDecimal(5, 3)).toBe('0.005');
    expect(scaledDecimal(-12345, 2)).toBe('-123.45');
    expect(scaledDecimal(-5, 2)).toBe('-0.05');
    expect(scaledDecimal(0, 2)).toBe('0.00');
    expect(scaledDecimal(42, 0)).toBe('42');
  });
  it('trims trailing zeros on request', () => {
    expect(scaledDecimal(25000, 4, true)).toBe('2.5');
    expect(scaledDecimal(1000000, 6, true)).toBe('1');
    expect(scaledDecimal(0, 4, true)).toBe('0');
  });
  it('is exact for the largest safe integers', () => {
    expect(scaledDecimal(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
  });
  it('rejects non-integers', () => {
    expect(() => scaledDecimal(1.5, 2)).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('formats minor units in the currency', () => {
    expect(formatMoney(123456, 'USD', 'en-US')).toBe('$1,234.56');
    expect(formatMoney(300000000, 'USD', 'en-US')).toBe('$3,000,000.00');
    expect(formatMoney(-5, 'USD', 'en-US')).toBe('-$0.05');
    expect(formatMoney(1234, 'JPY', 'en-US')).toBe('¥1,234');
    expect(formatMoney(1234, 'KWD', 'en-US').replace(/\s/g, ' ')).toBe('KWD 1.234');
    expect(formatMoney(50000, 'EUR', 'en-GB')).toBe('€500.00');
  });
  it('can drop all-zero minor digits', () => {
    expect(formatMoney(300000000, 'USD', 'en-US', { dropZeroMinor: true })).toBe('$3,000,000');
    expect(formatMoney(300000050, 'USD', 'en-US', { dropZeroMinor: true })).toBe('$3,000,000.50');
    expect(formatMoney(-100, 'USD', 'en-US', { dropZeroMinor: true })).toBe('-$1');
  });
  it('does not lose precision on large amounts', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });
  it('falls back for unknown currencies', () => {
    expect(formatMoney(100, 'usd', 'en-US')).toBe('100 usd (minor units)');
  });
  it('knows currency exponents', () => {
    expect(minorExponent('USD')).toBe(2);
    expect(minorExponent('JPY')).toBe(0);
    expect(minorExponent('nope')).toBeNull();
  });
});

describe('isMoney', () => {
  it('recognises money objects only', () => {
    expect(isMoney({ amountMinor: 1, currency: 'USD' })).toBe(true);
    expect(isMoney({ amountMinor: 1.5, currency: 'USD' })).toBe(false);
    expect(isMoney({ amountMinor: '1', currency: 'USD' })).toBe(false);
    expect(isMoney(null)).toBe(false);
    expect(isMoney([1, 'USD'])).toBe(false);
  });
});

describe('ppm', () => {
  it('formats rates as percentages (10,000 ppm = 1%)', () => {
    expect(formatPpmPercent(10000)).toBe('1%');
    expect(formatPpmPercent(25000)).toBe('2.5%');
    expect(formatPpmPercent(1)).toBe('0.0001%');
    expect(formatPpmPercent(-5000)).toBe('-0.5%');
  });
  it('formats factors (1,000,000 ppm = x1)', () => {
    expect(formatPpmFactor(1000000)).toBe('×1');
    expect(formatPpmFactor(1250000)).toBe('×1.25');
    expect(formatPpmFactor(500000)).toBe('×0.5');
  });
});

describe('parseMajorToMinor', () => {
  it('shifts the decimal point exactly', () => {
    expect(parseMajorToMinor('1250', 2)).toBe(125000);
    expect(parseMajorToMinor('1,250.5', 2)).toBe(125050);
    expect(parseMajorToMinor(' 0.07 ', 2)).toBe(7);
    expect(parseMajorToMinor('.5', 2)).toBe(50);
    expect(parseMajorToMinor('3.', 2)).toBe(300);
    expect(parseMajorToMinor('0.29', 2)).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
    expect(parseMajorToMinor('500', 0)).toBe(500);
    expect(parseMajorToMinor('1.234', 3)).toBe(1234);
    expect(parseMajorToMinor('0', 2)).toBe(0);
    expect(parseMajorToMinor('90071992547409.91', 2)).toBe(9007199254740991);
  });
  it('refuses what is not a non-negative amount in the currency', () => {
    for (const bad of ['', '.', '-5', '1.234', 'abc', '1e6', '1.2.3', '90071992547409.92'])
      expect(parseMajorToMinor(bad, 2)).toBeNull();
    expect(parseMajorToMinor('1.5', 0)).toBeNull();
  });
});

describe('parseSignedMajorToMinor', () => {
  it('takes an optional sign', () => {
    expect(parseSignedMajorToMinor('-400', 2)).toBe(-40000);
    expect(parseSignedMajorToMinor(' −12.5', 2)).toBe(-1250);
    expect(parseSignedMajorToMinor('+1,250.50', 2)).toBe(125050);
    expect(parseSignedMajorToMinor('980', 2)).toBe(98000);
    expect(parseSignedMajorToMinor('-0', 2)).toBe(0);
  });
  it('refuses what is not an amount', () => {
    for (const bad of ['', '-', '--5', '+-5', '- 5x', '1.234', 'abc'])
      expect(parseSignedMajorToMinor(bad, 2)).toBeNull();
  });
});
