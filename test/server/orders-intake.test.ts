import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const order = (over: Record<string, unknown> = {}) => ({
  source: 'erp',
  externalId: 'SO-1001',
  orderDate: '2017-07-03',
  currency: 'USD',
  customerId: 'cus_acme',
  endUserName: 'ACME Corp.',
  channel: 'partner',
  resellerId: 'ptn_alpha',
  lines: [
    { productId: 'prd_stor', quantity: 2, unitPriceMinor: 4_500_000 },
    { productId: 'prd_srv', quantity: 3, unitPriceMinor: 1_100_000 },
  ],
  ...over,
});

for (const kind of STORE_KINDS) {
  describe(`order intake on ${kind}`, () => {
    let t: TestStore;
    let app: Server;
    let admin: ReturnType<typeof client>;

    beforeAll(async () => {
      t = await openTestStore(kind);
      const ctx = createContext(t.store);
      await loadFixture(ctx);
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    const count = async () =>
      Number(
        (
          await t.store.db
            .selectFrom('orderLines')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('takes an order with its lines, denormalised, totalled and audited', async () => {
      const res = await admin('POST', '/api/orders', order());
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        externalId: 'SO-1001',
        channel: 'partner',
        resellerId: 'ptn_alpha',
        country: 'GB',
        region: 'emea',
        totalMinor: 12_300_000,
        endUserName: 'ACME Corp.',
      });
      const lines = res.body.lines as { family: string; amountMinor: number; lineNo: number }[];
      expect(lines.map((l) => [l.lineNo, l.family, l.amountMinor])).toEqual([
        [1, 'storage', 9_000_000],
        [2, 'servers', 3_300_000],
      ]);
      const audit = await admin('GET', '/api/audit?action=order.create');
      expect((audit.body.items as unknown[]).length).toBe(1);
    });

    it('returns the original for a replay of the same content, and refuses other content under the same key', async () => {
      const before = await count();
      const replay = await admin('POST', '/api/orders', order());
      expect(replay.status).toBe(200);
      expect(await count()).toBe(before);
      const conflict = await admin(
        'POST',
        '/api/orders',
        order({ lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 4_500_000 }] }),
      );
      expect(conflict.status).toBe(409);
      expect(await count()).toBe(before);
    });

    it('refuses bad orders with every reason and where, writing nothing', async () => {
      const before = await count();
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ externalId: 'B1', resellerId: 'ptn_nope' }, /unknown partner ptn_nope/],
        [
          { externalId: 'B2', lines: [{ productId: 'prd_nope', quantity: 1, unitPriceMinor: 1 }] },
          /unknown product/,
        ],
        [
          { externalId: 'B3', lines: [{ productId: 'prd_vsp', quantity: 1, unitPriceMinor: 1 }] },
          /unknown product prd_vsp/,
        ],
        [{ externalId: 'B4', customerId: 'cus_vacme' }, /unknown customer/],
        [
          { externalId: 'B5', lines: [{ productId: 'prd_stor', quantity: -1, unitPriceMinor: 100 }] },
          /only allowed on a return/,
        ],
        [{ externalId: 'B6', currency: 'CHF' }, /CHF is not accepted for orders in GB/],
        [{ externalId: 'B7', orderDate: '2016-05-01' }, /outside every program period/],
        [{ externalId: 'B8', resellerId: 'ptn_vmonly' }, /unknown partner ptn_vmonly/],
        [
          { externalId: 'B9', channel: 'distributor', distributorId: 'ptn_dist', resellerId: 'ptn_alpha' },
          /does not supply reseller/,
        ],
      ];
      for (const [over, message] of cases) {
        const res = await admin('POST', '/api/orders', order(over));
        expect(res.status, JSON.stringify(over)).toBe(400);
        expect(res.body.detail).toMatch(message);
        expect((res.body.errors as { location: string }[])[0]?.location).toMatch(/^body\./);
      }
      const many = await admin(
        'POST',
        '/api/orders',
        order({ externalId: 'B10', currency: 'EUR', resellerId: 'ptn_nope', orderDate: '2030-01-01' }),
      );
      expect((many.body.errors as unknown[]).length).toBeGreaterThanOrEqual(3);
      expect(await count()).toBe(before);
    });

    it('takes a return of an earlier line, and never more than was sold', async () => {
      const sold = await admin('POST', '/api/orders', order({ externalId: 'SO-2001' }));
      const storageLine = (sold.body.lines as { id: string; family: string }[]).find(
        (l) => l.family === 'storage',
      )!;
      const ret = (externalId: string, quantity: number) =>
        admin(
          'POST',
          '/api/orders',
          order({
            externalId,
            orderDate: '2017-08-01',
            lines: [
              { productId: 'prd_stor', quantity, unitPriceMinor: 4_500_000, returnsLineId: storageLine.id },
            ],
          }),
        );
      const first = await ret('RMA-1', -1);
      expect(first.status).toBe(201);
      expect((first.body.lines as { amountMinor: number; returnsLineId: string }[])[0]).toMatchObject({
        amountMinor: -4_500_000,
        returnsLineId: storageLine.id,
      });
      const tooMany = await ret('RMA-2', -2);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.detail).toMatch(/only 1 of that line can still be returned/);
      expect((await ret('RMA-3', -1)).status).toBe(201);
      expect((await ret('RMA-4', -1)).status).toBe(400);
    });

    it('lets a distributor report only its own sell-out, to resellers it supplies', async () => {
      const dist = client(app, await signIn(app, 'ops@delta.test'));
      const sellout = {
        vendor: 'dell',
        source: 'pos:ptn_dist',
        externalId: 'POS-1',
        channel: 'distributor',
        distributorId: 'ptn_dist',
        resellerId: 'ptn_bravo',
        customerId: 'cus_globex',
      };
      const ok = await dist('POST', '/api/orders', order(sellout));
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ distributorId: 'ptn_dist', resellerId: 'ptn_bravo', region: 'na' });
      const other = await dist(
        'POST',
        '/api/orders',
        order({ ...sellout, externalId: 'POS-2', distributorId: null, channel: 'partner' }),
      );
      expect(other.status).toBe(403);
      const partner = client(app, await signIn(app, 'admin@alpha.test'));
      expect((await partner('POST', '/api/orders', order({ externalId: 'P-1' }))).status).toBe(403);
      const auditor = client(app, await signIn(app, 'auditor@dell.test'));
      expect((await auditor('POST', '/api/orders', order({ externalId: 'A-1' }))).status).toBe(403);
    });

    it('gives each of many orders posted at once its own outcome, as if posted one by one', async () => {
      const before = await count();
      const replies = await Promise.all([
        ...Array.from({ length: 12 }, (_, i) =>
          admin('POST', '/api/orders', order({ externalId: `C-${i}` })),
        ),
        admin('POST', '/api/orders', order({ externalId: 'C-bad', resellerId: 'ptn_nope' })),
        admin('POST', '/api/orders', order({ externalId: 'C-same' })),
        admin('POST', '/api/orders', order({ externalId: 'C-same' })),
        admin('POST', '/api/orders', order({ externalId: 'C-same', orderDate: '2017-07-04' })),
      ]);
      expect(replies.slice(0, 12).map((r) => r.status)).toEqual(Array(12).fill(201));
      expect(replies[12]?.status).toBe(400);
      // The same key three times at once (two with the same content): one is created, whichever comes
      // first; the same content replays it, other content conflicts.
      const same = replies.slice(13);
      const content = ['a', 'a', 'b'];
      const winner = same.findIndex((r) => r.status === 201);
      expect(winner).toBeGreaterThanOrEqual(0);
      expect(same.map((r, i) => (i === winner ? 201 : content[i] === content[winner] ? 200 : 409))).toEqual(
        same.map((r) => r.status),
      );
      expect(await count()).toBe(before + 13 * 2);
    });

    it('accepts an API token with the orders:write scope', async () => {
      const created = await admin('POST', '/api/tokens', { name: 'ERP', scopes: ['orders:write'] });
      const erp = client(app, { bearer: created.body.token as string });
      expect((await erp('POST', '/api/orders', order({ externalId: 'T-1' }))).status).toBe(201);
      expect((await erp('GET', '/api/orders')).status).toBe(403);
    });
  });
}
