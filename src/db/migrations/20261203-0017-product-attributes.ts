import { sql, type Kysely } from 'kysely';

/**
 * Product attributes programs multiply on (issue 12, item 4), and vendors acting as distributors.
 *
 * - `products.licensing`: the licensing model of a software SKU (perpetual, term, subscription, saas);
 *   null for hardware and services. VMware Partner Connect's qualifying multipliers read it as
 *   `line.licensing`. A check constraint keeps the values to the catalogue's (`LICENSING_MODELS`).
 * - `products.solution`: the solution area a SKU belongs to (a lowercase code such as
 *   `cloud-infrastructure`), read as `line.solution`; null when the vendor names none.
 * - `partners.represents_vendor_id`: the vendor this partner record stands for when a vendor acts as a
 *   distributor of another vendor's products (Dell Technologies distributing VMware); null for ordinary
 *   partners. Purchases through it are credited in the supplying vendor's program only as an agreement's
 *   `crossCredit` provision says (`src/app/tiers/cross-credit.ts`).
 *
 * Existing rows keep null: no product had a licensing model before, so no multiplier applied to them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('products')
    .addColumn('licensing', 'text', (c) =>
      c.check(sql`licensing in ('perpetual', 'term', 'subscription', 'saas')`),
    )
    .execute();
  await db.schema
    .alterTable('products')
    .addColumn('solution', 'text', (c) => c.check(sql`length(solution) between 1 and 64`))
    .execute();
  await db.schema
    .alterTable('partners')
    .addColumn('represents_vendor_id', 'text', (c) => c.references('vendors.id'))
    .execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('partners').dropColumn('represents_vendor_id').execute();
  await db.schema.alterTable('products').dropColumn('solution').execute();
  await db.schema.alterTable('products').dropColumn('licensing').execute();
}
