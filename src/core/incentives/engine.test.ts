import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyRate, multiplyFactors } from '../money/rate.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { IncentiveComponent, ProgramDefinition } from '../programs/types.js';
import { compileIncentives, dayNumber } from './index.js';
import type { IncentiveLine, LineFacts, PartnerPeriodFacts } from './index.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const dell = loadProgram('dell-emc-fy18.yaml');
const engine = compileIncentives(dell, { version: 3 });
const usd = (dollars: number): number => Math.round(dollars * 100);
const Q1 = { code: '2017-Q1', from: '2017-02-01', to: '2017-04-30' };

let next = 0;
function line(
  over: Partial<Omit<IncentiveLine, 'facts'>> & { facts?: Partial<LineFacts> } = {},
): IncentiveLine {
  const { facts, ...rest } = over;
  return {
    lineId: `line_${++next}`,
    partnerId: 'ptn_a',
    customerId: 'cus_1',
    orderDate: '2017-03-15',
    family: 'storage',
    amountMinor: usd(1000),
    ...rest,
    facts: { tier: 'titanium', exclusive: false, newBusiness: false, channel: 'partner', ...facts },
  };
}

/** component code -> amount, for one line. */
function accruals(l: IncentiveLine, e = engine): Record<string, number> {
  return Object.fromEntries(e.accrueLine(l).map((p) => [p.component, p.amountMinor]));
}

function withComponents(
  change: (components: IncentiveComponent[]) => IncentiveComponent[],
): ProgramDefinition {
  return { ...dell, components: change([...dell.components]) };
}

function replace(code: string, patch: Partial<IncentiveComponent>) {
  return (cs: IncentiveComponent[]) =>
    cs.map((c) => (c.code === code ? ({ ...c, ...patch } as IncentiveComponent) : c));
}

describe('the shipped Dell EMC FY18 figures', () => {
  it('has the rates the brief quotes', () => {
    const base = dell.components.find((c) => c.code === 'base-rebate');
    const nb = dell.components.find((c) => c.code === 'new-business');
    expect(base?.kind === 'base-rebate' && base.rates['titanium']).toEqual({
      storage: 40_000,
      servers: 30_000,
      networking: 30_000,
      'data-protection': 40_000,
    });
    expect(nb?.kind === 'new-business' && [nb.points, nb.families]).toEqual([80_000, ['storage', 'servers']]);
    expect(engine.components.map((c) => [c.code, c.settlement])).toEqual([
      ['base-rebate', 'accrual'],
      ['new-business', 'accrual'],
      ['services-rebate', 'close'],
      ['cross-sell', 'close'],
      ['growth-accelerator', 'close'],
      ['registered-deal', 'accrual'],
    ]);
    expect(engine.ruleVersion).toBe('dell-emc-partner-program@FY18#3');
  });
});

