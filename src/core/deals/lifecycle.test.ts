import { describe, expect, it } from 'vitest';
import { lineEarnsDealBenefit } from './benefit.js';
import { DEAL_STATUSES, effectiveStatus, protectsOn, slaBreached, transition } from './lifecycle.js';
import { checkRegistration } from './registration-input.js';

describe('the registration life cycle', () => {
  it.each([
    ['draft', 'submit', 'partner', 'submitted'],
    ['info-requested', 'submit', 'partner', 'submitted'],
    ['submitted', 'start-review', 'vendor', 'under-review'],
    ['under-review', 'approve', 'vendor', 'approved'],
    ['submitted', 'approve', 'system', 'approved'],
    ['under-review', 'reject', 'vendor', 'rejected'],
    ['approved', 'grant-extension', 'vendor', 'extended'],
    ['extended', 'grant-extension', 'vendor', 'extended'],
    ['approved', 'request-extension', 'partner', 'approved'],
    ['extended', 'expire', 'system', 'expired'],
    ['approved', 'win', 'system', 'won'],
    ['approved', 'lose', 'partner', 'lost'],
    ['under-review', 'withdraw', 'partner', 'withdrawn'],
  ] as const)('%s --%s (%s)--> %s', (from, action, side, to) => {
    expect(transition(from, action, side)).toMatchObject({ ok: true, to });
  });

  it.each([
    ['submitted', 'approve', 'partner'],
    ['draft', 'approve', 'vendor'],
    ['rejected', 'submit', 'partner'],
    ['expired', 'request-extension', 'partner'],
    ['won', 'withdraw', 'partner'],
    ['submitted', 'grant-extension', 'vendor'],
    ['approved', 'start-review', 'vendor'],
  ] as const)('%s cannot %s by %s', (from, action, side) => {
    const t = transition(from, action, side);
    expect(t.ok).toBe(false);
    if (!t.ok) expect(t.reason.length).toBeGreaterThan(10);
  });

  it('final states move no further, whoever asks', () => {
    for (const status of ['rejected', 'expired', 'won', 'lost', 'withdrawn'] as const)
      for (const action of ['submit', 'approve', 'reject', 'grant-extension', 'withdraw', 'lose'] as const)
        for (const side of ['partner', 'vendor', 'system'] as const)
          expect(transition(status, action, side).ok, `${status} ${action} ${side}`).toBe(false);
    expect(DEAL_STATUSES).toHaveLength(11);
  });

  it('an approved registration reads as expired from the day after its last protected day', () => {
    expect(effectiveStatus('approved', '2017-05-29', '2017-05-29')).toBe('approved');
    expect(effectiveStatus('extended', '2017-05-29', '2017-05-30')).toBe('expired');
    expect(effectiveStatus('submitted', null, '2030-01-01')).toBe('submitted');
  });

  it('protection covers its days, and ends early on withdrawal or loss', () => {
    expect(protectsOn('2017-03-01', '2017-05-29', 'approved', null, '2017-02-28')).toBe(false);
    expect(protectsOn('2017-03-01', '2017-05-29', 'approved', null, '2017-03-01')).toBe(true);
    expect(protectsOn('2017-03-01', '2017-05-29', 'expired', '2017-05-30T00:00:00Z', '2017-05-29')).toBe(
      true,
    );
    expect(protectsOn('2017-03-01', '2017-05-29', 'withdrawn', '2017-04-10T12:00:00Z', '2017-04-11')).toBe(
      false,
    );
    expect(protectsOn('2017-03-01', '2017-05-29', 'withdrawn', '2017-04-10T12:00:00Z', '2017-04-10')).toBe(
      true,
    );
    expect(protectsOn(null, null, 'rejected', null, '2017-04-10')).toBe(false);
  });

  it('the SLA is breached at its due instant', () => {
    expect(slaBreached('submitted', '2017-03-01T16:00:00.000Z', '2017-03-01T15:59:59.999Z')).toBe(false);
    expect(slaBreached('under-review', '2017-03-01T16:00:00.000Z', '2017-03-01T16:00:00.000Z')).toBe(true);
    expect(slaBreached('approved', '2017-03-01T16:00:00.000Z', '2018-01-01T00:00:00.000Z')).toBe(false);
  });
});

describe('the registered-deal benefit fact', () => {
  const reg = {
    partnerId: 'ptn_a',
    customerId: 'cus_1',
    status: 'approved',
    approvedOn: '2017-03-01',
    protectedUntil: '2017-05-29',
    closedAt: null,
    families: new Set(['storage']),
  };
  const line = { partnerId: 'ptn_a', customerId: 'cus_1', orderDate: '2017-04-01', family: 'storage' };
  it('holds for the partner, customer, family and days of the registration only', () => {
    expect(lineEarnsDealBenefit(reg, line)).toBe(true);
    expect(lineEarnsDealBenefit(reg, { ...line, partnerId: 'ptn_b' })).toBe(false);
    expect(lineEarnsDealBenefit(reg, { ...line, customerId: 'cus_2' })).toBe(false);
    expect(lineEarnsDealBenefit(reg, { ...line, family: 'servers' })).toBe(false);
    expect(lineEarnsDealBenefit(reg, { ...line, orderDate: '2017-05-30' })).toBe(false);
    expect(lineEarnsDealBenefit({ ...reg, status: 'won' }, line)).toBe(true);
    expect(lineEarnsDealBenefit(null, line)).toBe(false);
    expect(lineEarnsDealBenefit(reg, { ...line, partnerId: null })).toBe(false);
  });
});

describe('registration input', () => {
  const good = {
    customer: {
      name: '  Société Générale S.A. ',
      country: 'fr',
      segment: 'enterprise',
      domain: 'SocGen.com',
    },
    currency: 'USD',
    lines: [{ family: 'storage', amountMinor: 2_500_000 }],
    expectedCloseDate: '2027-01-31',
    description: 'Array refresh',
  };
  it('normalises what it keeps and derives the region', () => {
    const r = checkRegistration(good, { programCurrency: 'USD', today: '2026-12-03' });
    expect(r).toMatchObject({
      ok: true,
      value: {
        customer: { name: 'Société Générale S.A.', country: 'FR', region: 'emea', domain: 'socgen.com' },
        totalMinor: 2_500_000,
      },
    });
  });
  it('names every problem and where', () => {
    const r = checkRegistration(
      {
        ...good,
        customer: { name: ' ', country: 'XX', segment: 'huge', domain: 'not a domain', region: 'na' },
        currency: 'EUR',
        lines: [{ family: 'toasters', amountMinor: -5 }],
        expectedCloseDate: '2026-12-02',
        description: '',
      },
      { programCurrency: 'USD', today: '2026-12-03' },
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.location).sort()).toEqual(
      [
        'body.currency',
        'body.customer.country',
        'body.customer.domain',
        'body.customer.name',
        'body.customer.segment',
        'body.description',
        'body.expectedCloseDate',
        'body.lines/0/amountMinor',
        'body.lines/0/family',
      ].sort(),
    );
  });
  it('refuses a name the matcher could never match (no letter or digit)', () => {
    const r = checkRegistration(
      { ...good, customer: { ...good.customer, name: '💩 💩' } },
      { programCurrency: 'USD', today: '2026-12-03' },
    );
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([expect.objectContaining({ location: 'body.customer.name' })]);
  });
});
