import { hash as digestOf } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { grossOf, MAX_VENDOR_GROSS_MINOR, vendorGrossMessage } from '../../core/money/limits.js';
import { isProductFamily } from '../../core/model/catalog.js';
import { productFacts } from '../incentives/line-facts.js';
import { canonicalOrder, checkOrder, type OrderInput } from '../../core/orders/order-input.js';
import {
  convertOrder,
  currencyTerms,
  orderRatePolicy,
  rateWindowStart,
  type ConvertedLine,
  type LineFx,
  type SoldLineRate,
} from '../../core/orders/order-currency.js';
import { loadRateBook, programsCovering } from './order-rates.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import {
  orderIntakeRepository,
  serializesTransactions,
  type NewOrder,
  type NewOrderLine,
} from '../../db/repositories/order-intake-repository.js';
import { vendorRepository } from '../../db/repositories/vendor-repository.js';
import { vendorVolumeRepository } from '../../db/repositories/vendor-volume-repository.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import { postAccruals } from '../incentives/post-accruals.js';
import { afterOrderForDeals, registrationNamedBy } from '../deals/order-deals.js';
import type { AppContext } from '../context.js';
import { groupCommitOf } from './group-commit.js';
import { keepCoverage } from '../engagement/upkeep.js';
import {
  decideDirectOrder,
  recordDirect,
  type DirectOrderToRoute,
  type RoutedOutcome,
} from '../engagement/route-order.js';
import { actorIdOf } from '../deals/deal-events.js';
import { emitOrderAccepted } from '../webhooks/emit.js';

/** An order as the API shows it, with its lines. */
export interface OrderDetail extends Omit<NewOrder, 'inputHash'> {
  lines: {
    id: string;
    orderId: string;
    lineNo: number;
    productId: string;
    family: string;
    quantity: number;
    unitPriceMinor: number;
    amountMinor: number;
    currency: string;
    returnsLineId: string | null;
    /** What was invoiced when the order was not in the program's currency, and the rate used (else null). */
    originalCurrency: string | null;
    originalUnitPriceMinor: number | null;
    originalAmountMinor: number | null;
    fxRate: string | null;
    fxRateDay: string | null;
    fxRateSource: string | null;
  }[];
}

/** What the rules of engagement decided for a direct order (every direct order gets one). */
export interface RoutingSummary {
  routedOrderId: string;
  outcome: 'direct' | 'route';
  reason: string;
  sentence: string;
  coverage: string;
  /** The partner it was offered to first (routed orders). */
  offeredTo: { partnerId: string; name: string; offerId: string; deadline: string } | null;
}

/**
 * A created order comes with what was written (so the caller need not read it back); a replay does not.
 * A direct order the rules of engagement route to a partner is not booked yet: it is `routed`, held as
 * an offer, and booked when a partner accepts it (or direct when none does).
 */
export type IngestOutcome =
  | { status: 'created'; orderId: string; order: OrderDetail; routing: RoutingSummary | null }
  | { status: 'replayed'; orderId: string }
  | { status: 'routed'; routing: RoutingSummary; replayed: boolean };

type Who = { actor: Actor; scope: Scope };
type Vendor = { id: string; slug: string; currency: string };

/**
 * Takes one order with its lines, all or nothing. The key is (vendor, source, external id): the same
 * key with the same content returns the original order ("replayed"); with other content it is a
 * conflict. Every problem is reported at once, each naming where it is. A distributor may report only
 * its own sell-out, to resellers it supplies. The order, its accruals and its audit event commit together.
 *
 * On a store that runs one transaction at a time (SQLite), orders that arrive together share one
 * transaction, each in its own savepoint (group commit; an order alone is the transaction itself): the
 * same outcome for each, one commit for all.
 */
