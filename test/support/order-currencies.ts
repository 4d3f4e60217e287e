import type { Kysely } from 'kysely';
import type { ExchangePolicy } from '../../src/core/programs/types.js';
import type { Database } from '../../src/db/schema.js';

/**
 * Orders in other currencies in tests (issue 17): a fixture program derived with an exchange section, and
 * rates written straight to the store (the rates import is another use case's).
 */

/** Gives a published program's stored definition an exchange section (before any order reads it). */
export async function withExchange(db: Kysely<Database>, programId: string, exchange: ExchangePolicy) {
  const versions = await db
    .selectFrom('programVersions')
    .select(['id', 'definition'])
    .where('programId', '=', programId)
    .execute();
  for (const v of versions) {
    const definition = { ...(JSON.parse(v.definition) as object), exchange };
    await db
      .updateTable('programVersions')
      .set({ definition: JSON.stringify(definition) })
      .where('id', '=', v.id)
      .execute();
  }
}

export async function addRates(
  db: Kysely<Database>,
  vendorId: string,
  rows: [string, string, string, string][],
) {
  await db
    .insertInto('exchangeRates')
    .values(
      rows.map(([base, quote, day, rate]) => ({
        vendorId,
        base,
        quote,
        day,
        rate,
        source: 'test',
        loadedBy: 'test',
        loadedAt: '2017-01-01T00:00:00.000Z',
      })),
    )
    .execute();
}
