import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProgramDocument } from '../programs/parse.js';
import type { DealRegistrationPolicy, ProgramDefinition } from '../programs/types.js';
import {
  canRequestExtension,
  isReviewOverdue,
  minimumDealSize,
  protectionEndsOn,
  protectionExpiresAt,
  registrationMinimumCheck,
  reviewDueAt,
} from './policy.js';
import { protectsOn } from './lifecycle.js';
import { REJECTION_REASONS, rejectionReasonsOf } from './reasons.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const dell = loadProgram('dell-emc-fy18.yaml').dealRegistration;
const usd = (dollars: number) => ({ amountMinor: dollars * 100, currency: 'USD' });

/** Three rules of equal specificity, to show file order. */
const tied: DealRegistrationPolicy = {
  ...dell,
  minimumDealSize: {
    default: usd(5_000),
    rules: [
      { region: 'na', segment: null, family: 'servers', minimum: usd(7_000) },
      { region: 'na', segment: 'commercial', family: null, minimum: usd(8_000) },
      { region: null, segment: 'commercial', family: 'servers', minimum: usd(9_000) },
    ],
  },
};

describe('minimumDealSize: the most specific matching rule, ties by file order (golden)', () => {
  // Dell: default 5K; na+enterprise 25K; na+commercial+storage 10K; emea 10K.
  it.each([
    ['na enterprise storage', dell, 'na', 'enterprise', 'storage', 25_000, 0],
    ['na enterprise, no family', dell, 'na', 'enterprise', null, 25_000, 0],
    ['na commercial storage', dell, 'na', 'commercial', 'storage', 10_000, 1],
    ['na commercial servers: no rule, the default', dell, 'na', 'commercial', 'servers', 5_000, null],
    ['emea anything', dell, 'emea', 'small-business', 'networking', 10_000, 2],
    ['apj: the default', dell, 'apj', 'enterprise', 'storage', 5_000, null],
    ['no region: only region-less rules match', dell, null, 'enterprise', 'storage', 5_000, null],
    ['three rules tie on specificity: the first in the file', tied, 'na', 'commercial', 'servers', 7_000, 0],
    ['commercial servers outside na', tied, 'emea', 'commercial', 'servers', 9_000, 2],
    ['na commercial storage', tied, 'na', 'commercial', 'storage', 8_000, 1],
  ] as const)('%s', (_name, policy, region, segment, family, dollars, ruleIndex) => {
    const got = minimumDealSize(policy, { region, segment, family });
    expect(got.minimum).toEqual(usd(dollars));
    expect(got.rule).toBe(ruleIndex === null ? null : policy.minimumDealSize.rules[ruleIndex]);
  });

  it('a more specific rule always wins over a less specific one that matches', () => {
    const policy: DealRegistrationPolicy = {
      ...dell,
      minimumDealSize: {
        default: usd(1),
        rules: [
          { region: 'na', segment: null, family: null, minimum: usd(2) },
          { region: 'na', segment: 'enterprise', family: 'storage', minimum: usd(4) },
          { region: 'na', segment: 'enterprise', family: null, minimum: usd(3) },
        ],
      },
    };
    expect(
      minimumDealSize(policy, { region: 'na', segment: 'enterprise', family: 'storage' }).minimum,
    ).toEqual(usd(4));
    expect(
      minimumDealSize(policy, { region: 'na', segment: 'enterprise', family: 'servers' }).minimum,
    ).toEqual(usd(3));
    expect(
      minimumDealSize(policy, { region: 'na', segment: 'commercial', family: 'servers' }).minimum,
    ).toEqual(usd(2));
  });
});