export async function ingestOrder(
  ctx: AppContext,
  who: Who,
  input: OrderInput & { vendor?: string | undefined; requestId?: string },
): Promise<IngestOutcome> {
  // A vendor's own orders resolve their vendor inside the transaction (one prepared look-up); others
  // name it, and are checked before anything is read.
  const named =
    who.scope.kind === 'vendor' ? undefined : await resolveVendor(ctx.store.db, ctx, who.scope, input.vendor);
  if (who.scope.kind === 'partner') {
    if (input.channel !== 'distributor' || input.distributorId !== who.scope.partnerId)
      throw new TrellisError(
        'forbidden',
        'a distributor may report only its own sell-out (channel "distributor", distributorId = your partner id)',
      );
  }
  const hash = digestOf('sha256', canonicalOrder(input));
  let vendorId = named?.id;
  const work = async (trx: Kysely<Database>): Promise<IngestOutcome> => {
    const vendor = named ?? (await resolveVendor(trx, ctx, who.scope, input.vendor));
    vendorId = vendor.id;
    return takeOrder(trx, ctx, who, vendor, input, hash);
  };
  try {
    return serializesTransactions(ctx.store)
      ? await groupCommitOf(ctx.store).run(work)
      : await ctx.store.db.transaction().execute(work);
  } catch (e) {
    // Two posts of the same key at once: the loser of the unique index reads the winner's order.
    if (e instanceof TrellisError || vendorId === undefined) throw e;
    const existing = await orderIntakeRepository(ctx.store.db, ctx.store).orderByKey(
      vendorId,
      input.source,
      input.externalId,
    );
    if (existing) return replayOrConflict(existing, hash, input);
    throw e;
  }
}

/**
 * Takes one order in the caller's transaction. `booking`: an order a routed direct order becomes (a
 * partner accepted it, or no partner did): it is not routed again, and its key's routed order is its own.
 */
