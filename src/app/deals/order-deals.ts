import type { Kysely } from 'kysely';
import { lineEarnsDealBenefit, type RegistrationForBenefit } from '../../core/deals/benefit.js';
import type { DealStatus } from '../../core/deals/lifecycle.js';
import { transition } from '../../core/deals/lifecycle.js';
import { compareParties } from '../../core/matching/index.js';
import { TrellisError } from '../../core/shared/errors.js';
import { dealRepository } from '../../db/repositories/deal-repository.js';
import { dealSupportRepository } from '../../db/repositories/deal-support-repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { newFlag } from './abuse.js';
import { recordDealStep } from './deal-events.js';
import { registrationsForBenefit } from './deal-facts.js';

const SYSTEM = { kind: 'system' as const, id: 'deal-registration' };

export interface OrderForDeal {
  id: string;
  vendorId: string;
  customerId: string;
  customerName: string;
  customerDomain: string | null;
  customerCountry: string;
  resellerId: string | null;
  orderDate: string;
  families: readonly string[];
  /** The end user as the partner reported it on the order, when it reported one. */
  endUserName?: string | null;
}

/**
 * Checks the registration an order names, before the order is written: it must be one of the vendor's
 * registrations of the order's reseller (an order naming another partner's registration is refused, and
 * says nothing of it). Returns the registration as the benefit reads it.
 */
export async function registrationNamedBy(
  trx: Kysely<Database>,
  order: { vendorId: string; resellerId: string | null; dealRegistrationId: string },
): Promise<RegistrationForBenefit & { id: string }> {
  const refuse = (message: string) =>
    new TrellisError(
      'invalid_input',
      `the order names registration ${order.dealRegistrationId}: ${message}`,
      [{ location: 'body.dealRegistrationId', message }],
    );
  if (!order.resellerId) throw refuse('a direct order fulfils no partner registration');
  const row = await dealSupportRepository(trx).registrationParties(order.dealRegistrationId);
  if (!row || row.vendorId !== order.vendorId || row.partnerId !== order.resellerId)
    throw refuse(`it is not a registration of reseller ${order.resellerId} with this vendor`);
  const reg = (await registrationsForBenefit(trx, row.vendorId, [row.id])).get(row.id);
  if (!reg) throw refuse('it was not found');
  return { ...reg, id: row.id };
}

/**
 * After an order is written: links it to the registration it names, wins the registration when it
 * protected the order, and raises the abuse flags the order shows (documented in src/core/deals/README.md):
 * `customer-mismatch` (the order names a registration of another customer), `resold-to-other` (the order
 * names the registered customer but reports another end user: the registered-deal benefit on goods that
 * went elsewhere), `sold-by-other` (the customer is protected by another partner's registration).
 */
export async function afterOrderForDeals(
  trx: Kysely<Database>,
  ctx: AppContext,
  order: OrderForDeal,
  named: (RegistrationForBenefit & { id: string }) | null,
): Promise<void> {
  const repo = dealRepository(trx);
  const support = dealSupportRepository(trx);
  const nowIso = ctx.clock.now().toISOString();
  if (named) {
    await support.linkOrder(order.vendorId, order.id, named.id);
    const d = await repo.get({ kind: 'system' }, named.id);
    if (!d) return;
    let customerId = d.customerId;
    if (customerId === null) {
      // A registration of a customer the vendor did not know yet: the first order names it.
      const m = compareParties(
        { name: d.customerName, domain: d.customerDomain, country: d.customerCountry },
        { name: order.customerName, domain: order.customerDomain, country: order.customerCountry },
      );
      if (m.decision === 'match') {
        customerId = order.customerId;
        await support.setCustomerIfUnknown(d.id, customerId);
      }
    }
    if (customerId !== order.customerId) {
      await repo.raiseFlag(
        newFlag(ctx, {
          vendorId: order.vendorId,
          partnerId: d.partnerId,
          registrationId: d.id,
          orderId: order.id,
          rule: 'customer-mismatch',
          dedupeKey: `customer-mismatch:${order.id}`,
          evidence: {
            registeredCustomer: {
              name: d.customerName,
              domain: d.customerDomain,
              country: d.customerCountry,
              id: d.customerId,
            },
            orderCustomer: {
              id: order.customerId,
              name: order.customerName,
              domain: order.customerDomain,
              country: order.customerCountry,
            },
            orderDate: order.orderDate,
            text: `Order ${order.id} names registration ${d.id} of "${d.customerName}" but sells to "${order.customerName}"; it earns no registered-deal benefit.`,
          },
        }),
      );
      return;
    }
    if (order.endUserName) {
      const endUser = compareParties(
        { name: d.customerName, country: d.customerCountry },
        { name: order.endUserName, country: order.customerCountry },
      );
      if (endUser.decision === 'none')
        await repo.raiseFlag(
          newFlag(ctx, {
            vendorId: order.vendorId,
            partnerId: d.partnerId,
            registrationId: d.id,
            orderId: order.id,
            rule: 'resold-to-other',
            dedupeKey: `resold-to-other:${order.id}`,
            evidence: {
              registeredCustomer: { name: d.customerName, country: d.customerCountry, id: d.customerId },
              reportedEndUser: order.endUserName,
              score: endUser.score,
              orderDate: order.orderDate,
              text: `Order ${order.id} names registration ${d.id} of "${d.customerName}" and earns its benefit, but reports the end user "${order.endUserName}" (similarity ${Math.round(endUser.score * 100)}%).`,
            },
          }),
        );
    }
    const earns = order.families.some((family) =>
      lineEarnsDealBenefit(
        { ...named, customerId },
        { partnerId: order.resellerId, customerId: order.customerId, orderDate: order.orderDate, family },
      ),
    );
    const t = transition(d.status as DealStatus, 'win', 'system');
    if (earns && t.ok) {
      const patch = { status: 'won', wonOrderId: order.id, updatedAt: nowIso };
      if (await repo.update(d.id, d.version, [d.status], patch)) {
        await repo.releaseClaims(d.id);
        await recordDealStep(trx, ctx, {
          actor: SYSTEM,
          deal: d,
          action: 'win',
          from: d.status as DealStatus,
          to: 'won',
          note: `won by order ${order.id} of ${order.orderDate}`,
          after: { ...d, ...patch },
        });
      }
    }
    return;
  }
  if (!order.resellerId) return;
  // Another partner's registration protected this customer on the order date (a won one keeps its days).
  const protecting = await support.protectingOthers(
    order.vendorId,
    order.customerId,
    order.resellerId,
    order.orderDate,
  );
  for (const p of protecting)
    await repo.raiseFlag(
      newFlag(ctx, {
        vendorId: order.vendorId,
        partnerId: order.resellerId,
        registrationId: p.id,
        orderId: order.id,
        rule: 'sold-by-other',
        dedupeKey: `sold-by-other:${order.id}:${p.id}`,
        evidence: {
          protectedBy: {
            registrationId: p.id,
            partnerId: p.partnerId,
            approvedOn: p.approvedOn,
            protectedUntil: p.protectedUntil,
          },
          order: {
            id: order.id,
            resellerId: order.resellerId,
            customerId: order.customerId,
            orderDate: order.orderDate,
          },
          text: `Reseller ${order.resellerId} sold to a customer protected by registration ${p.id} of partner ${p.partnerId} (${p.approvedOn}..${p.protectedUntil}).`,
        },
      }),
    );
}
