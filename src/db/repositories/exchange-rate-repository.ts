import type { Kysely, Selectable } from 'kysely';
import type { Database, ExchangeRatesTable } from '../schema.js';

export type ExchangeRateRow = Selectable<ExchangeRatesTable>;

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
  };
}