export async function takeOrder(
  trx: Kysely<Database>,
  ctx: AppContext,
  who: Who,
  vendor: Vendor,
  input: OrderInput & { requestId?: string },
  hash: string,
  booking = false,
): Promise<IngestOutcome> {
  const repo = orderIntakeRepository(trx, ctx.store);
  if (input.channel === 'direct' && !booking) {
    // A direct order's key may name an order held for routing (not booked yet, or booked through a partner).
    const routed = await repo.routedOrderByKey(vendor.id, input.source, input.externalId);
    if (routed) {
      if (routed.inputHash !== hash)
        return replayOrConflict({ id: routed.id, inputHash: routed.inputHash }, hash, input);
      if (routed.orderId) return { status: 'replayed', orderId: routed.orderId };
      const decision = JSON.parse(routed.decision) as { outcome: 'direct' | 'route' };
      return {
        status: 'routed',
        replayed: true,
        routing: {
          routedOrderId: routed.id,
          outcome: decision.outcome,
          reason: routed.reason,
          sentence: routed.sentence,
          coverage: routed.coverageStatus,
          offeredTo: null,
        },
      };
    }
  }
  const existing = await repo.byKey(vendor.id, input.source, input.externalId);
  if (existing) return replayOrConflict(existing, hash, input);
  const partnerIds = [input.resellerId, input.distributorId].filter((x): x is string => !!x);
  const returnIds = input.lines.map((l) => l.returnsLineId).filter((x): x is string => !!x);
  const [customer, products, partners, published, returnable, supplied] = await Promise.all([
    repo.customer(vendor.id, input.customerId),
    repo.products(vendor.id, [...new Set(input.lines.map((l) => l.productId))]),
    repo.enrolledPartners(vendor.id, partnerIds),
    repo.publishedVersions(vendor.id),
    repo.returnable(vendor.id, returnIds),
    input.distributorId && input.resellerId
      ? repo.supplies(vendor.id, input.distributorId, input.resellerId)
      : Promise.resolve(false),
  ]);
  // The programs covering the order's date say which currencies it may be in (issue 17).
  const programs = customer ? await programsCovering(trx, ctx.store, published, input.orderDate) : [];
  const errors = checkOrder(input, {
    vendorCurrency: vendor.currency,
    currencies: customer ? currencyTerms(programs, customer.country, vendor.currency) : null,
    customer: customer ?? null,
    products: new Map(
      products
        .filter((p) => isProductFamily(p.family))
        .map((p) => [p.id, { family: p.family as never, currency: p.currency }]),
    ),
    partners: new Map(partners.map((p) => [p.id, { kind: p.kind }])),
    supplies: () => supplied,
    periods: published.map((p) => ({ from: p.effectiveFrom, to: p.effectiveTo, program: p.code })),
    returnable: new Map(returnable.map((r) => [r.id, r])),
  });
  if (errors.length > 0 || !customer)
    throw new TrellisError(
      'invalid_input',
      `order ${input.source}/${input.externalId} was refused: ${errors.map((e) => e.message).join('; ')}`,
      errors,
    );
  // Converted into the program's currency at the order day's rate (a return at its line's), line by line.
  const policy = orderRatePolicy(programs, customer.country, input.currency);
  const needsBook = input.currency !== vendor.currency && input.lines.some((l) => !l.returnsLineId);
  const book = needsBook
    ? await loadRateBook(trx, vendor.id, rateWindowStart(input.orderDate, policy.missing), input.orderDate)
    : null;
  const converted = convertOrder(
    input,
    vendor.currency,
    policy,
    book,
    new Map(returnable.map((r) => [r.id, soldRateOf(r)])),
  );
  if (!converted.ok)
    throw new TrellisError(
      'invalid_input',
      `order ${input.source}/${input.externalId} was refused: ${converted.errors.map((e) => e.message).join('; ')}`,
      converted.errors,
    );
  const named = input.dealRegistrationId
    ? await registrationNamedBy(trx, {
        vendorId: vendor.id,
        resellerId: input.resellerId ?? null,
        dealRegistrationId: input.dealRegistrationId,
      })
    : null;
  const now = ctx.clock.now().toISOString();
  const familyOf = new Map(products.map((p) => [p.id, p.family]));
  // The rules of engagement (src/core/engagement): a direct order may be routed to a partner instead.
  const toRoute: DirectOrderToRoute | null =
    input.channel === 'direct' && !booking
      ? {
          vendorId: vendor.id,
          input,
          hash,
          customer: {
            id: customer.id,
            name: customer.name,
            domain: customer.domain ?? null,
            country: customer.country,
            region: customer.region,
          },
          lines: input.lines.map((l, i) => ({
            family: familyOf.get(l.productId) ?? 'services',
            quantity: l.quantity,
            amountMinor: converted.lines[i]?.amountMinor ?? 0,
            returnsLineId: l.returnsLineId ?? null,
          })),
          totalMinor: converted.totalMinor,
          currency: vendor.currency,
          actorId: actorIdOf(who.actor),
          now,
        }
      : null;
  const decided = toRoute ? await decideDirectOrder(trx, ctx, published, toRoute) : null;
  if (toRoute && decided && decided.decision.outcome === 'route') {
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'order.route',
      target: { type: 'routed-order', id: decided.routedOrderId, vendorId: vendor.id, partnerId: null },
      after: { decision: decided.decision },
      requestId: input.requestId ?? null,
      detail: {
        source: input.source,
        externalId: input.externalId,
        reason: decided.decision.reason,
        offeredTo: decided.offer?.partnerId ?? null,
      },
    });
    return { status: 'routed', replayed: false, routing: summaryOf(decided) };
  }
  const orderId = ctx.ids.next('order');
  const lines = orderLineRows(input, converted.lines, {
    orderId,
    vendorId: vendor.id,
    customerId: customer.id,
    nextId: () => ctx.ids.next('orderLine'),
    familyOf: (productId) => familyOf.get(productId),
  });
  const order: NewOrder = {
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
    currency: vendor.currency,
    country: customer.country,
    region: customer.region,
    segment: customer.segment,
    totalMinor: converted.totalMinor,
    createdAt: now,
    inputHash: hash,
    originalCurrency: converted.originalCurrency,
    originalTotalMinor: converted.originalTotalMinor,
  };
  await repo.insert(order, lines);
  await keepCoverage(trx, ctx.store, ctx.ids, now, published, [
    {
      id: orderId,
      vendorId: vendor.id,
      customerId: customer.id,
      resellerId: order.resellerId,
      distributorId: order.distributorId,
      orderDate: order.orderDate,
      families: [...new Set(lines.filter((l) => l.quantity > 0).map((l) => l.family))],
    },
  ]);
  if (named || order.resellerId)
    await afterOrderForDeals(
      trx,
      ctx,
      {
        id: orderId,
        vendorId: vendor.id,
        customerId: customer.id,
        customerName: customer.name,
        customerDomain: customer.domain ?? null,
        customerCountry: customer.country,
        resellerId: order.resellerId,
        orderDate: order.orderDate,
        families: [...new Set(lines.map((l) => l.family))],
        endUserName: input.endUserName ?? null,
      },
      named,
    );
  // The product attributes programs test (line.licensing, line.solution) ride with each line.
  const attributesOf = new Map(products.map((p) => [p.id, productFacts(p)]));
  await postAccruals(
    trx,
    ctx,
    { ...order, channel: input.channel, dealRegistrationId: named?.id ?? null },
    lines.map((l) => ({ ...l, ...attributesOf.get(l.productId) })),
    { published, newOrder: true },
  );
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
  await emitOrderAccepted(trx, ctx, order);
  if (toRoute && decided) await recordDirect(trx, ctx.store, toRoute, decided, orderId);
  // Last, so on PostgreSQL the vendor's volume row is locked only until the commit that follows.
  await addVendorVolume(trx, ctx, vendor.id, grossOf(lines.map((l) => l.amountMinor)));
  const { inputHash: _hash, ...shown } = order;
  return {
    status: 'created',
    routing: decided ? summaryOf(decided) : null,
    orderId,
    order: {
      ...shown,
      lines: lines.map((l) => ({
        id: l.id,
        orderId: l.orderId,
        lineNo: l.lineNo,
        productId: l.productId,
        family: l.family,
        quantity: l.quantity,
        unitPriceMinor: l.unitPriceMinor,
        amountMinor: l.amountMinor,
        currency: l.currency,
        returnsLineId: l.returnsLineId,
        originalCurrency: l.originalCurrency,
        originalUnitPriceMinor: l.originalUnitPriceMinor,
        originalAmountMinor: l.originalAmountMinor,
        fxRate: l.fxRate,
        fxRateDay: l.fxRateDay,
        fxRateSource: l.fxRateSource,
      })),
    },
  };
}

