import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyRate, multiplyFactors } from '../money/rate.js';
import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { IncentiveComponent, ProgramDefinition } from '../programs/types.js';
import { compileIncentives } from './index.js';
import { multiplierOfPlan, outcomeOfTotals } from '../simulation/compare.js';
import { planPeriod, planTotals, type HeldAmount } from './plan.js';
import type { IncentiveEngine, IncentiveLine, PartnerPeriodFacts, PeriodInput } from './index.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const dell = loadProgram('dell-emc-fy18.yaml');
const usdMoney = (dollars: number) => ({ amountMinor: dollars * 100, currency: 'USD' });
const patch = (code: string, over: Partial<IncentiveComponent>) => (c: IncentiveComponent) =>
  c.code === code ? ({ ...c, ...over } as IncentiveComponent) : c;

/** A variant exercising groups, caps and minimums on accruals, dates and the slow path. */
const variant: ProgramDefinition = {
  ...dell,
  components: [
    ...dell.components
      .map(patch('base-rebate', { caps: { perPartnerPerPeriod: usdMoney(3_000) } }))
      .map(patch('new-business', { exclusiveGroup: 'acq', minimum: usdMoney(50_000) }))
      .map(patch('exclusivity-multiplier', { effective: { from: '2017-03-01', to: '2017-03-31' } }))
      .map(
        patch('registered-deal', {
          caps: { perPartnerPerPeriod: usdMoney(700) },
          minimum: usdMoney(20_000),
        }),
      ),
    {
      ...(dell.components.find((c) => c.code === 'new-business') as IncentiveComponent),
      code: 'new-logo',
      name: 'New logo',
      priority: 21,
      exclusiveGroup: 'acq',
      points: 95_000,
      families: ['storage', 'networking'],
      effective: { from: '2017-03-10', to: null },
    } as IncentiveComponent,
    {
      code: 'mdf',
      name: 'Earned MDF',
      kind: 'mdf-accrual',
      priority: 60,
      exclusiveGroup: null,
      effective: dell.effective,
      settlement: 'accrual',
      condition: { attribute: 'order.total', operator: 'gte', value: usdMoney(100) },
      budgetPool: null,
      caps: { perPartnerPerPeriod: null },
      minimum: null,
      points: 12_345,
      families: [],
      expiresAfter: { months: 12, days: 0 },
    },
    {
      code: 'services-close',
      name: 'Services at close, by tier',
      kind: 'base-rebate',
      priority: 70,
      exclusiveGroup: null,
      effective: dell.effective,
      settlement: 'close',
      condition: null,
      budgetPool: null,
      caps: { perPartnerPerPeriod: usdMoney(2_000) },
      minimum: null,
      rates: { gold: { services: 15_000 }, titanium: { services: 33_333, storage: 1_111 } },
    },
    {
      code: 'registered-close',
      name: 'Registered deals at close',
      kind: 'deal-registration',
      priority: 80,
      exclusiveGroup: null,
      effective: { from: '2017-03-01', to: null },
      settlement: 'close',
      condition: { attribute: 'order.channel', operator: 'ne', value: 'direct' },
      budgetPool: null,
      caps: { perPartnerPerPeriod: usdMoney(1_500) },
      minimum: null,
      points: 33_335,
      families: [],
    },
  ],
};

const variantWithoutAmounts: ProgramDefinition = {
  ...variant,
  components: variant.components.filter((c) => c.code !== 'mdf'),
};

/** The shipped program, and a variant exercising groups, caps and minimums on accruals, dates and the slow path. */
const variants: [string, IncentiveEngine][] = [
  ['dell-emc-fy18', compileIncentives(dell, { version: 1 })],
  ['variant', compileIncentives(variant, { version: 2 })],
  [
    // The variant with no condition reading a line's amount (line evaluations shared by facts and day).
    'variant without amount conditions',
    compileIncentives(variantWithoutAmounts, { version: 3 }),
  ],
];

/**
 * A program with one more accrual component whose condition reads the order total and never holds: the
 * same amounts, each line evaluated on its own (no evaluation shared between lines).
 */