describe('per-line accruals (golden)', () => {
  const cases: {
    name: string;
    line: IncentiveLine;
    expected: Record<string, number>;
  }[] = [
    {
      name: 'a $1 storage order earns 4 cents from the first dollar',
      line: line({ amountMinor: 100 }),
      expected: { 'base-rebate': 4 },
    },
    {
      name: 'a $1 server order earns 3 cents',
      line: line({ amountMinor: 100, family: 'servers' }),
      expected: { 'base-rebate': 3 },
    },
    {
      name: 'Titanium, new account, storage: 4% + 8%',
      line: line({ facts: { newBusiness: true } }),
      expected: { 'base-rebate': usd(40), 'new-business': usd(80) },
    },
    {
      name: 'Titanium, new account, servers: 3% + 8%',
      line: line({ family: 'servers', facts: { newBusiness: true } }),
      expected: { 'base-rebate': usd(30), 'new-business': usd(80) },
    },
    {
      name: 'new business pays on storage and servers only',
      line: line({ family: 'networking', facts: { newBusiness: true } }),
      expected: { 'base-rebate': usd(30) },
    },
    {
      name: 'exclusive partner: x1.25 on every component (appliesTo: all)',
      line: line({ facts: { newBusiness: true, exclusive: true } }),
      expected: { 'base-rebate': usd(50), 'new-business': usd(100) },
    },
    {
      name: 'Gold storage 2%',
      line: line({ facts: { tier: 'gold' } }),
      expected: { 'base-rebate': usd(20) },
    },
    {
      name: 'a return mirrors the sale',
      line: line({ amountMinor: -usd(1000), facts: { newBusiness: true } }),
      expected: { 'base-rebate': -usd(40), 'new-business': -usd(80) },
    },
    { name: 'direct orders earn no base rebate', line: line({ facts: { channel: 'direct' } }), expected: {} },
    {
      name: 'no channel fact: the condition is false',
      line: line({ facts: { channel: null } }),
      expected: {},
    },
    { name: 'after the program ends', line: line({ orderDate: '2018-02-03' }), expected: {} },
    {
      name: 'on its last day',
      line: line({ orderDate: '2018-02-02' }),
      expected: { 'base-rebate': usd(40) },
    },
    { name: 'before it starts', line: line({ orderDate: '2017-01-31' }), expected: {} },
    {
      name: 'services lines accrue nothing (services rebate settles at close)',
      line: line({ family: 'services' }),
      expected: {},
    },
    {
      name: 'half-even: 4% of $0.37 is 1.48 cents -> 1',
      line: line({ amountMinor: 37 }),
      expected: { 'base-rebate': 1 },
    },
    {
      name: 'half-even: 4% of $0.625 rounds 2.5 cents to 2',
      line: line({ amountMinor: 62 + 0.5 * 0 + 0 }),
      expected: { 'base-rebate': 2 },
    },
  ];
  it.each(cases)('$name', ({ line: l, expected }) => {
    expect(accruals(l)).toEqual(expected);
  });

  it('keeps what produced each amount', () => {
    const [base, nb] = engine.accrueLine(
      line({ lineId: 'line_x', facts: { newBusiness: true, exclusive: true } }),
    );
    expect(base).toMatchObject({
      component: 'base-rebate',
      kind: 'base-rebate',
      ruleId: 'dell-emc-partner-program/base-rebate',
      ruleVersion: 'dell-emc-partner-program@FY18#3',
      partnerId: 'ptn_a',
      budgetPool: 'fy18-partner-investment',
      baseMinor: usd(1000),
      rate: 40_000,
      tier: 'titanium',
      multiplier: 1_250_000,
      multipliers: ['exclusivity-multiplier'],
      effectiveRate: 50_000,
      amountMinor: usd(50),
      lineId: 'line_x',
      family: 'storage',
    });
    expect(base?.explanation.text).toBe(
      'Base rebate: 4% of USD 1,000.00 (titanium, storage) x1.25 (exclusivity-multiplier) = USD 50.00 on line line_x of 2017-03-15.',
    );
    expect(base?.explanation.condition).toMatchObject([
      { attribute: 'order.channel', operator: 'in', actual: 'partner', result: true },
    ]);
    expect(nb?.rate).toBe(80_000);
  });

  it('rounds exact halves to even (Authorized servers, 0.5%)', () => {
    // 0.5% of 100 cents = 0.5 -> 0; of 300 = 1.5 -> 2; of 500 = 2.5 -> 2; symmetric on returns.
    const auth = (amountMinor: number) =>
      accruals(line({ amountMinor, family: 'servers', facts: { tier: 'authorized' } }));
    expect(auth(100)).toEqual({ 'base-rebate': 0 });
    expect(auth(300)).toEqual({ 'base-rebate': 2 });
    expect(auth(500)).toEqual({ 'base-rebate': 2 });
    expect(auth(-300)).toEqual({ 'base-rebate': -2 });
  });
});

