import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRate } from '../money/rate.js';
import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { GrowthComparison, IncentiveComponent, ProgramDefinition } from '../programs/types.js';
import type { CloseColumns, ColumnarPartners, ComparisonColumns } from './columnar-close.js';
import { columnarTotalsToRows, compileColumnarClose } from './columnar-close.js';
import { roundPpm } from './batch.js';
import { dayNumber } from './compile.js';
import { compileIncentives } from './index.js';
import type { IncentiveLine, LineContext, LineFacts, PartnerPeriodFacts, PeriodInput } from './index.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const dell = loadProgram('dell-emc-fy18.yaml');
const usd = (dollars: number) => ({ amountMinor: dollars * 100, currency: 'USD' });
const patch = (code: string, over: Partial<IncentiveComponent>) => (c: IncentiveComponent) =>
  c.code === code ? ({ ...c, ...over } as IncentiveComponent) : c;
const component = (code: string) => dell.components.find((c) => c.code === code) as IncentiveComponent;

/** Groups, caps and minimums on both settlements, effective dates, conditions on contexts: the fast path. */
const tabulated: ProgramDefinition = {
  ...dell,
  components: [
    ...dell.components
      .map(patch('base-rebate', { caps: { perPartnerPerPeriod: usd(3_000) }, minimum: usd(2_000) }))
      .map(patch('new-business', { exclusiveGroup: 'acq', minimum: usd(50_000) }))
      .map(patch('services-rebate', { minimum: usd(500), caps: { perPartnerPerPeriod: usd(400) } }))
      .map(
        patch('cross-sell', {
          caps: { perPartnerPerPeriod: usd(900) },
          minimum: usd(1_000),
          condition: { attribute: 'order.channel', operator: 'in', value: ['partner', 'distributor'] },
        }),
      )
      .map(patch('growth-accelerator', { effective: { from: '2017-02-01', to: '2017-03-31' } }))
      .map(patch('exclusivity-multiplier', { effective: { from: '2017-03-01', to: '2017-04-30' } }))
      .map(
        patch('registered-deal', {
          caps: { perPartnerPerPeriod: usd(600) },
          minimum: usd(3_000),
          condition: { attribute: 'order.channel', operator: 'ne', value: 'direct' },
        }),
      ),
    {
      ...component('new-business'),
      code: 'new-logo',
      name: 'New logo',
      priority: 21,
      exclusiveGroup: 'acq',
      points: 95_000,
      families: ['storage', 'networking'],
      effective: { from: '2017-03-10', to: null },
    } as IncentiveComponent,
    {
      ...component('cross-sell'),
      code: 'triple-play',
      name: 'Three families',
      priority: 45,
      points: 15_000,
      minFamilies: 3,
      combinations: [],
      families: [],
      caps: { perPartnerPerPeriod: null },
    } as IncentiveComponent,
    {
      ...component('growth-accelerator'),
      code: 'storage-growth',
      name: 'Storage growth',
      priority: 55,
      base: 'incremental-revenue',
      comparedWith: 'previous-period',
      families: ['storage', 'data-protection'],
      caps: { perPartnerPerPeriod: usd(50) },
    } as IncentiveComponent,
    {
      code: 'services-close',
      name: 'Services at close, by tier',
      kind: 'base-rebate',
      priority: 70,
      exclusiveGroup: null,
      effective: dell.effective,
      settlement: 'close',
      condition: { attribute: 'partner.deliversServices', operator: 'eq', value: true },
      budgetPool: null,
      caps: { perPartnerPerPeriod: usd(2_000) },
      minimum: null,
      rates: { gold: { services: 15_000 }, titanium: { services: 33_333, storage: 1_111 } },
    },
    {
      ...component('exclusivity-multiplier'),
      code: 'distributor-multiplier',
      name: 'Two-tier multiplier',
      priority: 101,
      condition: { attribute: 'order.channel', operator: 'eq', value: 'distributor' },
      factor: 1_100_001,
      appliesTo: ['base-rebate', 'services-close', 'cross-sell', 'registered-close'],
    } as IncentiveComponent,
    {
      code: 'registered-close',
      name: 'Registered deals at close',
      kind: 'deal-registration',
      priority: 80,
      exclusiveGroup: null,
      effective: { from: '2017-03-10', to: null },
      settlement: 'close',
      condition: null,
      budgetPool: null,
      caps: { perPartnerPerPeriod: usd(1_200) },
      minimum: usd(1_000),
      points: 33_335,
      families: ['storage', 'software'],
    },
  ],
};

