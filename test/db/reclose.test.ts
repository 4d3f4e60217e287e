import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { settlementRepository } from '../../src/db/repositories/settlement-repository.js';
import { buildServer } from '../../src/server/app.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { addMembership } from '../support/memberships.js';
import { postQuarterOrders } from '../support/reclose.js';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * A re-close of a whole period reads no holdings back when nothing was posted for the period since the last
 * close and its plan leaves the ledger where that close left it (close-period.ts, close-fingerprint.ts).
 * What changes without a posting (a tier record) must still be found and trued up, to the cent.
 */
for (const kind of STORE_KINDS) {
  describe(`re-close on ${kind}`, () => {
    it('posts what a tier change owes after a close, then nothing, and the ledger equals the plan', async () => {
      const t = await openTestStore(kind);
      const ctx = createContext(t.store);
      const app = await buildServer(ctx);
      try {
        const { dell } = await loadFixture(ctx);
        const db = t.store.db;
        const member = (id: string, partnerId: string, tier: string, from: string, to: string | null) =>
          addMembership(db, dell, id, partnerId, tier, from, to);
        await member('mbr_bravo', 'ptn_bravo', 'titanium', '2017-02-01', null);
        await member('mbr_alpha_g', 'ptn_alpha', 'gold', '2017-02-01', null);
        await postQuarterOrders(client(app, await signIn(app, 'admin@dell.test')));
        const who = {
          actor: { kind: 'system' as const, id: 'test' },
          scope: { kind: 'vendor' as const, vendorId: dell.vendorId, regions: [] },
        };
        const close = (dryRun = false) =>
          closePeriod(ctx, who, { program: 'dell-emc-partner-program', period: 'FY18-Q1', dryRun });
        const first = await close();
        expect(first.reconciled).toBe(true);
        const unchanged = await close();
        expect(unchanged.transactions).toBe(0);
        expect(unchanged.totalMinor).toBe(first.totalMinor);

        // Alpha held Platinum at the period's end: no posting says so, the re-close must find it.
        await db
          .updateTable('memberships')
          .set({ validTo: '2017-04-01' })
          .where('id', '=', 'mbr_alpha_g')
          .execute();
        await member('mbr_alpha_p', 'ptn_alpha', 'platinum', '2017-04-01', null);
        const preview = await close(true);
        expect(preview.transactions).toBe(1);
        expect(preview.netMinor).toBeGreaterThan(0);
        const upgraded = await close();
        expect(upgraded.reconciled).toBe(true);
        expect(upgraded.transactions).toBe(1);
        expect(upgraded.netMinor).toBe(preview.netMinor);
        expect(upgraded.totalMinor).toBe(first.totalMinor + preview.netMinor);
        const again = await close();
        expect(again.transactions).toBe(0);
        expect(again.totalMinor).toBe(upgraded.totalMinor);

        // What the ledger holds per component is what the last (unchanged) re-close says is earned.
        const held = new Map<string, number>();
        const perLine = await settlementRepository(db).engineHoldings(dell.programId, 'FY18-Q1', null);
        for (const h of perLine) held.set(h.component, (held.get(h.component) ?? 0) + h.amountMinor);
        // Summed per partner and component (a simulation's ledger check): the same amounts.
        const ofPartner = new Map<string, number>();
        for (const h of perLine) {
          const key = `${h.partnerId} ${h.component}`;
          ofPartner.set(key, (ofPartner.get(key) ?? 0) + h.amountMinor);
        }
        const summed = await settlementRepository(db).engineHoldings(dell.programId, 'FY18-Q1', null, false);
        expect(summed.every((h) => h.lineId === null)).toBe(true);
        expect(new Map(summed.map((h) => [`${h.partnerId} ${h.component}`, h.amountMinor]))).toEqual(
          ofPartner,
        );
        expect(Object.fromEntries([...held].filter(([, v]) => v !== 0))).toEqual(
          Object.fromEntries(
            again.components.filter((c) => c.totalMinor !== 0).map((c) => [c.component, c.totalMinor]),
          ),
        );
      } finally {
        await app.close();
        await t.cleanup();
      }
    });
  });
}
