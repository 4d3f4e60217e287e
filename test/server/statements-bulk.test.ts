import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { awaitJob, viaJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const PROGRAM = 'dell-emc-partner-program';

interface Preview {
  action: string;
  fingerprint: string;
  selected: number;
  count: number;
  outcomes: Record<string, number>;
  totals: { currency: string; count: number; totalMinor: number; payoutMinor: number }[];
  skippedByReason: Record<string, number>;
  moves: { id: string; partnerId: string; from: string; to: string; totalMinor: number }[];
  skipped: { id: string; reason: string }[];
  skippedCount: number;
  lost?: number;
}

/**
 * Bulk actions on statements (issue 15 item 2): a preview says exactly what a run will do (count, totals,
 * outcomes, which are skipped and why) and writes nothing; the run is a job that moves each statement by
 * a conditional update, so runs at once never move a statement twice nor pay it twice; scoped and audited.
 */
for (const kind of STORE_KINDS) {
  describe(`bulk issue, approve and pay of statements on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;

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
    const statements = (period: string) =>
      t.store.db
        .selectFrom('statements')
        .select(['id', 'partnerId', 'status', 'totalMinor', 'payoutTransactionId'])
        .where('programId', '=', dell.programId)
        .where('period', '=', period)
        .orderBy('id')
        .execute();
    const audits = async (action: string) =>
      Number(
        (
          await t.store.db
            .selectFrom('auditEvents')
            .select(sql<number | string>`count(*)`.as('n'))
            .where('action', '=', action)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const payouts = (ids: readonly string[]) =>
      t.store.db
        .selectFrom('ledgerTransactions')
        .select(['idempotencyKey'])
        .where('kind', '=', 'payout')
        .where(
          'idempotencyKey',
          'in',
          ids.map((id) => `payout:${id}`),
        )
        .execute();

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell } = await loadFixture(ctx));
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      await order('BULK-A1', '2017-03-10', 'ptn_alpha', 2_000_000);
      await order('BULK-B1', '2017-03-12', 'ptn_bravo', 3_000_000);
      await order('BULK-A2', '2017-06-10', 'ptn_alpha', 4_000_000);
      await order('BULK-B2', '2017-06-12', 'ptn_bravo', 5_000_000);
      for (const period of ['FY18-Q1', 'FY18-Q2']) {
        const c = await viaJob(admin, 'POST', '/api/closes', { program: PROGRAM, period });
        if (c.status !== 200) throw new Error(`close ${period}: ${c.text}`);
      }
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('previews exactly what a bulk issue will do, and writes nothing', async () => {
      const drafts = await statements('FY18-Q1');
      expect(drafts.length).toBeGreaterThanOrEqual(2);
      const before = JSON.stringify(drafts);
      const r = await admin('POST', '/api/statements/bulk/preview', {
        action: 'issue',
        program: PROGRAM,
        period: 'fy18-q1',
      });
      expect(r.status, r.text).toBe(200);
      const p = r.body as unknown as Preview;
      expect(p).toMatchObject({
        action: 'issue',
        selected: drafts.length,
        count: drafts.length,
        outcomes: { issued: drafts.length },
        skippedCount: 0,
      });
      expect(p.totals).toEqual([
        {
          currency: 'USD',
          count: drafts.length,
          totalMinor: drafts.reduce((s, d) => s + Number(d.totalMinor), 0),
          payoutMinor: 0,
        },
      ]);
      expect(p.moves.map((m) => m.id).sort()).toEqual(drafts.map((d) => d.id).sort());
      expect(JSON.stringify(await statements('FY18-Q1'))).toBe(before);
    });

    it('issues by program and period as a job, confirmed on the preview, audited per statement and once in all', async () => {
      const preview = (
        await admin('POST', '/api/statements/bulk/preview', {
          action: 'issue',
          program: PROGRAM,
          period: 'FY18-Q1',
        })
      ).body as unknown as Preview;
      const issuedBefore = await audits('statement.issue');
      const run = await viaJob(admin, 'POST', '/api/statements/bulk', {
        action: 'issue',
        program: PROGRAM,
        period: 'FY18-Q1',
        confirm: preview.fingerprint,
      });
      expect(run.status, run.text).toBe(200);
      expect(run.job).toMatchObject({ kind: 'statements-bulk', status: 'succeeded' });
      expect(run.body).toMatchObject({ count: preview.count, outcomes: { issued: preview.count }, lost: 0 });
      expect((await statements('FY18-Q1')).every((s) => s.status === 'issued')).toBe(true);
      expect((await audits('statement.issue')) - issuedBefore).toBe(preview.count);
      expect(await audits('statement.bulk-issue')).toBe(1);
      // The same selection again: nothing moves, each statement skipped as already done.
      const again = await admin('POST', '/api/statements/bulk/preview', {
        action: 'issue',
        program: PROGRAM,
        period: 'FY18-Q1',
      });
      expect(again.body).toMatchObject({
        count: 0,
        skippedCount: preview.count,
        skippedByReason: { 'already-done': preview.count },
      });
    });

    it('refuses a run whose selection changed since its preview (409), before any job', async () => {
      const preview = (
        await admin('POST', '/api/statements/bulk/preview', {
          action: 'approve',
          program: PROGRAM,
          period: 'FY18-Q1',
        })
      ).body as unknown as Preview;
      const one = (await statements('FY18-Q1'))[0]!;
      const moved = await admin('POST', `/api/statements/${one.id}/approve`, {});
      expect(moved.status, moved.text).toBe(200);
      const jobsBefore = (await t.store.db.selectFrom('jobs').select('id').execute()).length;
      const r = await admin('POST', '/api/statements/bulk', {
        action: 'approve',
        program: PROGRAM,
        period: 'FY18-Q1',
        confirm: preview.fingerprint,
      });
      expect(r.status, r.text).toBe(409);
      expect(r.text).toContain('changed since the preview');
      expect((await t.store.db.selectFrom('jobs').select('id').execute()).length).toBe(jobsBefore);
    });

    it('approves by ids and pays, each payout posted once; unknown and unready ids are reported, not failed', async () => {
      const q1 = await statements('FY18-Q1');
      const ids = q1.map((s) => s.id);
      const approve = await viaJob(admin, 'POST', '/api/statements/bulk', {
        action: 'approve',
        ids: [...ids, 'stm_nosuch'],
      });
      expect(approve.status, approve.text).toBe(200);
      const a = approve.body as unknown as Preview;
      expect(a.count).toBe(ids.length - 1);
      expect(a.skippedByReason).toEqual({ 'already-done': 1, 'not-found': 1 });
      const pay = await viaJob(admin, 'POST', '/api/statements/bulk', {
        action: 'pay',
        program: PROGRAM,
        period: 'FY18-Q1',
        reference: 'WIRE-BULK-1',
      });
      expect(pay.status, pay.text).toBe(200);
      const p = pay.body as unknown as Preview;
      const after = await statements('FY18-Q1');
      expect(after.every((s) => s.status === 'paid')).toBe(true);
      expect(p.outcomes).toEqual({ paid: ids.length });
      expect(p.totals[0]?.payoutMinor).toBe(after.reduce((s, x) => s + Number(x.totalMinor), 0));
      expect(await payouts(ids)).toHaveLength(ids.length);
    });

    it('two bulk pays at once pay each statement once (conditional updates), reporting what the other moved', async () => {
      for (const action of ['issue', 'approve'] as const) {
        const r = await viaJob(admin, 'POST', '/api/statements/bulk', {
          action,
          program: PROGRAM,
          period: 'FY18-Q2',
        });
        expect(r.status, r.text).toBe(200);
      }
      const q2 = await statements('FY18-Q2');
      expect(q2.length).toBeGreaterThanOrEqual(2);
      const payAuditsBefore = await audits('statement.pay');
      const body = { action: 'pay', program: PROGRAM, period: 'FY18-Q2', reference: 'WIRE-RACE' };
      const started = await Promise.all([1, 2, 3, 4].map(() => admin('POST', '/api/statements/bulk', body)));
      for (const s of started) expect(s.status, s.text).toBe(202);
      const done = await Promise.all(started.map((s) => awaitJob(admin, String(s.headers.location))));
      const results = done.map((d) => {
        expect(d.body.status, d.text).toBe('succeeded');
        return d.body.result as Preview;
      });
      // Every statement was paid by exactly one run; the others saw it moved meanwhile or already done.
      expect(results.reduce((s, r) => s + r.count, 0)).toBe(q2.length);
      for (const r of results)
        expect(
          r.count + (r.skippedByReason['moved-meanwhile'] ?? 0) + (r.skippedByReason['already-done'] ?? 0),
        ).toBe(q2.length);
      expect((await statements('FY18-Q2')).every((s) => s.status === 'paid')).toBe(true);
      const keys = (await payouts(q2.map((s) => s.id))).map((p) => p.idempotencyKey).sort();
      expect(keys).toEqual(q2.map((s) => `payout:${s.id}`).sort());
      expect((await audits('statement.pay')) - payAuditsBefore).toBe(q2.length);
    });

    it('is scoped: partners may not, another vendor finds nothing, a regional channel manager may not write', async () => {
      const bravo = client(app, await signIn(app, 'admin@bravo.test'));
      const body = { action: 'issue', program: PROGRAM, period: 'FY18-Q1' };
      expect((await bravo('POST', '/api/statements/bulk/preview', body)).status).toBe(403);
      expect((await bravo('POST', '/api/statements/bulk', body)).status).toBe(403);
      const vmware = client(app, await signIn(app, 'admin@vmware.test'));
      expect((await vmware('POST', '/api/statements/bulk/preview', body)).status).toBe(404);
      const ids = (await statements('FY18-Q1')).map((s) => s.id);
      const foreign = await vmware('POST', '/api/statements/bulk/preview', { action: 'pay', ids });
      expect(foreign.status, foreign.text).toBe(200);
      expect(foreign.body).toMatchObject({ count: 0, skippedByReason: { 'not-found': ids.length } });
      expect(JSON.stringify(foreign.body.moves)).toBe('[]');
      const cm = client(app, await signIn(app, 'cm.na@dell.test'));
      expect((await cm('POST', '/api/statements/bulk/preview', body)).status).toBe(403);
    });

    it('answers 400 naming what is wrong in a selection', async () => {
      const cases: [unknown, RegExp][] = [
        [{ action: 'issue' }, /ids or by program/],
        [{ action: 'issue', program: PROGRAM, ids: ['stm_x'] }, /ids or by program/],
        [{ action: 'issue', ids: ['stm_x'], period: 'FY18-Q1' }, /narrow a program selection/],
        [{ action: 'issue', program: PROGRAM, period: 'FY18-Q9' }, /has no period \\"FY18-Q9\\"/],
        [{ action: 'close', program: PROGRAM }, /action/],
        [{ action: 'pay', ids: [] }, /ids/],
      ];
      for (const [payload, message] of cases) {
        const r = await admin('POST', '/api/statements/bulk/preview', payload);
        expect(r.status, r.text).toBe(400);
        expect(r.text).toMatch(message);
      }
    });
  });
}
