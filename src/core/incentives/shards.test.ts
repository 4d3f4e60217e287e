import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PRODUCT_FAMILIES, type ProductFamily } from '../model/catalog.js';
import { parseProgramDocument } from '../programs/parse.js';
import type { ProgramDefinition } from '../programs/types.js';
import { compileIncentives } from './index.js';
import type { IncentiveLine, PartnerPeriodFacts } from './index.js';
import { planPeriod, type HeldAmount, type PeriodPlan } from './plan.js';
import { mergeShardPlans, partnersOfShard, shardOfPartner, toShardPlan } from './shards.js';

function loadProgram(file: string): ProgramDefinition {
  const path = join(import.meta.dirname, '..', '..', '..', 'programs', file);
  const parsed = parseProgramDocument(readFileSync(path, 'utf8'), path);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error(`cannot load ${file}`);
  return parsed.document;
}

const dell = loadProgram('dell-emc-fy18.yaml');
const capped: ProgramDefinition = {
  ...dell,
  components: dell.components.map((c) =>
    c.code === 'base-rebate'
      ? { ...c, caps: { perPartnerPerPeriod: { amountMinor: 300_000, currency: 'USD' } } }
      : c,
  ),
};
const engines = [
  ['dell-emc-fy18', compileIncentives(dell, { version: 1 })],
  ['with a cap per partner', compileIncentives(capped, { version: 2 })],
] as const;

const PERIOD = { code: '2017-Q1', from: '2017-02-01', to: '2017-04-30' };
const PARTNERS = ['ptn_a', 'ptn_b', 'ptn_c', 'ptn_d', 'ptn_e', 'ptn_f'];
const COMPONENTS = ['base-rebate', 'new-business', 'services-rebate', 'retired-component'];

const worldArb = fc.record({
  lines: fc.array(
    fc.record({
      partnerId: fc.constantFrom(...PARTNERS),
      customerId: fc.constantFrom('cus_1', 'cus_2', 'cus_3'),
      orderDate: fc.constantFrom('2017-02-01', '2017-03-10', '2017-04-30'),
      family: fc.constantFrom<ProductFamily>(...PRODUCT_FAMILIES),
      amountMinor: fc.integer({ min: -2_000_000, max: 20_000_000 }),
      tier: fc.constantFrom('authorized', 'gold', 'platinum', 'titanium'),
      exclusive: fc.boolean(),
      newBusiness: fc.boolean(),
      deliversServices: fc.boolean(),
      clawbackLimit: fc.option(fc.dictionary(fc.constantFrom(...COMPONENTS), fc.nat(50_000))),
    }),
    { maxLength: 40 },
  ),
  prior: fc.dictionary(fc.constantFrom(...PARTNERS), fc.integer({ min: 0, max: 3_000_000_000 })),
  held: fc.array(
    fc.record({
      line: fc.nat(45),
      closeItem: fc.boolean(),
      component: fc.constantFrom(...COMPONENTS),
      amountMinor: fc.integer({ min: -50_000, max: 50_000 }),
    }),
    { maxLength: 12 },
  ),
  count: fc.integer({ min: 1, max: 5 }),
});

/** The parts of a plan the close reads, in a form `toEqual` compares (totals: in no order). */
function comparable(plan: PeriodPlan, lines: number) {
  return {
    // Row i is lines[i] (an empty batch may hold one row of zeros past them).
    amounts: Array.from(plan.accruals.amounts).slice(0, lines * plan.accruals.width),
    codes: plan.accruals.codes,
    postings: plan.postings,
    closeItems: plan.closeItems,
    proposals: plan.proposals,
    components: plan.components,
    partners: [...plan.partners].sort(),
    netMinor: plan.netMinor,
    totalMinor: plan.totalMinor,
    totals: [...plan.totals].sort((a, b) =>
      `${a.partnerId} ${a.component}` < `${b.partnerId} ${b.component}` ? -1 : 1,
    ),
  };
}

