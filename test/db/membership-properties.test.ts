import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { evaluateProgramTiers } from '../../src/app/tiers/evaluate-program.js';
import { grantStatus } from '../../src/app/tiers/partner-standing.js';
import { applyStatusMatch } from '../../src/app/tiers/status-match.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { addDays } from '../../src/core/programs/dates.js';
import { TrellisError } from '../../src/core/shared/errors.js';
import { withBulkLoader } from '../../src/db/bulk-loader.js';
import { loadFixture } from '../support/fixtures.js';
import { overlappingMemberships } from '../support/memberships.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const PROGRAM = 'dell-emc-partner-program';
const PARTNERS = ['ptn_alpha', 'ptn_bravo', 'ptn_dist'] as const;
/** A day of the program year (2017-02-01 .. 2018-02-02). */
const day = fc.integer({ min: 0, max: 366 }).map((d) => addDays('2017-02-01', d));

const operation = fc.oneof(
  fc.record({ op: fc.constant('evaluate' as const), asOf: day, audit: fc.boolean() }),
  fc.record({
    op: fc.constant('status-match' as const),
    rows: fc.uniqueArray(
      fc.record({
        partnerId: fc.constantFrom(...PARTNERS),
        legacy: fc.constantFrom(
          ['dell-partnerdirect', 'premier-plus'],
          ['dell-partnerdirect', 'registered'],
          ['emc-business-partner-program', 'gold'],
          ['emc-business-partner-program', 'silver'],
        ),
      }),
      { minLength: 1, maxLength: 3, selector: (r) => r.partnerId },
    ),
  }),
  fc.record({ op: fc.constant('invite' as const), partnerId: fc.constantFrom(...PARTNERS), grantedOn: day }),
);

/** Revenue that moves partners between tiers during the year (storage and services, with certifications). */
async function growPartners(ctx: AppContext, vendorId: string) {
  await withBulkLoader(ctx.store, async (loader) => {
    const orders = [
      { id: 'ord_pa', partner: 'ptn_alpha', date: '2017-04-15', storage: 310_000_000, services: 45_000_000 },
      {
        id: 'ord_pb',
        partner: 'ptn_bravo',
        date: '2017-09-15',
        storage: 2_600_000_000,
        services: 700_000_000,
      },
    ];
    await loader.orders(
      orders.map((o) => ({
        id: o.id,
        vendorId,
        source: 'erp',
        externalId: o.id,
        customerId: 'cus_acme',
        endUserName: 'Acme Corporation',
        channel: 'partner' as const,
        resellerId: o.partner,
        distributorId: null,
        orderDate: o.date,
        currency: 'USD',
        country: 'GB',
        region: 'emea',
        segment: 'enterprise',
        totalMinor: o.storage + o.services,
        createdAt: new Date('2017-02-01T00:00:00.000Z'),
      })),
      orders.flatMap((o) =>
        (
          [
            [1, 'prd_stor', 'storage', o.storage],
            [2, 'prd_srv', 'services', o.services],
          ] as const
        ).map(([n, productId, family, amount]) => ({
          id: `oln_${o.id}${n}`,
          orderId: o.id,
          vendorId,
          lineNo: n,
          productId,
          family,
          quantity: 1,
          unitPriceMinor: amount,
          amountMinor: amount,
          currency: 'USD',
          resellerId: o.partner,
          distributorId: null,
          customerId: 'cus_acme',
          orderDate: o.date,
          returnsLineId: null,
        })),
      ),
    );
    await loader.certifications(
      ['sales', 'technical', 'services'].flatMap((kind, k) =>
        (['ptn_alpha', 'ptn_bravo'] as const).map((partnerId) => ({
          id: `crt_${partnerId}_${k}`,
          vendorId,
          partnerId,
          personId: partnerId === 'ptn_alpha' ? 'per_alpha_admin' : 'per_bravo_admin',
          code: `C-${k}`,
          kind: kind as 'sales' | 'technical' | 'services',
          family: (['storage', 'servers', 'services'] as const)[k] ?? 'storage',
          earnedOn: '2017-01-10',
          expiresOn: '2019-01-10',
        })),
      ),
    );
  });
}

for (const kind of STORE_KINDS) {
  describe(`membership properties on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let dellVendorId = '';

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      const { dell } = await loadFixture(ctx);
      dellVendorId = dell.vendorId;
      await growPartners(ctx, dell.vendorId);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it(
      'any sequence of evaluations, status matches, invitations and back-dated runs leaves at most one tier per partner and program on any day',
      { timeout: 240_000 },
      async () => {
        const who = { actor: { kind: 'system' as const, id: 'property' }, scope: SYSTEM_SCOPE };
        const admin = {
          actor: {
            kind: 'person' as const,
            personId: 'per_dell_admin',
            sessionId: 'ses_property',
            email: 'admin@dell.test',
            name: 'Dell Admin',
            vendorId: dellVendorId,
            partnerId: null,
            roles: ['vendor-admin' as const],
            regions: [],
          },
          scope: SYSTEM_SCOPE,
        };
        await fc.assert(
          fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 8 }), async (ops) => {
            await ctx.store.db.deleteFrom('memberships').execute();
            for (const o of ops) {
              if (o.op === 'evaluate') await evaluateProgramTiers(ctx, who, { program: PROGRAM, ...o });
              else if (o.op === 'status-match')
                await applyStatusMatch(ctx, SYSTEM_SCOPE, {
                  program: PROGRAM,
                  rows: o.rows.map((r) => ({
                    location: 'property',
                    partnerId: r.partnerId,
                    legacyProgram: r.legacy[0],
                    legacyTier: r.legacy[1],
                  })),
                });
              else
                await grantStatus(ctx, admin, {
                  program: PROGRAM,
                  partnerId: o.partnerId,
                  status: 'titanium-black',
                  sponsor: 'EVP Channel',
                  reason: 'property',
                  grantedOn: o.grantedOn,
                }).catch((e: unknown) => {
                  // A refused invitation (below Titanium, ...) is an expected outcome.
                  if (!(e instanceof TrellisError && e.code === 'conflict')) throw e;
                });
              expect(await overlappingMemberships(ctx)).toEqual([]);
            }
            // And the tier in force on every evaluated day is the one the store answers for that day.
            for (const p of PARTNERS)
              for (const d of ['2017-02-01', '2017-09-15', '2018-02-01', '2018-02-02']) {
                const held = await ctx.store.db
                  .selectFrom('memberships')
                  .select('tierCode')
                  .where('partnerId', '=', p)
                  .where('tierCode', '!=', 'titanium-black')
                  .where('validFrom', '<=', d)
                  .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', d)]))
                  .execute();
                expect(held.length).toBeLessThanOrEqual(1);
              }
          }),
          { numRuns: 25 },
        );
      },
    );
  });
}