describe('registered-deal bonus (deal-registration, 2% on storage, servers, data protection)', () => {
  const cases: { name: string; line: IncentiveLine; expected: Record<string, number> }[] = [
    {
      name: 'no registeredDeal fact: none of it',
      line: line(),
      expected: { 'base-rebate': usd(40) },
    },
    {
      name: 'registeredDeal false: none of it',
      line: line({ facts: { registeredDeal: false } }),
      expected: { 'base-rebate': usd(40) },
    },
    {
      name: 'registeredDeal null: none of it',
      line: line({ facts: { registeredDeal: null } }),
      expected: { 'base-rebate': usd(40) },
    },
    {
      name: 'a registered storage line: 4% + 2%',
      line: line({ facts: { registeredDeal: true } }),
      expected: { 'base-rebate': usd(40), 'registered-deal': usd(20) },
    },
    {
      name: 'data protection is a registered family',
      line: line({ family: 'data-protection', facts: { registeredDeal: true } }),
      expected: { 'base-rebate': usd(40), 'registered-deal': usd(20) },
    },
    {
      name: 'networking is not: none of it',
      line: line({ family: 'networking', facts: { registeredDeal: true } }),
      expected: { 'base-rebate': usd(30) },
    },
    {
      name: 'stacks with new business, all x1.25 for an exclusive partner',
      line: line({ facts: { registeredDeal: true, newBusiness: true, exclusive: true } }),
      expected: { 'base-rebate': usd(50), 'new-business': usd(100), 'registered-deal': usd(25) },
    },
    {
      name: 'no channel condition of its own: a direct order naming a registration still earns it',
      line: line({ facts: { registeredDeal: true, channel: 'direct' } }),
      expected: { 'registered-deal': usd(20) },
    },
    {
      name: 'half-even: 2% of $0.25 is 0.5 cent -> 0; of $0.75, 1.5 -> 2',
      line: line({ amountMinor: 25, facts: { registeredDeal: true } }),
      expected: { 'base-rebate': 1, 'registered-deal': 0 },
    },
    {
      name: 'a return of a registered line claws it back',
      line: line({ amountMinor: -usd(1000), facts: { registeredDeal: true } }),
      expected: { 'base-rebate': -usd(40), 'registered-deal': -usd(20) },
    },
    {
      name: 'a return claws back at most its limit',
      line: line({
        amountMinor: -usd(1000),
        facts: { registeredDeal: true },
        clawbackLimitMinor: { 'base-rebate': usd(40), 'registered-deal': usd(5) },
      }),
      expected: { 'base-rebate': -usd(40), 'registered-deal': -usd(5) },
    },
    {
      name: 'outside the program dates: none',
      line: line({ orderDate: '2018-02-03', facts: { registeredDeal: true } }),
      expected: {},
    },
  ];
  it.each(cases)('$name', ({ line: l, expected }) => {
    expect(accruals(l)).toEqual(expected);
  });

  it('rounds half-even like every component', () => {
    expect(accruals(line({ amountMinor: 75, facts: { registeredDeal: true } }))['registered-deal']).toBe(2);
  });

  it('explains itself on the line', () => {
    const p = engine
      .accrueLine(line({ lineId: 'line_r', amountMinor: usd(40_000), facts: { registeredDeal: true } }))
      .find((x) => x.component === 'registered-deal');
    expect(p).toMatchObject({
      kind: 'deal-registration',
      ruleId: 'dell-emc-partner-program/registered-deal',
      budgetPool: 'fy18-partner-investment',
      baseMinor: usd(40_000),
      rate: 20_000,
      effectiveRate: 20_000,
      amountMinor: usd(800),
    });
    expect(p?.explanation.text).toBe(
      'Registered-deal bonus: 2% of USD 40,000.00 (storage; registration approved and protecting this customer) = USD 800.00 on line line_r of 2017-03-15.',
    );
  });

  it('may carry its own condition, read on top of the fact', () => {
    const e = compileIncentives(
      withComponents(
        replace('registered-deal', {
          condition: { attribute: 'order.region', operator: 'eq', value: 'emea' },
        }),
      ),
    );
    expect(accruals(line({ facts: { registeredDeal: true, orderRegion: 'na' } }), e)).toEqual({
      'base-rebate': usd(40),
    });
    expect(accruals(line({ facts: { registeredDeal: true, orderRegion: 'emea' } }), e)).toEqual({
      'base-rebate': usd(40),
      'registered-deal': usd(20),
    });
    expect(accruals(line({ facts: { registeredDeal: false, orderRegion: 'emea' } }), e)).toEqual({
      'base-rebate': usd(40),
    });
  });

  it('settled at close: summed over the registered lines, rounded once, capped', () => {
    const e = compileIncentives(
      withComponents(
        replace('registered-deal', {
          settlement: 'close',
          caps: { perPartnerPerPeriod: { amountMinor: usd(25), currency: 'USD' } },
        }),
      ),
    );
    const lines = [
      line({ amountMinor: usd(1000), facts: { registeredDeal: true } }),
      line({ amountMinor: usd(500), family: 'servers', facts: { registeredDeal: true } }),
      line({ amountMinor: usd(9000), facts: { registeredDeal: false } }),
    ];
    expect(accruals(lines[0] as IncentiveLine, e)).toEqual({ 'base-rebate': usd(40) });
    const p = e.settlePeriod({ period: Q1, lines }).find((x) => x.component === 'registered-deal');
    expect(p).toMatchObject({
      component: 'registered-deal',
      type: 'component',
      settlement: 'close',
      baseMinor: usd(1500),
      amountMinor: usd(25),
      capped: { capMinor: usd(25), uncappedMinor: usd(30) },
    });
    expect(p?.explanation.text).toContain(
      'Registered-deal bonus: 2% of USD 1,500.00 (titanium, period revenue of registered deals) = USD 30.00 for 2017-Q1.',
    );
  });

  it('with a minimum: reversed at close when registered revenue falls short', () => {
    const e = compileIncentives(
      withComponents(replace('registered-deal', { minimum: { amountMinor: usd(5000), currency: 'USD' } })),
    );
    const ps = e.settlePeriod({
      period: Q1,
      lines: [line({ amountMinor: usd(4000), facts: { registeredDeal: true } })],
    });
    expect(ps).toMatchObject([
      { component: 'registered-deal', type: 'minimum-reversal', amountMinor: -usd(80) },
    ]);
  });

  it('the batch path keys contexts on registeredDeal', () => {
    const batch = engine.prepareBatch([{ channel: 'partner', registeredDeal: true }, { channel: 'partner' }]);
    expect(batch.fast).toBe(true);
    const out = new Float64Array(batch.width);
    batch.accrue(
      {
        length: 2,
        amountMinor: Float64Array.from([usd(1000), usd(1000)]),
        familyIndex: Uint8Array.from([1, 1]),
        tierIndex: Uint8Array.from([3, 3]),
        newBusiness: Uint8Array.from([0, 0]),
        exclusive: Uint8Array.from([0, 0]),
        contextIndex: Uint8Array.from([0, 1]),
        orderDay: Int32Array.from([dayNumber('2017-03-15'), dayNumber('2017-03-15')]),
      },
      out,
    );
    expect([...out]).toEqual([usd(80), 0, 0, 0, 0, usd(20)]);
    // accrueLines keeps registeredDeal apart even though no condition reads it
    const { amounts } = engine.accrueLines([line({ facts: { registeredDeal: true } }), line()]);
    expect([...amounts]).toEqual([usd(40), 0, 0, 0, 0, usd(20), usd(40), 0, 0, 0, 0, 0]);
  });
});

