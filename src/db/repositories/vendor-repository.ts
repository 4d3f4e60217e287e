import type { Kysely, Selectable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database, VendorsTable } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { vendorOwned } from './scoping.js';

export type VendorSort = 'name' | 'createdAt';
export type VendorRow = Selectable<VendorsTable>;

export function vendorRepository(db: Kysely<Database>) {
  const base = (scope: Scope) =>
    db
      .selectFrom('vendors')
      .select(['vendors.id', 'vendors.slug', 'vendors.name', 'vendors.currency', 'vendors.createdAt'])
      .where(vendorOwned(scope, 'vendors.id'));
  return {
    list(scope: Scope, page: PageRequest<VendorSort>): Promise<Page<VendorRow>> {
      return paginate(
        base(scope),
        page,
        {
          name: { ref: 'vendors.name', value: (r) => r.name },
          createdAt: { ref: 'vendors.createdAt', value: (r) => r.createdAt },
        },
        'vendors.id',
      );
    },
    /** By slug, regardless of scope: for the publisher and loaders, which run with the system scope. */
    findBySlug(slug: string): Promise<VendorRow | undefined> {
      return db.selectFrom('vendors').selectAll().where('slug', '=', slug).executeTakeFirst();
    },
    /** The slug of a vendor by id, regardless of scope (undefined when there is none). */
    async slugOf(id: string): Promise<string | undefined> {
      return (await db.selectFrom('vendors').select('slug').where('id', '=', id).executeTakeFirst())?.slug;
    },
    /** A vendor by slug or id, regardless of scope: for the operator's commands. */
    findBySlugOrId(slugOrId: string): Promise<{ id: string; slug: string } | undefined> {
      return db
        .selectFrom('vendors')
        .select(['id', 'slug'])
        .where((eb) => eb.or([eb('slug', '=', slugOrId), eb('id', '=', slugOrId)]))
        .executeTakeFirst();
    },
    async insert(row: VendorRow): Promise<void> {
      await db.insertInto('vendors').values(row).execute();
    },
    async count(): Promise<number> {
      const r = await db
        .selectFrom('vendors')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async get(scope: Scope, idOrSlug: string): Promise<VendorRow | undefined> {
      return base(scope)
        .where((eb) => eb.or([eb('vendors.id', '=', idOrSlug), eb('vendors.slug', '=', idOrSlug)]))
        .executeTakeFirst();
    },
  };
}
export type VendorRepository = ReturnType<typeof vendorRepository>;
