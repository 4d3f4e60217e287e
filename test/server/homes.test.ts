import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { addMembership } from '../support/memberships.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const PROGRAM = 'dell-emc-partner-program';

interface VendorCard {
  programId: string;
  currentPeriod: string;
  revenue: { currency: string; yearMinor: number; periodMinor: number }[];
  rebates: { currency: string; yearAccruedMinor: number; yearPaidMinor: number }[];
  budgetPools: unknown[] | null;
  tiers: { code: string; partners: number }[];
}
interface PartnerCard {
  programId: string;
  currentPeriod: string;
  standing: {
    tier: { code: string; rank: number } | null;
    next: { tier: string; gaps: unknown[] } | null;
  } | null;
  earnings: {
    currency: string;
    yearEarnedMinor: number;
    yearPaidMinor: number;
    periodPaidMinor: number;
    periodProjectedMinor: number | null;
  }[];
  components: { code: string; name: string }[];
  nextPayout: { period: string; payOn: string } | null;
  statements: { toRead: number; latest: { id: string; status: string }[] };
  monthly: { month: string; component: string; amountMinor: number }[];
  distributor: { resellers: { id: string; name: string }[]; sellOut: { yearMinor: number }[] } | null;
}

/**
 * The homes (issue 15 items 1 and 2): a vendor's KPIs and work queues, a partner's standing, earnings and
 * queues, each in one answer that agrees with the store, and scoped (a partner never sees another's, a
 * vendor only its own, a channel manager its regions).
 */
