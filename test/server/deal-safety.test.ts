import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/**
 * Regressions found by the deal-registration safety pass (route fuzz, isolation harness): a line naming a
 * product the vendor does not sell (500, or another vendor's product accepted), a sales rep told the id
 * of a colleague's registration it may not read, and a regional channel manager shown a conflict's match
 * in another region.
 */
function registration(name: string, extra: Record<string, unknown> = {}) {
  return {
    programId: 'dell-emc-partner-program',
    customer: { name, country: 'DE', segment: 'commercial', domain: null },
    currency: 'USD',
    lines: [{ family: 'storage', amountMinor: 2_000_000 }],
    expectedCloseDate: '2028-12-31',
    description: 'safety',
    ...extra,
  };
}

for (const kind of STORE_KINDS) {
  describe(`deal registration safety on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let admin: ReturnType<typeof client>;
    let rep: ReturnType<typeof client>;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock: fixedClock('2026-12-01T09:00:00Z') });
      await loadFixture(ctx);
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@alpha.test'));
      rep = client(app, await signIn(app, 'rep@alpha.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    const count = async () =>
      Number(
        (
          await ctx.store.db
            .selectFrom('dealRegistrations')
            .select(sql<number | string>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it('refuses a line naming an unknown product, another vendor’s, or one of another family, with where, writing nothing', async () => {
      const before = await count();
      for (const [productId, message] of [
        ['prd_doesnotexist', /prd_doesnotexist is not a product of this vendor/],
        ['prd_vsp', /prd_vsp is not a product of this vendor/],
        ['prd_srv', /prd_srv is a servers product, not storage/],
      ] as const) {
        const r = await admin(
          'POST',
          '/api/deals',
          registration(`Produktprobe ${productId} GmbH`, {
            lines: [{ family: 'storage', amountMinor: 2_000_000, productId }],
          }),
        );
        expect(r.status, r.text).toBe(400);
        expect(r.body.errors).toEqual([
          { location: 'body.lines/0/productId', message: expect.stringMatching(message) },
        ]);
      }
      expect(await count()).toBe(before);
      const ok = await admin(
        'POST',
        '/api/deals',
        registration('Produktprobe Gut GmbH', {
          lines: [{ family: 'storage', amountMinor: 2_000_000, productId: 'prd_stor' }],
        }),
      );
      expect(ok.status, ok.text).toBe(201);
    });

    it('tells a sales rep its company registered a customer, never the id of a colleague’s registration', async () => {
      const mine = await admin(
        'POST',
        '/api/deals',
        registration('Kollegen Kunde AG', { externalRef: 'SAFE-1' }),
      );
      expect(mine.status, mine.text).toBe(201);
      const id = (mine.body.deal as { id: string }).id;
      const again = await rep('POST', '/api/deals', registration('KOLLEGEN KUNDE'));
      expect(again.status, again.text).toBe(409);
      expect(again.text).toMatch(/your company already registered this customer/);
      const sameRef = await rep(
        'POST',
        '/api/deals',
        registration('Ganz Anders GmbH', { externalRef: 'SAFE-1' }),
      );
      expect(sameRef.status, sameRef.text).toBe(409);
      const hint = await rep('POST', '/api/deals/check', {
        programId: 'dell-emc-partner-program',
        customer: { name: 'Kollegen Kunde', country: 'DE' },
      });
      expect(hint.body).toMatchObject({ hint: 'yours', yourRegistrationId: null });
      for (const r of [again, sameRef, hint]) expect(r.text).not.toContain(id);
      expect((await rep('GET', `/api/deals/${id}`)).status).toBe(404);
      // The owner is told its own registration.
      const own = await admin('POST', '/api/deals/check', {
        programId: 'dell-emc-partner-program',
        customer: { name: 'Kollegen Kunde', country: 'DE' },
      });
      expect(own.body).toMatchObject({ hint: 'yours', yourRegistrationId: id });
      const dup = await admin('POST', '/api/deals', registration('Kollegen Kunde'));
      expect(dup.status).toBe(409);
      expect(dup.text).toContain(id);
    });

    it('shows a regional channel manager no registration or customer of another region among a conflict’s matches', async () => {
      // A program's conflict scope need not include the region: a match may lie in another region.
      const bravo = client(app, await signIn(app, 'admin@bravo.test'));
      const na = await bravo(
        'POST',
        '/api/deals',
        registration('Regionprobe Holdings Inc.', {
          customer: { name: 'Regionprobe Holdings Inc.', country: 'US', segment: 'commercial' },
        }),
      );
      expect(na.status, na.text).toBe(201);
      const emea = await admin('POST', '/api/deals', registration('Regionprobe Europa GmbH'));
      expect(emea.status, emea.text).toBe(201);
      const naId = (na.body.deal as { id: string }).id;
      const emeaId = (emea.body.deal as { id: string }).id;
      const vendorId = (na.body.deal as { vendorId: string }).vendorId;
      const evidence = JSON.stringify([
        { field: 'name', score: 0.9, detail: '"Regionprobe Europa GmbH" ~ "Regionprobe Holdings Inc."' },
      ]);
      await ctx.store.db
        .insertInto('dealConflicts')
        .values(
          [
            ['dcf_regionreg', 'registration', emeaId],
            ['dcf_regioncus', 'customer', 'cus_acme'],
          ].map(([id, otherKind, otherId]) => ({
            id: id!,
            vendorId,
            registrationId: naId,
            otherKind: otherKind!,
            otherId: otherId!,
            score: 0.9,
            decision: 'possible',
            evidence,
            status: 'open',
            resolvedBy: null,
            resolvedAt: null,
            createdAt: '2026-12-01T09:00:00.000Z',
          })),
        )
        .execute();
      const cm = client(app, await signIn(app, 'cm.na@dell.test'));
      const seen = await cm('GET', `/api/deals/${naId}`);
      expect(seen.status, seen.text).toBe(200);
      for (const leak of [
        emeaId,
        'Regionprobe Europa',
        'ptn_alpha',
        'Alpha Systems',
        'cus_acme',
        'Acme Corporation',
      ])
        expect(seen.text, leak).not.toContain(leak);
      expect(seen.body.conflicts).toEqual([
        expect.objectContaining({
          otherId: 'outside-your-regions',
          other: null,
          evidence: [{ field: 'name', score: 0.9 }],
        }),
        expect.objectContaining({
          otherId: 'outside-your-regions',
          other: null,
          evidence: [{ field: 'name', score: 0.9 }],
        }),
      ]);
      // The vendor's admin sees every region.
      const dell = client(app, await signIn(app, 'admin@dell.test'));
      const full = await dell('GET', `/api/deals/${naId}`);
      expect(full.text).toContain('Regionprobe Europa GmbH');
      expect(full.text).toContain('Acme Corporation');
    });
  });
}
