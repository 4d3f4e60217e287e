import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileIncentives, type IncentiveLine } from '../incentives/index.js';
import { linesOfColumns, planTotalsOfColumns, toPeriodColumns } from '../incentives/period-columns.js';
import { planPeriod, planTotals } from '../incentives/plan.js';
import type { ProductFamily } from '../model/catalog.js';
import { shardOfPartner } from '../incentives/shards.js';
import { PPM_ONE } from '../money/rate.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { IncentiveComponent, ProgramDefinition } from '../programs/types.js';
import {
  comparePlans,
  distributionOf,
  firstMismatches,
  mergeOutcomes,
  outcomeOfColumnTotals,
  outcomeOfTotals,
  multiplierPart,
  selectPartners,
  type PartnerComparison,
  type SimulatedProgram,
} from './compare.js';
import { tierChanges } from './tier-changes.js';

const path = join(import.meta.dirname, '..', '..', '..', 'programs', 'dell-emc-fy18.yaml');
const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error('cannot load the shipped program');
const dell: ProgramDefinition = parsed.document;
/** Titanium storage at 5% instead of 4%. */
const draft: ProgramDefinition = {
  ...dell,
  components: dell.components.map((c) =>
    c.code === 'base-rebate' && c.kind === 'base-rebate'
      ? ({
          ...c,
          rates: { ...c.rates, titanium: { ...c.rates.titanium, storage: 50_000 } },
        } as IncentiveComponent)
      : c,
  ),
};
const baseEngine = compileIncentives(dell, { version: 1 });
const draftEngine = compileIncentives(draft, { version: 2 });
/** The base rebate capped and with a minimum, the cross-sell with a minimum (caps and minimums at the close). */
const cappedEngine = compileIncentives(
  {
    ...dell,
    components: dell.components.map((c) =>
      c.code === 'base-rebate'
        ? ({
            ...c,
            caps: { perPartnerPerPeriod: { amountMinor: 1_500_000, currency: 'USD' } },
            minimum: { amountMinor: 20_000_000, currency: 'USD' },
          } as IncentiveComponent)
        : c.code === 'cross-sell'
          ? ({ ...c, minimum: { amountMinor: 30_000_000, currency: 'USD' } } as IncentiveComponent)
          : c,
    ),
  },
  { version: 3 },
);
const programOf = (p: ProgramDefinition): SimulatedProgram => ({
  componentPools: Object.fromEntries(p.components.map((c) => [c.code, c.budgetPool])),
  pools: p.budgetPools.map((b) => ({ code: b.code, amountMinor: b.amount.amountMinor })),
});
const Q1 = { code: 'FY18-Q1', from: '2017-02-01', to: '2017-05-05' };
const Q2 = { code: 'FY18-Q2', from: '2017-05-06', to: '2017-08-04' };

const lineArb = fc.record({
  partnerId: fc.constantFrom('ptn_a', 'ptn_b', 'ptn_c'),
  family: fc.constantFrom<ProductFamily>('storage', 'servers', 'services', 'networking'),
  amountMinor: fc.integer({ min: 0, max: 50_000_000 }),
  tier: fc.constantFrom('authorized', 'gold', 'platinum', 'titanium'),
  exclusive: fc.boolean(),
  newBusiness: fc.boolean(),
  q2: fc.boolean(),
});
type RawLine = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;
const linesOf = (raw: RawLine[]) =>
  raw.map((r, i): IncentiveLine => ({
    lineId: `lin_${String(i).padStart(4, '0')}`,
    partnerId: r.partnerId,
    customerId: 'cus_1',
    orderDate: r.q2 ? '2017-06-01' : '2017-03-01',
    family: r.family,
    amountMinor: r.amountMinor,
    facts: {
      tier: r.tier,
      exclusive: r.exclusive,
      newBusiness: r.newBusiness,
      channel: 'partner',
      deliversServices: true,
    },
  }));

function simulate(lines: IncentiveLine[]) {
  const periods = [Q1, Q2].map((period) => {
    const of = lines.filter((l) => l.orderDate >= period.from && l.orderDate <= period.to);
    const partners = [...new Set(of.map((l) => l.partnerId))].map((partnerId) => ({ partnerId }));
    return {
      period,
      baseline: planPeriod(baseEngine, { period, lines: of, partners, held: [] }),
      draft: planPeriod(draftEngine, { period, lines: of, partners, held: [] }),
    };
  });
  return comparePlans({ baseline: programOf(dell), draft: programOf(draft), periods, profiles: [] });
}