const evaluatedPerLine = (program: ProgramDefinition, version: number) =>
  compileIncentives(
    {
      ...program,
      components: [
        ...program.components,
        {
          code: 'never',
          name: 'Never',
          kind: 'mdf-accrual',
          priority: 1_000,
          exclusiveGroup: null,
          effective: program.effective,
          settlement: 'accrual',
          condition: { attribute: 'order.total', operator: 'lt', value: usdMoney(-1) },
          budgetPool: null,
          caps: { perPartnerPerPeriod: null },
          minimum: null,
          points: 10_000,
          families: [],
          expiresAfter: { months: 12, days: 0 },
        },
      ],
    },
    { version },
  );
const perLineOf: Record<string, IncentiveEngine> = {
  'dell-emc-fy18': evaluatedPerLine(dell, 1),
  'variant without amount conditions': evaluatedPerLine(variantWithoutAmounts, 3),
};

const PERIOD = { code: '2017-Q1', from: '2017-02-01', to: '2017-04-30' };
const DATES = [
  '2017-01-31',
  '2017-02-01',
  '2017-02-28',
  '2017-03-09',
  '2017-03-10',
  '2017-03-31',
  '2017-04-01',
  '2017-04-30',
  '2017-05-01',
];

const lineArb = fc.record({
  partnerId: fc.constantFrom('ptn_a', 'ptn_b', 'ptn_c'),
  customerId: fc.constantFrom('cus_1', 'cus_2', 'cus_3', 'cus_4'),
  orderDate: fc.constantFrom(...DATES),
  family: fc.constantFrom<ProductFamily>(...PRODUCT_FAMILIES),
  amountMinor: fc.oneof(
    fc.integer({ min: -100_000, max: 100_000 }),
    fc.integer({ min: -2_000_000_000, max: 20_000_000_000 }),
  ),
  tier: fc.constantFrom('authorized', 'gold', 'platinum', 'titanium'),
  exclusive: fc.boolean(),
  newBusiness: fc.boolean(),
  orderTotalMinor: fc.option(fc.integer({ min: 0, max: 100_000 })),
  channel: fc.constantFrom('partner' as const, 'distributor' as const, 'direct' as const, null),
  deliversServices: fc.boolean(),
  registeredDeal: fc.option(fc.boolean()),
  clawbackLimit: fc.option(
    fc.dictionary(fc.constantFrom('base-rebate', 'new-business', 'mdf', 'registered-deal'), fc.nat(50_000)),
  ),
});

const inputArb = fc
  .record({
    lines: fc.array(lineArb, { maxLength: 40 }),
    prior: fc.dictionary(
      fc.constantFrom('ptn_a', 'ptn_b', 'ptn_c'),
      fc.integer({ min: -1000, max: 3_000_000_000 }),
    ),
  })
  .map(({ lines, prior }): PeriodInput => {
    const ls: IncentiveLine[] = lines.map((l, i) => ({
      lineId: `line_${i}`,
      partnerId: l.partnerId,
      customerId: l.customerId,
      orderDate: l.orderDate,
      family: l.family,
      amountMinor: l.amountMinor,
      orderTotalMinor: l.orderTotalMinor,
      ...(l.clawbackLimit === null || l.amountMinor >= 0 ? {} : { clawbackLimitMinor: l.clawbackLimit }),
      facts: {
        tier: l.tier,
        exclusive: l.exclusive,
        newBusiness: l.newBusiness,
        channel: l.channel,
        deliversServices: l.deliversServices,
        ...(l.registeredDeal === null ? {} : { registeredDeal: l.registeredDeal }),
      },
    }));
    const partners: PartnerPeriodFacts[] = Object.entries(prior).map(([partnerId, amount]) => ({
      partnerId,
      comparison: { 'same-period-last-year': { storage: amount } },
    }));
    return { period: PERIOD, lines: ls, partners };
  });

