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
      ])
      .where(vendorOwned(scope, 'products.vendorId'));
  return {
    list(scope: Scope, filter: ProductFilter, page: PageRequest<ProductSort>): Promise<Page<ProductRow>> {
      let q = base(scope);
      if (filter.vendorId) q = q.where('products.vendorId', '=', filter.vendorId);
      if (filter.family) q = q.where('products.family', '=', filter.family);
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
  };
}
export type ProductRepository = ReturnType<typeof productRepository>;
