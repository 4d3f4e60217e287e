import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closePeriod, type CloseResult } from '../../src/app/incentives/close-period.js';
import {
  afterTheClose,
  booksOf,
  firstQuarter,
  openWorld,
  PERIOD,
  PROGRAM,
  resultOf,
  SYSTEM,
  type World,
} from '../support/close-world.js';
import { STORE_KINDS } from '../support/stores.js';

/**
 * A close writes its ledger in chunks of partners (close-period.ts, LEDGER_CHUNK_POSTINGS), so that a large
 * quarter's batch stays bounded. Written one partner at a time, the books are exactly those of a close
 * written at once: the same postings, rules, entries, payable totals (kept by a trigger per chunk) and
 * statements, on a first close and on a re-close.
 */

function closeIn(w: World, ledgerChunk?: number): Promise<CloseResult> {
  return closePeriod(
    w.ctx,
    { actor: SYSTEM, scope: { kind: 'vendor', vendorId: w.vendorId, regions: [] } },
    { program: PROGRAM, period: PERIOD, ledgerChunk },
  );
}

async function payableTotals(w: World) {
  return (
    await w.store.db
      .selectFrom('payableTotals')
      .select(['partnerId', 'period', 'component', 'budgetPool', 'amountMinor', 'lineAmountMinor', 'entries'])
      .where('vendorId', '=', w.vendorId)
      .execute()
  )
    .map((t) =>
      JSON.stringify({
        ...t,
        amountMinor: Number(t.amountMinor),
        lineAmountMinor: Number(t.lineAmountMinor),
        entries: Number(t.entries),
      }),
    )
    .sort();
}

for (const kind of STORE_KINDS) {
  describe(`a close's ledger written in chunks (${kind})`, () => {
    const worlds: World[] = [];
    beforeAll(async () => {
      const where = kind === 'sqlite' ? 'sqlite-file' : 'postgres';
      worlds.push(await openWorld(where), await openWorld(where));
    }, 60_000);
    afterAll(async () => {
      for (const w of worlds) await w.cleanup();
    });

    it('writes the same books one partner at a time as all at once', async () => {
      const [whole, chunked] = worlds as [World, World];
      const ofWhole = await firstQuarter(whole);
      const ofChunked = await firstQuarter(chunked);
      // Tiers recorded after the orders accrued: the close trues up each of these partners' lines at the
      // tier's rates (postings under rules no earlier chunk wrote).
      for (const w of worlds) {
        await w.member('mbr_bravo_g', 'ptn_bravo', 'gold', '2017-02-01', null);
      }

      const first = [await closeIn(whole), await closeIn(chunked, 1)];
      expect(first[0]!.reconciled).toBe(true);
      expect(first[1]!.reconciled).toBe(true);
      // More than one partner's transaction with postings: more than one chunk.
      expect(first[0]!.transactions).toBeGreaterThan(1);
      const truedUp = await whole.store.db
        .selectFrom('ledgerPostings as p')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'p.vendorId').onRef('t.id', '=', 'p.transactionId'),
        )
        .select('t.partnerId')
        .distinct()
        .where('t.idempotencyKey', 'like', 'close:%')
        .execute();
      expect(truedUp.length).toBeGreaterThan(1);
      expect(resultOf(first[1]!)).toEqual(resultOf(first[0]!));
      expect(await booksOf(chunked)).toEqual(await booksOf(whole));
      expect(await payableTotals(chunked)).toEqual(await payableTotals(whole));

      await afterTheClose(whole, ofWhole.bravoLines);
      await afterTheClose(chunked, ofChunked.bravoLines);
      const again = [await closeIn(whole), await closeIn(chunked, 1)];
      expect(again[0]!.transactions).toBeGreaterThan(0);
      expect(resultOf(again[1]!)).toEqual(resultOf(again[0]!));
      expect(await booksOf(chunked)).toEqual(await booksOf(whole));
      expect(await payableTotals(chunked)).toEqual(await payableTotals(whole));
    }, 60_000);
  });
}