describe('simulation comparison', () => {
  it('a draft equal to the baseline changes nothing; totals add up by component, period and partner', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), (raw) => {
        const lines = linesOf(raw);
        const periods = [Q1, Q2].map((period) => {
          const of = lines.filter((l) => l.orderDate >= period.from && l.orderDate <= period.to);
          const partners = [...new Set(of.map((l) => l.partnerId))].map((partnerId) => ({ partnerId }));
          const plan = planPeriod(baseEngine, { period, lines: of, partners, held: [] });
          return { period, baseline: plan, draft: plan };
        });
        const c = comparePlans({ baseline: programOf(dell), draft: programOf(dell), periods, profiles: [] });
        expect(c.totals.differenceMinor).toBe(0);
        expect(c.totals.winners + c.totals.losers).toBe(0);
        expect(c.partners.every((p) => p.differenceMinor === 0)).toBe(true);
        const total = periods.reduce((s, p) => s + p.baseline.totalMinor, 0);
        expect(c.totals.baselineMinor).toBe(total);
        expect(c.components.reduce((s, x) => s + x.baselineMinor, 0)).toBe(total);
        expect(c.periods.reduce((s, x) => s + x.baselineMinor, 0)).toBe(total);
        expect(c.partners.reduce((s, x) => s + x.baselineMinor, 0)).toBe(total);
        expect(c.distribution.reduce((s, b) => s + b.partners, 0)).toBe(c.partners.length);
      }),
      { numRuns: 60 },
    );
  });

  it('raising Titanium storage by one point changes exactly the Titanium storage lines, by one point', () => {
    fc.assert(
      fc.property(fc.array(lineArb, { maxLength: 30 }), (raw) => {
        const lines = linesOf(raw);
        const c = simulate(lines);
        const rebate = (e: typeof baseEngine, l: IncentiveLine) =>
          e.accrueLine(l).find((a) => a.component === 'base-rebate')?.amountMinor ?? 0;
        let expected = 0;
        for (const l of lines) {
          const d = rebate(draftEngine, l) - rebate(baseEngine, l);
          if (l.facts.tier === 'titanium' && l.family === 'storage') {
            // one point of the line, times the exclusivity multiplier (x1.25), to the cent
            const m = l.facts.exclusive ? 1.25 : 1;
            expect(Math.abs(d - l.amountMinor * 0.01 * m)).toBeLessThanOrEqual(1);
          } else expect(d).toBe(0);
          expected += d;
        }
        expect(c.components.find((x) => x.component === 'base-rebate')?.differenceMinor ?? 0).toBe(expected);
        for (const x of c.components) if (x.component !== 'base-rebate') expect(x.differenceMinor).toBe(0);
      }),
      { numRuns: 60 },
    );
  });

  it('names the period a budget pool runs out in', () => {
    const small: ProgramDefinition = {
      ...draft,
      budgetPools: draft.budgetPools.map((b) => ({
        ...b,
        amount: { amountMinor: 100_000, currency: 'USD' },
      })),
    };
    const lines = linesOf([
      {
        partnerId: 'ptn_a',
        family: 'storage',
        amountMinor: 1_000_000,
        tier: 'gold',
        exclusive: false,
        newBusiness: false,
        q2: false,
      },
      {
        partnerId: 'ptn_a',
        family: 'storage',
        amountMinor: 10_000_000,
        tier: 'gold',
        exclusive: false,
        newBusiness: false,
        q2: true,
      },
    ]);
    const periods = [Q1, Q2].map((period) => {
      const of = lines.filter((l) => l.orderDate >= period.from && l.orderDate <= period.to);
      const partners = [{ partnerId: 'ptn_a' }];
      return {
        period,
        baseline: planPeriod(baseEngine, { period, lines: of, partners, held: [] }),
        draft: planPeriod(draftEngine, { period, lines: of, partners, held: [] }),
      };
    });
    const c = comparePlans({ baseline: programOf(dell), draft: programOf(small), periods, profiles: [] });
    const pool = c.pools.find((p) => p.pool === 'fy18-partner-investment');
    // Gold storage at 2%: 200.00 in Q1 (under the 1 000.00 budget), 2 000.00 more in Q2.
    expect(pool).toMatchObject({
      baselineMinor: 220_000,
      draftMinor: 220_000,
      baselineBudgetMinor: 15_000_000_000,
      draftBudgetMinor: 100_000,
      baselineRunsOutIn: null,
      draftRunsOutIn: 'FY18-Q2',
    });
  });

  it('isolates the exclusivity multiplier', () => {
    expect(multiplierPart(125, 1_250_000)).toBe(25);
    expect(multiplierPart(-125, 1_250_000)).toBe(-25);
    expect(multiplierPart(100, PPM_ONE)).toBe(0);
    const lines = linesOf([
      {
        partnerId: 'ptn_a',
        family: 'storage',
        amountMinor: 1_000_000,
        tier: 'gold',
        exclusive: true,
        newBusiness: false,
        q2: false,
      },
      {
        partnerId: 'ptn_b',
        family: 'storage',
        amountMinor: 1_000_000,
        tier: 'gold',
        exclusive: false,
        newBusiness: false,
        q2: false,
      },
    ]);
    const c = simulate(lines);
    // 2% of 10 000.00 = 200.00; x1.25 adds 50.00 for the exclusive partner only.
    expect(c.multiplier.baselineMinor).toBe(5_000);
    expect(c.multiplier.baselineShare).toBe(Math.round((5_000 / 45_000) * PPM_ONE));
  });

  it('filters and sorts partners', () => {
    const p = (partnerId: string, b: number, d: number, tier: string): PartnerComparison => ({
      partnerId,
      tier,
      zone: 'emea-1',
      region: 'emea',
      kind: 'reseller',
      baselineMinor: b,
      draftMinor: d,
      differenceMinor: d - b,
      components: {},
    });
    const all = [
      p('a', 10, 20, 'gold'),
      p('b', 10, 5, 'titanium'),
      p('c', 10, 10, 'gold'),
      p('d', 0, 30, 'gold'),
    ];
    expect(selectPartners(all).map((x) => x.partnerId)).toEqual(['d', 'a', 'c', 'b']);
    expect(selectPartners(all, { change: 'winners' }).map((x) => x.partnerId)).toEqual(['d', 'a']);
    expect(selectPartners(all, { change: 'losers' }).map((x) => x.partnerId)).toEqual(['b']);
    expect(selectPartners(all, { tier: 'gold' }, 'difference').map((x) => x.partnerId)).toEqual([
      'c',
      'a',
      'd',
    ]);
    expect(selectPartners(all, { kind: 'distributor' })).toEqual([]);
    expect(selectPartners(all, {}, 'partner').map((x) => x.partnerId)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('buckets gains and losses', () => {
    const d = distributionOf([0, 0, 5, -5, 2_000, -2_000_000_000]);
    expect(d.find((b) => b.fromMinor === 0)?.partners).toBe(2);
    expect(d.find((b) => b.fromMinor === 1)?.partners).toBe(1);
    expect(d.find((b) => b.fromMinor === null)?.partners).toBe(1);
    expect(d.reduce((s, b) => s + b.partners, 0)).toBe(6);
  });

  it('tier changes: who moves up and down', () => {
    const t = tierChanges(
      ['authorized', 'gold', 'platinum'],
      [
        { partnerId: 'a', baseline: 'gold', draft: 'platinum' },
        { partnerId: 'b', baseline: 'gold', draft: 'gold' },
        { partnerId: 'c', baseline: 'platinum', draft: 'authorized' },
      ],
    );
    expect(t.up).toBe(1);
    expect(t.down).toBe(1);
    expect(t.changes).toEqual([
      { partnerId: 'a', from: 'gold', to: 'platinum', direction: 'up' },
      { partnerId: 'c', from: 'platinum', to: 'authorized', direction: 'down' },
    ]);
  });

  it('the plan over columns equals the plan over lines: totals in the same order, multipliers to the cent', () => {
    const returnArb = fc.record({
      of: fc.nat(),
      share: fc.integer({ min: 1, max: 100 }),
      limit: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 40 }),
        fc.array(returnArb, { maxLength: 6 }),
        fc.constantFrom('cus_1', 'cus_2'),
        fc.boolean(),
        (raw, returns, otherCustomer, withFacts) => {
          const sales = linesOf(raw).map((l, i) => (i % 3 === 0 ? { ...l, customerId: otherCustomer } : l));
          // Returns of some sales, some carrying clawback limits (as loadPeriodFacts sets them).
          const lines: IncentiveLine[] = [...sales];
          for (const [k, r] of returns.entries()) {
            const sale = sales[r.of % sales.length] as IncentiveLine;
            lines.push({
              ...sale,
              lineId: `lin_r${k}`,
              amountMinor: -Math.floor((sale.amountMinor * r.share) / 100),
              ...(r.limit === null
                ? {}
                : { clawbackLimitMinor: { 'base-rebate': r.limit, 'new-business': 0 } }),
            });
          }
          for (const period of [Q1, Q2]) {
            const of = lines.filter((l) => l.orderDate >= period.from && l.orderDate <= period.to);
            // With the partners' facts (as a simulation has them), lines alike are settled summed; without,
            // one by one.
            const ids = [...new Set(of.map((l) => l.partnerId))].sort();
            const partners = withFacts
              ? ids.map((partnerId, k) => ({
                  partnerId,
                  facts: { ...(of.find((l) => l.partnerId === partnerId) as IncentiveLine).facts },
                  comparison: {
                    'same-period-last-year': { storage: 1_000_000 * (k + 1), servers: 500_000 },
                    'previous-period': {},
                  },
                }))
              : ids.map((partnerId) => ({ partnerId }));
            // Every other return replaced with facts equal to its column's in another object (as a
            // simulation's returns, read apart from the columns, have them).
            const replaced = of.flatMap((line, at) =>
              line.clawbackLimitMinor != null && line.amountMinor < 0
                ? [{ at, line: at % 2 === 1 ? { ...line, facts: { ...line.facts } } : line }]
                : [],
            );
            const columns = toPeriodColumns(of);
            expect(
              linesOfColumns(columns, replaced).map((l) => [l.partnerId, l.amountMinor, l.facts]),
            ).toEqual(of.map((l) => [l.partnerId, l.amountMinor, l.facts]));
            for (const engine of [baseEngine, draftEngine, cappedEngine]) {
              const byLines = outcomeOfTotals(
                planTotals(engine, { period, lines: of, partners }, { multipliers: true }),
              );
              const byColumns = outcomeOfColumnTotals(
                planTotalsOfColumns(engine, { period, columns, replaced, partners }),
              );
              expect(byColumns).toEqual(byLines);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('in shards of partners: the outcomes merged compare exactly as one run over every partner', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 2, max: 5 }),
        (raw, count) => {
          const lines = linesOf(raw);
          const run = (engine: typeof baseEngine, period: typeof Q1, of: IncentiveLine[]) => {
            const partners = [...new Set(of.map((l) => l.partnerId))]
              .sort()
              .map((partnerId) => ({ partnerId }));
            return outcomeOfColumnTotals(
              planTotalsOfColumns(engine, { period, columns: toPeriodColumns(of), replaced: [], partners }),
            );
          };
          const compare = (sharded: boolean) =>
            comparePlans({
              baseline: programOf(dell),
              draft: programOf(draft),
              profiles: [],
              periods: [Q1, Q2].map((period) => {
                const of = lines.filter((l) => l.orderDate >= period.from && l.orderDate <= period.to);
                const shards = sharded
                  ? Array.from({ length: count }, (_, s) =>
                      of.filter((l) => shardOfPartner(l.partnerId, count) === s),
                    )
                  : [of];
                return {
                  period,
                  baseline: mergeOutcomes(shards.map((x) => run(cappedEngine, period, x))),
                  draft: mergeOutcomes(shards.map((x) => run(draftEngine, period, x))),
                };
              }),
            });
          expect(compare(true)).toEqual(compare(false));
        },
      ),
      { numRuns: 60 },
    );
    // Shards never share a partner: a partner in two is refused, not counted twice.
    const one = {
      totals: [{ partnerId: 'a', component: 'c', accruedMinor: 1, closeMinor: 0, totalMinor: 1 }],
      multiplierMinor: 0,
    };
    expect(() => mergeOutcomes([one, one])).toThrow(/two shards/);
  });

  it("in shards of partners: a period's first mismatches are those one run finds", () => {
    const m = (partnerId: string, component: string) => ({ partnerId, component });
    expect(
      firstMismatches(
        [
          [m('ptn_b', 'base'), m('ptn_d', 'base')],
          [m('ptn_a', 'x'), m('ptn_c', 'base'), m('ptn_c', 'a')],
        ],
        4,
      ),
    ).toEqual([m('ptn_a', 'x'), m('ptn_b', 'base'), m('ptn_c', 'a'), m('ptn_c', 'base')]);
    expect(firstMismatches([[m('ptn_a', 'x')]], 0)).toEqual([]);
  });
});
