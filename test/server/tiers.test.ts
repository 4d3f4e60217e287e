import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { applyStatusMatch } from '../../src/app/tiers/status-match.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import type { Order, OrderLine } from '../../src/core/model/orders.js';
import { withBulkLoader } from '../../src/db/bulk-loader.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const T0 = new Date('2017-02-01T00:00:00.000Z');

/** Alpha (GB, EMEA zone 1) sells USD 3.1M of storage and USD 450K of services: Gold by path 1 with one certification. */
async function growAlpha(ctx: AppContext, dellVendorId: string) {
  await withBulkLoader(ctx.store, async (loader) => {
    const order: Order = {
      id: 'ord_big1',
      vendorId: dellVendorId,
      source: 'erp',
      externalId: 'BIG-1',
      customerId: 'cus_acme',
      endUserName: 'Acme Corporation',
      channel: 'partner',
      resellerId: 'ptn_alpha',
      distributorId: null,
      orderDate: '2017-06-15',
      currency: 'USD',
      country: 'GB',
      region: 'emea',
      segment: 'enterprise',
      totalMinor: 355_000_000,
      createdAt: T0,
    };
    const line = (n: number, productId: string, family: OrderLine['family'], amount: number): OrderLine => ({
      id: `oln_big1${n}`,
      orderId: order.id,
      vendorId: dellVendorId,
      lineNo: n,
      productId,
      family,
      quantity: 1,
      unitPriceMinor: amount,
      amountMinor: amount,
      currency: 'USD',
      resellerId: 'ptn_alpha',
      distributorId: null,
      customerId: 'cus_acme',
      orderDate: order.orderDate,
      returnsLineId: null,
    });
    await loader.orders(
      [order],
      [line(1, 'prd_stor', 'storage', 310_000_000), line(2, 'prd_srv', 'services', 45_000_000)],
    );
    await loader.certifications([
      {
        id: 'crt_alpha1',
        vendorId: dellVendorId,
        partnerId: 'ptn_alpha',
        personId: 'per_alpha_admin',
        code: 'DCS-SA',
        kind: 'sales',
        family: 'storage',
        earnedOn: '2017-01-10',
        expiresOn: '2019-01-10',
      },
    ]);
  });
}