/** The rate a stored sold line was converted at (null: it was in the program's currency). */
export function soldRateOf(r: {
  fxRate: string | null;
  fxRateDay: string | null;
  fxRateSource: string | null;
  leftOriginalMinor?: number | string | null | undefined;
  leftConvertedMinor?: number | string | null | undefined;
}): SoldLineRate | null {
  if (!r.fxRate || !r.fxRateDay || !r.fxRateSource) return null;
  const known =
    r.leftOriginalMinor !== null &&
    r.leftOriginalMinor !== undefined &&
    r.leftConvertedMinor !== null &&
    r.leftConvertedMinor !== undefined;
  return {
    fxRate: r.fxRate,
    fxRateDay: r.fxRateDay,
    fxRateSource: r.fxRateSource,
    ...(known
      ? { left: { originalMinor: Number(r.leftOriginalMinor), convertedMinor: Number(r.leftConvertedMinor) } }
      : {}),
  };
}

/** A line's conversion as its order_lines columns (all null on a line in the program's currency). */
/**
 * The rows of an order's lines as intake and import write them: the amounts converted into the program's
 * currency (`convertOrder`), what was invoiced and the rate beside them.
 */
export function orderLineRows(
  input: Pick<OrderInput, 'lines' | 'resellerId' | 'distributorId' | 'orderDate'>,
  converted: readonly ConvertedLine[],
  at: {
    orderId: string;
    vendorId: string;
    customerId: string;
    nextId: () => string;
    familyOf: (productId: string) => string | undefined;
  },
): NewOrderLine[] {
  return input.lines.map((l, i) => {
    const c = converted[i] as ConvertedLine;
    return {
      id: at.nextId(),
      orderId: at.orderId,
      vendorId: at.vendorId,
      lineNo: i + 1,
      productId: l.productId,
      family: at.familyOf(l.productId) ?? 'services',
      quantity: l.quantity,
      unitPriceMinor: c.unitPriceMinor,
      amountMinor: c.amountMinor,
      currency: c.currency,
      resellerId: input.resellerId ?? null,
      distributorId: input.distributorId ?? null,
      customerId: at.customerId,
      orderDate: input.orderDate,
      returnsLineId: l.returnsLineId ?? null,
      ...lineFxColumns(c.fx),
    };
  });
}

