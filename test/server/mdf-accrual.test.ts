import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { publishMdfYear } from '../support/mdf.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

type Call = ReturnType<typeof client>;

/**
 * The golden of issue 16: earned MDF accrues at the program's rate (1% of software, the `earned-mdf`
 * component) into the partner's MDF fund through the ordinary ledger (an order, then the period's close),
 * and what is not used expires unused on its date (six months after the quarter), posted as such once.
 */
for (const kind of STORE_KINDS) {
  describe(`earned MDF accrues at the program's rate and expires unused on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let now = new Date('2025-03-01T09:00:00.000Z');
    let vmw: Call;
    let victor: Call;
    let vendorId = '';

    async function at(day: string) {
      now = new Date(`${day}T09:00:00.000Z`);
      vmw = client(app, await signIn(app, 'admin@vmware.test'));
      victor = client(app, await signIn(app, 'admin@victor.test'));
    }
    const standing = async () => {
      const r = await victor('GET', '/api/mdf/funds?programId=vmware-partner-connect');
      expect(r.status, r.text).toBe(200);
      return r.body.earned as Record<string, unknown>;
    };

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock: { now: () => now } });
      await loadFixture(ctx);
      vendorId = (await publishMdfYear(ctx, '2025-02-01', 'FY99', { everyTierEarnsMdf: true })).vendorId;
      app = await buildServer(ctx);
      await at('2025-03-01');
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('credits 1% of a software sale to the fund, usable once the quarter ends, expiring six months later', async () => {
      // USD 9,000.00 of vSphere sold by Victor in FY99-Q1 (2025-02-01..2025-04-30).
      const order = await vmw('POST', '/api/orders', {
        source: 'erp',
        externalId: 'MDF-1',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2025-03-01',
        customerId: 'cus_vacme',
        resellerId: 'ptn_vmonly',
        lines: [{ productId: 'prd_vsp', quantity: 2, unitPriceMinor: 450_000 }],
      });
      expect(order.status, order.text).toBe(201);
      await at('2025-05-15');
      const closed = await viaJob(vmw, 'POST', '/api/closes', {
        program: 'vmware-partner-connect',
        period: 'FY99-Q1',
      });
      expect(closed.status, closed.text).toBe(200);
      const legs = await t.store.db
        .selectFrom('ledgerLegs as e')
        .innerJoin('ledgerTransactions as x', 'x.id', 'e.transactionId')
        .select(['x.kind', 'e.account', 'e.component', 'e.amountMinor'])
        .where('e.partnerId', '=', 'ptn_vmonly')
        .where('e.account', 'in', ['partner:mdf-fund', 'vendor:mdf-expense'])
        .execute();
      const fund = legs.filter((l) => l.account === 'partner:mdf-fund');
      expect(fund.reduce((s, l) => s + Number(l.amountMinor), 0)).toBe(-9_000);
      expect(new Set(fund.map((l) => l.component))).toEqual(new Set(['earned-mdf']));
      expect(await standing()).toMatchObject({
        earnedMinor: 9_000,
        availableMinor: 9_000,
        expiring: [{ on: '2025-11-01', amountMinor: 9_000 }],
        credits: [
          { period: 'FY99-Q1', component: 'earned-mdf', earnedOn: '2025-04-30', expiresOn: '2025-11-01' },
        ],
      });
      // Within 90 days of its expiry it is "expiring soon".
      await at('2025-09-01');
      expect(await standing()).toMatchObject({ expiringSoon: [{ on: '2025-11-01', amountMinor: 9_000 }] });
    });

    it('posts what expired unused on its date, once', async () => {
      await at('2025-10-31');
      const early = await viaJob(vmw, 'POST', '/api/programs/vmware-partner-connect/mdf/expiry', {});
      expect(early.body).toMatchObject({ expiries: [], expiredMinor: 0 });
      await at('2025-11-02');
      const run = await viaJob(vmw, 'POST', '/api/programs/vmware-partner-connect/mdf/expiry', {});
      expect(run.status, run.text).toBe(200);
      expect(run.body).toMatchObject({
        expiredMinor: 9_000,
        expiries: [{ partnerId: 'ptn_vmonly', amountMinor: 9_000 }],
      });
      const rerun = await viaJob(vmw, 'POST', '/api/programs/vmware-partner-connect/mdf/expiry', {});
      expect(rerun.body).toMatchObject({ expiries: [], expiredMinor: 0 });
      const posted = await t.store.db
        .selectFrom('ledgerTransactions as x')
        .innerJoin('ledgerEntries as e', 'e.transactionId', 'x.id')
        .select(['x.effectiveDate', 'e.account', 'e.amountMinor'])
        .where('x.kind', '=', 'mdf-expiry')
        .orderBy('e.account')
        .execute();
      expect(posted.map((p) => [p.effectiveDate, p.account, Number(p.amountMinor)])).toEqual([
        ['2025-11-01', 'partner:mdf-fund', 9_000],
        ['2025-11-01', 'vendor:mdf-expense', -9_000],
      ]);
      expect(await standing()).toMatchObject({ earnedMinor: 9_000, availableMinor: 0, expiredMinor: 9_000 });
      const usage = await vmw('GET', `/api/vendors/${vendorId}/mdf/usage`);
      expect(usage.body.items).toEqual([
        expect.objectContaining({ zone: 'global', quarter: 'FY99-Q4', expiredMinor: 9_000, paidMinor: 0 }),
      ]);
    });
  });
}
