import { type Kysely, type Selectable, sql } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { CustomersTable, Database } from '../schema.js';
import { paginate, type Page, type PageRequest } from './page.js';
import { inRegions } from './scoping.js';
import { nameContains } from './text-search.js';

export type CustomerSort = 'name' | 'country' | 'createdAt';

export interface CustomerFilter {
  vendorId?: string | undefined;
  country?: string | undefined;
  region?: string | undefined;
  segment?: string | undefined;
  q?: string | undefined;
}

export type CustomerRow = Selectable<CustomersTable>;

export function customerRepository(db: Kysely<Database>) {
  const base = (scope: Scope) => {
    const q = db
      .selectFrom('customers')
      .select([
        'customers.id',
        'customers.vendorId',
        'customers.name',
        'customers.domain',
        'customers.country',
        'customers.region',
        'customers.segment',
        'customers.addressLine',
        'customers.city',
        'customers.postalCode',
        'customers.createdAt',
      ]);
    switch (scope.kind) {
      case 'system':
        return q;
      case 'vendor':
        return q
          .where('customers.vendorId', '=', scope.vendorId)
          .where(inRegions(scope.regions, 'customers.region'));
      case 'partner':
        // A partner sees only the end customers it has sold to (as reseller or distributor): one index
        // range of "who sold to whom" (channel_sales, kept in step with every order), never the orders.
        return q.where(
          sql<boolean>`customers.id in (select cs.customer_id from channel_sales cs where cs.partner_id = ${scope.partnerId})`,
        );
    }
  };
  return {
    /** The names of those of these customers the caller may see (the others are left out). */
    async names(scope: Scope, ids: readonly string[]): Promise<Map<string, string>> {
      const wanted = [...new Set(ids)];
      if (wanted.length === 0) return new Map();
      const rows = await base(scope).where('customers.id', 'in', wanted).execute();
      return new Map(rows.map((r) => [r.id, r.name]));
    },
    async list(
      scope: Scope,
      filter: CustomerFilter,
      page: PageRequest<CustomerSort>,
    ): Promise<Page<CustomerRow>> {
      let q = base(scope);
      if (filter.vendorId)
        q =
          scope.kind === 'partner'
            ? // The partner's customers (one index range of channel_sales) are the few rows to read; coalesce()
              // keeps SQLite from walking the vendor's customers by name to find them instead.
              q.where(sql<boolean>`coalesce(customers.vendor_id, '') = ${filter.vendorId}`)
            : q.where('customers.vendorId', '=', filter.vendorId);
      if (filter.country) q = q.where('customers.country', '=', filter.country);
      if (filter.region) q = q.where('customers.region', '=', filter.region);
      if (filter.segment) q = q.where('customers.segment', '=', filter.segment);
      if (filter.q) q = q.where(await nameContains(db, 'customers', filter.q));
      return paginate(
        q,
        page,
        {
          name: { ref: 'customers.name', value: (r) => r.name },
          country: { ref: 'customers.country', value: (r) => r.country },
          createdAt: { ref: 'customers.createdAt', value: (r) => r.createdAt },
        },
        'customers.id',
      );
    },
    get(scope: Scope, id: string): Promise<CustomerRow | undefined> {
      return base(scope).where('customers.id', '=', id).executeTakeFirst();
    },
  };
}
export type CustomerRepository = ReturnType<typeof customerRepository>;
