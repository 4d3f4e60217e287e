import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { evaluateProgramTiers } from '../../src/app/tiers/evaluate-program.js';
import { applyStatusMatch } from '../../src/app/tiers/status-match.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import * as overlapMigration from '../../src/db/migrations/20261202-0012-membership-overlap.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { overlappingMemberships } from '../support/memberships.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const PROGRAM = 'dell-emc-partner-program';

const legacy = (partnerId: string, legacyProgram: string, legacyTier: string) => ({
  location: 'legacy.csv',
  partnerId,
  legacyProgram,
  legacyTier,
});

for (const kind of STORE_KINDS) {
  describe(`one tier per partner and program on any day, on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell } = await loadFixture(ctx));
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('golden: a status match after the year-end run; on 2018-02-02 the rebate is posted at the tier progress shows', async () => {
      // The year-end evaluation starts Bravo on Authorized from 2018-02-02, then the status match (dated
      // 2017-02-01) gives it Titanium: the Authorized record decided without it is superseded.
      await evaluateProgramTiers(
        ctx,
        { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE },
        { program: PROGRAM, asOf: '2018-02-02' },
      );
      await applyStatusMatch(ctx, SYSTEM_SCOPE, {
        program: PROGRAM,
        rows: [legacy('ptn_bravo', 'dell-partnerdirect', 'premier-plus')],
      });
      expect(await overlappingMemberships(ctx)).toEqual([]);

      const bravo = client(app, await signIn(app, 'admin@bravo.test'));
      const progress = await bravo(
        'GET',
        `/api/partners/ptn_bravo/progress?program=${PROGRAM}&asOf=2018-02-02`,
      );
      expect(progress.status).toBe(200);
      expect((progress.body.tier as { code: string }).code).toBe('titanium');
      const held = await admin(
        'GET',
        `/api/programs/${PROGRAM}/memberships?asOf=2018-02-02&partner=ptn_bravo`,
      );
      expect((held.body.items as { code: string }[]).map((m) => m.code)).toEqual(['titanium']);

      // A USD 100 server line on 2018-02-02: base rebate 3% (Titanium), not 0.5% (Authorized).
      const order = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'GOLDEN-2018-02-02',
        orderDate: '2018-02-02',
        currency: 'USD',
        customerId: 'cus_globex',
        channel: 'partner',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_srv', quantity: 1, unitPriceMinor: 10_000 }],
      });
      expect(order.status).toBe(201);
      const line = (order.body.lines as { id: string }[])[0]?.id ?? '';
      const base = await ctx.store.db
        .selectFrom('ledgerLegs')
        .select(['amountMinor', 'tier'])
        .where('lineId', '=', line)
        .where('account', '=', 'partner:rebate-payable')
        .where('component', '=', 'base-rebate')
        .execute();
      expect(base.map((e) => [-e.amountMinor, e.tier])).toEqual([[300, 'titanium']]);
    });

    it('a second status match the same day replaces the first', async () => {
      const db = ctx.store.db;
      await db.deleteFrom('memberships').where('partnerId', '=', 'ptn_dist').execute();
      await applyStatusMatch(ctx, SYSTEM_SCOPE, {
        program: PROGRAM,
        rows: [legacy('ptn_dist', 'emc-business-partner-program', 'silver')],
      });
      const history = async () =>
        (
          await db
            .selectFrom('memberships')
            .select(['tierCode', 'validFrom', 'validTo'])
            .where('partnerId', '=', 'ptn_dist')
            .orderBy('validFrom')
            .orderBy('createdAt')
            .orderBy('id')
            .execute()
        ).map((m) => `${m.tierCode} ${m.validFrom}..${m.validTo ?? ''}`);
      expect(await history()).toEqual(['gold 2017-02-01..']);
      await applyStatusMatch(ctx, SYSTEM_SCOPE, {
        program: PROGRAM,
        rows: [legacy('ptn_dist', 'emc-business-partner-program', 'gold')],
      });
      // The newer match replaces the older one (kept as history, in force on no day).
      expect(await history()).toEqual(['gold 2017-02-01..2017-02-01', 'platinum 2017-02-01..']);
      expect(await overlappingMemberships(ctx)).toEqual([]);
    });

    it('the database refuses two tiers on one day, and allows a status on top of a tier', async () => {
      const db = ctx.store.db;
      const row = (id: string, tierCode: string, validFrom: string, validTo: string | null) => ({
        id,
        vendorId: dell.vendorId,
        programId: dell.programId,
        partnerId: 'ptn_alpha',
        tierCode,
        validFrom,
        validTo,
        source: 'manual',
        reason: 'guard test',
        createdAt: '2017-02-01T00:00:00.000Z',
        grandfatheredUntil: null,
        sponsor: null,
        detail: '{}',
      });
      await db.deleteFrom('memberships').where('partnerId', '=', 'ptn_alpha').execute();
      await db
        .insertInto('memberships')
        .values(row('mbr_g1', 'gold', '2017-02-01', '2017-06-01'))
        .execute();
      await db
        .insertInto('memberships')
        .values(row('mbr_p1', 'platinum', '2017-06-01', null))
        .execute();
      await expect(
        db
          .insertInto('memberships')
          .values(row('mbr_t1', 'titanium', '2017-05-31', '2017-06-01'))
          .execute(),
      ).rejects.toThrow(/membership_overlap/);
      await expect(
        db.updateTable('memberships').set({ validTo: '2017-06-02' }).where('id', '=', 'mbr_g1').execute(),
      ).rejects.toThrow(/membership_overlap/);
      // A status is not a tier; two grants of one status may not overlap either.
      await db
        .insertInto('memberships')
        .values(row('mbr_tb1', 'titanium-black', '2017-07-01', '2018-07-01'))
        .execute();
      await expect(
        db
          .insertInto('memberships')
          .values(row('mbr_tb2', 'titanium-black', '2018-01-01', '2019-01-01'))
          .execute(),
      ).rejects.toThrow(/membership_overlap/);
      await db
        .insertInto('memberships')
        .values(row('mbr_tb3', 'titanium-black', '2018-07-01', '2019-07-01'))
        .execute();
      // A record in force on no day (a superseded one) never overlaps.
      await db
        .insertInto('memberships')
        .values(row('mbr_x', 'authorized', '2017-08-01', '2017-08-01'))
        .execute();
      await db.deleteFrom('memberships').where('partnerId', '=', 'ptn_alpha').execute();
    });

    it('grants an invitation-only status to no more than maxGrants partners, two requests at once', async () => {
      const db = ctx.store.db;
      await db.deleteFrom('memberships').execute();
      // Alpha and Bravo are Titanium; 49 other partners already hold Titanium Black (maxGrants: 50).
      await applyStatusMatch(ctx, SYSTEM_SCOPE, {
        program: PROGRAM,
        rows: [
          legacy('ptn_alpha', 'dell-partnerdirect', 'premier-plus'),
          legacy('ptn_bravo', 'dell-partnerdirect', 'premier-plus'),
        ],
      });
      const program = await db
        .selectFrom('programs')
        .select(['id', 'vendorId'])
        .where('code', '=', PROGRAM)
        .executeTakeFirstOrThrow();
      const others = Array.from({ length: 49 }, (_, i) => `ptn_black_${String(i).padStart(2, '0')}`);
      await db
        .insertInto('partners')
        .values(
          others.map((id) => ({
            id,
            name: `Holder ${id}`,
            kind: 'reseller',
            country: 'US',
            region: 'na',
            domain: `${id}.example`,
            createdAt: '2017-01-01T00:00:00.000Z',
          })),
        )
        .execute();
      await db
        .insertInto('memberships')
        .values(
          others.map((id) => ({
            id: `mbr_${id}`,
            vendorId: program.vendorId,
            programId: program.id,
            partnerId: id,
            tierCode: 'titanium-black',
            validFrom: '2017-11-01',
            validTo: '2018-11-01',
            source: 'invited',
            reason: 'filled',
            createdAt: '2017-11-01T00:00:00.000Z',
            grandfatheredUntil: null,
            sponsor: 'EVP Channel',
            detail: '{}',
          })),
        )
        .execute();
      const answers = await Promise.all(
        ['ptn_alpha', 'ptn_bravo'].map((partnerId) =>
          admin('POST', `/api/programs/${PROGRAM}/invitations`, {
            partnerId,
            status: 'titanium-black',
            sponsor: 'EVP Channel',
            reason: 'exceptional year',
            grantedOn: '2017-12-05',
          }),
        ),
      );
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
      const holders = await db
        .selectFrom('memberships')
        .select('partnerId')
        .where('tierCode', '=', 'titanium-black')
        .where('validFrom', '<=', '2017-12-05')
        .where('validTo', '>', '2017-12-05')
        .execute();
      expect(holders).toHaveLength(50);
    });

    it('concurrent evaluations, status matches and invitations leave one tier per day', async () => {
      const db = ctx.store.db;
      await db.deleteFrom('memberships').execute();
      const who = { actor: { kind: 'system' as const, id: 'test' }, scope: SYSTEM_SCOPE };
      const results = await Promise.allSettled([
        evaluateProgramTiers(ctx, who, { program: PROGRAM, asOf: '2017-12-01' }),
        applyStatusMatch(ctx, SYSTEM_SCOPE, {
          program: PROGRAM,
          rows: [
            legacy('ptn_bravo', 'dell-partnerdirect', 'premier-plus'),
            legacy('ptn_alpha', 'dell-partnerdirect', 'preferred'),
          ],
        }),
        evaluateProgramTiers(ctx, who, { program: PROGRAM, asOf: '2017-06-01' }),
        evaluateProgramTiers(ctx, who, { program: PROGRAM, asOf: '2018-02-01', audit: true }),
        applyStatusMatch(ctx, SYSTEM_SCOPE, {
          program: PROGRAM,
          rows: [legacy('ptn_bravo', 'emc-business-partner-program', 'platinum')],
        }),
        ...['2017-12-05', '2017-12-05', '2018-01-10'].map((grantedOn) =>
          admin('POST', `/api/programs/${PROGRAM}/invitations`, {
            partnerId: 'ptn_bravo',
            status: 'titanium-black',
            sponsor: 'EVP Channel',
            reason: 'exceptional year',
            grantedOn,
          }),
        ),
      ]);
      expect(
        results
          .filter((r) => r.status === 'rejected')
          .map((r) => String((r as PromiseRejectedResult).reason)),
      ).toEqual([]);
      for (const r of results.slice(5)) {
        const status = (r as PromiseFulfilledResult<{ status: number }>).value.status;
        expect([201, 409]).toContain(status);
      }
      expect(await overlappingMemberships(ctx)).toEqual([]);
    });

    it('the migration repairs a store with two tiers in force on one day (replayed in creation order)', async () => {
      const db = ctx.store.db;
      await db.deleteFrom('memberships').execute();
      await overlapMigration.down(db);
      const row = (
        id: string,
        partnerId: string,
        tierCode: string,
        validFrom: string,
        createdAt: string,
      ) => ({
        id,
        vendorId: dell.vendorId,
        programId: dell.programId,
        partnerId,
        tierCode,
        validFrom,
        validTo: null,
        source: 'manual',
        reason: 'before the guard',
        createdAt,
        grandfatheredUntil: null,
        sponsor: null,
        detail: '{}',
      });
      await db
        .insertInto('memberships')
        .values([
          // The reproduction: Authorized from the year-end run, then Titanium from the status match.
          row('mbr_r1', 'ptn_bravo', 'authorized', '2018-02-02', '2018-02-03T00:00:00.000Z'),
          row('mbr_r2', 'ptn_bravo', 'titanium', '2017-02-01', '2018-02-04T00:00:00.000Z'),
          row('mbr_r3', 'ptn_bravo', 'titanium-black', '2017-12-05', '2018-02-05T00:00:00.000Z'),
          // Two open records, the later-created starting later: the first ends where the second begins.
          row('mbr_r4', 'ptn_alpha', 'gold', '2017-02-01', '2018-02-03T00:00:00.000Z'),
          row('mbr_r5', 'ptn_alpha', 'platinum', '2017-09-01', '2018-02-04T00:00:00.000Z'),
        ])
        .execute();
      expect((await overlappingMemberships(ctx)).length).toBe(2);
      await overlapMigration.up(db);
      expect(await overlappingMemberships(ctx)).toEqual([]);
      const rows = await db.selectFrom('memberships').select(['id', 'validTo']).orderBy('id').execute();
      expect(Object.fromEntries(rows.map((r) => [r.id, r.validTo]))).toEqual({
        mbr_r1: '2018-02-02',
        mbr_r2: null,
        mbr_r3: null,
        mbr_r4: '2017-09-01',
        mbr_r5: null,
      });
      await db.deleteFrom('memberships').execute();
    });
  });
}