describe('effective dates and exclusive groups', () => {
  it('a component dated later does not apply before its start', () => {
    const e = compileIncentives(
      withComponents(replace('new-business', { effective: { from: '2017-06-01', to: null } })),
    );
    expect(accruals(line({ orderDate: '2017-05-31', facts: { newBusiness: true } }), e)).toEqual({
      'base-rebate': usd(40),
    });
    expect(accruals(line({ orderDate: '2017-06-01', facts: { newBusiness: true } }), e)).toEqual({
      'base-rebate': usd(40),
      'new-business': usd(80),
    });
  });

  it('a multiplier dated later applies from its start', () => {
    const e = compileIncentives(
      withComponents(replace('exclusivity-multiplier', { effective: { from: '2017-04-01', to: null } })),
    );
    expect(accruals(line({ orderDate: '2017-03-31', facts: { exclusive: true } }), e)).toEqual({
      'base-rebate': usd(40),
    });
    expect(accruals(line({ orderDate: '2017-04-01', facts: { exclusive: true } }), e)).toEqual({
      'base-rebate': usd(50),
    });
  });

  const grouped = compileIncentives(
    withComponents((cs) => [
      ...replace('new-business', { exclusiveGroup: 'acquisition' })(cs),
      {
        ...(cs.find((c) => c.code === 'new-business') as IncentiveComponent),
        code: 'new-logo',
        name: 'New logo',
        priority: 25,
        exclusiveGroup: 'acquisition',
        points: 100_000,
        families: ['storage'],
      } as IncentiveComponent,
    ]),
  );
  it('only the best of an exclusive group applies', () => {
    expect(accruals(line({ facts: { newBusiness: true } }), grouped)).toEqual({
      'base-rebate': usd(40),
      'new-logo': usd(100),
    });
    const [, best] = grouped.accrueLine(line({ facts: { newBusiness: true } }));
    expect(best?.explanation.text).toContain('best of group acquisition over new-business');
    // new-logo does not pay on servers: new-business is the best that applies.
    expect(accruals(line({ family: 'servers', facts: { newBusiness: true } }), grouped)).toEqual({
      'base-rebate': usd(30),
      'new-business': usd(80),
    });
    // a return picks the same rule
    expect(accruals(line({ amountMinor: -usd(1000), facts: { newBusiness: true } }), grouped)).toEqual({
      'base-rebate': -usd(40),
      'new-logo': -usd(100),
    });
  });

  it('refuses a group mixing accrual and close components', () => {
    expect(() =>
      compileIncentives(
        withComponents((cs) =>
          replace('services-rebate', { exclusiveGroup: 'g' })(
            replace('base-rebate', { exclusiveGroup: 'g' })(cs),
          ),
        ),
      ),
    ).toThrow(/mixes accrual and close/);
  });
});

