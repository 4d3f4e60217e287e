import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import {
  exchangeRateRepository,
  type ExchangeRateRow,
} from '../../src/db/repositories/exchange-rate-repository.js';
import { isConcurrencyError } from '../../src/db/concurrency.js';
import { loadFixture } from '../support/fixtures.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

/** The exchange-rate repository on each store: multi-row inserts, the stored rates of a file, pages, replace. */
for (const kind of STORE_KINDS) {
  describe(`exchange rate repository on ${kind}`, () => {
    let t: TestStore;
    let dell = '';
    let vmware = '';
    const row = (vendorId: string, quote: string, day: string, rate: string): ExchangeRateRow => ({
      vendorId,
      base: 'EUR',
      quote,
      day,
      rate,
      source: 'test.csv',
      loadedBy: 'per_x',
      loadedAt: '2026-12-06T10:00:00.000Z',
    });

    beforeAll(async () => {
      t = await openTestStore(kind);
      const fixture = await loadFixture(createContext(t.store));
      dell = fixture.dell.vendorId;
      vmware = fixture.vmware.vendorId;
    });
    afterAll(async () => {
      await t.cleanup();
    });

    it('inserts many rows at once (past one statement), each vendor its own', async () => {
      const repo = exchangeRateRepository(t.store.db);
      const rows: ExchangeRateRow[] = [];
      for (let d = 1; d <= 28; d++)
        for (const q of ['USD', 'GBP', 'JPY', 'CHF', 'SEK'])
          rows.push(row(dell, q, `2026-02-${String(d).padStart(2, '0')}`, `1.${d}`));
      await t.store.db
        .transaction()
        .execute((trx) => exchangeRateRepository(trx).insertMany(t.store.bulk, rows));
      await repo.insertMany(t.store.bulk, [row(vmware, 'USD', '2026-02-01', '9.99')]);
      expect(await repo.between(dell, '2026-02-01', '2026-02-28')).toHaveLength(140);
      expect(await repo.between(vmware, '2026-02-01', '2026-02-28')).toEqual([
        row(vmware, 'USD', '2026-02-01', '9.99'),
      ]);
      // The primary key refuses a second row for one vendor, pair and day.
      const again = await repo
        .insertMany(t.store.bulk, [row(dell, 'USD', '2026-02-01', '1.1')])
        .catch((e: unknown) => e);
      expect(isConcurrencyError(again)).toBe(true);
    });

    it("reads the stored rates of a file's pairs and days, keyed pair/day, for its vendor only", async () => {
      const stored = await exchangeRateRepository(t.store.db).storedFor(
        dell,
        [
          { base: 'EUR', quote: 'USD' },
          { base: 'EUR', quote: 'GBP' },
        ],
        '2026-02-27',
        '2026-03-01',
      );
      expect([...stored.entries()].sort()).toEqual([
        ['EUR/GBP/2026-02-27', '1.27'],
        ['EUR/GBP/2026-02-28', '1.28'],
        ['EUR/USD/2026-02-27', '1.27'],
        ['EUR/USD/2026-02-28', '1.28'],
      ]);
    });

    it('pages by day then pair, both directions, with filters', async () => {
      const repo = exchangeRateRepository(t.store.db);
      const seen: string[] = [];
      let after: { value: string | number | null; id: string } | undefined;
      for (;;) {
        const page = await repo.list(
          dell,
          { from: '2026-02-27' },
          { limit: 4, sort: 'day', direction: 'desc', after },
        );
        seen.push(...page.items.map((r) => `${r.day} ${r.id}`));
        if (!page.next) break;
        after = page.next;
      }
      expect(seen).toEqual([
        '2026-02-28 EUR/USD',
        '2026-02-28 EUR/SEK',
        '2026-02-28 EUR/JPY',
        '2026-02-28 EUR/GBP',
        '2026-02-28 EUR/CHF',
        '2026-02-27 EUR/USD',
        '2026-02-27 EUR/SEK',
        '2026-02-27 EUR/JPY',
        '2026-02-27 EUR/GBP',
        '2026-02-27 EUR/CHF',
      ]);
      const usd = await repo.list(
        dell,
        { quote: 'USD', to: '2026-02-02' },
        { limit: 10, sort: 'day', direction: 'asc' },
      );
      expect(usd.items.map((r) => r.day)).toEqual(['2026-02-01', '2026-02-02']);
      expect(usd.next).toBeNull();
    });

    it('replaces a rate only while it still is the rate read', async () => {
      const repo = exchangeRateRepository(t.store.db);
      const next = { ...row(dell, 'USD', '2026-02-01', '1.5'), source: 'fix.csv' };
      expect(await repo.replace(next, '1.2')).toBe(false);
      expect(await repo.replace(next, '1.1')).toBe(true);
      expect(await repo.replace({ ...next, rate: '1.6' }, '1.1')).toBe(false);
      const [stored] = await repo
        .between(dell, '2026-02-01', '2026-02-01')
        .then((r) => r.filter((x) => x.quote === 'USD'));
      expect(stored).toMatchObject({ rate: '1.5', source: 'fix.csv' });
      // Another vendor's rate of the same pair and day is untouched.
      expect((await repo.between(vmware, '2026-02-01', '2026-02-01'))[0]?.rate).toBe('9.99');
    });
  });
}
