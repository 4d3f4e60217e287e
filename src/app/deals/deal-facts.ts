import { lineEarnsDealBenefit, type RegistrationForBenefit } from '../../core/deals/benefit.js';
import type { Kysely } from 'kysely';
import { dealSupportRepository } from '../../db/repositories/deal-support-repository.js';
import type { Database } from '../../db/schema.js';

/**
 * The vendor's registrations among those orders name, as the registered-deal benefit reads them (one query
 * per 500; an order names only its vendor's registrations: intake refuses any other).
 */
export async function registrationsForBenefit(
  db: Kysely<Database>,
  vendorId: string,
  ids: Iterable<string | null | undefined>,
): Promise<Map<string, RegistrationForBenefit>> {
  const wanted = [...new Set([...ids].filter((x): x is string => typeof x === 'string' && x.length > 0))];
  const out = new Map<string, RegistrationForBenefit>();
  for (let i = 0; i < wanted.length; i += 500) {
    const chunk = wanted.slice(i, i + 500);
    const support = dealSupportRepository(db);
    const rows = await support.benefitRows(vendorId, chunk);
    const lines = await support.lineFamilies(vendorId, chunk);
    for (const r of rows)
      out.set(r.id, {
        ...r,
        families: new Set(lines.filter((l) => l.registrationId === r.id).map((l) => l.family)),
      });
  }
  return out;
}

/** The sale a return line returns, as the benefit reads it: its order's registration, date, customer, partner. */
export async function returnedSales(db: Kysely<Database>, vendorId: string, lineIds: readonly string[]) {
  const out = new Map<
    string,
    {
      dealRegistrationId: string | null;
      orderDate: string;
      customerId: string;
      resellerId: string | null;
      family: string;
    }
  >();
  for (let i = 0; i < lineIds.length; i += 500) {
    const rows = await dealSupportRepository(db).returnedSales(vendorId, lineIds.slice(i, i + 500));
    for (const r of rows) out.set(r.id, r);
  }
  return out;
}

/**
 * The `registeredDeal` fact of each line of one order (real-time accrual): a sale reads the registration
 * its order names; a return reads the sale it returns (its registration, date and customer), so it
 * reverses exactly what the sale earned. Nothing is read for an order that names no registration and
 * returns nothing.
 */
export async function dealFactsOf(
  db: Kysely<Database>,
  order: {
    vendorId: string;
    customerId: string;
    orderDate: string;
    resellerId: string | null;
    dealRegistrationId?: string | null;
  },
  lines: readonly { family: string; amountMinor: number; returnsLineId?: string | null | undefined }[],
): Promise<
  (line: { family: string; amountMinor: number; returnsLineId?: string | null | undefined }) => boolean
> {
  const returned = [...new Set(lines.flatMap((l) => (l.returnsLineId ? [l.returnsLineId] : [])))];
  const sales = returned.length > 0 ? await returnedSales(db, order.vendorId, returned) : new Map();
  const regIds = [order.dealRegistrationId, ...[...sales.values()].map((s) => s.dealRegistrationId)];
  if (regIds.every((x) => !x)) return () => false;
  const regs = await registrationsForBenefit(db, order.vendorId, regIds);
  return (line) => {
    const sale = line.returnsLineId ? sales.get(line.returnsLineId) : undefined;
    if (sale)
      return lineEarnsDealBenefit(sale.dealRegistrationId ? regs.get(sale.dealRegistrationId) : undefined, {
        partnerId: sale.resellerId,
        customerId: sale.customerId,
        orderDate: sale.orderDate,
        family: sale.family,
      });
    return lineEarnsDealBenefit(order.dealRegistrationId ? regs.get(order.dealRegistrationId) : undefined, {
      partnerId: order.resellerId,
      customerId: order.customerId,
      orderDate: order.orderDate,
      family: line.family,
    });
  };
}

/**
 * The `registeredDeal` fact of a period's lines at close, by the same rule as real time (`dealFactsOf`):
 * the registrations the lines' orders name, and for returns their sales'.
 */
export async function periodDealFacts(
  db: Kysely<Database>,
  vendorId: string,
  rows: readonly {
    dealRegistrationId: string | null;
    returnsLineId: string | null;
    resellerId: string;
    customerId: string;
    orderDate: string;
    family: string;
  }[],
): Promise<(row: (typeof rows)[number]) => boolean> {
  const returned = [...new Set(rows.flatMap((r) => (r.returnsLineId ? [r.returnsLineId] : [])))];
  const sales = returned.length > 0 ? await returnedSales(db, vendorId, returned) : new Map();
  const regs = await registrationsForBenefit(db, vendorId, [
    ...rows.map((r) => r.dealRegistrationId),
    ...[...sales.values()].map((s) => s.dealRegistrationId),
  ]);
  if (regs.size === 0) return () => false;
  return (r) => {
    const sale = r.returnsLineId ? sales.get(r.returnsLineId) : undefined;
    const line = sale ?? r;
    const id = sale ? sale.dealRegistrationId : r.dealRegistrationId;
    return lineEarnsDealBenefit(id ? regs.get(id) : undefined, {
      partnerId: line.resellerId,
      customerId: line.customerId,
      orderDate: line.orderDate,
      family: line.family,
    });
  };
}

/** The registrations of one vendor among `ids` (those of another vendor are left out), for the bulk import. */
export async function registrationsOfVendor(
  db: Kysely<Database>,
  vendorId: string,
  ids: readonly string[],
): Promise<Map<string, RegistrationForBenefit & { id: string }>> {
  // By primary key, the vendor checked on the rows (see dealRepository.statesOf).
  const own = (await dealSupportRepository(db).registrationVendors([...new Set(ids)])).filter(
    (r) => r.vendorId === vendorId,
  );
  const regs = await registrationsForBenefit(
    db,
    vendorId,
    own.map((r) => r.id),
  );
  return new Map([...regs].map(([id, r]) => [id, { ...r, id }]));
}