/** A condition on order.total: the fallback through computePeriod. */
const dynamic: ProgramDefinition = {
  ...tabulated,
  components: tabulated.components.map(
    patch('base-rebate', { condition: { attribute: 'order.total', operator: 'gte', value: usd(100) } }),
  ),
};

const PERIOD = { code: '2017-Q1', from: '2017-02-01', to: '2017-04-30' };
const DATES = [
  '2017-01-31',
  '2017-02-01',
  '2017-03-09',
  '2017-03-10',
  '2017-03-31',
  '2017-04-30',
  '2017-05-01',
];
const PARTNERS = ['ptn_a', 'ptn_b', 'ptn_c', 'ptn_d'];
const TIERS = ['authorized', 'gold', 'platinum', 'titanium'];

const lineArb = fc.record({
  partner: fc.nat(PARTNERS.length - 1),
  customer: fc.nat(4),
  orderDate: fc.constantFrom(...DATES),
  family: fc.constantFrom<ProductFamily>(...PRODUCT_FAMILIES),
  amountMinor: fc.oneof(
    fc.integer({ min: -100_000, max: 100_000 }),
    fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }),
    fc.constantFrom(0, 50, -50, 150, 250_000),
  ),
  tier: fc.constantFrom(...TIERS),
  exclusive: fc.boolean(),
  newBusiness: fc.boolean(),
  orderTotalMinor: fc.option(fc.integer({ min: 0, max: 100_000 })),
  channel: fc.constantFrom('partner' as const, 'distributor' as const, 'direct' as const, null),
  deliversServices: fc.boolean(),
  registeredDeal: fc.constantFrom(true, false, null),
});

const partnerArb = fc.record({
  facts: fc.option(fc.record({ tier: fc.constantFrom(...TIERS), exclusive: fc.boolean() })),
  lastYear: fc.option(fc.integer({ min: -1000, max: 3_000_000_000 })),
  previous: fc.option(fc.integer({ min: -1000, max: 300_000_000 })),
  accrued: fc.option(fc.integer({ min: -10_000, max: 1_000_000 })),
});

const caseArb = fc.record({
  lines: fc.array(lineArb, { maxLength: 60 }),
  partners: fc.array(partnerArb, { minLength: PARTNERS.length, maxLength: PARTNERS.length }),
});

type CaseValue = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

interface Case {
  readonly input: PeriodInput;
  readonly columns: CloseColumns;
  readonly contexts: LineContext[];
  readonly partners: ColumnarPartners;
}

