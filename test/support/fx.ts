import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../../src/app/context.js';
import { publishDocument } from '../../src/app/programs/publish-document.js';
import { PPM_ONE } from '../../src/core/money/rate.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import type { Store } from '../../src/db/connection.js';
import { ROOT } from './fixtures.js';

/**
 * Payouts in the partner's currency (issue 17) in tests: the FY27 Dell program with an `exchange`
 * section (the shipped file is left alone), rates written straight into the vendor's table, and
 * statements built by hand (a draft with the lines given) so a test chooses every cent.
 */
export async function publishFxProgram(
  ctx: AppContext,
  exchange: { payoutRate: 'payout-day' | 'period-average'; missingRate: string; payoutCurrencies: string[] },
  code = 'dell-emc-partner-program',
): Promise<{ vendorId: string; programId: string }> {
  let text = await readFile(join(ROOT, 'programs/dell-emc-fy27.yaml'), 'utf8');
  if (code !== 'dell-emc-partner-program')
    text = text.replace('code: dell-emc-partner-program', `code: ${code}`).replace(/\nsupersedes:[^\n]*/, '');
  text =
    withoutExchange(text) +
    `\nexchange:\n  payoutRate: ${exchange.payoutRate}\n  missingRate: ${exchange.missingRate}\n  payoutCurrencies: [${exchange.payoutCurrencies.join(', ')}]\n`;
  const out = await publishDocument(
    ctx.store.db,
    { clock: fixedClock(new Date('2026-01-15T00:00:00Z')), ids: ctx.ids },
    text,
    `${code}-fy27-fx.yaml`,
  );
  if (out.kind !== 'program') throw new Error('expected a program');
  return { vendorId: out.vendorId, programId: out.programId };
}

/** Loads one rate (1 base = rate quote on day) for a vendor. */
export async function loadRate(
  store: Store,
  vendorId: string,
  base: string,
  quote: string,
  day: string,
  rate: string,
) {
  await store.db
    .insertInto('exchangeRates')
    .values({
      vendorId,
      base,
      quote,
      day,
      rate,
      source: 'test',
      loadedBy: 'test',
      loadedAt: `${day}T12:00:00.000Z`,
    })
    .execute();
}

/** A draft statement of the given lines (program currency), totals added up from them. */
export async function draftStatement(
  store: Store,
  s: {
    id: string;
    vendorId: string;
    programId: string;
    partnerId: string;
    period: string;
    currency?: string;
  },
  lines: readonly number[],
  status: 'draft' | 'approved' = 'draft',
) {
  const currency = s.currency ?? 'USD';
  // The next sequence of the partner's statements of the period (a supplement after the first).
  const last = await store.db
    .selectFrom('statements')
    .select('sequence')
    .where('programId', '=', s.programId)
    .where('partnerId', '=', s.partnerId)
    .where('period', '=', s.period)
    .orderBy('sequence', 'desc')
    .executeTakeFirst();
  const total = lines.reduce((a, b) => a + b, 0);
  await store.db
    .insertInto('statements')
    .values({
      id: s.id,
      vendorId: s.vendorId,
      partnerId: s.partnerId,
      programId: s.programId,
      period: s.period,
      sequence: (last?.sequence ?? 0) + 1,
      currency,
      status,
      lines: lines.length,
      earnedMinor: total,
      clawbackMinor: 0,
      adjustmentMinor: 0,
      carriedInMinor: 0,
      totalMinor: total,
      closeId: null,
      closeOn: '2026-05-15',
      payOn: '2026-06-14',
      createdAt: '2026-05-15T00:00:00.000Z',
      updatedAt: '2026-05-15T00:00:00.000Z',
      issuedAt: status === 'draft' ? null : '2026-05-16T00:00:00.000Z',
      approvedAt: status === 'draft' ? null : '2026-05-17T00:00:00.000Z',
      paidAt: null,
      paidMinor: null,
      paymentReference: null,
      payoutTransactionId: null,
    })
    .execute();
  if (lines.length === 0) return;
  await store.db
    .insertInto('statementLines')
    .values(
      lines.map((amount, i) => ({
        id: `sln_${s.id.slice(4)}_${i + 1}`,
        statementId: s.id,
        vendorId: s.vendorId,
        partnerId: s.partnerId,
        lineNo: i + 1,
        kind: 'accrual',
        entryId: null,
        transactionId: null,
        postingSeq: null,
        orderId: null,
        orderLineId: `oln_test_${i + 1}`,
        orderDate: '2026-03-01',
        family: 'storage',
        component: 'rebate',
        ruleId: 'test/rebate',
        ruleVersion: 'FY27',
        baseMinor: amount * 25,
        rate: 40_000,
        effectiveRate: 40_000,
        tier: 'gold',
        multiplier: PPM_ONE,
        budgetPool: null,
        amountMinor: amount,
        currency,
        period: s.period,
        explanation: JSON.stringify({ text: `line ${i + 1}` }),
      })),
    )
    .execute();
}

/** A program file's text without its `exchange` section (a test then gives its own). */
export function withoutExchange(text: string): string {
  return text.replace(/^exchange:\n(?:[ #].*\n|\n)*/m, '');
}
