import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { scanExpiring } from '../../src/app/notifications/scan.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Reply, type Session } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { creditMdf, publishMdfYear, uploadProof } from '../support/mdf.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

type Call = ReturnType<typeof client>;

/**
 * Market development funds end to end through the API (docs/marketing-funds.md), on a program year
 * FY99 = 2025-02-01..2026-01-31 (quarters from February), on a clock the test moves: earned funds credited
 * in the ledger, pre-approval against what is available, claims with proof and deadlines, payment in the
 * ledger, expiry posted once, races on one fund and one claim, and each partner kept to its own.
 */
for (const kind of STORE_KINDS) {
  describe(`market development funds on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let now = new Date('2025-06-10T09:00:00.000Z');
    let program: { vendorId: string; programId: string };
    const as: Record<string, Call> = {};
    const sessions: Record<string, Session> = {};

    /** Moves the clock and signs everyone in again (sessions live on the clock). */
    async function at(day: string) {
      now = new Date(`${day}T09:00:00.000Z`);
      for (const email of ['admin@vmware.test', 'admin@alpha.test', 'admin@victor.test', 'admin@dell.test']) {
        sessions[email] = await signIn(app, email);
        as[email] = client(app, sessions[email]);
      }
    }
    const alpha = (...a: Parameters<Call>) => as['admin@alpha.test']!(...a);
    const victor = (...a: Parameters<Call>) => as['admin@victor.test']!(...a);
    const vmw = (...a: Parameters<Call>) => as['admin@vmware.test']!(...a);
    const dell = (...a: Parameters<Call>) => as['admin@dell.test']!(...a);

    async function propose(who: Call, extra: Record<string, unknown> = {}): Promise<Reply> {
      return who('POST', '/api/mdf/activities', {
        programId: 'vmware-partner-connect',
        type: 'event',
        title: 'Customer roundtable',
        description: 'A half-day roundtable for 30 customers',
        expectedOutcome: '10 qualified opportunities',
        expectedRevenueMinor: 5_000_000,
        expectedRegistrations: 5,
        startsOn: '2025-06-20',
        endsOn: '2025-06-21',
        amountMinor: 80_000,
        ...extra,
      });
    }
    const decide = (who: Call, id: string, body: Record<string, unknown>) =>
      who('POST', `/api/mdf/activities/${id}/decisions`, body);
    /** Alpha's uploaded proof files (invoice, attendee list, a second invoice). */
    const PROOF: { fileId: string; kind: string }[] = [];
    let invoice2 = '';
    const funds = async (who: Call, query = '') => {
      const r = await who('GET', `/api/mdf/funds?programId=vmware-partner-connect${query}`);
      expect(r.status, r.text).toBe(200);
      return r.body as {
        earned: {
          earnedMinor: number;
          availableMinor: number;
          reservedMinor: number;
          spentMinor: number;
          expiredMinor: number;
          expiring: { on: string; amountMinor: number }[];
          expiringSoon: { on: string; amountMinor: number }[];
        };
        proposalFunds: {
          code: string;
          period: string;
          amountMinor: number;
          reservedMinor: number;
          leftMinor: number;
        }[];
      };
    };
    const mdfLegs = (activityId: string) =>
      t.store.db
        .selectFrom('ledgerEntries as e')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
        )
        .select(['t.kind', 't.idempotencyKey', 'e.account', 'e.amountMinor'])
        .where('t.idempotencyKey', '=', `mdf-claim:${activityId}`)
        .orderBy('e.account')
        .execute();

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock: { now: () => now } });
      await loadFixture(ctx);
      program = await publishMdfYear(ctx, '2025-02-01');
      app = await buildServer(ctx);
      await at('2025-06-10');
      for (const kind of ['invoice', 'attendee-list'])
        PROOF.push({ fileId: await uploadProof(app, sessions['admin@alpha.test']!, program.vendorId), kind });
      invoice2 = await uploadProof(app, sessions['admin@alpha.test']!, program.vendorId, 'invoice-2.pdf');
      // Alpha earned USD 1,000.00 of MDF in FY99-Q1 (usable from 2025-04-30, expiring 2025-11-01).
      await creditMdf(ctx, { ...program, partnerId: 'ptn_alpha', period: 'FY99-Q1', amountMinor: 100_000 });
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('refuses a bad proposal with its reason, naming the field, and writes nothing', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [{ type: 'yacht' }, 'body.type', 'mdf.unknownType'],
        [{ fund: 'nope' }, 'body.fund', 'mdf.unknownFund'],
        [{ endsOn: '2025-06-01' }, 'body.endsOn', 'mdf.endsBeforeStart'],
        [{ startsOn: '2030-01-01', endsOn: '2030-01-02' }, 'body.startsOn', 'mdf.noVersion'],
      ];
      for (const [extra, location, key] of cases) {
        const r = await propose(alpha, extra);
        expect(r.status, r.text).toBe(400);
        expect((r.body.errors as { location: string }[])[0]?.location).toBe(location);
        expect(r.body.messageKey).toBe(key);
      }
      expect((await propose(alpha, { amountMinor: 0 })).status).toBe(400);
      // Vendors decide; they do not propose.
      expect((await propose(vmw)).status).toBe(403);
      const rows = await t.store.db.selectFrom('mdfActivities').select('id').execute();
      expect(rows).toEqual([]);
    });

    it('shows a partner its earned fund: earned, available, what expires when', async () => {
      const f = await funds(alpha);
      expect(f.earned).toMatchObject({
        earnedMinor: 100_000,
        availableMinor: 100_000,
        reservedMinor: 0,
        spentMinor: 0,
        expiredMinor: 0,
        expiring: [{ on: '2025-11-01', amountMinor: 100_000 }],
        expiringSoon: [],
      });
      expect(f.proposalFunds).toEqual([
        expect.objectContaining({
          code: 'events-fund',
          period: 'FY99-Q2',
          amountMinor: 100_000,
          leftMinor: 100_000,
        }),
      ]);
    });

    let first = '';
    it('pre-approves in part, at most what the fund has available, and reserves it', async () => {
      const p = await propose(alpha);
      expect(p.status, p.text).toBe(201);
      first = p.body.id as string;
      expect(p.body).toMatchObject({
        status: 'proposed',
        fund: 'earned',
        quarter: 'FY99-Q2',
        claimDeadline: '2025-08-20',
      });
      // More than requested; more than available.
      const over = await decide(vmw, first, { action: 'preapprove', amountMinor: 90_000 });
      expect(over.status).toBe(400);
      expect(over.body.messageKey).toBe('mdf.overRequested');
      // A partner does not decide.
      expect((await decide(alpha, first, { action: 'preapprove' })).status).toBe(403);
      const ok = await decide(vmw, first, {
        action: 'preapprove',
        amountMinor: 60_000,
        reason: 'venue only',
      });
      expect(ok.status, ok.text).toBe(200);
      expect(ok.body).toMatchObject({ status: 'preapproved', preapprovedMinor: 60_000 });
      expect((await funds(alpha)).earned).toMatchObject({ availableMinor: 40_000, reservedMinor: 60_000 });
      // Another proposal cannot take more than what is left.
      const second = await propose(alpha, { amountMinor: 50_000 });
      const refused = await decide(vmw, second.body.id as string, { action: 'preapprove' });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        messageKey: 'mdf.overAvailable',
        params: { availableMinor: 40_000 },
      });
      const refuse = await decide(vmw, second.body.id as string, {
        action: 'refuse',
        reason: 'no budget left',
      });
      expect(refuse.body).toMatchObject({ status: 'refused', decisionReason: 'no budget left' });
      // Refusing needs a reason.
      const third = await propose(alpha);
      const noReason = await decide(vmw, third.body.id as string, { action: 'refuse' });
      expect(noReason.status).toBe(400);
      expect(noReason.body.messageKey).toBe('mdf.reasonRequired');
      expect(
        (await alpha('POST', `/api/mdf/activities/${third.body.id as string}/withdraw`, {})).body.status,
      ).toBe('withdrawn');
    });

    it('refuses a claim before the end, without the required proof, or above the pre-approval', async () => {
      const early = await alpha('POST', `/api/mdf/activities/${first}/claims`, {
        amountMinor: 50_000,
        files: PROOF,
      });
      expect(early.status).toBe(400);
      expect(early.body.messageKey).toBe('mdf.beforeEnd');
      await at('2025-07-01');
      const noProof = await alpha('POST', `/api/mdf/activities/${first}/claims`, {
        amountMinor: 50_000,
        files: [PROOF[0]!],
      });
      expect(noProof.status).toBe(400);
      expect(noProof.body).toMatchObject({
        messageKey: 'mdf.missingProof',
        params: { missing: 'attendee-list' },
      });
      const over = await alpha('POST', `/api/mdf/activities/${first}/claims`, {
        amountMinor: 60_001,
        files: PROOF,
      });
      expect(over.status).toBe(400);
      expect(over.body.messageKey).toBe('mdf.overPreapproved');
      // A file that is not the partner's own upload (missing, or another partner's) is refused by id.
      const victorFile = await uploadProof(app, sessions['admin@victor.test']!, program.vendorId);
      for (const fileId of [victorFile, 'fil_nosuchfile0']) {
        const notOwn = await alpha('POST', `/api/mdf/activities/${first}/claims`, {
          amountMinor: 50_000,
          files: [PROOF[0]!, { fileId, kind: 'attendee-list' }],
        });
        expect(notOwn.status, notOwn.text).toBe(400);
        expect(notOwn.body.messageKey).toBe('fileNotOwned');
      }
      const rows = await t.store.db.selectFrom('mdfClaimFiles').select('fileId').execute();
      expect(rows).toEqual([]);
      expect((await alpha('GET', `/api/mdf/activities/${first}`)).body.status).toBe('preapproved');
    });

    it('takes a claim with proof; a rejected claim may be claimed again; a paid claim is in the ledger once', async () => {
      const c1 = await alpha('POST', `/api/mdf/activities/${first}/claims`, {
        amountMinor: 55_000,
        files: PROOF,
      });
      expect(c1.status, c1.text).toBe(200);
      expect(c1.body).toMatchObject({ status: 'claimed', claimedMinor: 55_000, claimSeq: 1 });
      const rejected = await decide(vmw, first, { action: 'reject', reason: 'the invoice is not itemised' });
      expect(rejected.body).toMatchObject({
        status: 'claim-rejected',
        decisionReason: 'the invoice is not itemised',
      });
      const c2 = await alpha('POST', `/api/mdf/activities/${first}/claims`, {
        amountMinor: 50_000,
        files: [...PROOF, { fileId: invoice2, kind: 'invoice' }],
      });
      expect(c2.body).toMatchObject({ status: 'claimed', claimedMinor: 50_000, claimSeq: 2 });
      // Pays at most the claim.
      const tooMuch = await decide(vmw, first, { action: 'approve', amountMinor: 50_001 });
      expect(tooMuch.body.messageKey).toBe('mdf.overClaimed');
      const paid = await decide(vmw, first, { action: 'approve' });
      expect(paid.status, paid.text).toBe(200);
      expect(paid.body).toMatchObject({ status: 'paid', paidMinor: 50_000 });
      expect(paid.body.ledgerTransactionId).toMatch(/^ltx_/);
      expect((await decide(vmw, first, { action: 'approve' })).status).toBe(409);
      // Debit the partner's fund, credit cash: 50,000 leaves the fund; the rest of the reservation returns.
      expect((await mdfLegs(first)).map((l) => [l.kind, l.account, Number(l.amountMinor)])).toEqual([
        ['mdf-claim', 'partner:mdf-fund', 50_000],
        ['mdf-claim', 'vendor:cash', -50_000],
      ]);
      expect((await funds(alpha)).earned).toMatchObject({
        earnedMinor: 100_000,
        availableMinor: 50_000,
        reservedMinor: 0,
        spentMinor: 50_000,
      });
      const detail = await alpha('GET', `/api/mdf/activities/${first}`);
      expect(detail.status).toBe(200);
      expect((detail.body.history as { action: string }[]).map((h) => h.action)).toEqual([
        'propose',
        'preapprove',
        'claim',
        'reject',
        'claim',
        'approve',
      ]);
      expect(detail.body.files).toHaveLength(5);
      expect(detail.body.requiredProof).toEqual(['invoice', 'attendee-list']);
      const audits = await t.store.db
        .selectFrom('auditEvents')
        .select('action')
        .where('targetId', '=', first)
        .orderBy('at')
        .execute();
      // The partner's people are told of each decision (notifications), with the amount and the reason.
      const told = await alpha('GET', '/api/notifications');
      expect(told.status, told.text).toBe(200);
      const mine = (told.body.items as { kind: string; params: Record<string, unknown> }[]).filter(
        (n) => n.kind === 'mdf.decided' && n.params.activityId === first,
      );
      expect(mine.map((n) => n.params.decision).sort()).toEqual([
        'claim-approved',
        'claim-rejected',
        'preapproved',
      ]);
      expect((await victor('GET', '/api/notifications')).text).not.toContain(first);
      expect(audits.map((a) => a.action)).toEqual([
        'mdf.propose',
        'mdf.preapprove',
        'mdf.claim',
        'mdf.reject',
        'mdf.claim',
        'mdf.approve',
      ]);
    });

    it('links registrations and orders to an activity and reports the return by zone and quarter', async () => {
      // An order from before the activity began is not its return.
      const older = await alpha('POST', `/api/mdf/activities/${first}/links`, {
        kind: 'order',
        targetId: 'ord_v1',
      });
      expect(older.status).toBe(400);
      expect(older.body.messageKey).toBe('mdf.linkBeforeStart');
      const order = await vmw('POST', '/api/orders', {
        source: 'erp',
        externalId: 'MDF-ROI-1',
        orderDate: '2025-06-25',
        currency: 'USD',
        customerId: 'cus_vacme',
        channel: 'partner',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_vsp', quantity: 2, unitPriceMinor: 450_000 }],
      });
      expect(order.status, order.text).toBe(201);
      const orderId = order.body.id as string;
      const linked = await alpha('POST', `/api/mdf/activities/${first}/links`, {
        kind: 'order',
        targetId: orderId,
      });
      expect(linked.status, linked.text).toBe(200);
      expect(linked.body.roi).toMatchObject({ orders: 1, spentMinor: 50_000 });
      expect(
        (await alpha('POST', `/api/mdf/activities/${first}/links`, { kind: 'order', targetId: orderId }))
          .status,
      ).toBe(409);
      // Another vendor's order, or one the partner did not sell, is not its to link.
      const foreign = await alpha('POST', `/api/mdf/activities/${first}/links`, {
        kind: 'order',
        targetId: 'ord_a1',
      });
      expect(foreign.status).toBe(400);
      const usage = await vmw('GET', `/api/vendors/${program.vendorId}/mdf/usage`);
      expect(usage.status, usage.text).toBe(200);
      const q2 = (usage.body.items as Record<string, unknown>[]).find((i) => i.quarter === 'FY99-Q2');
      expect(q2).toMatchObject({ zone: 'global', paidMinor: 50_000, approvedMinor: 60_000, orders: 1 });
      expect((await dell('GET', `/api/vendors/${program.vendorId}/mdf/usage`)).status).toBe(404);
      expect((await alpha('GET', `/api/vendors/${program.vendorId}/mdf/usage`)).status).toBe(404);
      const removed = await alpha(
        'DELETE',
        `/api/mdf/activities/${first}/links?kind=order&targetId=${orderId}`,
      );
      expect(removed.status, removed.text).toBe(200);
      expect(removed.body.links).toEqual([]);
    });

    it('never shows a partner another partner’s activities or balances', async () => {
      expect((await victor('GET', `/api/mdf/activities/${first}`)).status).toBe(404);
      expect(
        (await victor('POST', `/api/mdf/activities/${first}/claims`, { amountMinor: 1, files: [] })).status,
      ).toBe(404);
      const list = await victor('GET', '/api/mdf/activities');
      expect(list.body.items).toEqual([]);
      expect(
        (await victor('GET', '/api/mdf/funds?programId=vmware-partner-connect&partnerId=ptn_alpha')).status,
      ).toBe(404);
      const own = await funds(victor);
      expect(own.earned).toMatchObject({ earnedMinor: 0, availableMinor: 0 });
      // Dell's people see none of VMware's activities.
      expect((await dell('GET', '/api/mdf/activities')).body.items).toEqual([]);
      expect((await dell('GET', `/api/mdf/activities/${first}`)).status).toBe(404);
      // The vendor sees them, and any partner's balance.
      expect(((await vmw('GET', '/api/mdf/activities?status=paid')).body.items as unknown[]).length).toBe(1);
      expect((await funds(vmw, '&partnerId=ptn_alpha')).earned.spentMinor).toBe(50_000);
    });

    it('two concurrent pre-approvals never overdraw a fund (earned or proposal)', async () => {
      await at('2025-07-01');
      // Earned: 50,000 available; two proposals of 40,000.
      const a = await propose(alpha, { amountMinor: 40_000, startsOn: '2025-07-10', endsOn: '2025-07-11' });
      const b = await propose(alpha, { amountMinor: 40_000, startsOn: '2025-07-10', endsOn: '2025-07-11' });
      const both = await Promise.all(
        [a, b].map((p) => decide(vmw, p.body.id as string, { action: 'preapprove' })),
      );
      expect(both.map((r) => r.status).sort(), both.map((r) => r.text).join('\n')).toEqual([200, 400]);
      expect((await funds(alpha)).earned).toMatchObject({ availableMinor: 10_000, reservedMinor: 40_000 });
      // The proposal fund: USD 1,000.00 a quarter; three proposals of 40,000 at once: two fit.
      const ps = await Promise.all(
        [1, 2, 3].map(() =>
          propose(alpha, {
            amountMinor: 40_000,
            fund: 'events-fund',
            startsOn: '2025-07-15',
            endsOn: '2025-07-15',
          }),
        ),
      );
      for (const p of ps)
        expect(p.body, p.text).toMatchObject({ fund: 'events-fund', fundPeriod: 'FY99-Q2' });
      const three = await Promise.all(
        ps.map((p) => decide(vmw, p.body.id as string, { action: 'preapprove' })),
      );
      expect(three.map((r) => r.status).sort(), three.map((r) => r.text).join('\n')).toEqual([200, 200, 400]);
      const fund = (await funds(alpha)).proposalFunds.find(
        (f) => f.code === 'events-fund' && f.period === 'FY99-Q2',
      );
      expect(fund).toMatchObject({ amountMinor: 100_000, reservedMinor: 80_000, leftMinor: 20_000 });
    });

    let proposalPaid = '';
    it('concurrent approvals of one claim pay once', async () => {
      const list = await vmw('GET', '/api/mdf/activities?fund=events-fund&status=preapproved');
      proposalPaid = (list.body.items as { id: string }[])[0]!.id;
      await at('2025-07-20');
      const claimed = await alpha('POST', `/api/mdf/activities/${proposalPaid}/claims`, {
        amountMinor: 30_000,
        files: PROOF,
      });
      expect(claimed.status, claimed.text).toBe(200);
      const replies = await Promise.all(
        Array.from({ length: 8 }, () => decide(vmw, proposalPaid, { action: 'approve' })),
      );
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409, 409, 409]);
      // A proposal fund pays from the vendor's MDF expense.
      expect((await mdfLegs(proposalPaid)).map((l) => [l.account, Number(l.amountMinor)])).toEqual([
        ['vendor:cash', -30_000],
        ['vendor:mdf-expense', 30_000],
      ]);
      const fund = (await funds(alpha, '&period=FY99-Q2')).proposalFunds[0];
      expect(fund).toMatchObject({ reservedMinor: 40_000, leftMinor: 30_000 });
    });

    it('refuses a claim after its deadline; the expiry run lapses it and posts the earned funds expired, once', async () => {
      const late = (await vmw('GET', '/api/mdf/activities?fund=earned&status=preapproved')).body.items as {
        id: string;
        claimDeadline: string;
      }[];
      expect(late).toHaveLength(1);
      expect(late[0]!.claimDeadline).toBe('2025-09-09');
      // Eight days before the deadline the partner is reminded, once however often the check runs.
      await at('2025-09-01');
      await scanExpiring(ctx);
      await scanExpiring(ctx);
      const reminders = (
        (await alpha('GET', '/api/notifications')).body.items as {
          kind: string;
          params: Record<string, unknown>;
        }[]
      ).filter((n) => n.kind === 'mdf.claim-due' && n.params.activityId === late[0]!.id);
      expect(reminders.map((n) => n.params)).toEqual([
        expect.objectContaining({ daysLeft: 8, threshold: 14, claimDeadline: '2025-09-09' }),
      ]);
      await at('2025-09-10');
      const refused = await alpha('POST', `/api/mdf/activities/${late[0]!.id}/claims`, {
        amountMinor: 1_000,
        files: PROOF,
      });
      expect(refused.status).toBe(400);
      expect(refused.body).toMatchObject({
        messageKey: 'mdf.afterDeadline',
        params: { deadline: '2025-09-09' },
      });
      // After the credit's expiry (2025-11-01): the activity lapses (its 40,000 returns, and expires), and
      // the 50,000 left unused expires with it.
      await at('2025-11-05');
      expect((await alpha('POST', `/api/programs/vmware-partner-connect/mdf/expiry`, {})).status).toBe(403);
      const run = await viaJob(vmw, 'POST', `/api/programs/vmware-partner-connect/mdf/expiry`, {});
      expect(run.status, run.text).toBe(200);
      // Lapsed too: the proposal-fund activity pre-approved and never claimed (its deadline 2025-09-13).
      expect(run.body).toMatchObject({ expiredMinor: 50_000 });
      expect(run.body.lapsed).toHaveLength(2);
      expect(run.body.lapsed).toContain(late[0]!.id);
      const again = await viaJob(vmw, 'POST', `/api/programs/vmware-partner-connect/mdf/expiry`, {});
      expect(again.body).toMatchObject({ lapsed: [], expiries: [], expiredMinor: 0 });
      const f = await funds(alpha);
      expect(f.earned).toMatchObject({
        earnedMinor: 100_000,
        availableMinor: 0,
        reservedMinor: 0,
        spentMinor: 50_000,
        expiredMinor: 50_000,
      });
      // The ledger: the fund is empty (credited 100,000; spent 50,000; expired 50,000).
      const fund = await t.store.db
        .selectFrom('ledgerLegs')
        .select(sql<number | string>`sum(amount_minor)`.as('n'))
        .where('account', '=', 'partner:mdf-fund')
        .where('partnerId', '=', 'ptn_alpha')
        .executeTakeFirstOrThrow();
      expect(Number(fund.n)).toBe(0);
      const expiries = await t.store.db
        .selectFrom('ledgerTransactions')
        .innerJoin('ledgerEntries as e', (j) =>
          j
            .onRef('e.vendorId', '=', 'ledgerTransactions.vendorId')
            .onRef('e.transactionId', '=', 'ledgerTransactions.id'),
        )
        .select(['effectiveDate', 'ledgerTransactions.period', 'e.amountMinor'])
        .where('kind', '=', 'mdf-expiry')
        .where('e.account', '=', 'partner:mdf-fund')
        .orderBy('effectiveDate')
        .execute();
      // The 10,000 never reserved expired on the credit's day; the 40,000 the lapsed activity held, when it
      // lapsed (released after its credit had expired).
      expect(expiries.map((e) => [e.effectiveDate, e.period, Number(e.amountMinor)])).toEqual([
        ['2025-11-01', 'FY99-Q1', 10_000],
        ['2025-11-05', 'FY99-Q1', 40_000],
      ]);
    });
  });
}
