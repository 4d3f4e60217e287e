import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatPpmFactor,
  formatPpmPercent,
  isMoney,
  minorExponent,
  moneyInputText,
  numberConventions,
  parseMoneyInput,
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
  it('formats rates as percentages (10,000 ppm = 1%), in the locale', () => {
    expect(formatPpmPercent(10000, 'en-US')).toBe('1%');
    expect(formatPpmPercent(25000, 'en-US')).toBe('2.5%');
    expect(formatPpmPercent(1, 'en-US')).toBe('0.0001%');
    expect(formatPpmPercent(-5000, 'en-US')).toBe('-0.5%');
    expect(formatPpmPercent(25000, 'fr-FR')).toBe('2,5\u00a0%');
  });
  it('formats factors (1,000,000 ppm = x1), in the locale', () => {
    expect(formatPpmFactor(1000000, 'en-US')).toBe('×1');
    expect(formatPpmFactor(1250000, 'en-US')).toBe('×1.25');
    expect(formatPpmFactor(500000, 'en-US')).toBe('×0.5');
    expect(formatPpmFactor(1250000, 'fr-FR')).toBe('×1,25');
  });
});

const NNBSP = '\u202f';
const NBSP = '\u00a0';
const minor = (text: string, locale: string, currency = 'USD', signed = false) => {
  const r = parseMoneyInput(text, currency, { locale, signed });
  return r.ok ? r.minor : null;
};

describe('numberConventions', () => {
  it('learns the separators of a locale from Intl', () => {
    expect(numberConventions('en-US')).toMatchObject({ decimal: '.', group: ',', example: '1,234.56' });
    expect(numberConventions('en-GB')).toMatchObject({ decimal: '.', group: ',' });
    expect(numberConventions('fr-FR')).toMatchObject({
      decimal: ',',
      group: NNBSP,
      example: `1${NNBSP}234,56`,
    });
    expect(numberConventions('de-DE')).toMatchObject({ decimal: ',', group: '.', example: '1.234,56' });
  });
});