function inPeriod(l: IncentiveLine): boolean {
  return l.orderDate >= PERIOD.from && l.orderDate <= PERIOD.to;
}

describe.each(variants)('properties (%s)', (_name, engine) => {
  it('per-line accruals + close == computePeriod, to the cent', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const sums = new Map<string, number>();
        const add = (partner: string, component: string, amount: number) => {
          const k = `${partner} ${component}`;
          sums.set(k, (sums.get(k) ?? 0) + amount);
        };
        for (const l of input.lines.filter(inPeriod)) {
          for (const p of engine.accrueLine(l)) add(p.partnerId, p.component, p.amountMinor);
        }
        for (const p of engine.settlePeriod(input)) add(p.partnerId, p.component, p.amountMinor);
        const batch = new Map(
          engine.computePeriod(input).map((t) => [`${t.partnerId} ${t.component}`, t.totalMinor]),
        );
        for (const [k, v] of sums) expect([k, batch.get(k) ?? 0]).toEqual([k, v]);
        for (const [k, v] of batch) expect([k, v]).toEqual([k, sums.get(k) ?? 0]);
      }),
      { numRuns: 300 },
    );
  });

  it('every proposal amount == applyRate(base, multiplyFactors(rate, multiplier))', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const proposals = [
          ...input.lines.flatMap((l) => engine.accrueLine(l)),
          ...engine.settlePeriod(input),
        ];
        for (const p of proposals) {
          if ('type' in p && (p.type !== 'component' || p.capped !== null)) continue;
          if (!('type' in p) && /Clawback limited/.test(p.explanation.text)) continue;
          expect(p.effectiveRate).toBe(multiplyFactors(p.rate, p.multiplier));
          expect(p.amountMinor).toBe(applyRate(p.baseMinor, p.effectiveRate));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('accrueLines == accrueLine line by line, to the cent', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const { width, amounts } = engine.accrueLines(input.lines);
        input.lines.forEach((l, i) => {
          const expected = new Array<number>(width).fill(0);
          for (const p of engine.accrueLine(l)) {
            const c = engine.components.findIndex((x) => x.code === p.component);
            expected[c] = (expected[c] as number) + p.amountMinor;
          }
          expect([...amounts.subarray(i * width, (i + 1) * width)]).toEqual(expected);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('lineAccruals == accrueLine line by line (components, order and amounts), limits included', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        // One function for every line: lines alike share an evaluation, and must still each get theirs.
        const amounts = engine.lineAccruals();
        for (const l of input.lines)
          expect(amounts(l)).toEqual(
            engine.accrueLine(l).map((p) => ({ component: p.component, amountMinor: p.amountMinor })),
          );
      }),
      { numRuns: 200 },
    );
  });

  it('a return never claws back more than its limit, and a limit only ever lessens a clawback', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const l of input.lines) {
          if (l.clawbackLimitMinor == null) continue;
          const free = new Map(
            engine.accrueLine({ ...l, clawbackLimitMinor: null }).map((p) => [p.component, p.amountMinor]),
          );
          for (const p of engine.accrueLine(l)) {
            expect(-p.amountMinor).toBeLessThanOrEqual(l.clawbackLimitMinor[p.component] ?? 0);
            expect(p.amountMinor).toBeGreaterThanOrEqual(free.get(p.component) ?? 0);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it('the period plan: nothing held plans the batch computation; applying it leaves nothing to plan', () => {
    const heldArb = fc.array(
      fc.record({
        line: fc.nat(45),
        component: fc.constantFrom('base-rebate', 'new-business', 'mdf', 'retired-component'),
        amountMinor: fc.integer({ min: -50_000, max: 50_000 }),
      }),
      { maxLength: 12 },
    );
    fc.assert(
      fc.property(inputArb, heldArb, (input, extra) => {
        const lines = input.lines.filter(inPeriod);
        const planInput = { period: PERIOD, lines, partners: input.partners ?? [] };
        const key = (p: string, c: string) => `${p} ${c}`;
        // What the ledger holds: arbitrary amounts on lines (some not in the period any more).
        const held: HeldAmount[] = extra.map((h) => ({
          partnerId: lines.find((l) => l.lineId === `line_${h.line}`)?.partnerId ?? 'ptn_gone',
          lineId: `line_${h.line}`,
          component: h.component,
          amountMinor: h.amountMinor,
        }));
        const plan = planPeriod(engine, { ...planInput, held });
        // Held + planned == the batch computation, per partner and component.
        const after = new Map<string, number>();
        const add = (k: string, v: number) => after.set(k, (after.get(k) ?? 0) + v);
        for (const h of held) add(key(h.partnerId, h.component), h.amountMinor);
        for (const p of plan.postings) add(key(p.partnerId, p.application.component), p.amountMinor);
        for (const i of plan.closeItems) add(key(i.partnerId, i.component), i.amountMinor);
        const batch = new Map(
          engine.computePeriod({ ...input, lines }).map((t) => [key(t.partnerId, t.component), t.totalMinor]),
        );
        for (const k of new Set([...after.keys(), ...batch.keys()]))
          expect([k, after.get(k) ?? 0]).toEqual([k, batch.get(k) ?? 0]);
        expect(new Map(plan.totals.map((t) => [key(t.partnerId, t.component), t.totalMinor]))).toEqual(batch);
        expect(plan.netMinor).toBe(
          plan.postings.reduce((s, p) => s + p.amountMinor, 0) +
            plan.closeItems.reduce((s, i) => s + i.amountMinor, 0),
        );
        // Applying the plan leaves nothing to plan (a re-close posts nothing).
        const applied: HeldAmount[] = [
          ...held,
          ...plan.postings.map((p) => ({
            partnerId: p.partnerId,
            lineId: p.lineId,
            component: p.application.component,
            amountMinor: p.amountMinor,
          })),
          ...plan.closeItems.map((i) => ({
            partnerId: i.partnerId,
            lineId: null,
            component: i.component,
            amountMinor: i.amountMinor,
          })),
        ];
        const again = planPeriod(engine, { ...planInput, held: applied });
        expect(again.postings).toEqual([]);
        expect(again.closeItems).toEqual([]);
        expect(again.netMinor).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('planTotals and its outcome equal the plan with nothing held (a simulation builds no posting)', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        const planInput = { period: PERIOD, lines: input.lines, partners: input.partners ?? [] };
        const plan = planPeriod(engine, { ...planInput, held: [] });
        const earned = planTotals(engine, planInput);
        expect(earned.totals).toEqual(plan.totals);
        expect(earned.totalMinor).toBe(plan.totalMinor);
        expect(earned.proposals).toEqual(plan.proposals);
        expect(Array.from(earned.accruals.amounts)).toEqual(Array.from(plan.accruals.amounts));
        // With the batch's multipliers (what a simulation runs): the same amounts, the plan's outcome.
        const batched = planTotals(engine, planInput, { multipliers: true });
        expect(Array.from(batched.accruals.amounts)).toEqual(Array.from(plan.accruals.amounts));
        const outcome = outcomeOfTotals(batched);
        expect(outcome.totals).toEqual(plan.totals);
        expect(outcome.multiplierMinor).toBe(multiplierOfPlan(plan));
      }),
      { numRuns: 300 },
    );
  });

  it('lines sharing one facts object settle and accrue as with a copy each', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        // Every line of a partner takes the facts of the partner's first line: one object, or a copy each.
        const first = new Map<string, IncentiveLine['facts']>();
        for (const l of input.lines) if (!first.has(l.partnerId)) first.set(l.partnerId, l.facts);
        const factsOf = (l: IncentiveLine) => first.get(l.partnerId) as IncentiveLine['facts'];
        const shared = { ...input, lines: input.lines.map((l) => ({ ...l, facts: factsOf(l) })) };
        const copied = { ...input, lines: input.lines.map((l) => ({ ...l, facts: { ...factsOf(l) } })) };
        expect(engine.settlePeriod(shared)).toEqual(engine.settlePeriod(copied));
        expect(Array.from(engine.accrueLines(shared.lines).amounts)).toEqual(
          Array.from(engine.accrueLines(copied.lines).amounts),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('a close that shares line evaluations settles as one that evaluates each line', () => {
    const perLine = perLineOf[_name];
    if (!perLine) return;
    fc.assert(
      fc.property(inputArb, (input) => {
        // Each line with twins (their own facts objects): one alike, one each with another exclusivity,
        // new-business fact, tier or channel.
        const TIERS = ['authorized', 'gold', 'platinum', 'titanium'];
        const lines = input.lines.flatMap((l, n): IncentiveLine[] => {
          const twin = (suffix: string, facts: Partial<IncentiveLine['facts']>): IncentiveLine => ({
            ...l,
            lineId: `${l.lineId}${suffix}`,
            amountMinor: l.amountMinor * 3 + n,
            facts: { ...l.facts, ...facts },
          });
          return [
            l,
            twin('a', {}),
            twin('e', { exclusive: !l.facts.exclusive }),
            twin('n', { newBusiness: !l.facts.newBusiness }),
            twin('t', { tier: TIERS[(TIERS.indexOf(l.facts.tier) + 1) % TIERS.length] as string }),
            twin('c', { channel: l.facts.channel === 'direct' ? 'partner' : 'direct' }),
          ];
        });
        for (const i of [input, { ...input, lines }])
          expect(engine.settlePeriod(i)).toEqual(perLine.settlePeriod(i));
      }),
      { numRuns: 300 },
    );
  });

  it('negating a line negates its accruals', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const l0 of input.lines) {
          const l = { ...l0, clawbackLimitMinor: null };
          const plus = engine.accrueLine(l).map((p) => [p.component, p.amountMinor, p.rate, p.multiplier]);
          const minus = engine
            .accrueLine({ ...l, amountMinor: -l.amountMinor })
            .map((p) => [p.component, -p.amountMinor + 0, p.rate, p.multiplier]);
          expect(minus).toEqual(plus.map(([c, a, r, m]) => [c, (a as number) + 0, r, m]));
        }
      }),
      { numRuns: 200 },
    );
  });
});

