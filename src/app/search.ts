import type { Actor } from '../core/access/actor.js';
import { authorize, type Resource } from '../core/access/policy.js';
import type { Scope } from '../core/access/scope.js';
import { TrellisError } from '../core/shared/errors.js';
import { dealRepository } from '../db/repositories/deal-repository.js';
import { searchRepository } from '../db/repositories/search-repository.js';
import type { AppContext } from './context.js';

export const SEARCH_KINDS = [
  'partner',
  'customer',
  'product',
  'program',
  'deal',
  'statement',
  'order',
] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** What a person recognises it by: a name, an order number, a statement's partner and period. */
  label: string;
  /** A second line: a code, a SKU, a customer, a status. */
  detail: string | null;
  vendorId: string | null;
}

/** Shortest and longest text searched (a shorter text would match almost everything). */
export const SEARCH_MIN = 2;
export const SEARCH_MAX = 100;

/**
 * The global search: partners, customers, products, programs, deal registrations (by customer name),
 * statements (by id, period or partner name) and orders (by number or id), at most `perKind` of each, all
 * within the caller's scope (each kind through the query its own list uses, so a partner finds only what
 * its lists show it: never another partner's deal, order or statement, nor a name it could not see).
 * Names are matched as the lists' `q` matches them (the trigram index of partner and customer names).
 */
export async function search(
  ctx: AppContext,
  actor: Actor,
  text: string,
  perKind = 5,
): Promise<{ q: string; items: SearchHit[] }> {
  const q = text.trim();
  if ([...q].length < SEARCH_MIN || [...q].length > SEARCH_MAX)
    throw new TrellisError('invalid_input', `search text must be ${SEARCH_MIN} to ${SEARCH_MAX} characters`, [
      { location: 'querystring.q', message: `${SEARCH_MIN} to ${SEARCH_MAX} characters, not only spaces` },
    ]);
  // Each kind is searched only if the caller may read its list, within the scope that list would use.
  const scopeFor = (resource: Resource): Scope | null => {
    const decision = authorize(actor, { resource, action: 'read' });
    return decision.allowed ? decision.scope : null;
  };
  const when = <T>(resource: Resource, read: (scope: Scope) => Promise<T[]>): Promise<T[]> => {
    const scope = scopeFor(resource);
    return scope ? read(scope) : Promise.resolve([]);
  };
  const byName = { limit: perKind, sort: 'name', direction: 'asc' } as const;
  const found = searchRepository(ctx.store.db);
  const deals = dealRepository(ctx.store.db);
  const [partners, customers, products, programs, dealRows, statements, orders] = await Promise.all([
    when('partner', async (scope) => (await ctx.repos.partners.list(scope, { q }, byName)).items),
    when('customer', async (scope) => (await ctx.repos.customers.list(scope, { q }, byName)).items),
    when('product', async (scope) => (await ctx.repos.products.list(scope, { q }, byName)).items),
    when('program', (scope) => found.programs(scope, q, perKind)),
    when(
      'deal',
      async (scope) =>
        (await deals.list(scope, { q }, { limit: perKind, sort: 'createdAt', direction: 'desc' })).items,
    ),
    when('statement', (scope) => found.statements(scope, q, perKind)),
    when('order', (scope) => found.orders(scope, q, perKind)),
  ]);
  const items: SearchHit[] = [
    ...partners.map((p) => ({
      kind: 'partner' as const,
      id: p.id,
      label: p.name,
      detail: `${p.kind} · ${p.country}`,
      vendorId: null,
    })),
    ...customers.map((c) => ({
      kind: 'customer' as const,
      id: c.id,
      label: c.name,
      detail: c.country,
      vendorId: c.vendorId,
    })),
    ...products.map((p) => ({
      kind: 'product' as const,
      id: p.id,
      label: p.name,
      detail: p.sku,
      vendorId: p.vendorId,
    })),
    ...programs.map((p) => ({
      kind: 'program' as const,
      id: p.id,
      label: p.name,
      detail: p.code,
      vendorId: p.vendorId,
    })),
    ...dealRows.map((d) => ({
      kind: 'deal' as const,
      id: d.id,
      label: d.customerName,
      detail: d.status,
      vendorId: d.vendorId,
    })),
    ...statements.map((s) => ({
      kind: 'statement' as const,
      id: s.id,
      label: `${s.partnerName} · ${s.period}${s.sequence > 1 ? ` (${s.sequence})` : ''}`,
      detail: s.status,
      vendorId: s.vendorId,
    })),
    ...orders.map((o) => ({
      kind: 'order' as const,
      id: o.id,
      label: o.externalId,
      detail: `${o.endUserName} · ${o.orderDate}`,
      vendorId: o.vendorId,
    })),
  ];
  return { q, items };
}