describe('parseMoneyInput', () => {
  it('reads the amounts of the issue in fr-FR as typed, never scaled', () => {
    expect(minor('150,25', 'fr-FR')).toBe(15025);
    expect(minor('1500,50', 'fr-FR')).toBe(150050);
    expect(minor('1 500,50', 'fr-FR')).toBe(150050);
    expect(minor(`1${NNBSP}500,50`, 'fr-FR')).toBe(150050);
    expect(minor(`1${NBSP}500,50`, 'fr-FR')).toBe(150050);
    expect(minor('150.25', 'fr-FR')).toBe(15025); // the numeric keypad's point
    expect(minor('1 500', 'fr-FR')).toBe(150000);
    expect(minor('1.500.000', 'fr-FR')).toBe(150000000);
    expect(minor('1.500,50', 'fr-FR')).toBe(150050);
    expect(minor('1,500.50', 'fr-FR')).toBe(150050);
    expect(minor('150,25 $US', 'fr-FR')).toBe(15025);
    expect(minor('-150,25', 'fr-FR', 'USD', true)).toBe(-15025);
  });
  it('reads en-US and en-GB', () => {
    for (const locale of ['en-US', 'en-GB']) {
      expect(minor('1500.50', locale)).toBe(150050);
      expect(minor('1,500.50', locale)).toBe(150050);
      expect(minor('1,500', locale)).toBe(150000); // the locale's group
      expect(minor('1,234,567.89', locale)).toBe(123456789);
      expect(minor('150,25', locale)).toBe(15025); // cannot be a group: a decimal comma
      expect(minor('1 500.50', locale)).toBe(150050);
      expect(minor('.5', locale)).toBe(50);
      expect(minor('3.', locale)).toBe(300);
      expect(minor('0.29', locale)).toBe(29); // 0.29 * 100 is 28.999999999999996 in floating point
      expect(minor('90,071,992,547,409.91', locale)).toBe(9007199254740991);
    }
    expect(minor('$1,250.50', 'en-US')).toBe(125050);
    expect(minor('USD 1,250.50', 'en-US')).toBe(125050);
    expect(minor('-$400', 'en-US', 'USD', true)).toBe(-40000);
    expect(minor(' −12.5', 'en-US', 'USD', true)).toBe(-1250);
    expect(minor('+1,250.50', 'en-US', 'USD', true)).toBe(125050);
    expect(minor('-0', 'en-US', 'USD', true)).toBe(0);
    expect(minor('£12.50', 'en-GB', 'GBP')).toBe(1250);
  });
  it('reads de-DE', () => {
    expect(minor('150,25', 'de-DE')).toBe(15025);
    expect(minor('1.500,50', 'de-DE')).toBe(150050);
    expect(minor('1.500', 'de-DE')).toBe(150000); // the locale's group
    expect(minor('1500,5', 'de-DE')).toBe(150050);
    expect(minor('150.25', 'de-DE')).toBe(15025); // cannot be a group: a decimal point
    expect(minor('1 500,50 €', 'de-DE', 'EUR')).toBe(150050);
  });
  it('respects the currency: never more decimals than it has', () => {
    expect(minor('1500', 'en-US', 'JPY')).toBe(1500);
    expect(minor('1,500', 'en-US', 'JPY')).toBe(1500);
    expect(minor('1.5', 'en-US', 'JPY')).toBeNull();
    expect(minor('1,234', 'fr-FR', 'KWD')).toBe(1234);
    expect(minor('1.005', 'en-US')).toBeNull();
    expect(minor('150,255', 'fr-FR')).toBeNull();
  });
  it('refuses what is ambiguous or malformed, with a message for the field', () => {
    const refused = (text: string, locale: string, signed = false) => {
      const r = parseMoneyInput(text, 'USD', { locale, signed });
      expect(r.ok, `${text} in ${locale}`).toBe(false);
      return r.ok ? '' : r.message;
    };
    // The locale's decimal comma is never read as a thousands separator: 1,500 is not 1500 in French.
    expect(refused('1,500', 'fr-FR')).toMatch(
      /“1,500” has 3 decimals; USD has 2\. Enter an amount in USD like 1.234,56/,
    );
    // A point a French locale does not use, before exactly three digits: a decimal point or a group?
    expect(refused('1.500', 'fr-FR')).toMatch(/ambiguous/);
    expect(refused('1.500,5.0', 'fr-FR')).toMatch(/ambiguous/);
    expect(refused('1.500,5.0', 'en-US')).toMatch(/ambiguous/);
    expect(refused('1,5,0', 'fr-FR')).toMatch(/decimal separator here/);
    expect(refused('1,50,000', 'en-US')).toMatch(/not an amount|three digits/);
    expect(refused('15 02,5', 'fr-FR')).toMatch(/three digits/);
    expect(refused('1.500.5', 'de-DE')).toMatch(/not an amount|three digits/);
    expect(refused("1'500 000", 'en-US')).toMatch(/mixes/);
    expect(refused('-400', 'en-US')).toMatch(/cannot have a sign/);
    expect(refused('--5', 'en-US', true)).toMatch(/not an amount/);
    expect(refused('90,071,992,547,409.92', 'en-US')).toMatch(/too large/);
    for (const bad of ['', ' ', '.', ',', 'abc', '1e6', '12 EUR', '1/2', '0x10'])
      expect(refused(bad, 'en-US')).toMatch(/Enter an amount in USD like 1,234\.56 \(at most 2 decimals\)/);
  });
});

describe('moneyInputText', () => {
  it('writes an amount as the locale types it, read back as the same amount', () => {
    expect(moneyInputText(150050, 'USD', 'fr-FR')).toBe('1500,5');
    expect(moneyInputText(150050, 'USD', 'en-US')).toBe('1500.5');
    expect(moneyInputText(1500, 'KWD', 'de-DE')).toBe('1,5');
    for (const locale of ['en-US', 'en-GB', 'fr-FR', 'de-DE'])
      for (const [amount, currency] of [
        [150050, 'USD'],
        [1500, 'KWD'],
        [1500, 'JPY'],
        [1, 'USD'],
        [Number.MAX_SAFE_INTEGER, 'USD'],
      ] as const)
        expect(parseMoneyInput(moneyInputText(amount, currency, locale), currency, { locale })).toEqual({
          ok: true,
          minor: amount,
        });
  });
});

describe('parseMoneyInput and formatMoney', () => {
  it('reads back every amount as the locale displays it, symbol, groups and sign included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: -1e7, max: 1e7 }),
          fc.maxSafeInteger().map((n) => n),
        ),
        fc.constantFrom('en-US', 'en-GB', 'fr-FR', 'de-DE'),
        fc.constantFrom('USD', 'EUR', 'GBP', 'JPY', 'KWD'),
        (amount, locale, currency) => {
          const shown = formatMoney(amount, currency, locale);
          expect(parseMoneyInput(shown, currency, { locale, signed: true }), shown).toEqual({
            ok: true,
            minor: amount === 0 ? 0 : amount,
          });
        },
      ),
      { numRuns: 2000 },
    );
  });
});