describe('registrationMinimumCheck (golden)', () => {
  const check = (
    region: 'na' | 'emea' | null,
    segment: 'enterprise' | 'commercial' | null,
    lines: [string, number][],
  ) =>
    registrationMinimumCheck(dell, {
      region,
      segment,
      lines: lines.map(([family, dollars]) => ({ family: family as 'storage', amount: usd(dollars) })),
    }).map((p) => [p.family, p.amount.amountMinor / 100, p.minimum.amountMinor / 100]);

  it.each([
    [
      'a large enough deal',
      'na',
      'enterprise',
      [
        ['storage', 20_000],
        ['servers', 5_000],
      ],
      [],
    ],
    [
      'below the na enterprise minimum in total',
      'na',
      'enterprise',
      [
        ['storage', 20_000],
        ['servers', 4_999],
      ],
      [[null, 24_999, 25_000]],
    ],
    [
      'na commercial: storage has its own 10K minimum, the total the 5K default',
      'na',
      'commercial',
      [
        ['storage', 8_000],
        ['servers', 3_000],
      ],
      [['storage', 8_000, 10_000]],
    ],
    [
      'both short',
      'na',
      'commercial',
      [
        ['storage', 3_000],
        ['servers', 1_000],
      ],
      [
        [null, 4_000, 5_000],
        ['storage', 3_000, 10_000],
      ],
    ],
    [
      'a family on two lines is summed',
      'na',
      'commercial',
      [
        ['storage', 6_000],
        ['storage', 4_000],
      ],
      [],
    ],
    [
      'a small services line does not sink a large deal (no family rule for services)',
      'emea',
      'enterprise',
      [
        ['storage', 30_000],
        ['services', 500],
      ],
      [],
    ],
    ['emea: 10K on the total', 'emea', 'commercial', [['networking', 9_999.99]], [[null, 9_999.99, 10_000]]],
    ['no lines: the total (zero) is short', 'na', 'enterprise', [], [[null, 0, 25_000]]],
    ['exactly the minimum passes', 'na', 'enterprise', [['storage', 25_000]], []],
  ] as const)('%s', (_name, region, segment, lines, expected) => {
    expect(
      check(
        region,
        segment,
        lines.map(([f, d]) => [f, d]),
      ),
    ).toEqual(expected);
  });

  it('says why, for the partner', () => {
    const [total, storage] = registrationMinimumCheck(dell, {
      region: 'na',
      segment: 'commercial',
      lines: [{ family: 'storage', amount: usd(3_000) }],
    });
    expect(total?.message).toBe(
      'deal total: USD 3,000.00 is below the minimum of USD 5,000.00 (the default)',
    );
    expect(storage?.message).toBe(
      'storage: USD 3,000.00 is below the minimum of USD 10,000.00 (na, commercial, storage)',
    );
    expect(storage?.rule).toBe(dell.minimumDealSize.rules[1]);
  });

  it('refuses amounts in several currencies, or in another currency than the minimum', () => {
    expect(() =>
      registrationMinimumCheck(dell, {
        region: 'na',
        segment: 'enterprise',
        lines: [
          { family: 'storage', amount: usd(30_000) },
          { family: 'servers', amount: { amountMinor: 100, currency: 'EUR' } },
        ],
      }),
    ).toThrow(/USD and EUR/);
    expect(() =>
      registrationMinimumCheck(dell, {
        region: 'na',
        segment: 'enterprise',
        lines: [{ family: 'storage', amount: { amountMinor: 100, currency: 'EUR' } }],
      }),
    ).toThrow(/convert/);
  });
});

describe('reviewDueAt: clock hours from submission (golden)', () => {
  it.each([
    ['na: 4 h', 'na', '2017-03-15T22:30:00.000Z', '2017-03-16T02:30:00.000Z'],
    ['emea: 6 h', 'emea', '2017-03-15T09:00:00.000Z', '2017-03-15T15:00:00.000Z'],
    ['apj: the 24 h default', 'apj', '2017-03-17T18:00:00.000Z', '2017-03-18T18:00:00.000Z'],
    ['no region: the default', null, '2017-03-15T00:00:00.000Z', '2017-03-16T00:00:00.000Z'],
    ['over a weekend, no business hours', 'na', '2017-03-18T23:00:00.000Z', '2017-03-19T03:00:00.000Z'],
  ] as const)('%s', (_name, region, submitted, due) => {
    expect(reviewDueAt(dell, region, new Date(submitted)).toISOString()).toBe(due);
  });

  it('fractional hours, to the millisecond', () => {
    const policy = { ...dell, reviewSlaHours: { ...dell.reviewSlaHours, default: 1.5 } };
    expect(reviewDueAt(policy, 'apj', new Date('2017-03-15T00:00:00Z')).toISOString()).toBe(
      '2017-03-15T01:30:00.000Z',
    );
  });

  it('is breached at its due instant, not a millisecond before', () => {
    const due = reviewDueAt(dell, 'na', new Date('2017-03-15T10:00:00Z'));
    expect(isReviewOverdue(due, new Date('2017-03-15T13:59:59.999Z'))).toBe(false);
    expect(isReviewOverdue(due, new Date('2017-03-15T14:00:00.000Z'))).toBe(true);
  });
});

