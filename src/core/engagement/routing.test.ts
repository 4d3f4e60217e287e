import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ROUTING_STEPS, type RoutingStep } from '../programs/types.js';
import type { Coverage } from './coverage.js';
import {
  decideRouting,
  replayDecision,
  type CandidateFacts,
  type DirectOrderFacts,
  type RoutingPolicy,
} from './routing.js';

// One seed, so a run in CI checks the same generated decisions as the last run here; a counterexample
// found with another seed (FC_SEED=<n> npx vitest run src/core/engagement) becomes a golden case.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261203) });

const FAMILIES = ['storage', 'servers', 'software', 'networking'] as const;
const ZONES = ['emea', 'na', 'apj', null] as const;
const DAYS = ['2016-01-15', '2016-09-30', '2017-02-28', '2017-06-01', '2018-12-31', '2019-06-01'] as const;

const OPEN: Coverage = { status: 'open', since: null, through: null, sentence: 'open: no purchase' };
const EXCLUSIVE: Coverage = {
  status: 'channel-exclusive',
  since: '2016-01-15',
  through: '2020-01-14',
  sentence: 'channel-exclusive since 2016-01-15',
};
const NAMED: Coverage = {
  status: 'direct-named',
  since: null,
  through: null,
  sentence: 'direct-named: the vendor serves it directly',
};

const candidateArb = (id: string): fc.Arbitrary<CandidateFacts> =>
  fc
    .record({
      partnerId: fc.constant(id),
      name: fc.constant(`Partner ${id}`),
      tier: fc.option(
        fc.integer({ min: 0, max: 3 }).map((rank) => ({ code: `t${rank}`, name: `Tier ${rank}`, rank })),
        { nil: null },
      ),
      zone: fc.constantFrom(...ZONES),
      certifiedFamilies: fc.subarray([...FAMILIES]),
      openOffers: fc.integer({ min: 0, max: 12 }),
      accepted: fc.integer({ min: 0, max: 5 }),
      answered: fc.integer({ min: 0, max: 5 }),
    })
    .map((c) => ({ ...c, answered: Math.max(c.answered, c.accepted) }));

/** A pool of distinct partners (ids p00.. in a random order), some of which sold to the customer. */
const poolArb = fc
  .integer({ min: 0, max: 9 })
  .chain((n) =>
    fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(`ptn_${String(i).padStart(2, '0')}`))),
  )
  .map((pool) => pool as CandidateFacts[]);

const policyArb: fc.Arbitrary<RoutingPolicy> = fc.record({
  threshold: fc
    .integer({ min: 1, max: 100_000_000 })
    .map((amountMinor) => ({ amountMinor, currency: 'USD' })),
  order: fc.shuffledSubarray([...ROUTING_STEPS] as RoutingStep[]),
  maxCandidates: fc.integer({ min: 1, max: 6 }),
  maxOpenOffers: fc.option(fc.integer({ min: 1, max: 10 }), { nil: null }),
  channelExclusiveWindow: fc.constantFrom({ months: 36, days: 0 }, { months: 12, days: 0 }),
});

const orderArb = (pool: readonly CandidateFacts[]): fc.Arbitrary<DirectOrderFacts> =>
  fc.record({
    orderDate: fc.constantFrom(...DAYS),
    total: fc.integer({ min: 0, max: 200_000_000 }).map((amountMinor) => ({ amountMinor, currency: 'USD' })),
    families: fc.subarray([...FAMILIES], { minLength: 1 }),
    customerName: fc.constant('Orchid Analytics Inc'),
    customerZone: fc.constantFrom(...ZONES),
    coverage: fc.constantFrom(OPEN, EXCLUSIVE, NAMED),
    isReturn: fc.boolean(),
    lastSold: fc
      .array(fc.tuple(fc.constantFrom(...pool.map((p) => p.partnerId), 'ptn_gone'), fc.constantFrom(...DAYS)))
      .map((pairs) => new Map(pairs)),
  });

const worldArb = fc.tuple(poolArb, policyArb).chain(([pool, policy]) =>
  fc.record({
    pool: fc.constant(pool),
    policy: fc.constant(policy),
    order: orderArb(pool),
    counter: fc.nat({ max: 1_000_000 }),
    shuffled: fc.shuffledSubarray(pool, { minLength: pool.length, maxLength: pool.length }),
  }),
);

