import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { openStore } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { orderIntakeRepository } from '../../src/db/repositories/order-intake-repository.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const order = (externalId: string, productId = 'prd_stor') => ({
  source: 'erp',
  externalId,
  orderDate: '2017-07-03',
  currency: 'USD',
  customerId: 'cus_acme',
  channel: 'partner',
  resellerId: 'ptn_alpha',
  lines: [{ productId, quantity: 1, unitPriceMinor: 4_500_000 }],
});

/** What order intake keeps in memory between requests, and that it never answers from a stale copy. */
for (const kind of STORE_KINDS) {
  describe(`order intake's caches on ${kind}`, () => {
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

    it('refuses an API token at once when it is revoked, however often it was used before', async () => {
      const created = await admin('POST', '/api/tokens', { name: 'erp', scopes: ['orders:write'] });
      expect(created.status).toBe(201);
      const integration = client(app, { bearer: created.body.token as string });
      for (let i = 0; i < 3; i++)
        expect((await integration('POST', '/api/orders', order(`TK-${i}`))).status).toBe(201);
      const id = (created.body.tokenInfo as { id: string }).id;
      expect((await admin('DELETE', `/api/tokens/${id}`)).status).toBe(200);
      const refused = await integration('POST', '/api/orders', order('TK-after'));
      expect(refused.status).toBe(401);
      expect(refused.body.detail).toMatch(/revoked/);
    });

    it('finds a product added after an order naming it was refused, and no other vendor its product', async () => {
      expect((await admin('POST', '/api/orders', order('PR-1', 'prd_later'))).status).toBe(400);
      const dell = await t.store.db
        .selectFrom('vendors')
        .select('id')
        .where('slug', '=', 'dell')
        .executeTakeFirstOrThrow();
      await t.store.db
        .insertInto('products')
        .values({
          id: 'prd_later',
          vendorId: dell.id,
          sku: 'LATER-1',
          name: 'Added later',
          family: 'storage',
          licensing: null,
          solution: null,
          listPriceMinor: 4_500_000,
          currency: 'USD',
          createdAt: '2017-01-01T00:00:00.000Z',
        })
        .execute();
      expect((await admin('POST', '/api/orders', order('PR-2', 'prd_later'))).status).toBe(201);
      // Read (and kept) for VMware, VMware's product is still not Dell's.
      const vmware = await t.store.db
        .selectFrom('vendors')
        .select('id')
        .where('slug', '=', 'vmware')
        .executeTakeFirstOrThrow();
      const read = (vendorId: string) =>
        t.store.db
          .transaction()
          .execute((trx) => orderIntakeRepository(trx, t.store).products(vendorId, ['prd_vsp', 'prd_stor']));
      expect((await read(vmware.id)).map((p) => p.id)).toEqual(['prd_vsp']);
      expect((await read(dell.id)).map((p) => p.id)).toEqual(['prd_stor']);
      expect((await admin('POST', '/api/orders', order('PR-3', 'prd_vsp'))).status).toBe(400);
    });
  });
}

describe('the API token cache on a SQLite file another connection writes to', () => {
  const dir = mkdtempSync(join(tmpdir(), 'trellis-token-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a token another connection (another process, a job thread) revoked, on the next request', async () => {
    const file = join(dir, 'trellis.db');
    const store = await openStore({ kind: 'sqlite', file, thread: 'main' });
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
    const ctx = createContext(store);
    await loadFixture(ctx);
    const app = await buildServer(ctx);
    const other = new BetterSqlite3(file);
    try {
      const admin = client(app, await signIn(app, 'admin@dell.test'));
      const created = await admin('POST', '/api/tokens', { name: 'erp', scopes: ['orders:write'] });
      const integration = client(app, { bearer: created.body.token as string });
      for (let i = 0; i < 3; i++)
        expect((await integration('POST', '/api/orders', order(`OC-${i}`))).status).toBe(201);
      other
        .prepare('update api_tokens set revoked_at = ? where id = ?')
        .run('2026-12-04T00:00:00.000Z', (created.body.tokenInfo as { id: string }).id);
      const refused = await integration('POST', '/api/orders', order('OC-after'));
      expect(refused.status).toBe(401);
      expect(refused.body.detail).toMatch(/revoked/);
    } finally {
      other.close();
      await app.close();
      await store.close();
    }
  });
});
