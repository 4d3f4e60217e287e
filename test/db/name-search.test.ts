import { describe, expect, it } from 'vitest';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { customerRepository } from '../../src/db/repositories/customer-repository.js';
import { partnerRepository } from '../../src/db/repositories/partner-repository.js';
import { openTestStore, STORE_KINDS } from '../support/stores.js';

/**
 * `?q=` on customers and partners reads the trigram index of the names (SQLite FTS5, PostgreSQL pg_trgm)
 * and answers exactly what "the lower-cased name contains the lower-cased text" answers: for short text,
 * common text (past the count where the scan is chosen), text with quotes, % and _, and after names are
 * inserted, renamed and deleted (the index is kept by triggers).
 */
const NAMES = [
  'Acme "Quoted" Widgets Corp',
  'Globex 100% Systems',
  'Initech_Under Score',
  'ÉCOLE Nationale',
  'Umbrella Storage',
  'Stark Widgets',
];
const COMMON = 2_100;

for (const kind of STORE_KINDS) {
  describe(`name search on ${kind}`, () => {
    it('answers what a scan of the names answers, and follows inserts, renames and deletes', async () => {
      const t = await openTestStore(kind);
      try {
        const db = t.store.db;
        await db
          .insertInto('vendors')
          .values({ id: 'vnd_s', slug: 's', name: 'S', currency: 'USD', createdAt: '2017-01-01T00:00:00Z' })
          .execute();
        const customer = (id: string, name: string) => ({
          id,
          vendorId: 'vnd_s',
          name,
          domain: null,
          country: 'US',
          region: 'NA',
          segment: 'enterprise',
          addressLine: null,
          city: null,
          postalCode: null,
          createdAt: '2017-01-01T00:00:00Z',
        });
        await db
          .insertInto('customers')
          .values(NAMES.map((n, i) => customer(`cus_${i}`, n)))
          .execute();
        // Enough names holding "filler" that the search takes the scan for it.
        const filler = Array.from({ length: COMMON }, (_, i) =>
          customer(`cus_f${String(i).padStart(5, '0')}`, `Filler ${i}`),
        );
        for (let i = 0; i < filler.length; i += 500)
          await db
            .insertInto('customers')
            .values(filler.slice(i, i + 500))
            .execute();
        const repo = customerRepository(db);
        const search = async (q: string) =>
          (await repo.list(SYSTEM_SCOPE, { q }, { limit: 10_000, sort: 'name', direction: 'asc' })).items
            .map((c) => c.id)
            .sort();
        const all = await db.selectFrom('customers').select(['id', 'name']).execute();
        const expected = (q: string) =>
          all
            .filter((c) => c.name.toLowerCase().includes(q.toLowerCase()))
            .map((c) => c.id)
            .sort();
        for (const q of [
          'wid',
          'WIDGETS',
          '"quoted"',
          'd" w',
          '100%',
          '%',
          '0% s',
          '_u',
          'r_u',
          'st',
          'x',
          'école',
          'filler 1',
          'nothing',
        ])
          expect(await search(q), q).toEqual(expected(q));
        expect(await search('filler')).toHaveLength(COMMON);

        await db
          .updateTable('customers')
          .set({ name: 'Wayne Enterprises' })
          .where('id', '=', 'cus_4')
          .execute();
        expect(await search('umbrella')).toEqual([]);
        expect(await search('wayne ent')).toEqual(['cus_4']);
        await db.deleteFrom('customers').where('id', '=', 'cus_5').execute();
        expect(await search('stark')).toEqual([]);
        expect(await search('widgets')).toEqual(['cus_0']);

        // Partners have the same index.
        await db
          .insertInto('partners')
          .values(
            ['Northwind Systems', 'Bluepeak IT', 'Meridian Systems Ltd'].map((name, i) => ({
              id: `ptn_${i}`,
              name,
              kind: 'reseller',
              country: 'US',
              region: 'NA',
              domain: null,
              createdAt: '2017-01-01T00:00:00Z',
            })),
          )
          .execute();
        const partners = await partnerRepository(db).list(
          SYSTEM_SCOPE,
          { q: 'SYSTEMS' },
          { limit: 10, sort: 'name', direction: 'asc' },
        );
        expect(partners.items.map((p) => p.id)).toEqual(['ptn_2', 'ptn_0']);
      } finally {
        await t.cleanup();
      }
    });
  });
}
