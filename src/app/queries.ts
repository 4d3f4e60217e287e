import type { Scope } from '../core/access/scope.js';
import { notFound } from '../core/shared/errors.js';
import type { CustomerFilter, CustomerSort } from '../db/repositories/customer-repository.js';
import type { OrderFilter, OrderSort } from '../db/repositories/order-repository.js';
import type { PageRequest } from '../db/repositories/page.js';
import type { PartnerFilter, PartnerSort } from '../db/repositories/partner-repository.js';
import type { ProductFilter, ProductSort } from '../db/repositories/product-repository.js';
import type { ProgramSort } from '../db/repositories/program-repository.js';
import type { VendorSort } from '../db/repositories/vendor-repository.js';
import type { AppContext } from './context.js';

/** Read use cases. Each takes the caller's scope; what is outside it is "not found", never "forbidden". */
export function listVendors(ctx: AppContext, scope: Scope, page: PageRequest<VendorSort>) {
  return ctx.repos.vendors.list(scope, page);
}

export async function getVendor(ctx: AppContext, scope: Scope, id: string) {
  const vendor = await ctx.repos.vendors.get(scope, id);
  if (!vendor) throw notFound('vendor', id);
  return vendor;
}

export function listPrograms(ctx: AppContext, scope: Scope, filter: { vendorId?: string | undefined }, page: PageRequest<ProgramSort>) {
  return ctx.repos.programs.list(scope, filter, page);
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

export function listPartners(ctx: AppContext, scope: Scope, filter: PartnerFilter, page: PageRequest<PartnerSort>) {
  return ctx.repos.partners.list(scope, filter, page);
}

export async function getPartner(ctx: AppContext, scope: Scope, id: string) {
  const partner = await ctx.repos.partners.get(scope, id);
  if (!partner) throw notFound('partner', id);
  const enrolments = await ctx.repos.partners.enrolments(scope, id);
  return { ...partner, enrolments: enrolments.map((e) => ({ ...e, exclusive: e.exclusive === 1 })) };
}

export function listProducts(ctx: AppContext, scope: Scope, filter: ProductFilter, page: PageRequest<ProductSort>) {
  return ctx.repos.products.list(scope, filter, page);
}

export async function getProduct(ctx: AppContext, scope: Scope, id: string) {
  const product = await ctx.repos.products.get(scope, id);
  if (!product) throw notFound('product', id);
  return product;
}

export function listCustomers(ctx: AppContext, scope: Scope, filter: CustomerFilter, page: PageRequest<CustomerSort>) {
  return ctx.repos.customers.list(scope, filter, page);
}

export async function getCustomer(ctx: AppContext, scope: Scope, id: string) {
  const customer = await ctx.repos.customers.get(scope, id);
  if (!customer) throw notFound('customer', id);
  return customer;
}

export function listOrders(ctx: AppContext, scope: Scope, filter: OrderFilter, page: PageRequest<OrderSort>) {
  return ctx.repos.orders.list(scope, filter, page);
}

export async function getOrder(ctx: AppContext, scope: Scope, id: string) {
  const order = await ctx.repos.orders.get(scope, id);
  if (!order) throw notFound('order', id);
  const lines = await ctx.repos.orders.lines(scope, id);
  return { ...order, lines };
}