/** The same period as objects (for computePeriod) and as columns (for the columnar close). */
function buildCase(c: CaseValue, clustered: boolean, program: ProgramDefinition): Case {
  const raw = clustered
    ? [...c.lines].sort((a, b) => a.partner - b.partner || a.customer - b.customer)
    : c.lines;
  const lines: IncentiveLine[] = raw.map((l, i) => ({
    lineId: `line_${i}`,
    partnerId: PARTNERS[l.partner] as string,
    customerId: `cus_${l.customer}`,
    orderDate: l.orderDate,
    family: l.family,
    amountMinor: l.amountMinor,
    orderTotalMinor: l.orderTotalMinor,
    facts: {
      tier: l.tier,
      exclusive: l.exclusive,
      newBusiness: l.newBusiness,
      channel: l.channel,
      deliversServices: l.deliversServices,
      registeredDeal: l.registeredDeal,
    },
  }));
  const contexts: LineContext[] = [];
  const contextIds = new Map<string, number>();
  const n = raw.length;
  const columns = {
    length: n,
    amountMinor: new Float64Array(n),
    familyIndex: new Uint8Array(n),
    tierIndex: new Uint8Array(n),
    newBusiness: new Uint8Array(n),
    exclusive: new Uint8Array(n),
    contextIndex: new Uint8Array(n),
    partnerIndex: new Uint32Array(n),
    orderDay: new Int32Array(n),
    customerIndex: new Uint32Array(n),
    orderTotalMinor: new Float64Array(n),
  };
  raw.forEach((l, i) => {
    const key = `${l.channel}|${l.deliversServices}|${l.registeredDeal}`;
    let ctx = contextIds.get(key);
    if (ctx === undefined) {
      contextIds.set(key, (ctx = contexts.length));
      contexts.push({
        channel: l.channel,
        deliversServices: l.deliversServices,
        registeredDeal: l.registeredDeal,
      });
    }
    columns.amountMinor[i] = l.amountMinor;
    columns.familyIndex[i] = PRODUCT_FAMILIES.indexOf(l.family);
    columns.tierIndex[i] = TIERS.indexOf(l.tier);
    columns.newBusiness[i] = l.newBusiness ? 1 : 0;
    columns.exclusive[i] = l.exclusive ? 1 : 0;
    columns.contextIndex[i] = ctx;
    columns.partnerIndex[i] = l.partner;
    columns.orderDay[i] = dayNumber(l.orderDate);
    columns.customerIndex[i] = l.customer;
    columns.orderTotalMinor[i] = l.orderTotalMinor ?? Number.NaN;
  });

  const P = PARTNERS.length;
  const comparison = (pick: (p: (typeof c.partners)[number]) => number | null): ComparisonColumns => {
    const cmp = { revenue: new Float64Array(P * PRODUCT_FAMILIES.length), present: new Uint8Array(P) };
    c.partners.forEach((p, pt) => {
      const v = pick(p);
      if (v === null) return;
      cmp.present[pt] = 1;
      // Split over storage and data-protection so that the family filters matter.
      cmp.revenue[pt * PRODUCT_FAMILIES.length + 1] = Math.floor(v / 2);
      cmp.revenue[pt * PRODUCT_FAMILIES.length + 3] = v - Math.floor(v / 2);
    });
    return cmp;
  };
  const components = compileIncentives(program).components;
  const accruedMinor = new Float64Array(P * components.length).fill(Number.NaN);
  c.partners.forEach((p, pt) => {
    if (p.accrued !== null) accruedMinor[pt * components.length + 0] = p.accrued;
  });
  const facts: (LineFacts | null)[] = c.partners.map((p) =>
    p.facts === null ? null : { ...p.facts, newBusiness: false },
  );
  const partnerFacts: PartnerPeriodFacts[] = c.partners.map((p, pt) => {
    const split = (v: number | null) =>
      v === null ? null : { storage: Math.floor(v / 2), 'data-protection': v - Math.floor(v / 2) };
    return {
      partnerId: PARTNERS[pt] as string,
      facts: facts[pt] ?? null,
      comparison: { 'same-period-last-year': split(p.lastYear), 'previous-period': split(p.previous) },
      accruedMinor: p.accrued === null ? null : { [components[0]?.code ?? '']: p.accrued },
    };
  });
  const byKind: Partial<Record<GrowthComparison, ComparisonColumns>> = {
    'same-period-last-year': comparison((p) => p.lastYear),
    'previous-period': comparison((p) => p.previous),
  };
  return {
    input: { period: PERIOD, lines, partners: partnerFacts },
    columns,
    contexts,
    partners: { count: P, facts, comparison: byKind, accruedMinor },
  };
}

describe.each([
  ['dell-emc-fy18', dell, true],
  ['tabulated variant', tabulated, true],
  ['dynamic variant', dynamic, false],
] as const)('columnar close (%s)', (_name, program, fast) => {
  const engine = compileIncentives(program);

  it.each([
    ['clustered by partner and customer', true],
    ['in any order', false],
  ])('equals computePeriod to the cent, lines %s', (_order, clustered) => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const k = buildCase(c, clustered, program);
        const close = compileColumnarClose(program, k.contexts);
        expect(close.fast).toBe(fast);
        const totals = close.computePeriod(PERIOD, k.columns, k.partners);
        const got = columnarTotalsToRows(totals, close.components, PARTNERS);
        expect(got).toEqual(engine.computePeriod(k.input));
      }),
      { numRuns: 150 },
    );
  });
});

