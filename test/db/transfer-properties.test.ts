import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { getTransfer } from '../../src/app/transfers/queries.js';
import { splitPartnerBase } from '../../src/app/transfers/split.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { addDays } from '../../src/core/programs/dates.js';
import { overlappingMemberships } from '../support/memberships.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { holdTiers, publishDellClone } from '../support/transfers.js';

const TIERS = ['authorized', 'gold', 'platinum', 'titanium'];
const KINDS = ['reseller', 'distributor', 'service-provider'] as const;
const COUNTRIES = [
  ['GB', 'emea'],
  ['FR', 'emea'],
  ['PL', 'emea'],
  ['US', 'na'],
  ['BR', 'latam'],
  ['JP', 'apj'],
] as const;

const partner = fc.record({
  tier: fc.option(fc.constantFrom(...TIERS), { nil: null }),
  /** Held in the target before the split, at most the mapped tier (a higher one is kept, by rule). */
  targetBelow: fc.boolean(),
  kind: fc.constantFrom(...KINDS),
  where: fc.constantFrom(...COUNTRIES),
  exclusive: fc.boolean(),
  since: fc.integer({ min: 0, max: 100 }),
});

/**
 * Property (issue 12): a split carries every partner with identical standing the next day. Any partner
 * base (tiers or none, kinds, countries and zones, exclusivity, a lower tier already held in the target)
 * of a program split into an identical program of another vendor, on any day of its year: every partner
 * holds the same tier on the day after, and earns the same rate on every family the target sells.
 */
for (const kind of STORE_KINDS) {
  describe(`split properties, on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let run = 0;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it('a split carries every partner with identical standing the next day', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(partner, { minLength: 1, maxLength: 8 }),
          fc.integer({ min: 120, max: 360 }),
          async (base, dayOffset) => {
            run++;
            const source = await publishDellClone(ctx, `src${run}`, `src-program-${run}`);
            const target = await publishDellClone(ctx, `tgt${run}`, `tgt-program-${run}`);
            const day = addDays('2017-02-01', dayOffset);
            const ids = base.map((_, i) => `ptn_r${run}p${i}`);
            await ctx.store.db
              .insertInto('partners')
              .values(
                base.map((p, i) => ({
                  id: ids[i]!,
                  name: `Partner ${run}-${i}`,
                  kind: p.kind,
                  country: p.where[0],
                  region: p.where[1],
                  domain: null,
                  createdAt: '2017-01-01T00:00:00.000Z',
                })),
              )
              .execute();
            await ctx.store.db
              .insertInto('enrolments')
              .values(
                base.map((p, i) => ({
                  id: ctx.ids.next('enrolment'),
                  vendorId: source.vendorId,
                  programId: source.programId,
                  partnerId: ids[i]!,
                  partnerNumber: `N-${i}`,
                  status: 'active',
                  exclusive: p.exclusive ? 1 : 0,
                  enrolledAt: '2017-01-01T00:00:00.000Z',
                })),
              )
              .execute();
            const below: Record<string, string> = {};
            base.forEach((p, i) => {
              const rank = TIERS.indexOf(p.tier ?? 'authorized');
              if (p.targetBelow && rank > 0) below[ids[i]!] = TIERS[rank - 1]!;
            });
            for (const [i, p] of base.entries())
              if (p.tier)
                await holdTiers(ctx, source, TIERS, addDays('2017-02-01', Math.min(p.since, dayOffset)), {
                  [ids[i]!]: p.tier,
                });
            if (Object.keys(below).length > 0) {
              await ctx.store.db
                .insertInto('enrolments')
                .values(
                  Object.keys(below).map((partnerId) => ({
                    id: ctx.ids.next('enrolment'),
                    vendorId: target.vendorId,
                    programId: target.programId,
                    partnerId,
                    partnerNumber: 'T',
                    status: 'active',
                    exclusive: base[ids.indexOf(partnerId)]!.exclusive ? 1 : 0,
                    enrolledAt: '2017-01-01T00:00:00.000Z',
                  })),
                )
                .execute();
              await holdTiers(ctx, target, TIERS, '2017-02-01', below);
            }

            const result = await splitPartnerBase(
              ctx,
              { actor: { kind: 'system', id: 'property' }, scope: SYSTEM_SCOPE },
              { source: source.programId, target: target.programId, onDay: day },
            );
            expect(result.transfer.counts.differences).toBe(0);
            expect(result.transfer.counts.partners).toBe(base.length);
            const after = addDays(day, 1);
            const rows = await ctx.store.db
              .selectFrom('memberships')
              .select(['partnerId', 'tierCode'])
              .where('programId', '=', target.programId)
              .where('validFrom', '<=', after)
              .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', after)]))
              .execute();
            const heldAfter = new Map(rows.map((r) => [r.partnerId, r.tierCode]));
            expect(rows.length).toBe(heldAfter.size);
            for (const [i, p] of base.entries())
              expect(heldAfter.get(ids[i]!), `${ids[i]} on ${after}`).toBe(p.tier ?? 'authorized');
            const detail = await getTransfer(ctx, SYSTEM_SCOPE, result.transfer.id);
            for (const p of detail.partners) {
              expect(p.ok).toBe(true);
              expect(p.rates.length).toBe(4);
              for (const r of p.rates) expect(r.target, `${p.partnerId} ${r.family}`).toBe(r.source);
            }
            expect(await overlappingMemberships(ctx)).toEqual([]);
          },
        ),
        { numRuns: kind === 'sqlite' ? 25 : 8, seed: 1203 },
      );
    }, 120_000);
  });
}
