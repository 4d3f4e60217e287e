import { sql, type Kysely, type Selectable } from 'kysely';
import type { StoreBulk } from '../connection.js';
import type { BulkValue } from '../insert-text.js';
import type { Database, ExchangeRatesTable } from '../schema.js';
import type { Page, PageRequest } from './page.js';

export type ExchangeRateRow = Selectable<ExchangeRatesTable>;

/** What a list of rates may be narrowed to (each optional). */
export interface ExchangeRateFilter {
  base?: string | undefined;
  quote?: string | undefined;
  /** Days from (inclusive). */
  from?: string | undefined;
  /** Days to (inclusive). */
  to?: string | undefined;
}

/** Rates are listed by day; rows of one day by pair ("EUR/USD", the cursor's id). */
export type ExchangeRateSort = 'day';

const COLUMNS = ['vendor_id', 'base', 'quote', 'day', 'rate', 'source', 'loaded_by', 'loaded_at'] as const;

/** One rate as `base/quote`, the key of a row within its vendor and day. */
export const pairOf = (r: { base: string; quote: string }): string => `${r.base}/${r.quote}`;

/**
 * A vendor's exchange rates (migration 20261206-0032). Every read names the vendor: rates are the vendor's
 * own (its treasury's or its central bank's), never another's.
 */
export function exchangeRateRepository(db: Kysely<Database>) {
  return {
    /** Every rate of the vendor on days in [first, last], for a rate book (core/money/fx.ts). */
    async between(vendorId: string, first: string, last: string): Promise<ExchangeRateRow[]> {
      return db
        .selectFrom('exchangeRates')
        .selectAll()
        .where('vendorId', '=', vendorId)
        .where('day', '>=', first)
        .where('day', '<=', last)
        .orderBy('day')
        .orderBy('base')
        .orderBy('quote')
        .execute();
    },

    /**
     * The stored rate text of each (pair, day) of the vendor among `pairs` on days in [first, last], keyed
     * `base/quote/day`: what an import compares its rows with (one read for a whole file).
     */
    async storedFor(
      vendorId: string,
      pairs: readonly { base: string; quote: string }[],
      first: string,
      last: string,
    ): Promise<Map<string, string>> {
      const out = new Map<string, string>();
      const bases = [...new Set(pairs.map((p) => p.base))];
      const quotes = [...new Set(pairs.map((p) => p.quote))];
      if (bases.length === 0) return out;
      const wanted = new Set(pairs.map(pairOf));
      const rows = await db
        .selectFrom('exchangeRates')
        .select(['base', 'quote', 'day', 'rate'])
        .where('vendorId', '=', vendorId)
        .where('base', 'in', bases)
        .where('quote', 'in', quotes)
        .where('day', '>=', first)
        .where('day', '<=', last)
        .execute();
      for (const r of rows) if (wanted.has(pairOf(r))) out.set(`${r.base}/${r.quote}/${r.day}`, r.rate);
      return out;
    },

    /** One page of the vendor's rates, by day then pair (keyset: stable as rates are added). */
    async list(
      vendorId: string,
      filter: ExchangeRateFilter,
      request: PageRequest<ExchangeRateSort>,
    ): Promise<Page<ExchangeRateRow & { id: string }>> {
      let q = db.selectFrom('exchangeRates').selectAll().where('vendorId', '=', vendorId);
      if (filter.base) q = q.where('base', '=', filter.base);
      if (filter.quote) q = q.where('quote', '=', filter.quote);
      if (filter.from) q = q.where('day', '>=', filter.from);
      if (filter.to) q = q.where('day', '<=', filter.to);
      const dir = request.direction;
      if (request.after) {
        const [base = '', quote = ''] = request.after.id.split('/');
        const cmp = sql.raw(dir === 'asc' ? '>' : '<');
        q = q.where(
          sql<boolean>`(day, base, quote) ${cmp} (${String(request.after.value)}, ${base}, ${quote})`,
        );
      }
      const rows = await q
        .orderBy('day', dir)
        .orderBy('base', dir)
        .orderBy('quote', dir)
        .limit(request.limit + 1)
        .execute();
      const items = rows.slice(0, request.limit).map((r) => ({ ...r, id: pairOf(r) }));
      const last = items.at(-1);
      return { items, next: rows.length > request.limit && last ? { value: last.day, id: last.id } : null };
    },

    /**
     * Inserts new rates with multi-row statements (the store's bulk path: prepared multi-row inserts on
     * SQLite, `unnest` arrays on PostgreSQL), in the caller's transaction. A row whose (vendor, pair, day)
     * is already stored fails the statement (the primary key): the caller read them first, and a
     * concurrent import that stored one meanwhile makes it run again.
     */
    async insertMany(bulk: StoreBulk, rows: readonly ExchangeRateRow[]): Promise<void> {
      const values: BulkValue[] = new Array<BulkValue>(rows.length * COLUMNS.length);
      let i = 0;
      for (const r of rows) {
        values[i++] = r.vendorId;
        values[i++] = r.base;
        values[i++] = r.quote;
        values[i++] = r.day;
        values[i++] = r.rate;
        values[i++] = r.source;
        values[i++] = r.loadedBy;
        values[i++] = r.loadedAt;
      }
      await bulk.insertRows(db, 'exchange_rates', COLUMNS, values);
    },

    /**
     * Replaces the rate of one (pair, day) when it still is `before` (a conditional update: a concurrent
     * replacement is not overwritten blindly). True when the row was changed.
     */
    async replace(row: ExchangeRateRow, before: string): Promise<boolean> {
      const r = await db
        .updateTable('exchangeRates')
        .set({ rate: row.rate, source: row.source, loadedBy: row.loadedBy, loadedAt: row.loadedAt })
        .where('vendorId', '=', row.vendorId)
        .where('base', '=', row.base)
        .where('quote', '=', row.quote)
        .where('day', '=', row.day)
        .where('rate', '=', before)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
  };
}
