import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { validateProductInput, type ProductInput } from '../../core/catalog/product-input.js';
import { TrellisError } from '../../core/shared/errors.js';
import { productRepository, type ProductRow } from '../../db/repositories/product-repository.js';
import { vendorRepository } from '../../db/repositories/vendor-repository.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';

export interface CreatedProduct {
  product: ProductRow;
  /** The same SKU with the same content was already in the catalogue: nothing was written. */
  replayed: boolean;
}

const SAME_FIELDS = ['name', 'family', 'listPriceMinor', 'currency', 'licensing', 'solution'] as const;

/**
 * Adds a product to the caller's vendor catalogue (vendor admins; audited), with the attributes programs
 * multiply on: the licensing model of software (perpetual, term, subscription, saas; none on hardware and
 * services) and a solution area. One SKU per vendor, held by the unique key: posting the same SKU with
 * the same content again answers the stored product (`replayed`); other content under a stored SKU is a
 * conflict, so two admins adding one SKU at once get one product and, for the other, a replay or a 409.
 */
export async function createProduct(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  input: ProductInput,
  options: { requestId?: string | null } = {},
): Promise<CreatedProduct> {
  if (who.scope.kind !== 'vendor')
    throw new TrellisError('forbidden', "only a vendor's people add products to its catalogue");
  const vendorId = who.scope.vendorId;
  return ctx.store.db.transaction().execute(async (trx) => {
    const vendor = await vendorRepository(trx).get(who.scope, vendorId);
    if (!vendor) throw new TrellisError('not_found', `vendor ${vendorId} was not found`);
    const checked = validateProductInput(input, vendor.currency);
    if (!checked.ok)
      throw new TrellisError(
        'invalid_input',
        `the product is not valid (${checked.errors.length} problem${checked.errors.length === 1 ? '' : 's'})`,
        checked.errors,
      );
    const p = checked.product;
    const repo = productRepository(trx);
    const row: ProductRow = {
      id: ctx.ids.next('product'),
      vendorId,
      sku: p.sku,
      name: p.name,
      family: p.family,
      listPriceMinor: p.listPriceMinor,
      currency: p.currency,
      createdAt: ctx.clock.now().toISOString(),
      licensing: p.licensing,
      solution: p.solution,
    };
    if (!(await repo.insertNew(row))) {
      const stored = await repo.bySku(vendorId, p.sku);
      if (!stored) throw new TrellisError('conflict', `product ${p.sku} was changed at the same time; retry`);
      const differs = SAME_FIELDS.filter((f) => stored[f] !== row[f]);
      if (differs.length > 0)
        throw new TrellisError(
          'conflict',
          `the catalogue already has SKU ${p.sku} (${stored.id}) with another ${differs.join(', ')}`,
          differs.map((f) => ({ location: `/${f}`, message: `stored: ${JSON.stringify(stored[f])}` })),
        );
      return { product: stored, replayed: true };
    }
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'product.create',
      target: { type: 'product', id: row.id, vendorId, partnerId: null },
      after: row,
      requestId: options.requestId ?? null,
      detail: { sku: row.sku, family: row.family, licensing: row.licensing, solution: row.solution },
    });
    return { product: row, replayed: false };
  });
}