for (const kind of STORE_KINDS) {
  describe(`the vendor and partner homes on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;

    const membership = (
      id: string,
      partnerId: string,
      tierCode: string,
      validFrom: string,
      validTo: string | null,
    ) => addMembership(t.store.db, dell, id, partnerId, tierCode, validFrom, validTo);
    const order = async (externalId: string, orderDate: string, resellerId: string, minor: number) => {
      const r = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId,
        currency: 'USD',
        channel: 'partner',
        orderDate,
        customerId: 'cus_acme',
        resellerId,
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: minor }],
      });
      if (r.status !== 201) throw new Error(`order ${externalId}: ${r.status} ${r.text}`);
    };

    beforeAll(async () => {
      t = await openTestStore(kind);
      // FY18-Q3 (August to October 2017): Q1 closed and its statements issued, Q2 ended and not closed.
      ctx = createContext(t.store, { clock: fixedClock(new Date('2017-08-10T09:00:00Z')) });
      ({ dell } = await loadFixture(ctx));
      await membership('mbr_bravo_gold', 'ptn_bravo', 'gold', '2017-02-01', '2017-07-01');
      await membership('mbr_bravo_plat', 'ptn_bravo', 'platinum', '2017-07-01', null);
      await membership('mbr_alpha_gold', 'ptn_alpha', 'gold', '2017-02-01', null);
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      await order('HOME-A1', '2017-03-10', 'ptn_alpha', 2_000_000);
      await order('HOME-B1', '2017-03-12', 'ptn_bravo', 3_000_000);
      await order('HOME-A2', '2017-06-10', 'ptn_alpha', 4_000_000);
      await order('HOME-A3', '2017-08-02', 'ptn_alpha', 1_000_000);
      const c = await viaJob(admin, 'POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q1' });
      if (c.status !== 200) throw new Error(c.text);
      const issue = await viaJob(admin, 'POST', '/api/statements/bulk', {
        action: 'issue',
        program: PROGRAM,
        period: 'FY18-Q1',
      });
      if (issue.status !== 200) throw new Error(issue.text);
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it("answers a vendor's KPIs and queues as the store holds them", async () => {
      const r = await admin('GET', `/api/vendors/${dell.vendorId}/home`);
      expect(r.status, r.text).toBe(200);
      const card = (r.body.programs as VendorCard[]).find((p) => p.programId === dell.programId)!;
      expect(card.currentPeriod).toBe('FY18-Q3');
      const lines = await t.store.db
        .selectFrom('orderLines')
        .select(sql<number | string>`sum(amount_minor)`.as('n'))
        .where('vendorId', '=', dell.vendorId)
        .where('resellerId', 'is not', null)
        .where('orderDate', '>=', '2017-02-01')
        .where('orderDate', '<=', '2017-08-10')
        .executeTakeFirstOrThrow();
      const usd = card.revenue.find((x) => x.currency === 'USD')!;
      expect(usd.yearMinor).toBe(Number(lines.n));
      expect(usd.periodMinor).toBeGreaterThanOrEqual(1_000_000);
      expect(card.rebates.find((x) => x.currency === 'USD')?.yearAccruedMinor).toBeGreaterThan(0);
      expect(card.budgetPools).not.toBeNull();
      expect(card.tiers.find((x) => x.code === 'platinum')?.partners).toBe(1);
      expect(card.tiers.find((x) => x.code === 'gold')?.partners).toBe(1);
      expect(r.body.programs).toEqual(
        expect.arrayContaining([expect.objectContaining({ movement: { days: 90, up: 1, down: 0 } })]),
      );
      const queues = r.body.queues as {
        statements: { period: string; status: string; count: number }[];
        closesDue: { period: string; overdue: boolean }[];
      };
      const issued = await t.store.db
        .selectFrom('statements')
        .select('id')
        .where('status', '=', 'issued')
        .where('vendorId', '=', dell.vendorId)
        .execute();
      expect(queues.statements.filter((s) => s.status === 'issued').reduce((s, x) => s + x.count, 0)).toBe(
        issued.length,
      );
      expect(queues.closesDue.filter((c) => c.period.startsWith('FY18')).map((c) => c.period)).toEqual([
        'FY18-Q2',
      ]);
    });

    it("is scoped: another vendor and partners read no vendor's home, a channel manager its regions only", async () => {
      const vmware = client(app, await signIn(app, 'admin@vmware.test'));
      expect((await vmware('GET', `/api/vendors/${dell.vendorId}/home`)).status).toBe(404);
      const bravo = client(app, await signIn(app, 'admin@bravo.test'));
      expect((await bravo('GET', `/api/vendors/${dell.vendorId}/home`)).status).toBe(403);
      const cm = client(app, await signIn(app, 'cm.na@dell.test'));
      const r = await cm('GET', `/api/vendors/${dell.vendorId}/home`);
      expect(r.status, r.text).toBe(200);
      const card = (r.body.programs as VendorCard[]).find((p) => p.programId === dell.programId)!;
      // NA: Bravo only (Alpha is EMEA).
      expect(card.budgetPools).toBeNull();
      expect(card.tiers.find((x) => x.code === 'gold')?.partners).toBe(0);
      const na = await t.store.db
        .selectFrom('orderLines as l')
        .innerJoin('partners as p', 'p.id', 'l.resellerId')
        .select(sql<number | string>`sum(l.amount_minor)`.as('n'))
        .where('l.vendorId', '=', dell.vendorId)
        .where('p.region', '=', 'na')
        .where('l.orderDate', '>=', '2017-02-01')
        .where('l.orderDate', '<=', '2017-08-10')
        .executeTakeFirstOrThrow();
      expect(card.revenue.find((x) => x.currency === 'USD')?.yearMinor).toBe(Number(na.n));
      const queues = r.body.queues as { statements: { count: number }[] };
      expect(queues.statements.reduce((s, x) => s + x.count, 0)).toBe(1);
      expect(r.text).not.toContain('ptn_alpha');
    });

    it('counts what changed since the last home: an order posted, a partner moved to another region', async () => {
      const usdOf = async (who: typeof admin) => {
        const r = await who('GET', `/api/vendors/${dell.vendorId}/home`);
        expect(r.status, r.text).toBe(200);
        const card = (r.body.programs as VendorCard[]).find((p) => p.programId === dell.programId)!;
        return card.revenue.find((x) => x.currency === 'USD') ?? { yearMinor: 0, periodMinor: 0 };
      };
      const cm = client(app, await signIn(app, 'cm.na@dell.test'));
      const before = await usdOf(admin);
      const naBefore = await usdOf(cm);
      await order('HOME-B2', '2017-08-05', 'ptn_bravo', 700_000);
      const after = await usdOf(admin);
      expect(after.yearMinor - before.yearMinor).toBe(700_000);
      expect(after.periodMinor - before.periodMinor).toBe(700_000);
      expect((await usdOf(cm)).yearMinor - naBefore.yearMinor).toBe(700_000);
      // Alpha (EMEA) moves to North America: its lines count for the NA channel manager from now on.
      const alphaYear = await t.store.db
        .selectFrom('orderLines')
        .select(sql<number | string>`sum(amount_minor)`.as('n'))
        .where('resellerId', '=', 'ptn_alpha')
        .where('orderDate', '>=', '2017-02-01')
        .where('orderDate', '<=', '2017-08-10')
        .executeTakeFirstOrThrow();
      await t.store.db.updateTable('partners').set({ region: 'na' }).where('id', '=', 'ptn_alpha').execute();
      try {
        expect((await usdOf(cm)).yearMinor - naBefore.yearMinor).toBe(700_000 + Number(alphaYear.n));
      } finally {
        await t.store.db
          .updateTable('partners')
          .set({ region: 'emea' })
          .where('id', '=', 'ptn_alpha')
          .execute();
      }
      expect((await usdOf(cm)).yearMinor - naBefore.yearMinor).toBe(700_000);
    });

    it("answers a partner's standing, earnings, payout date, statements and monthly chart in one call", async () => {
      const alpha = client(app, await signIn(app, 'admin@alpha.test'));
      const r = await alpha('GET', '/api/partners/ptn_alpha/home');
      expect(r.status, r.text).toBe(200);
      const card = (r.body.programs as PartnerCard[]).find((p) => p.programId === dell.programId)!;
      expect(card.currentPeriod).toBe('FY18-Q3');
      expect(card.standing?.tier).toMatchObject({ code: 'gold', rank: 2 });
      expect(card.standing?.next?.tier).toBe('platinum');
      expect(card.nextPayout?.period).toBe('FY18-Q3');
      const usd = card.earnings.find((e) => e.currency === 'USD')!;
      expect(usd.yearEarnedMinor).toBeGreaterThan(0);
      expect(usd.periodProjectedMinor).not.toBeNull();
      // Nothing of the current period is paid before its close; the year's payouts include it.
      expect(usd.periodPaidMinor).toBe(0);
      expect(usd.periodPaidMinor).toBeLessThanOrEqual(usd.yearPaidMinor);
      // The chart adds up to what the year earned, and names each component the program defines.
      expect(card.monthly.reduce((s, m) => s + m.amountMinor, 0)).toBe(usd.yearEarnedMinor);
      expect(card.components.map((c) => c.code)).toEqual(
        expect.arrayContaining(['base-rebate', 'new-business']),
      );
      const named = new Set(card.components.map((c) => c.code));
      expect(card.monthly.filter((m) => !named.has(m.component))).toEqual([]);
      expect(card.monthly.map((m) => m.month)).toEqual(
        expect.arrayContaining(['2017-03', '2017-06', '2017-08']),
      );
      expect(card.monthly.every((m) => m.month >= '2017-02' && m.month <= '2017-08')).toBe(true);
      expect(card.statements.latest.map((s) => s.status)).toEqual(['issued']);
      expect(card.statements.toRead).toBe(1);
      expect(card.distributor).toBeNull();
      // Nothing of Bravo's in Alpha's home.
      expect(r.text).not.toContain('ptn_bravo');
    });

    it('shows a distributor its sell-out and the resellers it supplies, never their standing', async () => {
      const dist = client(app, await signIn(app, 'ops@delta.test'));
      const r = await dist('GET', '/api/partners/ptn_dist/home');
      expect(r.status, r.text).toBe(200);
      const card = (r.body.programs as PartnerCard[]).find((p) => p.programId === dell.programId)!;
      expect(card.distributor?.resellers.map((x) => x.id)).toEqual(['ptn_bravo']);
      expect(r.text).not.toContain('platinum');
      expect(r.text).not.toContain('mbr_bravo');
      expect((await dist('GET', '/api/partners/ptn_bravo/home')).status).toBe(404);
    });
  });
}
