import type { Scope } from '../core/access/scope.js';
import { notFound } from '../core/shared/errors.js';
import type { CustomerFilter, CustomerSort } from '../db/repositories/customer-repository.js';
import type { OrderFilter, OrderSort } from '../db/repositories/order-repository.js';
import type { PartnerFilter, PartnerSort } from '../db/repositories/partner-repository.js';
import type { ProductFilter, ProductSort } from '../db/repositories/product-repository.js';
import type { ProgramSort } from '../db/repositories/program-repository.js';
import type { VendorSort } from '../db/repositories/vendor-repository.js';
import type { AppContext } from './context.js';
import { paged, type PageParams } from './pagination.js';

/** Read use cases. Each takes the caller's scope; what is outside it is "not found", never "forbidden". */
export function listVendors(ctx: AppContext, scope: Scope, page: PageParams<VendorSort>) {
  return paged(page, (request) => ctx.repos.vendors.list(scope, request));
}

export async function getVendor(ctx: AppContext, scope: Scope, id: string) {
  const vendor = await ctx.repos.vendors.get(scope, id);
  if (!vendor) throw notFound('vendor', id);
  return vendor;
}

export function listPrograms(
  ctx: AppContext,
  scope: Scope,
  filter: { vendorId?: string | undefined },
  page: PageParams<ProgramSort>,
) {
  return paged(page, (request) => ctx.repos.programs.list(scope, filter, request));
}

/** A program with its versions, each with its tiers and full definition (components, policies). */
export async function getProgram(ctx: AppContext, scope: Scope, idOrCode: string) {
  const program = await ctx.repos.programs.get(scope, idOrCode);
  if (!program) throw notFound('program', idOrCode);
  const versions = await ctx.repos.programs.versions(scope, program.id);
  const tiers = await ctx.repos.programs.tiers(
    scope,
    versions.map((v) => v.id),
  );
  return {
    ...program,
    versions: versions.map((v) => ({
      id: v.id,
      version: v.version,
      status: v.status,
      effectiveFrom: v.effectiveFrom,
      effectiveTo: v.effectiveTo,
      sourceHash: v.sourceHash,
      publishedAt: v.publishedAt,
      tiers: tiers
        .filter((t) => t.programVersionId === v.id)
        .map((t) => ({ code: t.code, name: t.name, rank: t.rank, invitationOnly: t.invitationOnly === 1 })),
      definition: JSON.parse(v.definition) as unknown,
    })),
  };
}

export function listPartners(
  ctx: AppContext,
  scope: Scope,
  filter: PartnerFilter,
  page: PageParams<PartnerSort>,
) {
  return paged(page, (request) => ctx.repos.partners.list(scope, filter, request));
}

export async function getPartner(ctx: AppContext, scope: Scope, id: string) {
  const partner = await ctx.repos.partners.get(scope, id);
  if (!partner) throw notFound('partner', id);
  const enrolments = await ctx.repos.partners.enrolments(scope, id);
  return { ...partner, enrolments: enrolments.map((e) => ({ ...e, exclusive: e.exclusive === 1 })) };
}

export function listProducts(
  ctx: AppContext,
  scope: Scope,
  filter: ProductFilter,
  page: PageParams<ProductSort>,
) {
  return paged(page, (request) => ctx.repos.products.list(scope, filter, request));
}

export async function getProduct(ctx: AppContext, scope: Scope, id: string) {
  const product = await ctx.repos.products.get(scope, id);
  if (!product) throw notFound('product', id);
  return product;
}

export function listCustomers(
  ctx: AppContext,
  scope: Scope,
  filter: CustomerFilter,
  page: PageParams<CustomerSort>,
) {
  return paged(page, (request) => ctx.repos.customers.list(scope, filter, request));
}

export async function getCustomer(ctx: AppContext, scope: Scope, id: string) {
  const customer = await ctx.repos.customers.get(scope, id);
  if (!customer) throw notFound('customer', id);
  return customer;
}

/**
 * Orders with the names of their customer, reseller and distributor, each read through the caller's own
 * scope: a name the caller could not read on the partner or customer (a reseller's distributor, for a
 * reseller) is null, so the names tell nobody more than the lists already do.
 */
async function withNames<
  T extends { customerId: string; resellerId: string | null; distributorId: string | null },
>(ctx: AppContext, scope: Scope, orders: readonly T[]) {
  const partnerIds = orders.flatMap((o) => [o.resellerId, o.distributorId].filter((x) => x !== null));
  const [customers, partners] = await Promise.all([
    ctx.repos.customers.names(
      scope,
      orders.map((o) => o.customerId),
    ),
    ctx.repos.partners.names(scope, partnerIds),
  ]);
  return orders.map((o) => ({
    ...o,
    customerName: customers.get(o.customerId) ?? null,
    resellerName: (o.resellerId && partners.get(o.resellerId)) ?? null,
    distributorName: (o.distributorId && partners.get(o.distributorId)) ?? null,
  }));
}

export async function listOrders(
  ctx: AppContext,
  scope: Scope,
  filter: OrderFilter,
  page: PageParams<OrderSort>,
) {
  const result = await paged(page, (request) => ctx.repos.orders.list(scope, filter, request));
  return { ...result, items: await withNames(ctx, scope, result.items) };
}

export async function getOrder(ctx: AppContext, scope: Scope, id: string) {
  const order = await ctx.repos.orders.get(scope, id);
  if (!order) throw notFound('order', id);
  const lines = await ctx.repos.orders.lines(scope, id);
  const products = await ctx.repos.products.names(
    scope,
    lines.map((l) => l.productId),
  );
  const [named] = await withNames(ctx, scope, [order]);
  return { ...named!, lines: lines.map((l) => ({ ...l, productName: products.get(l.productId) ?? null })) };
}
