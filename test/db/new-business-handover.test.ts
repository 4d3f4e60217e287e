import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineFor } from '../../src/app/incentives/engines.js';
import { loadPeriodFacts, type LoadedPeriodFacts } from '../../src/app/incentives/period-facts.js';
import { resolvePeriod } from '../../src/app/incentives/program-period.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { openWorld, WHERES, type World } from '../support/close-world.js';

/**
 * A simulation's consecutive periods share their new-business reads (period-facts.ts): a period hands the
 * next the last day each customer bought each family, and the next one takes them instead of reading its
 * look-back again. The facts it loads are those it loads alone, on each store.
 */
for (const where of WHERES) {
  describe(`new business handed from a period to the next on ${where}`, () => {
    let w: World;
    const load = async (period: string, options: Parameters<typeof loadPeriodFacts>[4] = {}) => {
      const r = await resolvePeriod(w.ctx, SYSTEM_SCOPE, 'dell-emc-partner-program', period);
      const subject = {
        vendorId: r.vendorId,
        programId: r.programId,
        definition: r.definition,
        range: r.range,
        engine: engineFor(r.versionId, r.definition),
      };
      return loadPeriodFacts(w.ctx.store.db, w.ctx.store, subject, null, options);
    };
    const newBusiness = (f: LoadedPeriodFacts) =>
      Object.fromEntries(
        f.lines.map((l) => [`${l.customerId} ${l.orderDate} ${l.family}`, l.facts.newBusiness]),
      );
    const order = (externalId: string, orderDate: string, customerId: string, productId: string) =>
      w.post(externalId, {
        orderDate,
        customerId,
        resellerId: 'ptn_alpha',
        lines: [{ productId, quantity: 1, unitPriceMinor: 500_000 }],
      });

    beforeAll(async () => {
      w = await openWorld(where);
      await w.ctx.store.db
        .insertInto('customers')
        .values(
          ['cus_umbrella', 'cus_wayne'].map((id) => ({
            id,
            vendorId: w.vendorId,
            name: id === 'cus_wayne' ? 'Wayne Enterprises' : 'Umbrella Corporation',
            domain: null,
            country: 'US',
            region: 'na',
            segment: 'commercial',
            addressLine: null,
            city: null,
            postalCode: null,
            createdAt: '2017-01-01T00:00:00.000Z',
          })),
        )
        .execute();
      // FY18-Q1 is 2017-02-01..2017-04-30, FY18-Q2 2017-05-01..2017-07-31. Globex buys storage in the
      // first quarter (on its last day too) and again in the second: not new then. Umbrella buys storage only
      // in the second quarter (new on its first purchase, not after), then servers in the third (not new:
      // the component names storage and servers, a purchase of either counts).
      await order('HO-1', '2017-02-10', 'cus_globex', 'prd_stor');
      await order('HO-2', '2017-04-30', 'cus_globex', 'prd_stor');
      await order('HO-3', '2017-05-02', 'cus_globex', 'prd_stor');
      await order('HO-4', '2017-06-01', 'cus_umbrella', 'prd_stor');
      await order('HO-5', '2017-06-20', 'cus_umbrella', 'prd_stor');
      await order('HO-6', '2017-08-15', 'cus_globex', 'prd_stor');
      await order('HO-7', '2017-09-01', 'cus_umbrella', 'prd_srv');
      // Wayne's only purchase before the second quarter is on the first quarter's last day.
      await order('HO-8', '2017-04-30', 'cus_wayne', 'prd_srv');
      await order('HO-9', '2017-05-10', 'cus_wayne', 'prd_stor');
    });
    afterAll(() => w?.cleanup());

    it('loads the next period with the hand-over as it loads it alone', async () => {
      const first = await load('FY18-Q1', { handOver: true });
      expect(first.lastPurchases).not.toBeNull();
      // Only a period asked to hand over does.
      expect((await load('FY18-Q1')).lastPurchases).toBeNull();
      const alone = await load('FY18-Q2');
      const handed = await load('FY18-Q2', { lastPurchases: first.lastPurchases, handOver: true });
      expect(newBusiness(handed)).toEqual(newBusiness(alone));
      expect(handed.lines.map((l) => [l.lineId, l.facts])).toEqual(
        alone.lines.map((l) => [l.lineId, l.facts]),
      );
      const nb = newBusiness(alone);
      expect(nb['cus_globex 2017-05-02 storage']).toBe(false);
      expect(nb['cus_umbrella 2017-06-01 storage']).toBe(true);
      expect(nb['cus_umbrella 2017-06-20 storage']).toBe(false);
      expect(nb['cus_wayne 2017-05-10 storage']).toBe(false);
      // And the third period after the second's hand-over (its look-back reaches into both).
      const third = await load('FY18-Q3', { lastPurchases: handed.lastPurchases });
      expect(newBusiness(third)).toEqual(newBusiness(await load('FY18-Q3')));
      expect(newBusiness(third)['cus_globex 2017-08-15 storage']).toBe(false);
      expect(newBusiness(third)['cus_umbrella 2017-09-01 servers']).toBe(false);
    });

    it('takes the hand-over instead of reading, and only one that fits the period', async () => {
      const q1 = await load('FY18-Q1', { handOver: true });
      const given = q1.lastPurchases as NonNullable<LoadedPeriodFacts['lastPurchases']>;
      // A hand-over that says Umbrella bought storage on the first quarter's last day: its first purchase of
      // the second quarter is then not new (nothing was read in its place).
      const days = new Map(given.days);
      days.set('cus_umbrella', new Map([['storage', '2017-04-30']]));
      const told = await load('FY18-Q2', { lastPurchases: { ...given, days } });
      expect(newBusiness(told)['cus_umbrella 2017-06-01 storage']).toBe(false);
      // One that ends on another day, or starts after the look-back, is not taken: the period reads.
      for (const misfit of [
        { ...given, days, before: '2017-04-30' },
        { ...given, days, since: '2016-06-01' },
        { ...given, days, families: ['storage'] },
      ]) {
        const read = await load('FY18-Q2', { lastPurchases: misfit });
        expect(newBusiness(read)['cus_umbrella 2017-06-01 storage']).toBe(true);
      }
    });
  });
}
