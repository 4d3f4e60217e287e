import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import * as migration from '../../src/db/migrations/20261203-0016-agreements.js';
import * as tenantKeys from '../../src/db/migrations/20261206-0036-tenant-keys.js';
import { agreementText, publishAgreement } from '../support/agreements.js';
import { loadFixture } from '../support/fixtures.js';
import { openTestStore, PARTITIONED, STORE_KINDS, type TestStore } from '../support/stores.js';

// Not on the partitioned schema (issue 18): it steps back before the tenant keys, which a table
// partitioned by vendor_id refuses.
for (const kind of STORE_KINDS) {
  describe.skipIf(PARTITIONED)(`migration 20261203-0016-agreements on ${kind}`, () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await openTestStore(kind);
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('finds the programs bound by agreements published before it, and keeps the history append-only', async () => {
      const ctx = createContext(t.store);
      const { dell, vmware } = await loadFixture(ctx);
      const out = await publishAgreement(ctx, await agreementText());
      const id = out.kind === 'agreement' ? out.agreementId : '';
      // A store from before the migration: the agreement and its parties, without the migration's tables
      // (the tenant keys of migration 0036 step aside meanwhile: 0016 names programs by id alone).
      await tenantKeys.down(t.store.db);
      await migration.down(t.store.db);
      await migration.up(t.store.db);
      await tenantKeys.up(t.store.db);
      const bound = await t.store.db
        .selectFrom('agreementPrograms')
        .select(['agreementId', 'vendorId', 'programId'])
        .orderBy('programId')
        .execute();
      expect(bound).toEqual(
        [
          { agreementId: id, vendorId: dell.vendorId, programId: dell.programId },
          { agreementId: id, vendorId: vmware.vendorId, programId: vmware.programId },
        ].sort((a, b) => (a.programId < b.programId ? -1 : 1)),
      );
      await t.store.db
        .insertInto('agreementEvents')
        .values({
          id: 'aev_test',
          agreementId: id,
          kind: 'published',
          vendorId: null,
          actorId: null,
          onDay: '2021-11-01',
          sentence: 'x',
          detail: '{}',
          at: '2026-12-03T00:00:00.000Z',
        })
        .execute();
      await expect(
        t.store.db
          .updateTable('agreementEvents')
          .set({ sentence: 'y' })
          .where('id', '=', 'aev_test')
          .execute(),
      ).rejects.toThrow(/append-only/);
      await expect(
        t.store.db.deleteFrom('agreementEvents').where('id', '=', 'aev_test').execute(),
      ).rejects.toThrow(/append-only/);
    });
  });
}