it('the shipped program runs the precomputed table; the variant (order.total condition) the slow path', () => {
  expect(variants.map(([, e]) => e.prepareBatch([{ channel: 'partner' }]).fast)).toEqual([true, false, true]);
});

describe('the registered-deal bonus (shipped program)', () => {
  const engine = compileIncentives(dell);
  const REGISTERED: readonly ProductFamily[] = ['storage', 'servers', 'data-protection'];
  it('pays exactly points x amount (x multiplier, half-even) on a registered line of its families, else nothing', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const l0 of input.lines) {
          const l = { ...l0, clawbackLimitMinor: null };
          const got = engine.accrueLine(l).filter((p) => p.component === 'registered-deal');
          const pays =
            l.facts.registeredDeal === true &&
            REGISTERED.includes(l.family) &&
            l.amountMinor !== 0 &&
            l.orderDate >= dell.effective.from &&
            l.orderDate <= (dell.effective.to ?? '9999');
          if (!pays) {
            expect(got).toEqual([]);
            continue;
          }
          const multiplier = l.facts.exclusive ? 1_250_000 : 1_000_000;
          expect(got.map((p) => p.amountMinor)).toEqual([
            applyRate(l.amountMinor, multiplyFactors(20_000, multiplier)),
          ]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('turning registeredDeal off changes nothing but the registered-deal bonus', () => {
    fc.assert(
      fc.property(inputArb, (input) => {
        for (const l of input.lines) {
          const on = engine.accrueLine({ ...l, facts: { ...l.facts, registeredDeal: true } });
          const off = engine.accrueLine({ ...l, facts: { ...l.facts, registeredDeal: false } });
          expect(on.filter((p) => p.component !== 'registered-deal').map((p) => p.amountMinor)).toEqual(
            off.map((p) => p.amountMinor),
          );
          expect(off.some((p) => p.component === 'registered-deal')).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
});
