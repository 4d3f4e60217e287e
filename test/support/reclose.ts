import { expect } from 'vitest';
import type { client } from './http.js';

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
