import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { runStatementBulk } from '../../src/app/incentives/bulk-statements.js';
import { transitionStatement } from '../../src/app/incentives/statements.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { convertMinor, formatFxRate, fxRate } from '../../src/core/money/fx.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { draftStatement, loadRate, publishFxProgram } from '../support/fx.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/**
 * Payouts in the partner's currency (issue 17, items 3 and 4): a statement keeps its lines in the
 * program's currency, is paid in the partner's at the program's rate, and the ledger balances in every
 * currency with the rounding posted as its own line.
 */
const SYSTEM = { actor: { kind: 'system' as const, id: 'test' }, scope: SYSTEM_SCOPE };
const LINES = [123_456, 78_901, 45_555, 1];
const LEG_ORDER = [
  'partner:rebate-payable true',
  'vendor:fx-conversion true',
  'vendor:fx-conversion false',
  'vendor:fx-rounding false',
  'vendor:cash false',
];

for (const kind of STORE_KINDS) {
  describe(`payouts in the partner's currency on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let now = new Date('2026-06-10T09:00:00.000Z');
    let dell: { vendorId: string; programId: string };
    let avg: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;
    let alpha: ReturnType<typeof client>;

    /** Moves the clock (and signs in again: a session expires while days pass). */
    const at = async (iso: string) => {
      now = new Date(iso);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
    };
    const legsOf = async (transactionId: string) =>
      (
        await t.store.db
          .selectFrom('ledgerEntries')
          .select(['account', 'currency', 'amountMinor', 'explanation'])
          .where('transactionId', '=', transactionId)
          .execute()
      )
        .map((e) => ({ ...e, amountMinor: Number(e.amountMinor) }))
        // In the order the payout posts them: the payable, the conversion out and in, the rounding, cash.
        .sort(
          (a, b) =>
            LEG_ORDER.indexOf(`${a.account} ${a.currency === 'USD'}`) -
            LEG_ORDER.indexOf(`${b.account} ${b.currency === 'USD'}`),
        );
    /** Every currency's sum over the whole ledger (entries and postings): all zero. */
    const balances = async () =>
      (
        await t.store.db
          .selectFrom('ledgerLegs')
          .select(['currency', sql<number | string>`sum(amount_minor)`.as('sum')])
          .groupBy('currency')
          .execute()
      ).map((r) => ({ currency: r.currency, sum: Number(r.sum) }));
    const count = async (table: 'ledgerEntries' | 'ledgerTransactions' | 'auditEvents') =>
      Number(
        (
          await t.store.db
            .selectFrom(table)
            .select(sql<number | string>`count(*)`.as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock: { now: () => now } });
      ({ dell } = await loadFixture(ctx));
      await publishFxProgram(ctx, {
        payoutRate: 'payout-day',
        missingRate: '{ lastKnownWithinDays: 5 }',
        payoutCurrencies: ['EUR', 'GBP'],
      });
      avg = await publishFxProgram(
        ctx,
        { payoutRate: 'period-average', missingRate: 'refuse', payoutCurrencies: ['GBP'] },
        'dell-fx-average',
      );
      await t.store.db
        .insertInto('enrolments')
        .values({
          id: 'enr_a_avg',
          vendorId: avg.vendorId,
          programId: avg.programId,
          partnerId: 'ptn_alpha',
          partnerNumber: 'D-AVG',
          status: 'active',
          exclusive: 0,
          enrolledAt: '2026-01-31T00:00:00.000Z',
        })
        .execute();
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('refuses a payout currency the program does not allow, saying why and where, writing nothing', async () => {
      const audits = await count('auditEvents');
      const jpy = await alpha('PUT', '/api/partners/ptn_alpha/payout-currency', {
        program: 'dell-emc-partner-program',
        currency: 'JPY',
      });
      expect(jpy.status).toBe(400);
      expect(jpy.body.errors ?? jpy.body.details ?? jpy.body).toBeTruthy();
      expect(jpy.text).toMatch(/body\.currency/);
      expect(jpy.text).toMatch(/does not pay in JPY; it pays in USD, EUR, GBP/);
      const unknown = await alpha('PUT', '/api/partners/ptn_alpha/payout-currency', {
        program: 'dell-emc-partner-program',
        currency: 'ZZZ',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.text).toMatch(/unknown currency .{1,2}ZZZ/);
      const noProgram = await alpha('PUT', '/api/partners/ptn_alpha/payout-currency', {
        program: 'no-such-program',
        currency: 'EUR',
      });
      expect(noProgram.status).toBe(400);
      expect(noProgram.text).toMatch(/body\.program/);
      // Another partner's currency: refused.
      const other = await alpha('PUT', '/api/partners/ptn_bravo/payout-currency', {
        program: 'dell-emc-partner-program',
        currency: 'EUR',
      });
      expect(other.status).toBe(403);
      const enrolment = await t.store.db
        .selectFrom('enrolments')
        .select('payoutCurrency')
        .where('id', '=', 'enr_a_dell')
        .executeTakeFirstOrThrow();
      expect(enrolment.payoutCurrency).toBeNull();
      expect(await count('auditEvents')).toBe(audits);
    });

    it("the partner's admin chooses EUR; the choice is audited and listed", async () => {
      const res = await alpha('PUT', '/api/partners/ptn_alpha/payout-currency', {
        program: 'dell-emc-partner-program',
        currency: 'eur',
      });
      expect(res.status, res.text).toBe(200);
      expect(res.body).toMatchObject({ currency: 'EUR', programCurrency: 'USD', chosen: true });
      expect(res.body.allowed).toEqual(['USD', 'EUR', 'GBP']);
      const audit = await t.store.db
        .selectFrom('auditEvents')
        .select(['action', 'targetId'])
        .where('action', '=', 'enrolment.payout-currency')
        .execute();
      expect(audit).toEqual([{ action: 'enrolment.payout-currency', targetId: 'enr_a_dell' }]);
      const list = await alpha('GET', '/api/partners/ptn_alpha/payout-currencies');
      expect(list.status).toBe(200);
      const dellRow = (list.body.items as { programId: string; currency: string }[]).find(
        (i) => i.programId === dell.programId,
      );
      expect(dellRow?.currency).toBe('EUR');
      // The vendor's admin sets it too (GBP for the average program).
      const gbp = await admin('PUT', '/api/partners/ptn_alpha/payout-currency', {
        program: 'dell-fx-average',
        currency: 'GBP',
      });
      expect(gbp.status, gbp.text).toBe(200);
    });

    it('golden: a statement paid in EUR converts at the payout day rate and posts its rounding difference', async () => {
      await draftStatement(
        t.store,
        {
          id: 'stm_fxgold',
          vendorId: dell.vendorId,
          programId: dell.programId,
          partnerId: 'ptn_alpha',
          period: 'FY27-Q1',
        },
        LINES,
      );
      await at('2026-06-10T09:00:00.000Z');
      const issued = await admin('POST', '/api/statements/stm_fxgold/issue', {});
      expect(issued.status, issued.text).toBe(200);
      // Issued in EUR, no rate known yet: an estimate without amounts.
      expect(issued.body.payout).toMatchObject({
        currency: 'EUR',
        estimate: true,
        rate: null,
        totalMinor: null,
      });
      // A rate known before the payout day: the statement shows an estimate at it.
      await loadRate(t.store, dell.vendorId, 'USD', 'EUR', '2026-06-09', '0.93');
      const estimated = await alpha('GET', '/api/statements/stm_fxgold');
      expect(estimated.body.payout).toMatchObject({
        currency: 'EUR',
        estimate: true,
        rate: '0.93',
        rateDay: '2026-06-09',
        totalMinor: 230_559,
      });
      expect(await admin('POST', '/api/statements/stm_fxgold/approve', {})).toMatchObject({ status: 200 });
      // Paid on 2026-06-15 at that day's 0.9259: by hand, the lines 1,234.56 / 789.01 / 455.55 / 0.01 USD
      // are 1,143.08 / 730.54 / 421.79 / 0.01 EUR = 2,295.42; the total 2,479.13 USD is 2,295.43 EUR
      // (229,542.6467 cents, half to even); rounding 0.01 EUR.
      await loadRate(t.store, dell.vendorId, 'USD', 'EUR', '2026-06-15', '0.9259');
      await at('2026-06-15T10:00:00.000Z');
      const paid = await admin('POST', '/api/statements/stm_fxgold/pay', { reference: 'SEPA-1' });
      expect(paid.status, paid.text).toBe(200);
      expect(paid.body).toMatchObject({ status: 'paid', totalMinor: 247_913, paidMinor: 247_913 });
      expect(paid.body.payout).toEqual({
        currency: 'EUR',
        rate: '0.9259',
        basis: 'payout-day',
        rateDay: '2026-06-15',
        rateFirstDay: null,
        rateDays: null,
        derivation: 'direct',
        bridged: false,
        estimate: false,
        linesMinor: 229_542,
        totalMinor: 229_543,
        roundingMinor: 1,
      });
      const legs = await legsOf(paid.body.payoutTransactionId as string);
      expect(legs.map(({ account, currency, amountMinor }) => ({ account, currency, amountMinor }))).toEqual([
        { account: 'partner:rebate-payable', currency: 'USD', amountMinor: 247_913 },
        { account: 'vendor:fx-conversion', currency: 'USD', amountMinor: -247_913 },
        { account: 'vendor:fx-conversion', currency: 'EUR', amountMinor: 229_542 },
        { account: 'vendor:fx-rounding', currency: 'EUR', amountMinor: 1 },
        { account: 'vendor:cash', currency: 'EUR', amountMinor: -229_543 },
      ]);
      const text = (i: number) => (JSON.parse(legs[i]?.explanation ?? '{}') as { text: string }).text;
      expect(text(0)).toContain('USD 2,479.13 at 0.9259 = EUR 2,295.43 (rounding EUR 0.01)');
      expect(text(0)).toContain('rate of 2026-06-15 (the payout day), reference SEPA-1');
      expect(text(3)).toContain('EUR 2,295.43 converted total minus EUR 2,295.42 converted lines = EUR 0.01');
      // Each line's converted amount, derived when read.
      const lines = await alpha('GET', '/api/statements/stm_fxgold/lines?sort=lineNo');
      expect(
        (lines.body.items as { payoutAmountMinor: number; payoutCurrency: string }[]).map((l) => [
          l.payoutAmountMinor,
          l.payoutCurrency,
        ]),
      ).toEqual([
        [114_308, 'EUR'],
        [73_054, 'EUR'],
        [42_179, 'EUR'],
        [1, 'EUR'],
      ]);
      // The CSV says which currency each amount is in.
      const csv = await alpha('GET', '/api/statements/stm_fxgold/download?format=csv');
      expect(csv.status).toBe(200);
      const [header, first] = csv.text.split('\n');
      expect(header).toContain(
        'amount,currency,payout_amount,payout_currency,payout_rate,payout_rate_estimated',
      );
      expect(first).toContain('1234.56,USD,1143.08,EUR,0.9259,no');
      // The rounding is a row of its own: the payout column adds up to what is paid (EUR 2,295.43).
      const rows = csv.text.trim().split('\n').slice(1);
      expect(rows.at(-1)).toContain('payout-rounding');
      expect(rows.at(-1)).toContain('0.01,EUR,0.9259,no');
      const payoutColumn = (header ?? '').split(',').indexOf('payout_amount');
      const paidCents = rows
        .map((r) => r.split(',')[payoutColumn] ?? '')
        .reduce((sum, v) => sum + Math.round(Number(v) * 100), 0);
      expect(paidCents).toBe(229_543);
      // The payable totals (and the budget pools read from them) count the program's currency only.
      const foreign = await t.store.db
        .selectFrom('payableTotals')
        .select('currency')
        .where('currency', '!=', 'USD')
        .execute();
      expect(foreign).toEqual([]);
      expect((await balances()).filter((b) => b.sum !== 0)).toEqual([]);
    });

    it('paying twice changes nothing', async () => {
      const before = [await count('ledgerEntries'), await count('ledgerTransactions')];
      const again = await admin('POST', '/api/statements/stm_fxgold/pay', {});
      expect(again.status).toBe(409);
      expect([await count('ledgerEntries'), await count('ledgerTransactions')]).toEqual(before);
    });

    it('a missing rate is refused naming the pair and the day, then bridged by the last known within 5 days', async () => {
      await draftStatement(
        t.store,
        {
          id: 'stm_fxmiss',
          vendorId: dell.vendorId,
          programId: dell.programId,
          partnerId: 'ptn_alpha',
          period: 'FY27-Q1',
        },
        [10_000, 5_001],
      );
      await at('2026-07-01T09:00:00.000Z');
      for (const step of ['issue', 'approve'] as const)
        expect((await admin('POST', `/api/statements/stm_fxmiss/${step}`, {})).status).toBe(200);
      // The last rate is of 2026-06-15: more than 5 days before 2026-07-01.
      const before = [await count('ledgerEntries'), await count('auditEvents')];
      const refused = await admin('POST', '/api/statements/stm_fxmiss/pay', {});
      expect(refused.status).toBe(409);
      expect(refused.text).toMatch(/no USD\/EUR rate for 2026-07-01 nor on any of the 5 days before/);
      expect(refused.text).toMatch(/rates\.USD\/EUR\.2026-07-01/);
      const still = await t.store.db
        .selectFrom('statements')
        .select(['status', 'payoutRate', 'payoutTransactionId'])
        .where('id', '=', 'stm_fxmiss')
        .executeTakeFirstOrThrow();
      expect(still).toEqual({ status: 'approved', payoutRate: null, payoutTransactionId: null });
      expect([await count('ledgerEntries'), await count('auditEvents')]).toEqual(before);
      // A rate 3 days before bridges the gap; the inverse pair is derived (EUR/USD loaded).
      await loadRate(t.store, dell.vendorId, 'EUR', 'USD', '2026-06-28', '1.08');
      const paid = await admin('POST', '/api/statements/stm_fxmiss/pay', {});
      expect(paid.status, paid.text).toBe(200);
      // 1 / 1.08 = 0.9259259259 (10 decimals); 15,001 * it = 13,889.8148 -> 13,890; lines 9,259 + 4,631 = 13,890.
      expect(paid.body.payout).toMatchObject({
        rate: '0.9259259259',
        rateDay: '2026-06-28',
        derivation: 'inverse',
        bridged: true,
        totalMinor: 13_890,
        linesMinor: 13_890,
        roundingMinor: 0,
      });
      const legs = await legsOf(paid.body.payoutTransactionId as string);
      expect(legs.some((l) => l.account === 'vendor:fx-rounding')).toBe(false);
    });

    it('a bulk pay leaves a statement whose rate is missing as it is, skipped with reason missing-rate', async () => {
      await draftStatement(
        t.store,
        {
          id: 'stm_fxbulk',
          vendorId: dell.vendorId,
          programId: dell.programId,
          partnerId: 'ptn_alpha',
          period: 'FY27-Q1',
        },
        [20_000],
      );
      await at('2026-07-20T09:00:00.000Z');
      for (const action of ['issue', 'approve'] as const)
        await transitionStatement(ctx, SYSTEM, 'stm_fxbulk', action);
      const r = await runStatementBulk(ctx, SYSTEM, 'pay', { ids: ['stm_fxbulk'] });
      expect(r).toMatchObject({ count: 0, lost: 0 });
      expect(r.skipped).toContainEqual(expect.objectContaining({ id: 'stm_fxbulk', reason: 'missing-rate' }));
      const s = await t.store.db
        .selectFrom('statements')
        .select(['status', 'payoutTransactionId'])
        .where('id', '=', 'stm_fxbulk')
        .executeTakeFirstOrThrow();
      expect(s).toEqual({ status: 'approved', payoutTransactionId: null });
    });

    it('period-average: the mean of the period rates, fixed when issued; refused at issue when none is loaded', async () => {
      await draftStatement(
        t.store,
        {
          id: 'stm_fxavg',
          vendorId: avg.vendorId,
          programId: avg.programId,
          partnerId: 'ptn_alpha',
          period: 'FY27-Q1',
        },
        [100_001, 33_333, 50],
      );
      await at('2026-05-20T09:00:00.000Z');
      const refused = await admin('POST', '/api/statements/stm_fxavg/issue', {});
      expect(refused.status).toBe(409);
      expect(refused.text).toMatch(
        /no USD\/GBP rate for 2026-04-29: statement stm_fxavg cannot be issued in GBP/,
      );
      expect(
        (
          await t.store.db
            .selectFrom('statements')
            .select('status')
            .where('id', '=', 'stm_fxavg')
            .executeTakeFirstOrThrow()
        ).status,
      ).toBe('draft');
      for (const [day, rate] of [
        ['2026-02-02', '0.79'],
        ['2026-03-02', '0.80'],
        ['2026-04-29', '0.815'],
        ['2026-05-02', '0.99'], // after the period: not averaged
      ] as const)
        await loadRate(t.store, avg.vendorId, 'USD', 'GBP', day, rate);
      const issued = await admin('POST', '/api/statements/stm_fxavg/issue', {});
      expect(issued.status, issued.text).toBe(200);
      // (0.79 + 0.80 + 0.815) / 3 = 0.80166666666... -> 0.8016666667. Lines: 801.67 + 267.22 + 0.40 =
      // 1,069.29 GBP; total 1,333.84 USD -> 1,069.295066... -> 1,069.30; rounding 0.01.
      const fixed = {
        currency: 'GBP',
        rate: '0.8016666667',
        basis: 'period-average',
        rateDay: '2026-04-29',
        rateFirstDay: '2026-02-02',
        rateDays: 3,
        derivation: 'average',
        estimate: false,
        linesMinor: 106_929,
        totalMinor: 106_930,
        roundingMinor: 1,
      };
      expect(issued.body.payout).toMatchObject(fixed);
      await admin('POST', '/api/statements/stm_fxavg/approve', {});
      await at('2026-06-20T09:00:00.000Z');
      await loadRate(t.store, avg.vendorId, 'USD', 'GBP', '2026-06-20', '0.70');
      const paid = await admin('POST', '/api/statements/stm_fxavg/pay', {});
      expect(paid.status, paid.text).toBe(200);
      expect(paid.body.payout).toMatchObject(fixed);
      const legs = await legsOf(paid.body.payoutTransactionId as string);
      expect(legs.find((l) => l.account === 'vendor:cash')).toMatchObject({
        currency: 'GBP',
        amountMinor: -106_930,
      });
      expect((JSON.parse(legs[0]?.explanation ?? '{}') as { text: string }).text).toContain(
        'the average of 3 days from 2026-02-02 to 2026-04-29',
      );
    });

    it('property: random statements and rates balance every currency to the cent; lines + rounding = total; paying again changes nothing', async () => {
      let n = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.integer({ min: -2_000_000, max: 50_000_000 }), { minLength: 1, maxLength: 12 }),
          fc.integer({ min: 1, max: 99_999_999 }),
          fc.integer({ min: 4, max: 8 }),
          fc.constantFrom('EUR', 'GBP'),
          async (raw, units, scale, currency) => {
            n += 1;
            const lines = [...raw];
            const total = lines.reduce((a, b) => a + b, 0);
            if (total <= 0) lines.push(1 - total + 100);
            const text = formatFxRate({ units: BigInt(units), scale });
            const rate = fxRate(text);
            const id = `stm_fxprop${kind.slice(0, 2)}${n}`;
            const day = `2026-08-${String(1 + (n % 28)).padStart(2, '0')}`;
            await t.store.db
              .updateTable('enrolments')
              .set({ payoutCurrency: currency })
              .where('id', '=', 'enr_a_dell')
              .execute();
            await t.store.db
              .deleteFrom('exchangeRates')
              .where('vendorId', '=', dell.vendorId)
              .where('day', '>=', '2026-07-27')
              .execute();
            await loadRate(t.store, dell.vendorId, 'USD', currency, day, text);
            await draftStatement(
              t.store,
              {
                id,
                vendorId: dell.vendorId,
                programId: dell.programId,
                partnerId: 'ptn_alpha',
                period: 'FY27-Q2',
              },
              lines,
            );
            now = new Date(`${day}T09:00:00.000Z`);
            for (const action of ['issue', 'approve', 'pay'] as const)
              await transitionStatement(ctx, SYSTEM, id, action);
            const s = await t.store.db
              .selectFrom('statements')
              .selectAll()
              .where('id', '=', id)
              .executeTakeFirstOrThrow();
            const sum = lines.reduce((a, b) => a + b, 0);
            const converted = convertMinor(sum, 'USD', currency, rate);
            const convertedLines = lines.reduce((a, l) => a + convertMinor(l, 'USD', currency, rate), 0);
            expect(Number(s.payoutTotalMinor)).toBe(converted);
            expect(Number(s.payoutLinesMinor)).toBe(convertedLines);
            expect(Number(s.payoutLinesMinor) + Number(s.payoutRoundingMinor)).toBe(
              Number(s.payoutTotalMinor),
            );
            const legs = await legsOf(s.payoutTransactionId as string);
            const by = new Map<string, number>();
            for (const l of legs) by.set(l.currency, (by.get(l.currency) ?? 0) + l.amountMinor);
            expect([...by.values()].every((v) => v === 0)).toBe(true);
            const rounding = legs.find((l) => l.account === 'vendor:fx-rounding')?.amountMinor ?? 0;
            const conv = legs.find((l) => l.account === 'vendor:fx-conversion' && l.currency === currency);
            expect((conv?.amountMinor ?? 0) + rounding).toBe(converted);
            const before = await count('ledgerEntries');
            await expect(transitionStatement(ctx, SYSTEM, id, 'pay')).rejects.toThrow(/only when approved/);
            expect(await count('ledgerEntries')).toBe(before);
          },
        ),
        { numRuns: kind === 'sqlite' ? 25 : 10, seed: 17 },
      );
      expect((await balances()).filter((b) => b.sum !== 0)).toEqual([]);
    });

    it('a re-close of the period after the payouts changes nothing of them', async () => {
      const snapshot = async () => ({
        statements: await t.store.db
          .selectFrom('statements')
          .select(['id', 'status', 'payoutCurrency', 'payoutRate', 'payoutTotalMinor', 'payoutRoundingMinor'])
          .where('id', 'like', 'stm_fx%')
          .orderBy('id')
          .execute(),
        fx: await t.store.db
          .selectFrom('ledgerEntries')
          .select(['account', 'currency', sql<number | string>`sum(amount_minor)`.as('sum')])
          .where('account', 'in', ['vendor:fx-conversion', 'vendor:fx-rounding', 'vendor:cash'])
          .groupBy(['account', 'currency'])
          .orderBy('account')
          .orderBy('currency')
          .execute(),
        payouts: await count('ledgerTransactions'),
      });
      const before = await snapshot();
      await at('2026-09-01T09:00:00.000Z');
      for (let i = 0; i < 2; i++)
        await closePeriod(ctx, SYSTEM, { program: 'dell-emc-partner-program', period: 'FY27-Q2' });
      const after = await snapshot();
      expect(after.statements).toEqual(before.statements);
      expect(after.fx).toEqual(before.fx);
      expect((await balances()).filter((b) => b.sum !== 0)).toEqual([]);
    });
  });
}
