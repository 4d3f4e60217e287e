import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatProgramFileError, parseProgramDocument } from '../programs/parse.js';
import {
  grossOf,
  lineLimitProblem,
  MAX_LINE_AMOUNT_MINOR,
  MAX_ORDER_LINES,
  MAX_PAYOUT_RATE_PPM,
  MAX_QUANTITY,
  MAX_UNIT_PRICE_MINOR,
  MAX_VENDOR_GROSS_MINOR,
  worstPayoutRatePpm,
} from './limits.js';
import { parseMoney } from './money.js';
import { applyRate, PPM_ONE } from './rate.js';

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

describe('money limits', () => {
  it('keep every sum and product the system computes below 2^53', () => {
    // An order total: at most MAX_ORDER_LINES lines of at most MAX_LINE_AMOUNT_MINOR.
    expect(BigInt(MAX_ORDER_LINES) * BigInt(MAX_LINE_AMOUNT_MINOR)).toBeLessThan(SAFE);
    // Any sum over a vendor's lines times the highest payout rate, with room for the few balances a
    // query adds together (accrued, trued up, reversed, paid).
    const balance = (BigInt(MAX_VENDOR_GROSS_MINOR) * BigInt(MAX_PAYOUT_RATE_PPM)) / BigInt(PPM_ONE);
    expect(8n * balance).toBeLessThan(SAFE);
    expect(
      BigInt(MAX_VENDOR_GROSS_MINOR) + BigInt(MAX_ORDER_LINES) * BigInt(MAX_LINE_AMOUNT_MINOR),
    ).toBeLessThan(SAFE);
  });

  it('accepts a line exactly within the limits and names the field of one past them', () => {
    expect(lineLimitProblem({ quantity: 1, unitPriceMinor: MAX_UNIT_PRICE_MINOR })).toBeNull();
    expect(lineLimitProblem({ quantity: -1, unitPriceMinor: MAX_UNIT_PRICE_MINOR })).toBeNull();
    expect(lineLimitProblem({ quantity: MAX_QUANTITY, unitPriceMinor: 1000 })).toBeNull();
    expect(lineLimitProblem({ quantity: MAX_QUANTITY + 1, unitPriceMinor: 0 })?.field).toBe('quantity');
    expect(lineLimitProblem({ quantity: 1, unitPriceMinor: MAX_UNIT_PRICE_MINOR + 1 })?.field).toBe(
      'unitPriceMinor',
    );
    expect(lineLimitProblem({ quantity: 2, unitPriceMinor: 9007199254740991 })?.field).toBe('unitPriceMinor');
    expect(lineLimitProblem({ quantity: 1001, unitPriceMinor: 1_000_000_000 })?.field).toBe('amount');
  });

  it('decides a line exactly as the BigInt product does, at and around the limits', () => {
    const near = (limit: number) =>
      fc.oneof(
        fc.integer({ min: -limit - 3, max: limit + 3 }),
        fc.constantFrom(-limit - 1, -limit, limit, limit + 1),
      );
    fc.assert(
      fc.property(
        near(MAX_QUANTITY),
        fc.nat({ max: Number.MAX_SAFE_INTEGER }),
        (quantity, unitPriceMinor) => {
          const problem = lineLimitProblem({ quantity, unitPriceMinor });
          const exact = BigInt(quantity) * BigInt(unitPriceMinor);
          const within =
            Math.abs(quantity) <= MAX_QUANTITY &&
            unitPriceMinor <= MAX_UNIT_PRICE_MINOR &&
            exact <= BigInt(MAX_LINE_AMOUNT_MINOR) &&
            -exact <= BigInt(MAX_LINE_AMOUNT_MINOR);
          expect(problem === null).toBe(within);
          if (within) expect(BigInt(quantity * unitPriceMinor)).toBe(exact);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('sums an order of lines within the limits exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -MAX_LINE_AMOUNT_MINOR, max: MAX_LINE_AMOUNT_MINOR }), {
          maxLength: MAX_ORDER_LINES,
        }),
        (amounts) => {
          const exact = amounts.reduce((s, a) => s + BigInt(a < 0 ? -a : a), 0n);
          expect(BigInt(grossOf(amounts))).toBe(exact);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('keeps rate x amount exact up to the vendor limit at the highest payout rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -MAX_VENDOR_GROSS_MINOR, max: MAX_VENDOR_GROSS_MINOR }),
        fc.integer({ min: 0, max: MAX_PAYOUT_RATE_PPM }),
        (amount, rate) => {
          const result = applyRate(amount, rate);
          expect(Number.isSafeInteger(result)).toBe(true);
          const p = BigInt(amount) * BigInt(rate);
          expect(BigInt(result) * BigInt(PPM_ONE) - p <= BigInt(PPM_ONE)).toBe(true);
          expect(p - BigInt(result) * BigInt(PPM_ONE) <= BigInt(PPM_ONE)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('bounds money written in programs', () => {
    expect(parseMoney('USD 10,000,000,000,000.00')).toMatchObject({ ok: true, value: { amountMinor: 1e15 } });
    expect(parseMoney('USD 10,000,000,000,000.01')).toMatchObject({ ok: false });
    expect(parseMoney('USD -10,000,000,000,000.01')).toMatchObject({ ok: false });
  });

  it('bounds a program by every component at its highest rate with every multiplier that may apply', () => {
    expect(
      worstPayoutRatePpm([
        { code: 'base', rates: [40_000, 30_000], multipliedBy: [1_250_000, 500_000] },
        { code: 'mdf', rates: [10_000], multipliedBy: [] },
      ]),
    ).toBe(60_000n);
  });
});

const PROGRAM = (components: string) => `apiVersion: trellis/v1
kind: Program
vendor: { slug: acme, name: Acme, currency: USD }
code: acme-partners
name: Acme Partners
version: FY24
effective: { from: 2024-02-01, to: 2025-01-31 }
currency: USD
fiscalYearStart: 02-01
periods: quarter
zones:
  - { code: rest, name: Rest of world }
defaultZone: rest
tiers:
  - { code: authorized, name: Authorized }
qualification: { auditDate: 02-01, downgrade: at-audit }
components:
${components}
dealRegistration:
  minimumDealSize: { default: USD 0 }
  protectionDays: 90
  extensions: { days: 30, maxCount: 1 }
  reviewSlaHours: { default: 24 }
coverage:
  channelExclusiveWindow: P3Y
  directNamedAccounts: { maxCount: 150 }
  routing: { threshold: USD 250K, order: [incumbent-reseller] }
payouts: { period: quarter, closeAfterDays: 15, payAfterDays: 45, currency: USD }
`;

describe('a program past the payout rate limit', () => {
  const base = (rate: string) => `  - code: base
    name: Base
    kind: base-rebate
    priority: 1
    settlement: accrual
    rates: { authorized: { storage: ${rate} } }`;
  const multiplier = `  - code: boost
    name: Boost
    kind: payout-multiplier
    priority: 2
    settlement: accrual
    factor: x2
    appliesTo: [base]`;

  it('is refused, at the components, naming the limit', () => {
    expect(parseProgramDocument(PROGRAM(base('1000%')), 'p.yaml').ok).toBe(true);
    const r = parseProgramDocument(PROGRAM(`${base('600%')}\n${multiplier}`), 'p.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map(formatProgramFileError).join('\n')).toMatch(/could earn 1200% .* at most 1000%/);
  });
});
