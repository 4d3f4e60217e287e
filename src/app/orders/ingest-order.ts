import { createHash } from 'node:crypto';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { isProductFamily } from '../../core/model/catalog.js';
import { canonicalOrder, checkOrder, type OrderInput } from '../../core/orders/order-input.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { orderIntakeRepository } from '../../db/repositories/order-intake-repository.js';
import { recordAudit } from '../access/audit.js';
import { postAccruals } from '../incentives/post-accruals.js';
import type { AppContext } from '../context.js';

export type IngestOutcome = { status: 'created' | 'replayed'; orderId: string };

/**
 * Takes one order with its lines, all or nothing. The key is (vendor, source, external id): the same
 * key with the same content returns the original order ("replayed"); with other content it is a
 * conflict. Every problem is reported at once, each naming where it is. A distributor may report only
 * its own sell-out, to resellers it supplies. The order and its audit event commit together.
 */
export async function ingestOrder(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  input: OrderInput & { vendor?: string | undefined; requestId?: string },
): Promise<IngestOutcome> {
  const vendor = await resolveVendor(ctx, who.scope, input.vendor);
  if (who.scope.kind === 'partner') {
    if (input.channel !== 'distributor' || input.distributorId !== who.scope.partnerId)
      throw new TrellisError(
        'forbidden',
        'a distributor may report only its own sell-out (channel "distributor", distributorId = your partner id)',
      );
  }
  const hash = createHash('sha256').update(canonicalOrder(input)).digest('hex');
  const attempt = () =>
    ctx.store.db.transaction().execute(async (trx): Promise<IngestOutcome> => {
      const repo = orderIntakeRepository(trx);
      const existing = await repo.byKey(vendor.id, input.source, input.externalId);
      if (existing) return replayOrConflict(existing, hash, input);
      const partnerIds = [input.resellerId, input.distributorId].filter((x): x is string => !!x);
      const [customer, products, partners, periods, returnable, supplied] = await Promise.all([
        repo.customer(vendor.id, input.customerId),
        repo.products(vendor.id, [...new Set(input.lines.map((l) => l.productId))]),
        repo.enrolledPartners(vendor.id, partnerIds),
        repo.periods(vendor.id),
        repo.returnable(
          vendor.id,
          input.lines.map((l) => l.returnsLineId).filter((x): x is string => !!x),
        ),
        input.distributorId ? repo.supplies(vendor.id, input.distributorId) : Promise.resolve([]),
      ]);
      const errors = checkOrder(input, {
        vendorCurrency: vendor.currency,
        customer: customer ?? null,
        products: new Map(
          products
            .filter((p) => isProductFamily(p.family))
            .map((p) => [p.id, { family: p.family as never, currency: p.currency }]),
        ),
        partners: new Map(partners.map((p) => [p.id, { kind: p.kind }])),
        supplies: (_d, r) => supplied.some((s) => s.resellerId === r),
        periods: periods.map((p) => ({ from: p.effectiveFrom, to: p.effectiveTo, program: p.code })),
        returnable: new Map(returnable.map((r) => [r.id, r])),
      });
      if (errors.length > 0 || !customer)
        throw new TrellisError(
          'invalid_input',
          `order ${input.source}/${input.externalId} was refused: ${errors.map((e) => e.message).join('; ')}`,
          errors,
        );
      const orderId = ctx.ids.next('order');
      const now = ctx.clock.now().toISOString();
      const familyOf = new Map(products.map((p) => [p.id, p.family]));
      const lines = input.lines.map((l, i) => ({
        id: ctx.ids.next('orderLine'),
        orderId,
        vendorId: vendor.id,
        lineNo: i + 1,
        productId: l.productId,
        family: familyOf.get(l.productId) ?? 'services',
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        amountMinor: l.quantity * l.unitPriceMinor,
        currency: input.currency,
        resellerId: input.resellerId ?? null,
        distributorId: input.distributorId ?? null,
        customerId: customer.id,
        orderDate: input.orderDate,
        returnsLineId: l.returnsLineId ?? null,
      }));
      const order = {
        id: orderId,
        vendorId: vendor.id,
        source: input.source,
        externalId: input.externalId,
        customerId: customer.id,
        endUserName: input.endUserName ?? customer.name,
        channel: input.channel,
        resellerId: input.resellerId ?? null,
        distributorId: input.distributorId ?? null,
        orderDate: input.orderDate,
        currency: input.currency,
        country: customer.country,
        region: customer.region,
        segment: customer.segment,
        totalMinor: lines.reduce((sum, l) => sum + l.amountMinor, 0),
        createdAt: now,
        inputHash: hash,
      };
      await repo.insert(order, lines);
      await postAccruals(trx, ctx, order, lines);
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: 'order.create',
        target: {
          type: 'order',
          id: orderId,
          vendorId: vendor.id,
          partnerId: order.resellerId ?? order.distributorId,
        },
        after: { order, lines },
        requestId: input.requestId ?? null,
        detail: {
          source: input.source,
          externalId: input.externalId,
          lines: lines.length,
          totalMinor: order.totalMinor,
        },
      });
      return { status: 'created', orderId };
    });
  try {
    return await attempt();
  } catch (e) {
    // Two posts of the same key at once: the loser of the unique index reads the winner's order.
    if (e instanceof TrellisError) throw e;
    const existing = await orderIntakeRepository(ctx.store.db).byKey(
      vendor.id,
      input.source,
      input.externalId,
    );
    if (existing) return replayOrConflict(existing, hash, input);
    throw e;
  }
}

function replayOrConflict(
  existing: { id: string; inputHash: string | null },
  hash: string,
  input: OrderInput,
): IngestOutcome {
  if (existing.inputHash === hash) return { status: 'replayed', orderId: existing.id };
  throw new TrellisError(
    'conflict',
    `order ${input.source}/${input.externalId} already exists with other content (${existing.id})`,
    [{ location: 'body.externalId', message: 'this source and external id already name another order' }],
  );
}

async function resolveVendor(ctx: AppContext, scope: Scope, vendor: string | undefined) {
  if (scope.kind === 'vendor') {
    const own = await ctx.repos.vendors.get(scope, scope.vendorId);
    if (!own) throw notFound('vendor', scope.vendorId);
    if (vendor && vendor !== own.id && vendor !== own.slug) throw notFound('vendor', vendor);
    return own;
  }
  if (!vendor)
    throw new TrellisError('invalid_input', 'vendor is required', [
      { location: 'body.vendor', message: 'the vendor id or slug' },
    ]);
  const found = await ctx.repos.vendors.get(scope, vendor);
  if (!found) throw notFound('vendor', vendor);
  return found;
}
