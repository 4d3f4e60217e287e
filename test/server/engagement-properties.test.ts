import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { routedSentenceMessage } from '../../src/app/engagement/queries.js';
import type { RoutingDecision } from '../../src/core/engagement/routing.js';
import { renderEnglish } from '../../src/core/messages/message.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { addResellers } from '../support/deals.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Reply } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

// One seed, so a run in CI replays the same operations as the last run here; a counterexample found with
// another seed (FC_SEED=<n> npx vitest run test/server/engagement-properties.test.ts) becomes a golden case.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261203) });

/**
 * The rules of engagement end to end: a random sequence of partner orders, direct orders (replayed
 * sometimes), accepts, declines and lapses (the clock moved, then the sweep) leaves every routed order
 * either decided and booked exactly once (one orders row under its key, its order_id set, no open offer)
 * or still offered with exactly one open offer and no order; never both. Checked after every operation.
 */
const RUNS = 3;
const OPS = 30;
const CUSTOMERS = ['cus_p1', 'cus_p2', 'cus_p3', 'cus_p4'] as const;
const SELLERS = {
  ptn_alpha: 'admin@alpha.test',
  ptn_bravo: 'admin@bravo.test',
  ptn_charlie: 'admin@charlie.test',
};
type Seller = keyof typeof SELLERS;

type Op =
  | { kind: 'partner'; customer: number; partner: Seller; amount: number }
  | { kind: 'direct'; customer: number; amount: number }
  | { kind: 'replay'; pick: number }
  | { kind: 'accept'; pick: number }
  | { kind: 'decline'; pick: number }
  | { kind: 'lapse'; hours: number };

const amountArb = fc.oneof(
  fc.constantFrom(24_999_999, 25_000_000, 500_000),
  fc.integer({ min: 1_000, max: 40_000_000 }),
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('partner' as const),
    customer: fc.nat({ max: CUSTOMERS.length - 1 }),
    partner: fc.constantFrom(...(Object.keys(SELLERS) as Seller[])),
    amount: amountArb,
  }),
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('direct' as const),
      customer: fc.nat({ max: CUSTOMERS.length - 1 }),
      amount: amountArb,
    }),
  },
  fc.record({ kind: fc.constant('replay' as const), pick: fc.nat() }),
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('accept' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('decline' as const), pick: fc.nat() }) },
  fc.record({ kind: fc.constant('lapse' as const), hours: fc.integer({ min: 1, max: 60 }) }),
);

function movableClock(start: string) {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    advanceHours: (h: number) => {
      now = new Date(now.getTime() + h * 3_600_000);
    },
  };
}

/** A signed-in person; signs in again when the session expired as the clock moved. */
function person(app: Server, email: string) {
  let c: ReturnType<typeof client> | null = null;
  return async (...args: Parameters<ReturnType<typeof client>>): Promise<Reply> => {
    c ??= client(app, await signIn(app, email));
    const r = await c(...args);
    if (r.status !== 401) return r;
    c = client(app, await signIn(app, email));
    return c(...args);
  };
}

/** What the runs did (operation and status, routed orders' final states), so the property is not vacuous. */
const seen = new Map<string, number>();
const tally = (k: string) => seen.set(k, (seen.get(k) ?? 0) + 1);