for (const kind of STORE_KINDS) {
  describe(`tiers over the API on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;
    let alpha: ReturnType<typeof client>;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell } = await loadFixture(ctx));
      await growAlpha(ctx, dell.vendorId);
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('evaluates every enrolled partner and starts their memberships', async () => {
      const res = await viaJob(admin, 'POST', '/api/programs/dell-emc-partner-program/evaluations', {
        asOf: '2017-12-01',
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        evaluated: 3,
        started: 3,
        window: { from: '2016-12-01', to: '2017-12-01' },
      });
      const changes = res.body.changes as { partnerId: string; to: string }[];
      expect(Object.fromEntries(changes.map((c) => [c.partnerId, c.to]))).toEqual({
        ptn_alpha: 'gold',
        ptn_bravo: 'authorized',
        ptn_dist: 'authorized',
      });
      const again = await viaJob(admin, 'POST', '/api/programs/dell-emc-partner-program/evaluations', {
        asOf: '2017-12-02',
      });
      expect(again.body).toMatchObject({ started: 0, upgrades: 0, downgrades: 0, unchanged: 3 });
    });

    it('shows a partner its tier, the gaps to the next tier and what a pending deal changes', async () => {
      const res = await alpha(
        'GET',
        '/api/partners/ptn_alpha/progress?program=dell-emc-partner-program&asOf=2017-12-02',
      );
      expect(res.status).toBe(200);
      expect((res.body.tier as { code: string }).code).toBe('gold');
      // The evaluation that opened the record kept its reason as a message the app translates.
      const tier = res.body.tier as { reason: string; reasonMessage: { key: string } | null };
      expect(tier.reasonMessage?.key).toMatch(/^tiers\.(earnedBy|entryTier)$/);
      expect(tier.reason).toMatch(/^(earned by |entry tier)/);
      const evaluation = res.body.evaluation as {
        currentTier: string;
        targets: {
          tier: string;
          paths: { requirements: { measure: string; target: number; current: number; gap: number }[] }[];
        }[];
      };
      expect(evaluation.currentTier).toBe('gold');
      expect(evaluation.targets.map((x) => x.tier)).toEqual(['platinum', 'titanium']);
      const revenue = evaluation.targets[0]?.paths[0]?.requirements.find((r) => r.measure === 'revenue');
      // Qualifying credit: (USD 3.55M + the fixture's USD 62K) x 1.25, as Alpha sells Dell exclusively.
      expect(revenue).toMatchObject({ current: 451_500_000, target: 1_500_000_000, gap: 1_048_500_000 });
      const withDeal = await alpha(
        'GET',
        '/api/partners/ptn_alpha/progress?program=dell-emc-partner-program&asOf=2017-12-02&addFamily=storage&addAmountMinor=838800000',
      );
      const pendingEval = withDeal.body.evaluation as {
        targets: { paths: { requirements: { measure: string; withPending?: { gap: number } }[] }[] }[];
        withPending?: { tier: string };
      };
      const pending = pendingEval.targets[0]?.paths[0]?.requirements.find((r) => r.measure === 'revenue');
      expect(pending?.withPending?.gap).toBe(0);
      expect(res.body.serviceDelivery).toMatchObject({
        mayDeliver: false,
        mode: 'resell',
        reasonMessage: { key: 'tiers.mustResell' },
      });
    });

    it('never shows one partner another partner’s standing', async () => {
      expect(
        (
          await alpha(
            'GET',
            '/api/partners/ptn_bravo/progress?program=dell-emc-partner-program&asOf=2017-12-02',
          )
        ).status,
      ).toBe(404);
      const list = await alpha('GET', '/api/programs/dell-emc-partner-program/memberships?asOf=2017-12-02');
      expect((list.body.items as { partnerId: string }[]).map((m) => m.partnerId)).toEqual(['ptn_alpha']);
      const all = await admin('GET', '/api/programs/dell-emc-partner-program/memberships?asOf=2017-12-02');
      expect((all.body.items as unknown[]).length).toBe(3);
      // The list carries each reason's message (read from the record's detail, which it does not send).
      for (const m of all.body.items as {
        reason: string;
        reasonMessage: { key: string } | null;
        detail?: unknown;
      }[]) {
        expect(m.reasonMessage?.key).toMatch(/^tiers\.(earnedBy|entryTier)$/);
        expect(m.detail).toBeUndefined();
      }
    });

    it('refuses Titanium Black below Titanium, with the reason', async () => {
      const res = await admin('POST', '/api/programs/dell-emc-partner-program/invitations', {
        partnerId: 'ptn_alpha',
        status: 'titanium-black',
        sponsor: 'EVP Channel',
        reason: 'exceptional year',
        grantedOn: '2017-12-05',
      });
      expect(res.status).toBe(409);
      expect(res.body.detail).toMatch(/titanium/i);
      expect(
        (
          await alpha('POST', '/api/programs/dell-emc-partner-program/invitations', {
            partnerId: 'ptn_alpha',
            status: 'titanium-black',
            reason: 'x',
          })
        ).status,
      ).toBe(403);
    });

    it('status-matches a partner to the higher legacy tier, then grants Titanium Black for exactly one year', async () => {
      const matched = await applyStatusMatch(ctx, SYSTEM_SCOPE, {
        program: 'dell-emc-partner-program',
        rows: [
          {
            location: 'legacy.csv:2',
            partnerId: 'ptn_bravo',
            legacyProgram: 'dell-partnerdirect',
            legacyTier: 'premier',
          },
          {
            location: 'legacy.csv:3',
            partnerId: 'ptn_bravo',
            legacyProgram: 'emc-business-partner-program',
            legacyTier: 'platinum',
          },
        ],
      });
      expect(matched.matched).toEqual([
        expect.objectContaining({
          partnerId: 'ptn_bravo',
          tier: 'titanium',
          grandfatheredUntil: '2018-02-01',
        }),
      ]);
      await expect(
        applyStatusMatch(ctx, SYSTEM_SCOPE, {
          program: 'dell-emc-partner-program',
          rows: [
            {
              location: 'legacy.csv:2',
              partnerId: 'ptn_vmonly',
              legacyProgram: 'dell-partnerdirect',
              legacyTier: 'premier',
            },
          ],
        }),
      ).rejects.toThrow(/nothing was written/);

      const granted = await admin('POST', '/api/programs/dell-emc-partner-program/invitations', {
        partnerId: 'ptn_bravo',
        status: 'titanium-black',
        sponsor: 'EVP Channel',
        reason: 'exceptional year',
        grantedOn: '2017-12-05',
      });
      expect(granted.status).toBe(201);
      expect(granted.body).toMatchObject({
        code: 'titanium-black',
        validFrom: '2017-12-05',
        validTo: '2018-12-05',
        source: 'invited',
        sponsor: 'EVP Channel',
      });
      const bravo = client(app, await signIn(app, 'admin@bravo.test'));
      const standing = await bravo(
        'GET',
        '/api/partners/ptn_bravo/progress?program=dell-emc-partner-program&asOf=2017-12-06',
      );
      expect((standing.body.tier as { code: string; source: string }).code).toBe('titanium');
      expect((standing.body.statuses as { code: string }[]).map((s) => s.code)).toEqual(['titanium-black']);
      const audit = await admin('GET', '/api/audit?action=status.grant');
      expect((audit.body.items as unknown[]).length).toBe(1);
    });

    it('an invitation without grantedOn is dated today; none in force today is a 400 naming grantedOn', async () => {
      // The context's clock is today (2026): no version of the FY18 program is in force.
      const res = await admin('POST', '/api/programs/dell-emc-partner-program/invitations', {
        partnerId: 'ptn_bravo',
        status: 'titanium-black',
        sponsor: 'EVP Channel',
        reason: 'renewal',
      });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([
        expect.objectContaining({
          location: 'body.grantedOn',
          message: expect.stringMatching(/in force on/),
        }),
      ]);
      expect(JSON.stringify(res.body)).not.toMatch(/asOf/);
    });

    it('a partner whose enrolment ended still sees its standing and history', async () => {
      await ctx.store.db
        .updateTable('enrolments')
        .set({ status: 'terminated' })
        .where('partnerId', '=', 'ptn_bravo')
        .execute();
      try {
        for (const who of [client(app, await signIn(app, 'admin@bravo.test')), admin]) {
          const res = await who(
            'GET',
            '/api/partners/ptn_bravo/progress?program=dell-emc-partner-program&asOf=2017-12-06',
          );
          expect(res.status).toBe(200);
          expect(res.body.enrolment).toBe('terminated');
          expect((res.body.tier as { code: string }).code).toBe('titanium');
          expect((res.body.history as { code: string }[]).map((m) => m.code)).toContain('titanium-black');
        }
      } finally {
        await ctx.store.db
          .updateTable('enrolments')
          .set({ status: 'active' })
          .where('partnerId', '=', 'ptn_bravo')
          .execute();
      }
    });
  });
}
