import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOrders } from '../../src/app/orders/import-orders.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { addNamedAccount } from '../../src/app/engagement/named-accounts.js';
import { actingAs } from '../../src/app/access/acting-as.js';
import { replayDecision, type RoutingDecision } from '../../src/core/engagement/routing.js';
import { routedSentenceMessage } from '../../src/app/engagement/queries.js';
import { renderEnglish, type Message } from '../../src/core/messages/message.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { addResellers } from '../support/deals.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Reply } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

function movableClock(start: string) {
  let now = new Date(start);
  return {
    now: () => new Date(now),
    set: (iso: string) => {
      now = new Date(iso);
    },
    advanceHours: (h: number) => {
      now = new Date(now.getTime() + h * 3_600_000);
    },
  };
}

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

let seq = 0;
/** A Dell order of one storage line (unit price in minor units). */
function order(
  customerId: string,
  orderDate: string,
  amountMinor: number,
  channel: { resellerId?: string; distributorId?: string } = {},
) {
  seq++;
  return {
    source: 'erp',
    externalId: `eng-${seq}`,
    orderDate,
    currency: 'USD',
    customerId,
    channel: channel.distributorId ? 'distributor' : channel.resellerId ? 'partner' : 'direct',
    resellerId: channel.resellerId ?? null,
    distributorId: channel.distributorId ?? null,
    lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: amountMinor }],
  };
}