describe('shards of partners', () => {
  it('a partner is in one shard, the same whatever else is sharded', () => {
    for (const count of [1, 2, 3, 16]) {
      const ids = Array.from({ length: 200 }, (_, i) => `ptn_${i}`);
      const shards = Array.from({ length: count }, (_, s) => partnersOfShard(ids, s, count));
      expect(shards.flat().sort()).toEqual([...ids].sort());
      for (const id of ids) {
        const s = shardOfPartner(id, count);
        expect(s).toBeGreaterThanOrEqual(0);
        expect(s).toBeLessThan(count);
        expect(shards[s]).toContain(id);
      }
    }
    // Stable: a golden value, so that every process and machine agrees.
    expect([shardOfPartner('ptn_alpha', 3), shardOfPartner('ptn_bravo', 3)]).toEqual([
      shardOfPartner('ptn_alpha', 3),
      shardOfPartner('ptn_bravo', 3),
    ]);
    expect(shardOfPartner('ptn_alpha', 16)).toBe(
      (() => {
        let h = 0x811c9dc5;
        for (const ch of 'ptn_alpha') h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
        return (h >>> 0) % 16;
      })(),
    );
  });

  describe.each(engines)('merging the shards plans (%s)', (_name, engine) => {
    it('equals the plan of all partners at once', () => {
      fc.assert(
        fc.property(worldArb, (w) => {
          const lines: IncentiveLine[] = w.lines
            .map((l, i) => ({
              lineId: `line_${i}`,
              partnerId: l.partnerId,
              customerId: l.customerId,
              orderDate: l.orderDate,
              family: l.family,
              amountMinor: l.amountMinor,
              orderTotalMinor: null,
              ...(l.clawbackLimit === null || l.amountMinor >= 0
                ? {}
                : { clawbackLimitMinor: l.clawbackLimit }),
              facts: {
                tier: l.tier,
                exclusive: l.exclusive,
                newBusiness: l.newBusiness,
                channel: 'partner' as const,
                deliversServices: l.deliversServices,
              },
            }))
            .sort((a, b) => (a.lineId < b.lineId ? -1 : 1));
          const partners: PartnerPeriodFacts[] = Object.entries(w.prior).map(([partnerId, amount]) => ({
            partnerId,
            comparison: { 'same-period-last-year': { storage: amount } },
          }));
          // What the ledger holds: on lines of the period, on lines it no longer has (a line is one
          // partner's), and close items.
          const held: HeldAmount[] = w.held.map((h) => {
            const line = lines.find((l) => l.lineId === `line_${h.line}`);
            return {
              partnerId: line?.partnerId ?? (PARTNERS[h.line % PARTNERS.length] as string),
              lineId: h.closeItem ? null : `line_${h.line}`,
              component: h.component,
              amountMinor: h.amountMinor,
            };
          });
          const whole = planPeriod(engine, { period: PERIOD, lines, partners, held });
          const inShard = (s: number) => (x: { partnerId: string }) =>
            shardOfPartner(x.partnerId, w.count) === s;
          const shards = Array.from({ length: w.count }, (_, s) => {
            const mine = lines.filter(inShard(s));
            const plan = planPeriod(engine, {
              period: PERIOD,
              lines: mine,
              partners: partners.filter(inShard(s)),
              held: held.filter(inShard(s)),
            });
            // Across a thread boundary: what arrives is a structured clone.
            return structuredClone(toShardPlan(mine, plan));
          });
          const merged = mergeShardPlans(shards);
          expect(merged.lines).toEqual(lines.map((l) => ({ lineId: l.lineId, partnerId: l.partnerId })));
          expect(comparable(merged.plan, lines.length)).toEqual(comparable(whole, lines.length));
        }),
        { numRuns: 150 },
      );
    });
  });

  it('refuses a partner planned in two shards', () => {
    const engine = engines[0][1];
    const line: IncentiveLine = {
      lineId: 'line_1',
      partnerId: 'ptn_a',
      customerId: 'cus_1',
      orderDate: '2017-03-10',
      family: 'storage',
      amountMinor: 1_000_000,
      orderTotalMinor: null,
      facts: {
        tier: 'gold',
        exclusive: false,
        newBusiness: false,
        channel: 'partner',
        deliversServices: false,
      },
    };
    const plan = planPeriod(engine, { period: PERIOD, lines: [line], partners: [], held: [] });
    const shard = toShardPlan([line], plan);
    expect(() => mergeShardPlans([shard, shard])).toThrow(/more than one shard/);
  });
});
