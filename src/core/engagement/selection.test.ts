import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUTING_STEPS, type RoutingStep } from '../programs/types.js';
import type { Coverage } from './coverage.js';
import {
  decideRouting,
  effectiveCriteria,
  selectByComposite,
  selectByKeys,
  type CandidateFacts,
  type DirectOrderFacts,
} from './routing.js';

// One seed in CI (reproducible); explore others with FC_SEED=<n> npx vitest run src/core/engagement.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261203) });

const FAMILIES = ['storage', 'servers', 'networking', 'software'];
const DATES = ['2016-03-01', '2016-09-15', '2017-01-10', '2017-05-02'];

const candidate = (i: number) =>
  fc
    .record({
      tier: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null }),
      zone: fc.constantFrom('emea-1', 'north-america', null),
      certifiedFamilies: fc.subarray(FAMILIES),
      openOffers: fc.integer({ min: 0, max: 12 }),
      accepted: fc.integer({ min: 0, max: 6 }),
      declined: fc.integer({ min: 0, max: 6 }),
    })
    .map((r): CandidateFacts => ({
      partnerId: `ptn_${String(i).padStart(4, '0')}`,
      name: `Partner ${i}`,
      tier: r.tier === null ? null : { code: `t${r.tier}`, name: `Tier ${r.tier}`, rank: r.tier },
      zone: r.zone,
      certifiedFamilies: r.certifiedFamilies,
      openOffers: r.openOffers,
      accepted: r.accepted,
      answered: r.accepted + r.declined,
    }));

const world = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.record({
    pool: fc.tuple(...Array.from({ length: n }, (_, i) => candidate(i))),
    criteria: fc.shuffledSubarray([...ROUTING_STEPS].filter((s) => s !== 'round-robin') as RoutingStep[]),
    sold: fc.array(fc.tuple(fc.integer({ min: 0, max: n - 1 }), fc.constantFrom(...DATES)), { maxLength: 4 }),
    families: fc.subarray(FAMILIES, { minLength: 1 }),
    limit: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
    max: fc.integer({ min: 1, max: 6 }),
    exclusive: fc.boolean(),
  }),
);

const coverage = (exclusive: boolean): Coverage => ({
  status: exclusive ? 'channel-exclusive' : 'open',
  since: exclusive ? '2016-03-01' : null,
  through: exclusive ? '2020-04-30' : null,
  sentence: exclusive ? 'channel-exclusive (test)' : 'open (test)',
});

describe('routing selection', () => {
  it('the one-number (composite) selection picks exactly what comparing the keys one by one picks', () => {
    fc.assert(
      fc.property(world, (w) => {
        const order: DirectOrderFacts = {
          orderDate: '2017-06-01',
          total: { amountMinor: 100_000, currency: 'USD' },
          families: w.families,
          customerName: 'Test Customer',
          customerZone: 'emea-1',
          coverage: coverage(w.exclusive),
          isReturn: false,
          lastSold: new Map(w.sold.map(([i, d]) => [w.pool[i]?.partnerId ?? '', d])),
        };
        const incumbentAt = new Set<number>(w.exclusive ? w.sold.map(([i]) => i) : []);
        const composite = selectByComposite(w.pool, w.criteria, order, incumbentAt, w.limit, w.max);
        const reference = selectByKeys(
          w.pool,
          (i) => {
            const c = w.pool[i] as CandidateFacts;
            // The reference keys, as decisions record them.
            const d = decideRouting(
              order,
              {
                threshold: { amountMinor: 25_000_000, currency: 'USD' },
                order: w.criteria.length > 0 ? w.criteria : ['round-robin'],
                maxCandidates: 50,
                maxOpenOffers: null,
                channelExclusiveWindow: { months: 36, days: 0 },
              },
              [c],
              0,
            );
            const keys = d.candidates[0]?.keys ?? [];
            return [incumbentAt.has(i) ? 1 : 0, ...keys.slice(1)];
          },
          w.limit,
          w.max,
        );
        expect(composite).not.toBeNull();
        expect(composite).toEqual(reference);
      }),
      { numRuns: 300 },
    );
  });

  it('criteria after round-robin are not used', () => {
    expect(effectiveCriteria(['highest-tier', 'round-robin', 'same-zone'])).toEqual(['highest-tier']);
  });
});