for (const kind of STORE_KINDS) {
  describe(`rules of engagement on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    const clock = movableClock('2026-12-01T09:00:00Z');
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof person>;
    let alpha: ReturnType<typeof person>;
    let bravo: ReturnType<typeof person>;
    let charlie: ReturnType<typeof person>;

    const addCustomer = async (id: string, name: string, country: string, region: string) => {
      await ctx.store.db
        .insertInto('customers')
        .values({
          id,
          vendorId: dell.vendorId,
          name,
          domain: null,
          country,
          region,
          segment: 'commercial',
          addressLine: null,
          city: null,
          postalCode: null,
          createdAt: clock.now().toISOString(),
        })
        .execute();
    };

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock });
      ({ dell } = await loadFixture(ctx));
      await addResellers(ctx, dell, [
        { id: 'ptn_charlie', name: 'Charlie Integration SARL', country: 'FR', region: 'emea' },
      ]);
      app = await buildServer(ctx);
      admin = person(app, 'admin@dell.test');
      alpha = person(app, 'admin@alpha.test');
      bravo = person(app, 'admin@bravo.test');
      charlie = person(app, 'admin@charlie.test');
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('golden: after a partner sells to X, a direct order for X is offered to that partner with the reason', async () => {
      await addCustomer('cus_x', 'Xylophone Logistics Ltd', 'GB', 'emea');
      const sold = await admin(
        'POST',
        '/api/orders',
        order('cus_x', '2017-06-01', 1_000_000, { resellerId: 'ptn_alpha' }),
      );
      expect(sold.status, sold.text).toBe(201);
      // Ten days later the vendor's own sales books a direct order for X: it is not booked direct.
      const posted = order('cus_x', '2017-06-11', 1_000_000);
      const direct = await admin('POST', '/api/orders', posted);
      expect(direct.status, direct.text).toBe(202);
      const routing = direct.body.routing as Record<string, unknown>;
      expect(routing.outcome).toBe('route');
      expect(routing.reason).toBe('channel-exclusive');
      expect(routing.coverage).toBe('channel-exclusive');
      expect((routing.offeredTo as { partnerId: string }).partnerId).toBe('ptn_alpha');
      expect(String(routing.sentence)).toContain('Alpha Systems Ltd');
      expect(String(routing.sentence)).toContain('channel-only through 2020-05-31');

      // The decision records every candidate's criteria values and replays to the same order.
      const detail = await admin('GET', `/api/routing/${String(routing.routedOrderId)}`);
      expect(detail.status, detail.text).toBe(200);
      const decision = detail.body.decision as RoutingDecision;
      expect(decision.candidates[0]?.partnerId).toBe('ptn_alpha');
      expect(decision.candidates[0]?.incumbent).toBe(true);
      for (const c of decision.candidates) expect(Object.keys(c.values)).toEqual(decision.criteria);
      expect(replayDecision(decision)).toEqual(decision.candidates.map((c) => c.partnerId));
      // The response schemas of the decision and the posted order keep what was stored, whole.
      const row = await t.store.db
        .selectFrom('routedOrders')
        .select(['input', 'decision'])
        .where('id', '=', String(routing.routedOrderId))
        .executeTakeFirstOrThrow();
      expect(detail.body.decision).toEqual(JSON.parse(row.decision));
      expect(detail.body.input).toEqual(JSON.parse(row.input));
      // Each sentence comes with its message, which renders the same English.
      const said = (body: Record<string, unknown>, text: string, m: string) =>
        expect(renderEnglish(body[m] as Message), m).toBe(body[text]);
      said(detail.body, 'sentence', 'sentenceMessage');
      said(
        (detail.body.decision as { coverage: Record<string, unknown> }).coverage,
        'sentence',
        'sentenceMessage',
      );
      for (const c of decision.candidates)
        for (const k of decision.criteria)
          expect(renderEnglish(c.valueMessages?.[k] as Message)).toBe(c.values[k]);
      const log = await admin('GET', '/api/routing?customer=cus_x');
      for (const item of log.body.items as Record<string, unknown>[])
        said(item, 'sentence', 'sentenceMessage');
      const coverage = await admin('GET', '/api/coverage/cus_x');
      said(coverage.body, 'sentence', 'sentenceMessage');
      const history = coverage.body.history as Record<string, unknown>[];
      expect(history.length).toBeGreaterThan(0);
      for (const h of history) said(h, 'sentence', 'sentenceMessage');

      // Alpha's inbox has it, with a reason in its own terms; Bravo's does not.
      const inbox = await alpha('GET', '/api/offers?status=open');
      expect(inbox.status, inbox.text).toBe(200);
      const items = inbox.body.items as {
        id: string;
        customerName: string;
        why: string;
        routedOrderId: string;
      }[];
      const offer = items.find((o) => o.routedOrderId === routing.routedOrderId);
      expect(offer?.customerName).toBe('Xylophone Logistics Ltd');
      expect(offer?.why).toContain('bought through you');
      expect(renderEnglish((offer as unknown as { whyMessage: Message }).whyMessage)).toBe(offer?.why);
      const other = await bravo('GET', '/api/offers');
      expect((other.body.items as unknown[]).length).toBe(0);
      // Bravo cannot accept Alpha's offer: 404, as an unknown id.
      const stolen = await bravo('POST', `/api/offers/${offer?.id}/accept`, {});
      expect(stolen.status).toBe(404);

      // Alpha accepts: the customer's order is booked through Alpha under its own key, once.
      const accepted = await alpha('POST', `/api/offers/${offer?.id}/accept`, {});
      expect(accepted.status, accepted.text).toBe(200);
      const orderId = String(accepted.body.orderId);
      const booked = await admin('GET', `/api/orders/${orderId}`);
      expect(booked.body.resellerId).toBe('ptn_alpha');
      expect(booked.body.channel).toBe('partner');
      expect(booked.body.externalId).toBe(posted.externalId);
      const again = await alpha('POST', `/api/offers/${offer?.id}/accept`, {});
      expect(again.status).toBe(409);
      // Replaying the vendor's original post returns the booked order.
      const replay = await admin('POST', '/api/orders', posted);
      expect(replay.status, replay.text).toBe(200);
      expect(replay.body.id).toBe(orderId);
    });

    it("golden: a direct-named account's direct order stays direct, whatever its size", async () => {
      await addCustomer('cus_nw', 'NORTHWIND GLOBAL BANK PLC', 'US', 'na');
      const r = await admin('POST', '/api/orders', order('cus_nw', '2017-07-03', 500_000));
      expect(r.status, r.text).toBe(201);
      const routing = r.body.routing as Record<string, unknown>;
      expect(routing.reason).toBe('direct-named');
      expect(String(routing.sentence)).toContain('Northwind Global Bank');
      expect(r.body.channel).toBe('direct');
    });

    it('golden: USD 249,999.99 is routed and USD 250,000.00 stays direct', async () => {
      await addCustomer('cus_open', 'Orchid Analytics Inc', 'US', 'na');
      const below = await admin('POST', '/api/orders', order('cus_open', '2017-08-01', 24_999_999));
      expect(below.status, below.text).toBe(202);
      expect((below.body.routing as { reason: string }).reason).toBe('below-threshold');
      const at = await admin('POST', '/api/orders', order('cus_open', '2017-08-02', 25_000_000));
      expect(at.status, at.text).toBe(201);
      expect((at.body.routing as { reason: string }).reason).toBe('at-or-above-threshold');
    });

    it('golden: a decline goes to the next candidate; an accept after the deadline is refused', async () => {
      await addCustomer('cus_y', 'Yellowfin Retail SAS', 'FR', 'emea');
      expect(
        (
          await admin(
            'POST',
            '/api/orders',
            order('cus_y', '2017-09-01', 800_000, { resellerId: 'ptn_charlie' }),
          )
        ).status,
      ).toBe(201);
      const direct = await admin('POST', '/api/orders', order('cus_y', '2017-09-05', 800_000));
      expect(direct.status, direct.text).toBe(202);
      const routedId = String((direct.body.routing as { routedOrderId: string }).routedOrderId);
      const mine = async (who: ReturnType<typeof person>) =>
        (
          (await who('GET', '/api/offers?status=open')).body.items as { id: string; routedOrderId: string }[]
        ).find((o) => o.routedOrderId === routedId);
      const first = await mine(charlie);
      expect(first).toBeDefined();
      const declined = await charlie('POST', `/api/offers/${first?.id}/decline`, {
        reason: 'No capacity this quarter',
      });
      expect(declined.status, declined.text).toBe(200);
      const detail = await admin('GET', `/api/routing/${routedId}`);
      const offers = detail.body.offers as { partnerId: string; status: string; rank: number }[];
      expect(offers.map((o) => [o.rank, o.status])).toEqual([
        [1, 'declined'],
        [2, 'open'],
      ]);
      const next = offers[1]?.partnerId;
      const decision = detail.body.decision as RoutingDecision;
      expect(next).toBe(decision.candidates[1]?.partnerId);
      // The next candidate lets the deadline pass: accepting then is refused, the lapse moves it on.
      const nextPerson = next === 'ptn_alpha' ? alpha : next === 'ptn_bravo' ? bravo : charlie;
      const offer = await mine(nextPerson);
      clock.advanceHours(49);
      const late = await nextPerson('POST', `/api/offers/${offer?.id}/accept`, {});
      expect(late.status, late.text).toBe(409);
      expect(late.text).toContain('deadline');
      const sweep = await admin('POST', '/api/routing/sweep', {});
      expect(sweep.status, sweep.text).toBe(200);
      expect(sweep.body.lapsed).toBeGreaterThanOrEqual(1);
      const after = await admin('GET', `/api/routing/${routedId}`);
      const states = (after.body.offers as { status: string }[]).map((o) => o.status);
      expect(states.slice(0, 2)).toEqual(['declined', 'lapsed']);
      // Every candidate tried or one open: the order is offered, or booked once.
      expect(['offered', 'booked-direct']).toContain(after.body.status);
      clock.set('2026-12-01T09:00:00Z');
    });

    it('golden: exclusivity ends exactly three years after the last channel purchase', async () => {
      // cus_x was last bought through Alpha on 2017-06-11 (the accepted offer): channel-only through 2020-06-10.
      clock.set('2020-06-10T12:00:00Z');
      const last = await admin('GET', '/api/coverage/cus_x');
      expect(last.status, last.text).toBe(200);
      expect(last.body.status).toBe('channel-exclusive');
      expect(last.body.through).toBe('2020-06-10');
      clock.set('2020-06-11T00:00:00Z');
      const open = await admin('GET', '/api/coverage/cus_x');
      expect(open.body.status).toBe('open');
      expect(String(open.body.sentence)).toContain('2017-06-11');
      clock.set('2026-12-01T09:00:00Z');
      // The partner sees its own accounts, never another partner's.
      const mine = await alpha('GET', '/api/coverage?asOf=2018-01-01');
      expect(mine.status, mine.text).toBe(200);
      const ids = (mine.body.items as { customerId: string }[]).map((i) => i.customerId);
      expect(ids).toContain('cus_x');
      expect(ids).not.toContain('cus_y');
      for (const i of mine.body.items as { sentence: string; sentenceMessage: Message }[])
        expect(renderEnglish(i.sentenceMessage)).toBe(i.sentence);
    });

    it("filters the vendor's accounts by status: exactly the accounts of that status, in the list's order", async () => {
      const seen = new Set<string>();
      for (const asOf of ['2017-01-01', '2018-01-01', '2020-06-11']) {
        const all = await admin('GET', `/api/coverage?asOf=${asOf}&limit=200`);
        expect(all.status, all.text).toBe(200);
        const items = all.body.items as { customerId: string; status: string }[];
        expect(all.body.nextCursor ?? null).toBeNull();
        for (const i of items) seen.add(i.status);
        for (const status of ['direct-named', 'channel-exclusive', 'open']) {
          const only = await admin('GET', `/api/coverage?asOf=${asOf}&status=${status}&limit=200`);
          expect(only.status, only.text).toBe(200);
          expect((only.body.items as { customerId: string }[]).map((i) => i.customerId)).toEqual(
            items.filter((i) => i.status === status).map((i) => i.customerId),
          );
        }
      }
      // Each status was there to filter on, on some day.
      expect([...seen].sort()).toEqual(['channel-exclusive', 'direct-named', 'open']);
    });

    it('golden: a CSV import routes its direct orders as the API does, and a second import replays them', async () => {
      await addCustomer('cus_z', 'Zephyr Maritime BV', 'NL', 'emea');
      const csv = [
        'source,external_id,order_date,currency,customer_id,channel,reseller_id,product_id,quantity,unit_price',
        // A partner sale, then (later in the file) the vendor's direct order for the same customer.
        'erp,CSV-P1,2017-10-02,USD,cus_z,partner,ptn_alpha,prd_stor,1,9000.00',
        'erp,CSV-D1,2017-10-09,USD,cus_z,direct,,prd_stor,1,9000.00',
        // Above the threshold on an open account: booked direct, with its decision.
        'erp,CSV-D2,2017-10-10,USD,cus_open,direct,,prd_stor,1,300000.00',
      ].join('\n');
      const run = () =>
        importOrders(
          ctx,
          { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE },
          Readable.from([csv]),
          { vendor: dell.vendorId, name: 'orders.csv' },
        );
      const first = await run();
      expect(first.ok, first.message).toBe(true);
      expect(first.summary.orders).toEqual({ created: 2, replayed: 0, rejected: 0, routed: 1 });
      const routed = await admin('GET', '/api/routing?customer=cus_z');
      const items = routed.body.items as { externalId: string; reason: string; status: string }[];
      expect(items.map((i) => [i.externalId, i.reason, i.status])).toEqual([
        ['CSV-D1', 'channel-exclusive', 'offered'],
      ]);
      const direct = await admin('GET', '/api/routing?reason=at-or-above-threshold');
      expect((direct.body.items as { externalId: string }[]).some((i) => i.externalId === 'CSV-D2')).toBe(
        true,
      );
      const again = await run();
      expect(again.ok, again.message).toBe(true);
      expect(again.summary.orders).toEqual({ created: 0, replayed: 3, rejected: 0, routed: 0 });
    });

    it('a partner accepts through the distributor that supplies it, and through no other', async () => {
      await addCustomer('cus_w', 'Wisteria Foundry Ltd', 'US', 'na');
      const sold = await admin(
        'POST',
        '/api/orders',
        order('cus_w', '2017-11-01', 600_000, { resellerId: 'ptn_bravo' }),
      );
      expect(sold.status, sold.text).toBe(201);
      const direct = await admin('POST', '/api/orders', order('cus_w', '2017-11-06', 600_000));
      expect(direct.status, direct.text).toBe(202);
      const routing = direct.body.routing as { routedOrderId: string; offeredTo: { partnerId: string } };
      expect(routing.offeredTo.partnerId).toBe('ptn_bravo');
      const offer = (
        (await bravo('GET', '/api/offers?status=open')).body.items as { id: string; routedOrderId: string }[]
      ).find((o) => o.routedOrderId === routing.routedOrderId);
      const refused = await bravo('POST', `/api/offers/${offer?.id}/accept`, {
        distributorId: 'ptn_charlie',
      });
      expect(refused.status, refused.text).toBe(400);
      expect(refused.text).toContain('does not supply you');
      const accepted = await bravo('POST', `/api/offers/${offer?.id}/accept`, { distributorId: 'ptn_dist' });
      expect(accepted.status, accepted.text).toBe(200);
      const booked = await admin('GET', `/api/orders/${String(accepted.body.orderId)}`);
      expect(booked.body).toMatchObject({
        channel: 'distributor',
        resellerId: 'ptn_bravo',
        distributorId: 'ptn_dist',
      });
    });

    it('refuses a named account past the program maxCount, with its reason, and writes nothing', async () => {
      const who = await actingAs(
        ctx,
        'admin@dell.test',
        { resource: 'named-account', action: 'manage' },
        'testing',
      );
      const list = await admin('GET', '/api/named-accounts');
      expect(list.status, list.text).toBe(200);
      const max = Number(list.body.maxCount);
      let active = Number(list.body.active);
      for (; active < max; active++)
        await addNamedAccount(ctx, who, { name: `Named Account ${active}`, country: 'US' });
      const over = await admin('POST', '/api/named-accounts', { name: 'One Too Many Corp', country: 'US' });
      expect(over.status, over.text).toBe(422);
      expect(over.text).toContain(`at most ${max}`);
      const after = await admin('GET', '/api/named-accounts');
      expect(after.body.active).toBe(max);
      expect((after.body.items as { name: string }[]).some((a) => a.name === 'One Too Many Corp')).toBe(
        false,
      );
      // Removing one makes room, with a reason.
      const first = (after.body.items as { id: string; name: string }[]).find(
        (a) => a.name === 'Named Account 3',
      );
      const removed = await admin('POST', `/api/named-accounts/${first?.id}/remove`, {
        reason: 'moved to the channel',
      });
      expect(removed.status, removed.text).toBe(200);
      expect(
        (await admin('POST', '/api/named-accounts', { name: 'One Too Many Corp', country: 'US' })).status,
      ).toBe(201);
    });
  });
}

describe('a routed order booked direct after its offers', () => {
  it('says so in its message, on the day its sentence says; a sentence the message does not render has none', () => {
    const decision = {
      outcome: 'route',
      sentenceMessage: { key: 'engagement.routing.onlyCandidate', params: { partner: 'Alpha' } },
    } as unknown as RoutingDecision;
    const sentence = 'Alpha is the only candidate No candidate accepted it: booked direct on 2026-12-03.';
    const m = routedSentenceMessage({ sentence, status: 'booked-direct' }, decision);
    expect(m && renderEnglish(m)).toBe(sentence);
    expect(
      routedSentenceMessage({ sentence: 'Alpha is the only candidate', status: 'offered' }, decision),
    ).toEqual(decision.sentenceMessage);
    expect(routedSentenceMessage({ sentence: 'older text', status: 'offered' }, decision)).toBeNull();
    expect(
      routedSentenceMessage({ sentence: 'x', status: 'offered' }, { outcome: 'route' } as RoutingDecision),
    ).toBeNull();
  });
});
