import { expect } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../src/db/schema.js';
import type { client } from './http.js';

/** A tier record of the fixture's Dell program, as an administrator enters one by hand. */
export function addMembership(
  db: Kysely<Database>,
  program: { vendorId: string; programId: string },
  id: string,
  partnerId: string,
  tier: string,
  from: string,
  to: string | null,
) {
  return db
    .insertInto('memberships')
    .values({
      id,
      vendorId: program.vendorId,
      programId: program.programId,
      partnerId,
      tierCode: tier,
      validFrom: from,
      validTo: to,
      source: 'manual',
      reason: 'test',
      createdAt: '2017-02-01T00:00:00.000Z',
      grandfatheredUntil: null,
      sponsor: null,
      detail: '{}',
    })
    .execute();
}

/** Three partner orders of FY18-Q1 (Alpha twice, Bravo once), each of storage and a server, through the API. */
export async function postQuarterOrders(admin: ReturnType<typeof client>): Promise<void> {
  for (const [i, [reseller, day]] of [
    ['ptn_alpha', '2017-02-20'],
    ['ptn_alpha', '2017-03-15'],
    ['ptn_bravo', '2017-04-02'],
  ].entries()) {
    const res = await admin('POST', '/api/orders', {
      source: 'test',
      externalId: `O-${i}`,
      orderDate: day,
      currency: 'USD',
      customerId: 'cus_acme',
      channel: 'partner',
      resellerId: reseller,
      lines: [
        { productId: 'prd_stor', quantity: 2, unitPriceMinor: 1_250_000 },
        { productId: 'prd_srv', quantity: 1, unitPriceMinor: 2_000_000 },
      ],
    });
    expect(res.status, res.text).toBe(201);
  }
}
