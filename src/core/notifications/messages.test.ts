import { describe, expect, it } from 'vitest';
import { formatMoneyIn } from './messages.js';
import { decimalString } from '../money/money.js';

describe('money in e-mails', () => {
  it('writes integer minor units as an exact decimal', () => {
    expect(decimalString(123_456, 2)).toBe('1234.56');
    expect(decimalString(-5, 2)).toBe('-0.05');
    expect(decimalString(1_000, 0)).toBe('1000');
    expect(decimalString(-1_234_567, 3)).toBe('-1234.567');
    expect(decimalString(Number.MAX_SAFE_INTEGER, 2)).toBe('90071992547409.91');
  });

  it('formats every cent exactly in English and French, even past what a float holds in major units', () => {
    expect(formatMoneyIn('en', 123_456, 'USD')).toBe('US$1,234.56');
    expect(formatMoneyIn('fr', 123_456, 'EUR')).toBe('1\u202f234,56\u00a0€');
    expect(formatMoneyIn('en', Number.MAX_SAFE_INTEGER, 'USD')).toBe('US$90,071,992,547,409.91');
    expect(formatMoneyIn('fr', -1, 'USD')).toBe('-0,01\u00a0$US');
    expect(formatMoneyIn('en', 1_500, 'JPY')).toBe('JP¥1,500');
  });
});