describe('decideRouting (properties)', () => {
  it('is deterministic: the same facts, in any pool order, give the same decision', () => {
    fc.assert(
      fc.property(worldArb, ({ pool, policy, order, counter, shuffled }) => {
        const d = decideRouting(order, policy, pool, counter);
        expect(decideRouting(order, policy, pool, counter)).toEqual(d);
        expect(decideRouting(order, policy, shuffled, counter)).toEqual(d);
      }),
      { numRuns: 500 },
    );
  });

  it('is replayable: the recorded keys and rotation give the candidates’ order back', () => {
    fc.assert(
      fc.property(worldArb, ({ pool, policy, order, counter }) => {
        const d = decideRouting(order, policy, pool, counter);
        expect(replayDecision(d)).toEqual(d.candidates.map((c) => c.partnerId));
        expect(d.candidates.map((c) => c.rank)).toEqual(d.candidates.map((_, i) => i + 1));
        expect(d.candidates.length).toBeLessThanOrEqual(policy.maxCandidates);
        expect(new Set(d.candidates.map((c) => c.partnerId)).size).toBe(d.candidates.length);
      }),
      { numRuns: 500 },
    );
  });

  it('explains every decision: a sentence, and every candidate’s value for every criterion', () => {
    fc.assert(
      fc.property(worldArb, ({ pool, policy, order, counter }) => {
        const d = decideRouting(order, policy, pool, counter);
        expect(d.sentence.trim().length).toBeGreaterThan(0);
        expect(d.criteria).not.toContain('round-robin');
        for (const c of d.candidates) {
          expect(Object.keys(c.values)).toEqual([...d.criteria]);
          for (const step of d.criteria) expect(c.values[step]?.trim().length).toBeGreaterThan(0);
        }
        if (d.outcome === 'route') {
          expect(d.candidates.length).toBeGreaterThan(0);
          expect(d.sentence).toContain(d.candidates[0]?.name);
        } else expect(d.candidates).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('applies the threshold to the cent: one cent below is routed on an open account, the threshold stays direct', () => {
    fc.assert(
      fc.property(worldArb, ({ pool, policy, order, counter }) => {
        const open = { ...order, coverage: OPEN, isReturn: false };
        const t = policy.threshold.amountMinor;
        const at = decideRouting(
          { ...open, total: { amountMinor: t, currency: 'USD' } },
          policy,
          pool,
          counter,
        );
        expect(at).toMatchObject({ outcome: 'direct', reason: 'at-or-above-threshold' });
        const below = decideRouting(
          { ...open, total: { amountMinor: t - 1, currency: 'USD' } },
          policy,
          pool,
          counter,
        );
        expect(['below-threshold', 'no-candidate']).toContain(below.reason);
        expect(below.outcome).toBe(below.reason === 'below-threshold' ? 'route' : 'direct');
        // No candidate only when the pool is empty or everyone is at the program's limit of open offers.
        if (below.reason === 'no-candidate') expect(below.atCapacity).toBe(pool.length);
        // A channel-exclusive account's order is routed whatever its size; a named account's stays direct.
        const exclusive = decideRouting(
          { ...open, coverage: EXCLUSIVE, total: { amountMinor: t, currency: 'USD' } },
          policy,
          pool,
          counter,
        );
        expect(['channel-exclusive', 'no-candidate']).toContain(exclusive.reason);
        const named = decideRouting({ ...open, coverage: NAMED }, policy, pool, counter);
        expect(named).toMatchObject({ outcome: 'direct', reason: 'direct-named' });
        const ret = decideRouting({ ...order, isReturn: true }, policy, pool, counter);
        expect(ret).toMatchObject({ outcome: 'direct', reason: 'return' });
      }),
      { numRuns: 300 },
    );
  });

  it('takes turns fairly: over g consecutive counters, each of g equal candidates is first exactly once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.nat({ max: 1_000_000 }),
        fc.shuffledSubarray([...ROUTING_STEPS] as RoutingStep[]),
        fc.integer({ min: 1, max: 5 }),
        (g, counter, order, maxCandidates) => {
          const pool: CandidateFacts[] = Array.from({ length: g }, (_, i) => ({
            partnerId: `ptn_eq${i}`,
            name: `Equal ${i}`,
            tier: { code: 'gold', name: 'Gold', rank: 1 },
            zone: 'emea',
            certifiedFamilies: ['storage'],
            openOffers: 0,
            accepted: 1,
            answered: 2,
          }));
          const policy: RoutingPolicy = {
            threshold: { amountMinor: 25_000_000, currency: 'USD' },
            order,
            maxCandidates,
            maxOpenOffers: 10,
            channelExclusiveWindow: { months: 36, days: 0 },
          };
          const order0: DirectOrderFacts = {
            orderDate: '2017-06-01',
            total: { amountMinor: 100_000, currency: 'USD' },
            families: ['storage'],
            customerName: 'Orchid Analytics Inc',
            customerZone: 'emea',
            coverage: OPEN,
            isReturn: false,
            lastSold: new Map(),
          };
          const firsts = Array.from(
            { length: g },
            (_, k) => decideRouting(order0, policy, pool, counter + k).candidates[0]?.partnerId,
          );
          expect([...firsts].sort()).toEqual(pool.map((p) => p.partnerId).sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});