describe('protection: approved on D with 90 days, protected through D+89, expires at 00:00 UTC on D+90', () => {
  it.each([
    ['90 days', '2017-03-01', 0, '2017-05-29'],
    ['one 30-day extension', '2017-03-01', 1, '2017-06-28'],
    ['two extensions', '2017-03-01', 2, '2017-07-28'],
    ['over a leap day', '2020-02-01', 0, '2020-04-30'],
    ['over the year end', '2017-12-01', 0, '2018-02-28'],
  ] as const)('%s', (_name, approved, extensions, last) => {
    expect(protectionEndsOn(dell, approved, extensions)).toBe(last);
  });

  it('the last day is protected, the next is not; expiry is that midnight UTC', () => {
    expect(
      protectsOn('2017-03-01', protectionEndsOn(dell, '2017-03-01', 0), 'approved', null, '2017-03-01'),
    ).toBe(true);
    expect(
      protectsOn('2017-03-01', protectionEndsOn(dell, '2017-03-01', 0), 'approved', null, '2017-05-29'),
    ).toBe(true);
    expect(
      protectsOn('2017-03-01', protectionEndsOn(dell, '2017-03-01', 0), 'approved', null, '2017-05-30'),
    ).toBe(false);
    expect(
      protectsOn('2017-03-01', protectionEndsOn(dell, '2017-03-01', 0), 'approved', null, '2017-02-28'),
    ).toBe(false);
    expect(protectionExpiresAt(dell, '2017-03-01', 0).toISOString()).toBe('2017-05-30T00:00:00.000Z');
  });

  it('protects exactly protectionDays + extensions x days days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 5 }),
        (offset, days, k) => {
          const approved = new Date(Date.UTC(2000, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
          const policy = { ...dell, protectionDays: days };
          const expires = protectionExpiresAt(policy, approved, k).getTime();
          expect((expires - Date.parse(`${approved}T00:00:00Z`)) / 86_400_000).toBe(days + k * 30);
        },
      ),
    );
  });

  it('refuses a negative or fractional count of extensions', () => {
    expect(() => protectionEndsOn(dell, '2017-03-01', -1)).toThrow(/whole number/);
    expect(() => protectionEndsOn(dell, '2017-03-01', 0.5)).toThrow(/whole number/);
  });
});

describe('canRequestExtension', () => {
  it('allows up to maxCount (Dell: 2 x 30 days)', () => {
    expect(canRequestExtension(dell, 0)).toEqual({ allowed: true, remaining: 2, days: 30 });
    expect(canRequestExtension(dell, 1)).toEqual({ allowed: true, remaining: 1, days: 30 });
    expect(canRequestExtension(dell, 2)).toMatchObject({
      allowed: false,
      reason: 'extension-limit-reached',
      maxCount: 2,
    });
    expect(canRequestExtension(dell, 3)).toMatchObject({ allowed: false, reason: 'extension-limit-reached' });
  });

  it('refuses when the program takes no requests or allows none', () => {
    expect(canRequestExtension({ extensions: { days: 30, maxCount: 2, onRequest: false } }, 0)).toMatchObject(
      {
        allowed: false,
        reason: 'extensions-not-on-request',
      },
    );
    expect(canRequestExtension({ extensions: { days: 30, maxCount: 0, onRequest: true } }, 0)).toMatchObject({
      allowed: false,
      reason: 'extension-limit-reached',
    });
  });
});

describe('rejection reasons', () => {
  it('the built-in list, then the program’s own', () => {
    expect(Object.keys(REJECTION_REASONS)).toEqual([
      'duplicate-registration',
      'direct-account',
      'not-net-new',
      'below-minimum',
      'outside-enrolment',
      'incomplete-information',
      'customer-not-qualified',
      'expected-close-past',
      'other',
    ]);
    const all = rejectionReasonsOf(dell);
    expect(all).toHaveLength(10);
    expect(all[0]).toEqual({
      code: 'duplicate-registration',
      label: REJECTION_REASONS['duplicate-registration'],
      builtIn: true,
    });
    expect(all[9]).toEqual({
      code: 'end-of-life-product',
      label: 'A registered product is at end of life',
      builtIn: false,
    });
    expect(rejectionReasonsOf({ rejectionReasons: [] })).toHaveLength(9);
  });
});
