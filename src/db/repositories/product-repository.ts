import type { Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { Database } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { vendorOwned } from './scoping.js';
import { containsText } from './text-search.js';

export type ProductSort = 'name' | 'sku' | 'listPrice';

export interface ProductFilter {
  vendorId?: string | undefined;
  family?: string | undefined;
  licensing?: string | undefined;
  solution?: string | undefined;
  q?: string | undefined;
}

export interface ProductRow {
  id: string;
  vendorId: string;
  sku: string;
  name: string;
  family: string;
  listPriceMinor: number;
  currency: string;
  createdAt: string;
  licensing: string | null;
  solution: string | null;
}

export interface ProductAttributes {
  licensing: string | null;
  solution: string | null;
}

export function productRepository(db: Kysely<Database>) {
  const base = (scope: Scope) =>
    db
      .selectFrom('products')
      .select([
        'products.id',
        'products.vendorId',
        'products.sku',
        'products.name',
        'products.family',
        'products.listPriceMinor',
        'products.currency',
        'products.createdAt',
        'products.licensing',
        'products.solution',
      ])
      .where(vendorOwned(scope, 'products.vendorId'));
  return {
    /** The names of those of these products the caller may see (the others are left out). */
    async names(scope: Scope, ids: readonly string[]): Promise<Map<string, string>> {
      const wanted = [...new Set(ids)];
      if (wanted.length === 0) return new Map();
      const rows = await base(scope).where('products.id', 'in', wanted).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    list(scope: Scope, filter: ProductFilter, page: PageRequest<ProductSort>): Promise<Page<ProductRow>> {
      let q = base(scope);
      if (filter.vendorId) q = q.where('products.vendorId', '=', filter.vendorId);
      if (filter.family) q = q.where('products.family', '=', filter.family);
      if (filter.licensing) q = q.where('products.licensing', '=', filter.licensing);
      if (filter.solution) q = q.where('products.solution', '=', filter.solution);
      if (filter.q)
        q = q.where((eb) =>
          eb.or([
            containsText('products.name', filter.q ?? ''),
            containsText('products.sku', filter.q ?? ''),
          ]),
        );
      return paginate(
        q,
        page,
        {
          name: { ref: 'products.name', value: (r) => r.name },
          sku: { ref: 'products.sku', value: (r) => r.sku },
          listPrice: { ref: 'products.listPriceMinor', value: (r) => r.listPriceMinor },
        },
        'products.id',
      );
    },
    get(scope: Scope, id: string): Promise<ProductRow | undefined> {
      return base(scope).where('products.id', '=', id).executeTakeFirst();
    },
    bySku(vendorId: string, sku: string): Promise<ProductRow | undefined> {
      return base({ kind: 'system' })
        .where('products.vendorId', '=', vendorId)
        .where('products.sku', '=', sku)
        .executeTakeFirst();
    },
    /** Inserts the product unless the vendor has its SKU already (unique key): true when inserted. */
    async insertNew(row: ProductRow): Promise<boolean> {
      const r = await db
        .insertInto('products')
        .values(row)
        .onConflict((oc) => oc.columns(['vendorId', 'sku']).doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    /** Licensing model and solution area of each of the vendor's products that has either. */
    async attributes(vendorId: string): Promise<Map<string, ProductAttributes>> {
      const rows = await db
        .selectFrom('products')
        .select(['id', 'licensing', 'solution'])
        .where('vendorId', '=', vendorId)
        .where((eb) => eb.or([eb('licensing', 'is not', null), eb('solution', 'is not', null)]))
        .execute();
      return new Map(rows.map((r) => [r.id, { licensing: r.licensing, solution: r.solution }]));
    },
  };
}
export type ProductRepository = ReturnType<typeof productRepository>;