it('reads a clustered period in one pass and counts the lines inside the period', () => {
  const k = buildCase(
    {
      lines: [
        {
          partner: 0,
          customer: 1,
          orderDate: '2017-01-31',
          family: 'storage',
          amountMinor: 100,
          tier: 'gold',
          exclusive: false,
          newBusiness: false,
          orderTotalMinor: null,
          channel: 'partner',
          deliversServices: false,
          registeredDeal: null,
        },
        {
          partner: 0,
          customer: 1,
          orderDate: '2017-02-01',
          family: 'storage',
          amountMinor: 100_000_00,
          tier: 'gold',
          exclusive: false,
          newBusiness: false,
          orderTotalMinor: null,
          channel: 'partner',
          deliversServices: false,
          registeredDeal: null,
        },
        {
          partner: 0,
          customer: 1,
          orderDate: '2017-02-02',
          family: 'servers',
          amountMinor: 50_000_00,
          tier: 'gold',
          exclusive: true,
          newBusiness: false,
          orderTotalMinor: null,
          channel: 'partner',
          deliversServices: false,
          registeredDeal: null,
        },
      ],
      partners: PARTNERS.map(() => ({ facts: null, lastYear: null, previous: null, accrued: null })),
    },
    true,
    dell,
  );
  const close = compileColumnarClose(dell, k.contexts);
  const totals = close.computePeriod(PERIOD, k.columns, k.partners);
  expect(totals.lines).toBe(2);
  const rows = columnarTotalsToRows(totals, close.components, PARTNERS);
  // Gold: storage 2% of 100,000.00; servers 1.5% x1.25 of 50,000.00 (exclusive line). The cross-sell
  // multiplier reads the partner's last line (exclusive): 2% x1.25 of 150,000.00.
  expect(rows.map((r) => [r.component, r.totalMinor])).toEqual([
    ['base-rebate', 2_000_00 + 937_50],
    ['cross-sell', 3_750_00],
  ]);
});

it('roundPpm (the hot paths) == applyRate, ties and past 2^53 included', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.integer({ min: -2_147_483_648, max: 2_147_483_647 }),
        fc.integer({ min: -100, max: 100 }).map((k) => k * 50),
        fc.maxSafeInteger(),
      ),
      fc.oneof(
        fc.integer({ min: 0, max: 5_000_000 }),
        fc.constantFrom(0, 1, 10_000, 12_500, 62_500, 1_000_000),
      ),
      (amount, rate) => {
        expect(roundPpm(amount, rate)).toBe(applyRate(amount, rate));
      },
    ),
    { numRuns: 20_000 },
  );
});

it('pays the registered-deal bonus on registered lines only, as computePeriod does', () => {
  const base = {
    partner: 0,
    customer: 1,
    orderDate: '2017-03-15',
    family: 'storage' as ProductFamily,
    amountMinor: 40_000_00,
    tier: 'titanium',
    exclusive: false,
    newBusiness: false,
    orderTotalMinor: null,
    channel: 'partner' as const,
    deliversServices: false,
  };
  const k = buildCase(
    {
      lines: [
        { ...base, registeredDeal: true },
        { ...base, registeredDeal: false, amountMinor: 10_000_00 },
        { ...base, registeredDeal: null, amountMinor: 5_000_00 },
        { ...base, registeredDeal: true, family: 'networking', amountMinor: 1_000_00 },
        { ...base, registeredDeal: true, amountMinor: -4_000_00 },
      ],
      partners: PARTNERS.map(() => ({ facts: null, lastYear: null, previous: null, accrued: null })),
    },
    true,
    dell,
  );
  const close = compileColumnarClose(dell, k.contexts);
  expect(close.fast).toBe(true);
  const rows = columnarTotalsToRows(
    close.computePeriod(PERIOD, k.columns, k.partners),
    close.components,
    PARTNERS,
  );
  expect(rows).toEqual(compileIncentives(dell).computePeriod(k.input));
  // 2% of (40,000.00 - 4,000.00) on registered storage lines; networking is not a registered family.
  expect(rows.find((r) => r.component === 'registered-deal')).toMatchObject({
    accruedMinor: 720_00,
    closeMinor: 0,
    totalMinor: 720_00,
  });
});
