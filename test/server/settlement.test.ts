import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closeDuePeriods } from '../../src/app/incentives/close-due.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { csvBatches } from '../../src/app/csv/read-csv.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { isFormulaLike } from '../../src/core/shared/csv.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { addMembership } from '../support/memberships.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const PAYABLE = 'partner:rebate-payable';

for (const kind of STORE_KINDS) {
  describe(`period close, statements, disputes and clawbacks on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;
    let bravo: ReturnType<typeof client>;
    let alpha: ReturnType<typeof client>;
    const lineOf: Record<string, string> = {};

    const membership = (
      id: string,
      partnerId: string,
      tierCode: string,
      validFrom: string,
      validTo: string | null,
    ) => addMembership(t.store.db, dell, id, partnerId, tierCode, validFrom, validTo);

    const post = async (externalId: string, body: Record<string, unknown>) => {
      const res = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId,
        currency: 'USD',
        channel: 'partner',
        ...body,
      });
      if (res.status !== 201) throw new Error(`order ${externalId}: ${res.status} ${res.text}`);
      for (const l of res.body.lines as { id: string; lineNo: number }[])
        lineOf[`${externalId}/${l.lineNo}`] = l.id;
      return res;
    };
    const close = (period: string, dryRun = false) =>
      viaJob(admin, 'POST', '/api/closes', { program: 'dell-emc-partner-program', period, dryRun });
    // The payable legs of a line, with their sentences, as the order's ledger shows them.
    const payable = async (lineId: string) => {
      const { orderId } = await t.store.db
        .selectFrom('orderLines')
        .select('orderId')
        .where('id', '=', lineId)
        .executeTakeFirstOrThrow();
      const res = await admin('GET', `/api/orders/${orderId}/ledger`);
      if (res.status !== 200) throw new Error(`ledger of ${orderId}: ${res.status} ${res.text}`);
      return (
        res.body.items as {
          lineId: string;
          account: string;
          component: string;
          amountMinor: number;
          explanation: string;
          tier: string;
          rate: number;
        }[]
      ).filter((e) => e.lineId === lineId && e.account === PAYABLE);
    };
    const credited = async (lineId: string, component: string) =>
      -(await payable(lineId))
        .filter((e) => e.component === component)
        .reduce((s, e) => s + Number(e.amountMinor), 0);

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell } = await loadFixture(ctx));
      await membership('mbr_bravo_ti', 'ptn_bravo', 'titanium', '2017-02-01', null);
      // Alpha: Gold, upgraded to Platinum in the middle of Q2.
      await membership('mbr_alpha_gold', 'ptn_alpha', 'gold', '2017-02-01', '2017-06-15');
      await membership('mbr_alpha_plat', 'ptn_alpha', 'platinum', '2017-06-15', null);
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      bravo = client(app, await signIn(app, 'admin@bravo.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
      // Q1: Bravo (Titanium) lands a new account with storage and servers.
      await post('Q1-BRAVO', {
        orderDate: '2017-03-01',
        customerId: 'cus_globex',
        resellerId: 'ptn_bravo',
        lines: [
          { productId: 'prd_stor', quantity: 2, unitPriceMinor: 1_000_000 },
          { productId: 'prd_srv', quantity: 1, unitPriceMinor: 500_000 },
        ],
      });
      // Q1: Alpha (Gold, exclusive x1.25) sells storage to an existing account.
      await post('Q1-ALPHA', {
        orderDate: '2017-04-10',
        customerId: 'cus_acme',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 2_000_000 }],
      });
      // Q2, before Alpha's upgrade: accrues at Gold.
      await post('Q2-ALPHA', {
        orderDate: '2017-05-10',
        customerId: 'cus_acme',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 10_000_000 }],
      });
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('refuses to close a period that has not ended, and an unknown period, saying why', async () => {
      const early = createContext(t.store, { clock: fixedClock(new Date('2017-04-15T00:00:00Z')) });
      await expect(
        closePeriod(
          early,
          { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE },
          {
            program: 'dell-emc-partner-program',
            period: 'FY18-Q1',
          },
        ),
      ).rejects.toThrow(/runs until 2017-04-30; it can be closed from 2017-05-01/);
      const res = await close('FY18-Q9');
      expect(res.status).toBe(400);
      expect(res.text).toMatch(/FY18-Q1, FY18-Q2, FY18-Q3, FY18-Q4/);
      const partnerTry = await viaJob(bravo, 'POST', '/api/closes', {
        program: 'dell-emc-partner-program',
        period: 'FY18-Q1',
      });
      expect(partnerTry.status).toBe(403);
    });

    it('a dry run reports what the close would post and writes nothing', async () => {
      const before = await t.store.db
        .selectFrom('ledgerLegs')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      const res = await close('FY18-Q1', true);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ dryRun: true, closeId: null, period: 'FY18-Q1' });
      const after = await t.store.db
        .selectFrom('ledgerLegs')
        .select(sql<number>`count(*)`.as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
    });

    it('closes Q1: posts the cross-sell bonus, reconciles with the batch computation, and a second close posts nothing', async () => {
      // A dry run reports what the close then posts (transactions, entries, statements, net), not zeros.
      const preview = await close('FY18-Q1', true);
      const first = await close('FY18-Q1');
      expect(first.status).toBe(200);
      expect(first.job).toMatchObject({ kind: 'close', status: 'succeeded' });
      const counts = (r: typeof first) => ({
        transactions: r.body.transactions,
        entries: r.body.entries,
        statements: r.body.statements,
        netMinor: r.body.netMinor,
        totalMinor: r.body.totalMinor,
      });
      expect(first.body.entries).toBeGreaterThan(0);
      expect(first.body.statements).toBeGreaterThan(0);
      expect(counts(preview)).toEqual(counts(first));
      expect(first.body).toMatchObject({
        reconciled: true,
        period: 'FY18-Q1',
        from: '2017-02-01',
        to: '2017-04-30',
      });
      const items = first.body.closeItems as { partnerId: string; component: string; amountMinor: number }[];
      // Bravo sold storage and servers to Globex (USD 25,000 in its own order, USD 24,000 of servers in a
      // distributor's sell-out): 2% of USD 49,000 = USD 980.
      expect(items).toContainEqual(
        expect.objectContaining({ partnerId: 'ptn_bravo', component: 'cross-sell', amountMinor: 98_000 }),
      );
      const secondPreview = await close('FY18-Q1', true);
      const draftLines = () =>
        t.store.db
          .selectFrom('statementLines as sl')
          .innerJoin('statements as s', (j) =>
            j.onRef('s.vendorId', '=', 'sl.vendorId').onRef('s.id', '=', 'sl.statementId'),
          )
          .select(['sl.id', 'sl.lineNo', 'sl.amountMinor'])
          .where('s.period', '=', 'FY18-Q1')
          .where('s.status', '=', 'draft')
          .orderBy('sl.id')
          .execute();
      const linesBefore = await draftLines();
      expect(linesBefore.length).toBeGreaterThan(0);
      const second = await close('FY18-Q1');
      // Nothing new: the drafts keep their lines (moved to the new close, not rebuilt).
      expect(await draftLines()).toEqual(linesBefore);
      expect(second.status).toBe(200);
      expect(counts(secondPreview)).toEqual(counts(second));
      expect(second.body).toMatchObject({ transactions: 0, entries: 0, netMinor: 0, reconciled: true });
      expect(second.body.totalMinor).toBe(first.body.totalMinor);
      // Every transaction balances.
      const unbalanced = await t.store.db
        .selectFrom('ledgerLegs')
        .select(['transactionId', sql<number>`sum(amount_minor)`.as('sum')])
        .groupBy('transactionId')
        .having(sql`sum(amount_minor)`, '!=', 0)
        .execute();
      expect(unbalanced).toEqual([]);
      const closes = await admin('GET', '/api/closes?program=dell-emc-partner-program');
      expect((closes.body.items as unknown[]).length).toBe(2);
    });

    it('keeps the accruals Bravo earned in real time: 4% + 8% on storage, 3% + 8% on servers', async () => {
      expect(await credited(lineOf['Q1-BRAVO/1'] as string, 'base-rebate')).toBe(80_000);
      expect(await credited(lineOf['Q1-BRAVO/1'] as string, 'new-business')).toBe(160_000);
      expect(await credited(lineOf['Q1-BRAVO/2'] as string, 'base-rebate')).toBe(15_000);
      expect(await credited(lineOf['Q1-BRAVO/2'] as string, 'new-business')).toBe(40_000);
    });

    it('posts the true-up of a mid-period upgrade to Platinum at close', async () => {
      const line = lineOf['Q2-ALPHA/1'] as string;
      // Real time: Gold storage 2% x1.25 exclusive = 2.5% of USD 100,000.
      expect(await credited(line, 'base-rebate')).toBe(250_000);
      const res = await close('FY18-Q2');
      expect(res.status).toBe(200);
      expect(res.body.reconciled).toBe(true);
      // Platinum storage 3% x1.25 = 3.75%: USD 3,750, so USD 1,250 more.
      expect(await credited(line, 'base-rebate')).toBe(375_000);
      const trueUp = (await payable(line)).find((e) => /True-up at the close of FY18-Q2/.test(e.explanation));
      expect(trueUp).toMatchObject({ amountMinor: -125_000, tier: 'platinum' });
      const components = res.body.components as { component: string; trueUpMinor: number }[];
      expect(components.find((c) => c.component === 'base-rebate')?.trueUpMinor).toBeGreaterThanOrEqual(
        125_000,
      );
    });

    let q1Statement = '';
    it('builds draft statements line by line that the partner sees only once issued', async () => {
      const drafts = await admin('GET', '/api/statements?partner=ptn_bravo&period=FY18-Q1');
      const items = drafts.body.items as { id: string; status: string; totalMinor: number; lines: number }[];
      expect(items).toHaveLength(1);
      const s = items[0]!;
      q1Statement = s.id;
      expect(s.status).toBe('draft');
      // 800 + 1,600 + 150 + 400 accrued in real time; the bulk-loaded sell-out line (USD 24,000 of
      // servers at Titanium 3%, not new business: Globex bought in March) posted at close; cross-sell 980.
      expect(s.totalMinor).toBe(80_000 + 160_000 + 15_000 + 40_000 + 72_000 + 98_000);
      expect((await bravo('GET', '/api/statements')).body.items).toEqual([]);
      expect((await bravo('GET', `/api/statements/${s.id}`)).status).toBe(404);
      expect((await admin('POST', `/api/statements/${s.id}/pay`, {})).status).toBe(409);
      expect((await admin('POST', `/api/statements/${s.id}/issue`, {})).body.status).toBe('issued');
      const seen = await bravo('GET', `/api/statements/${s.id}`);
      expect(seen.status).toBe(200);
      const lines = (await bravo('GET', `/api/statements/${s.id}/lines`)).body.items as {
        kind: string;
        component: string;
        amountMinor: number;
        explanation: string;
        explanationMessage: { key: string } | null;
      }[];
      expect(lines.map((l) => [l.kind, l.component, l.amountMinor])).toEqual(
        expect.arrayContaining([
          ['accrual', 'base-rebate', 80_000],
          ['accrual', 'new-business', 160_000],
          ['close', 'cross-sell', 98_000],
          ['true-up', 'base-rebate', 72_000],
        ]),
      );
      for (const l of lines) expect(l.explanation.length).toBeGreaterThan(10);
      // Each line's sentence also comes as a message the app says in the reader's language.
      const keyOf = (kind: string, component: string) =>
        lines.find((l) => l.kind === kind && l.component === component)?.explanationMessage?.key;
      expect(keyOf('accrual', 'base-rebate')).toBe('ledger.rule');
      expect(keyOf('close', 'cross-sell')).toBe('close.closeOf');
      expect(keyOf('true-up', 'base-rebate')).toBe('ledger.closePosted');
      expect((await alpha('GET', `/api/statements/${s.id}`)).status).toBe(404);
    });

    it('downloads a statement as CSV with exact amounts, and as JSON', async () => {
      const csv = await bravo('GET', `/api/statements/${q1Statement}/download?format=csv`);
      expect(csv.status).toBe(200);
      expect(csv.type).toMatch(/text\/csv/);
      const rows = csv.text.trim().split('\n');
      expect(rows[0]).toBe(
        'line_no,kind,period,order_id,order_line_id,order_date,family,component,rule_id,rule_version,tier,base,rate,multiplier,amount,currency,payout_amount,payout_currency,payout_rate,payout_rate_estimated,explanation',
      );
      // Paid in the program's currency: the payout columns are empty.
      expect(rows.some((r) => r.includes(',800.00,USD,,,,,'))).toBe(true);
      expect(rows.some((r) => r.includes(',base-rebate,') && r.includes(',800.00,USD,'))).toBe(true);
      // Written through the one CSV writer: read back by the one reader, no cell is a formula.
      let cells = 0;
      for await (const batch of csvBatches([csv.text]))
        for (const record of batch.records)
          for (const c of record) {
            expect(isFormulaLike(c), c).toBe(false);
            cells++;
          }
      expect(cells).toBe(rows.length * 21);
      const json = await bravo('GET', `/api/statements/${q1Statement}/download?format=json`);
      const doc = JSON.parse(json.text) as { statement: { id: string }; lines: unknown[] };
      expect(doc.statement.id).toBe(q1Statement);
      expect(doc.lines).toHaveLength(rows.length - 1);
    });

    it('approves and pays: the payout moves the balance and the earnings show it as paid', async () => {
      expect((await admin('POST', `/api/statements/${q1Statement}/approve`, {})).body.status).toBe(
        'approved',
      );
      const paid = await admin('POST', `/api/statements/${q1Statement}/pay`, { reference: 'WIRE-1' });
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ status: 'paid', paidMinor: 465_000, paymentReference: 'WIRE-1' });
      const earnings = await bravo('GET', '/api/partners/ptn_bravo/earnings');
      const q1 = (
        earnings.body.periods as { period: string; earnedMinor: number; paidMinor: number; closed: boolean }[]
      ).find((p) => p.period === 'FY18-Q1');
      expect(q1).toMatchObject({ earnedMinor: 465_000, paidMinor: 465_000, closed: true });
      // A closed period comes to what it earned, at period and at component level (one meaning).
      const q1Full = (
        earnings.body.periods as {
          period: string;
          projectedMinor: number;
          components: { accruedMinor: number; closeMinor: number; projectedMinor: number }[];
        }[]
      ).find((p) => p.period === 'FY18-Q1');
      expect(q1Full?.projectedMinor).toBe(465_000);
      for (const c of q1Full?.components ?? []) expect(c.projectedMinor).toBe(c.accruedMinor + c.closeMinor);
      expect(earnings.body.status).not.toBe('none');
      const audit = await t.store.db
        .selectFrom('auditEvents')
        .select('action')
        .where('targetId', '=', q1Statement)
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['statement.issue', 'statement.approve', 'statement.pay']);
    });

    let clawbackLine = '';
    it('claws back a return after payout on the next statement, never more than was paid', async () => {
      // Bravo returns one of the two storage units in Q2.
      await post('Q2-BRAVO-RETURN', {
        orderDate: '2017-07-01',
        customerId: 'cus_globex',
        resellerId: 'ptn_bravo',
        lines: [
          {
            productId: 'prd_stor',
            quantity: -1,
            unitPriceMinor: 1_000_000,
            returnsLineId: lineOf['Q1-BRAVO/1'],
          },
        ],
      });
      const res = await close('FY18-Q2');
      expect(res.body.reconciled).toBe(true);
      const list = await admin('GET', '/api/statements?partner=ptn_bravo&period=FY18-Q2');
      const s = (list.body.items as { id: string; clawbackMinor: number; adjustmentMinor: number }[])[0]!;
      // Half of what the storage line earned: 400 + 800.
      expect(s.clawbackMinor).toBe(-120_000);
      // The Q1 payout is not a line of the Q2 statement.
      expect(s.adjustmentMinor).toBe(0);
      await admin('POST', `/api/statements/${s.id}/issue`, {});
      const lines = (await bravo('GET', `/api/statements/${s.id}/lines?kind=clawback`)).body.items as {
        id: string;
        amountMinor: number;
        orderLineId: string;
      }[];
      expect(lines.reduce((sum, l) => sum + l.amountMinor, 0)).toBe(-120_000);
      clawbackLine = lines[0]!.id;
    });

    it('claws back at the rate the sale earned, not the higher rate the partner earns now', async () => {
      // Alpha sold storage in Q1 at Gold (2% x1.25); it returns it in Q2, where its final tier is Platinum
      // (3% x1.25): the return mirrors the sale and claws back the 2.5% it was credited, not 3.75%.
      const original = lineOf['Q1-ALPHA/1'] as string;
      expect(await credited(original, 'base-rebate')).toBe(50_000);
      await post('Q2-ALPHA-RETURN', {
        orderDate: '2017-07-20',
        customerId: 'cus_acme',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_stor', quantity: -1, unitPriceMinor: 2_000_000, returnsLineId: original }],
      });
      const res = await close('FY18-Q2');
      expect(res.body.reconciled).toBe(true);
      const ret = lineOf['Q2-ALPHA-RETURN/1'] as string;
      expect(await credited(ret, 'base-rebate')).toBe(-50_000);
      // Real time read today's tier (Platinum) but clawed back no more than the sale kept, so the close
      // had nothing to true up.
      expect((await payable(ret)).map((e) => e.tier)).toEqual(['platinum']);
    });

    it('a won dispute reverses a clawback on the next statement, and a re-close does not undo it', async () => {
      const s = (await admin('GET', '/api/statements?partner=ptn_bravo&period=FY18-Q2')).body.items as {
        id: string;
      }[];
      const statementId = s[0]!.id;
      const noReason = await bravo('POST', '/api/disputes', {
        statementId,
        lineId: clawbackLine,
        reason: '',
      });
      expect(noReason.status).toBe(400);
      const opened = await bravo('POST', '/api/disputes', {
        statementId,
        lineId: clawbackLine,
        reason: 'The unit was replaced under warranty, not returned for credit',
      });
      expect(opened.status).toBe(201);
      const disputed = opened.body as { id: string; requestedMinor: number; status: string };
      expect(disputed.status).toBe('open');
      expect(disputed.requestedMinor).toBeGreaterThan(0);
      expect(
        (await bravo('POST', '/api/disputes', { statementId, lineId: clawbackLine, reason: 'again' })).status,
      ).toBe(409);
      expect((await alpha('GET', `/api/disputes/${disputed.id}`)).status).toBe(404);
      expect((await bravo('POST', `/api/disputes/${disputed.id}/accept`, {})).status).toBe(403);
      const rejectNoReason = await admin('POST', `/api/disputes/${disputed.id}/reject`, {});
      expect(rejectNoReason.status).toBe(400);
      const accepted = await admin('POST', `/api/disputes/${disputed.id}/accept`, {
        reason: 'warranty swap confirmed',
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ status: 'accepted', resolvedMinor: disputed.requestedMinor });
      const again = await close('FY18-Q2');
      expect(again.body).toMatchObject({ reconciled: true });
      // The adjustment is not the engine's: the re-close leaves it, and it lands on a supplement of Q2.
      const sup = (await admin('GET', '/api/statements?partner=ptn_bravo&period=FY18-Q2')).body.items as {
        sequence: number;
        adjustmentMinor: number;
      }[];
      expect(sup.find((x) => x.sequence === 2)?.adjustmentMinor).toBe(disputed.requestedMinor);
    });

    it('counts what the budget pool has funded', async () => {
      const res = await admin('GET', '/api/programs/dell-emc-partner-program/budget-pools');
      expect(res.status).toBe(200);
      const pool = (
        res.body.pools as { code: string; accruedMinor: number; amountMinor: number; components: string[] }[]
      )[0]!;
      expect(pool).toMatchObject({ code: 'fy18-partner-investment', amountMinor: 15_000_000_000 });
      const funded = await t.store.db
        .selectFrom('ledgerLegs')
        .select(sql<number>`-sum(amount_minor)`.as('sum'))
        .where('account', '=', PAYABLE)
        .where('budgetPool', '=', 'fy18-partner-investment')
        .executeTakeFirstOrThrow();
      expect(pool.accruedMinor).toBe(Number(funded.sum));
      expect(pool.components).toEqual(['base-rebate', 'new-business', 'registered-deal']);
      expect((await bravo('GET', '/api/programs/dell-emc-partner-program/budget-pools')).status).toBe(403);
    });

    it('shows a channel manager limited to regions no vendor-wide close or budget-pool totals', async () => {
      const cm = client(app, await signIn(app, 'cm.na@dell.test'));
      const pools = await cm('GET', '/api/programs/dell-emc-partner-program/budget-pools');
      expect(pools.status).toBe(403);
      expect(pools.body.detail).toMatch(/vendor-wide/);
      const closes = await cm('GET', '/api/closes?program=dell-emc-partner-program');
      expect(closes.status).toBe(200);
      expect(closes.body.items).toEqual([]);
      const all = await admin('GET', '/api/closes?program=dell-emc-partner-program');
      const some = (all.body.items as { id: string }[])[0];
      expect(some).toBeDefined();
      expect((await cm('GET', `/api/closes/${some?.id}`)).status).toBe(404);
      // Its partners' statements stay visible to it.
      expect((await cm('GET', '/api/statements')).status).toBe(200);
    });
  });
}

describe('the payout calendar closes due periods', () => {
  it('closes each period on its close date, once, and leaves older history alone', async () => {
    const t = await openTestStore('sqlite');
    try {
      const base = createContext(t.store);
      await loadFixture(base);
      const on = (day: string) => createContext(t.store, { clock: fixedClock(new Date(`${day}T06:00:00Z`)) });
      // FY18-Q1 ends 2017-04-30 and closes 15 days later.
      expect(await closeDuePeriods(on('2017-05-14'), '2017-05-14')).toEqual([]);
      const due = await closeDuePeriods(on('2017-05-15'), '2017-05-15');
      expect(due.map((c) => [c.program, c.period, c.reconciled])).toEqual([
        ['dell-emc-partner-program', 'FY18-Q1', true],
      ]);
      expect(await closeDuePeriods(on('2017-05-16'), '2017-05-16')).toEqual([]);
      // A year later, the rest of FY18 is older than the catch-up window: closing it is a person's act.
      expect(await closeDuePeriods(on('2018-09-01'), '2018-09-01')).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });
});