describe('period close (golden)', () => {
  const period = (lines: IncentiveLine[], partners: PartnerPeriodFacts[] = []) =>
    engine.settlePeriod({ period: Q1, lines, partners });
  const amounts = (lines: IncentiveLine[], partners: PartnerPeriodFacts[] = []) =>
    Object.fromEntries(period(lines, partners).map((p) => [p.component, p.amountMinor]));

  it('services rebate: 3% of services revenue at close, x1.25 when exclusive', () => {
    expect(
      amounts([line({ family: 'services' }), line({ family: 'services', amountMinor: -usd(200) })]),
    ).toEqual({
      'services-rebate': usd(24),
    });
    expect(amounts([line({ family: 'services', facts: { exclusive: true } })])).toEqual({
      'services-rebate': usd(37.5),
    });
  });

  it('cross-sell needs storage and servers sold to the same customer', () => {
    const lines = [
      line({ customerId: 'cus_1', family: 'storage' }),
      line({ customerId: 'cus_1', family: 'servers', amountMinor: usd(500) }),
      line({ customerId: 'cus_1', family: 'networking', amountMinor: usd(700) }),
      line({ customerId: 'cus_2', family: 'storage', amountMinor: usd(5000) }),
      line({ customerId: 'cus_3', family: 'servers', amountMinor: usd(5000) }),
    ];
    const [p] = period(lines);
    expect(p).toMatchObject({
      component: 'cross-sell',
      type: 'component',
      baseMinor: usd(1500),
      rate: 20_000,
      amountMinor: usd(30),
      capped: null,
      budgetPool: null,
    });
    expect(p?.explanation.text).toContain('1 customer(s) bought 2+ families including storage + servers');
    // a customer whose servers were all returned no longer qualifies
    expect(
      amounts([...lines, line({ customerId: 'cus_1', family: 'servers', amountMinor: -usd(500) })]),
    ).toEqual({});
  });

  it('caps cut at the cap (USD 1M per partner and quarter)', () => {
    const [p] = period([
      line({ family: 'storage', amountMinor: usd(40_000_000) }),
      line({ family: 'servers', amountMinor: usd(20_000_000) }),
    ]);
    expect(p).toMatchObject({
      component: 'cross-sell',
      baseMinor: usd(60_000_000),
      amountMinor: usd(1_000_000),
      capped: { capMinor: usd(1_000_000), uncappedMinor: usd(1_200_000) },
    });
    expect(p?.explanation.text).toContain('Capped at USD 1,000,000.00 per partner and period');
  });

  it('caps an accrual component with a negative cap adjustment', () => {
    const e = compileIncentives(
      withComponents(
        replace('base-rebate', { caps: { perPartnerPerPeriod: { amountMinor: usd(100), currency: 'USD' } } }),
      ),
    );
    expect(accruals(line({ amountMinor: usd(2000) }), e)).toEqual({ 'base-rebate': usd(80) });
    const ps = e.settlePeriod({ period: Q1, lines: [line({ amountMinor: usd(5000) })] });
    expect(ps).toMatchObject([
      { component: 'base-rebate', type: 'cap-adjustment', baseMinor: usd(200), amountMinor: -usd(100) },
    ]);
  });

  it('reverses accruals when a minimum is not reached', () => {
    const e = compileIncentives(
      withComponents(replace('base-rebate', { minimum: { amountMinor: usd(10_000), currency: 'USD' } })),
    );
    expect(e.settlePeriod({ period: Q1, lines: [line({ amountMinor: usd(9_999) })] })).toMatchObject([
      { component: 'base-rebate', type: 'minimum-reversal', amountMinor: -applyRate(usd(9_999), 40_000) },
    ]);
    expect(e.settlePeriod({ period: Q1, lines: [line({ amountMinor: usd(10_000) })] })).toEqual([]);
  });

  describe("growth accelerator: strictly above 15/30/45% (the file's `above`)", () => {
    const prior = usd(1_000_000);
    const cases: [string, number, number][] = [
      ['14.99%', usd(1_149_900), 0],
      ['exactly 15% (not above)', usd(1_150_000), 0],
      ['15.01%', usd(1_150_100), 10_000],
      ['exactly 30%', usd(1_300_000), 10_000],
      ['30.01%', usd(1_300_100), 30_000],
      ['45.01%', usd(1_450_100), 50_000],
      ['200%', usd(3_000_000), 50_000],
      ['a decline', usd(500_000), 0],
    ];
    it.each(cases)('%s', (_name, revenue, points) => {
      const ps = period(
        [line({ family: 'networking', amountMinor: revenue })],
        [{ partnerId: 'ptn_a', comparison: { 'same-period-last-year': { networking: prior } } }],
      );
      const g = ps.find((p) => p.component === 'growth-accelerator');
      if (points === 0) expect(g).toBeUndefined();
      else
        expect(g).toMatchObject({
          rate: points,
          baseMinor: revenue,
          amountMinor: applyRate(revenue, points),
        });
    });
    it('is multiplied for an exclusive partner (period facts)', () => {
      const ps = period(
        [line({ family: 'networking', amountMinor: usd(1_500_000) })],
        [
          {
            partnerId: 'ptn_a',
            facts: { tier: 'titanium', exclusive: true, newBusiness: false },
            comparison: { 'same-period-last-year': { storage: prior } },
          },
        ],
      );
      expect(ps[0]).toMatchObject({
        component: 'growth-accelerator',
        multiplier: 1_250_000,
        effectiveRate: multiplyFactors(50_000, 1_250_000),
        amountMinor: applyRate(usd(1_500_000), 62_500),
      });
    });
    it('needs the comparison revenue', () => {
      expect(period([line({ amountMinor: usd(2_000_000) })])).toEqual([]);
    });
  });
});

describe('batch path', () => {
  it('matches the per-line path and ignores zero lines', () => {
    const batch = engine.prepareBatch([{ channel: 'partner' }, { channel: 'direct' }]);
    expect(batch.fast).toBe(true);
    const out = new Float64Array(2 * batch.width);
    batch.accrue(
      {
        length: 4,
        amountMinor: Float64Array.from([100, usd(1000), -usd(1000), 0]),
        familyIndex: Uint8Array.from([1, 0, 1, 1]), // storage, servers, storage, storage
        tierIndex: Uint8Array.from([3, 3, 3, 3]),
        newBusiness: Uint8Array.from([0, 1, 1, 0]),
        exclusive: Uint8Array.from([0, 0, 1, 0]),
        contextIndex: Uint8Array.from([0, 0, 0, 1]),
        partnerIndex: Uint32Array.from([0, 1, 1, 0]),
        orderDay: Int32Array.from([0, 0, 0, 0].map(() => dayNumber('2017-03-15'))),
      },
      out,
    );
    expect([...out]).toEqual([4, 0, 0, 0, 0, 0, usd(30) - usd(50), usd(80) - usd(100), 0, 0, 0, 0]);
  });
});