async function runSequence(kind: (typeof STORE_KINDS)[number], ops: Op[]): Promise<void> {
  const t: TestStore = await openTestStore(kind);
  const clock = movableClock('2026-12-01T09:00:00Z');
  const ctx = createContext(t.store, { clock });
  let app: Server | null = null;
  try {
    const { dell } = await loadFixture(ctx);
    await addResellers(ctx, dell, [
      { id: 'ptn_charlie', name: 'Charlie Integration SARL', country: 'FR', region: 'emea' },
    ]);
    await t.store.db
      .insertInto('customers')
      .values(
        CUSTOMERS.map((id, i) => ({
          id,
          vendorId: dell.vendorId,
          name: ['Quince Orbital Ltd', 'Rhubarb Lattice SA', 'Saffron Keel Inc', 'Tansy Meridian GmbH'][i]!,
          domain: null,
          country: ['GB', 'FR', 'US', 'DE'][i]!,
          region: i === 2 ? 'na' : 'emea',
          segment: 'commercial',
          addressLine: null,
          city: null,
          postalCode: null,
          createdAt: clock.now().toISOString(),
        })),
      )
      .execute();
    app = await buildServer(ctx);
    const admin = person(app, 'admin@dell.test');
    const sellers = Object.fromEntries(
      Object.entries(SELLERS).map(([id, email]) => [id, person(app!, email)]),
    ) as Record<Seller, ReturnType<typeof person>>;
    const posted: Record<string, unknown>[] = [];
    const log: string[] = [];
    let day = 0;
    const order = (customer: number, amount: number, partner: Seller | null) => {
      day++;
      return {
        source: 'erp',
        externalId: `PROP-${day}`,
        orderDate: new Date(Date.UTC(2017, 5, 1 + day)).toISOString().slice(0, 10),
        currency: 'USD',
        customerId: CUSTOMERS[customer],
        channel: partner ? 'partner' : 'direct',
        resellerId: partner,
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: amount }],
      };
    };
    const openOffers = () =>
      // In the order of the operations that made them (ids carry randomness: a replay picks the same offer).
      t.store.db
        .selectFrom('routingOffers as o')
        .innerJoin('routedOrders as r', 'r.id', 'o.routedOrderId')
        .select(['o.id', 'o.partnerId', 'r.externalId', 'o.rank'])
        .where('o.status', '=', 'open')
        .execute()
        .then((rows) =>
          rows.sort(
            (a, b) =>
              Number(a.externalId.slice(5)) - Number(b.externalId.slice(5)) ||
              Number(a.rank) - Number(b.rank),
          ),
        );

    for (const op of ops) {
      let r: Reply | null = null;
      let allowed: number[] = [];
      if (op.kind === 'partner') {
        r = await admin('POST', '/api/orders', order(op.customer, op.amount, op.partner));
        allowed = [201];
      } else if (op.kind === 'direct') {
        const body = order(op.customer, op.amount, null);
        posted.push(body);
        r = await admin('POST', '/api/orders', body);
        allowed = [201, 202];
      } else if (op.kind === 'replay') {
        if (posted.length === 0) continue;
        r = await admin('POST', '/api/orders', posted[op.pick % posted.length]);
        // The replay of a routed order still offered (202), or of a booked one (200).
        allowed = [200, 202];
      } else if (op.kind === 'accept' || op.kind === 'decline') {
        const open = (await openOffers()).filter((o) => o.partnerId in SELLERS);
        if (open.length === 0) continue;
        const offer = open[op.pick % open.length]!;
        const who = sellers[offer.partnerId as Seller];
        r =
          op.kind === 'accept'
            ? await who('POST', `/api/offers/${offer.id}/accept`, {})
            : await who('POST', `/api/offers/${offer.id}/decline`, { reason: 'property' });
        // Refused once its deadline has passed, before the sweep lapses it.
        allowed = [200, 409];
      } else {
        clock.advanceHours(op.hours);
        r = await admin('POST', '/api/routing/sweep', {});
        allowed = [200];
      }
      log.push(`${JSON.stringify(op)} -> ${r.status}`);
      tally(`${op.kind} ${r.status}`);
      if (op.kind === 'lapse') tally(`lapsed ${Number(r.body.lapsed) > 0}`);
      expect(allowed, `${log.join('\n')}\n${r.text}`).toContain(r.status);
      await checkInvariant(t, log);
    }
    for (const r of await t.store.db.selectFrom('routedOrders').select('status').execute())
      tally(`routed ${r.status}`);
  } finally {
    await app?.close();
    await t.cleanup();
  }
}

/** Every routed order is booked exactly once, or offered with exactly one open offer: never both. */
async function checkInvariant(t: TestStore, log: string[]): Promise<void> {
  const db = t.store.db;
  const routed = await db
    .selectFrom('routedOrders')
    .select([
      'id',
      'vendorId',
      'source',
      'externalId',
      'status',
      'orderId',
      'bookedPartnerId',
      'sentence',
      'decision',
    ])
    .execute();
  const offers = await db.selectFrom('routingOffers').select(['routedOrderId', 'status']).execute();
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'vendorId', 'source', 'externalId', 'resellerId', 'channel'])
    .where('externalId', 'like', 'PROP-%')
    .execute();
  const keys = new Set<string>();
  for (const r of routed) {
    const key = `${r.vendorId}/${r.source}/${r.externalId}`;
    const what = `routed order ${r.id} (${key}, ${r.status})\n${log.join('\n')}`;
    expect(keys.has(key), `${what}: one routed order per key`).toBe(false);
    keys.add(key);
    // Its sentence has a message that says the same (booked direct after its offers included).
    const said = routedSentenceMessage(r, JSON.parse(r.decision) as RoutingDecision);
    expect(said && renderEnglish(said), `${what}: the sentence's message`).toBe(r.sentence);
    const open = offers.filter((o) => o.routedOrderId === r.id && o.status === 'open').length;
    const stored = orders.filter(
      (o) => o.vendorId === r.vendorId && o.source === r.source && o.externalId === r.externalId,
    );
    if (r.status === 'offered') {
      expect({ open, orderId: r.orderId, stored: stored.length }, what).toEqual({
        open: 1,
        orderId: null,
        stored: 0,
      });
    } else {
      expect(['direct', 'booked-partner', 'booked-direct'], what).toContain(r.status);
      expect({ open, stored: stored.map((o) => o.id) }, what).toEqual({ open: 0, stored: [r.orderId] });
      const o = stored[0]!;
      if (r.status === 'booked-partner') expect(o.resellerId, what).toBe(r.bookedPartnerId);
      else
        expect({ channel: o.channel, resellerId: o.resellerId }, what).toEqual({
          channel: 'direct',
          resellerId: null,
        });
    }
  }
}

for (const kind of STORE_KINDS) {
  describe(`rules of engagement, random operations on ${kind}`, () => {
    it(`leaves every routed order booked exactly once or offered once (${RUNS} runs of ${OPS} operations)`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(opArb, { minLength: OPS, maxLength: OPS }), (ops) =>
          runSequence(kind, ops),
        ),
        // Each run builds its own world; a failure is reported with its operations, not shrunk (slow).
        { numRuns: RUNS, endOnFailure: true },
      );
      const what = JSON.stringify(Object.fromEntries([...seen].sort()));
      console.info(`engagement properties on ${kind}: ${what}`);
      for (const k of [
        'direct 202',
        'accept 200',
        'decline 200',
        'lapsed true',
        'routed booked-partner',
        'routed offered',
        'routed direct',
      ])
        expect(seen.get(k) ?? 0, `${k} never happened: ${what}`).toBeGreaterThan(0);
      seen.clear();
    }, 180_000);
  });
}