export function lineFxColumns(
  fx: LineFx | null,
): Pick<
  NewOrderLine,
  | 'originalCurrency'
  | 'originalUnitPriceMinor'
  | 'originalAmountMinor'
  | 'fxRate'
  | 'fxRateDay'
  | 'fxRateSource'
> {
  return {
    originalCurrency: fx?.originalCurrency ?? null,
    originalUnitPriceMinor: fx?.originalUnitPriceMinor ?? null,
    originalAmountMinor: fx?.originalAmountMinor ?? null,
    fxRate: fx?.fxRate ?? null,
    fxRateDay: fx?.fxRateDay ?? null,
    fxRateSource: fx?.fxRateSource ?? null,
  };
}

/**
 * Raises the vendor's gross volume by an order's, or refuses the order (limit_exceeded, 422) when it
 * would pass MAX_VENDOR_GROSS_MINOR: the transaction then rolls back and nothing is stored.
 */
async function addVendorVolume(trx: Kysely<Database>, ctx: AppContext, vendorId: string, gross: number) {
  if (
    gross <= MAX_VENDOR_GROSS_MINOR &&
    (await vendorVolumeRepository(trx, ctx.store).add(vendorId, gross, MAX_VENDOR_GROSS_MINOR))
  )
    return;
  throw new TrellisError('limit_exceeded', vendorGrossMessage(gross), [
    { location: 'body.lines', message: vendorGrossMessage(gross) },
  ]);
}

function summaryOf(decided: RoutedOutcome): RoutingSummary {
  const first = decided.decision.candidates[0];
  return {
    routedOrderId: decided.routedOrderId,
    outcome: decided.decision.outcome,
    reason: decided.decision.reason,
    sentence: decided.decision.sentence,
    coverage: decided.coverage.status,
    offeredTo:
      decided.offer && first
        ? {
            partnerId: first.partnerId,
            name: first.name,
            offerId: decided.offer.id,
            deadline: decided.offer.deadline,
          }
        : null,
  };
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

/** The vendor the order is for: the caller's own, or (distributors) the one it names, within scope. */
export async function resolveVendor(
  trx: Kysely<Database>,
  ctx: AppContext,
  scope: Scope,
  vendor: string | undefined,
): Promise<Vendor & { name: string }> {
  if (scope.kind === 'vendor') {
    const own = await orderIntakeRepository(trx, ctx.store).vendorById(scope.vendorId);
    if (!own) throw notFound('vendor', scope.vendorId);
    if (vendor && vendor !== own.id && vendor !== own.slug) throw notFound('vendor', vendor);
    return own;
  }
  if (!vendor)
    throw new TrellisError('invalid_input', 'vendor is required', [
      { location: 'body.vendor', message: 'the vendor id or slug' },
    ]);
  const found = await vendorRepository(trx).get(scope, vendor);
  if (!found) throw notFound('vendor', vendor);
  return found;
}
