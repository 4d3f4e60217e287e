import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { sweepDeals } from '../../src/app/deals/sweep.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { importOrders } from '../../src/app/orders/import-orders.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { renderEnglish, type Message } from '../../src/core/messages/message.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { addResellers } from '../support/deals.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn, type Reply } from '../support/http.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

const PROGRAM = 'dell-emc-partner-program';

/** A clock the test moves: deal registrations are made "today". */
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

function registration(name: string, extra: Record<string, unknown> = {}) {
  return {
    programId: PROGRAM,
    customer: {
      name,
      country: 'GB',
      segment: 'commercial',
      domain: null,
      ...((extra.customer as object) ?? {}),
    },
    currency: 'USD',
    lines: [{ family: 'storage', amountMinor: 4_000_000 }],
    expectedCloseDate: '2028-12-31',
    description: 'Storage refresh for two data centres',
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'customer')),
  };
}

/** A client that signs in again when the moved clock has timed its session out. */
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

/** Every string anywhere in a JSON value. */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

for (const kind of STORE_KINDS) {
  describe(`deal registration on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    const clock = movableClock('2026-12-01T09:00:00Z');
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof person>;
    let alpha: ReturnType<typeof person>;
    let charlie: ReturnType<typeof person>;
    let echo: ReturnType<typeof person>;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store, { clock });
      ({ dell } = await loadFixture(ctx));
      await addResellers(ctx, dell, [
        { id: 'ptn_charlie', name: 'Charlie Integration SARL', country: 'FR', region: 'emea' },
        { id: 'ptn_echo', name: 'Echo Data GmbH', country: 'DE', region: 'emea' },
      ]);
      app = await buildServer(ctx);
      admin = person(app, 'admin@dell.test');
      alpha = person(app, 'admin@alpha.test');
      charlie = person(app, 'admin@charlie.test');
      echo = person(app, 'admin@echo.test');
    });
    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    it('golden: the first registration is protected; a later one of a name variant gets "conflict" and nothing of the first', async () => {
      const first = await alpha(
        'POST',
        '/api/deals',
        registration('Müller Maschinenbau GmbH', {
          customer: { domain: 'mueller-maschinenbau.de', country: 'DE' },
        }),
      );
      expect(first.status, first.text).toBe(201);
      expect(first.body.outcome).toBe('submitted');
      const firstDeal = first.body.deal as Record<string, unknown>;
      expect(firstDeal.status).toBe('submitted');
      // EMEA: a 6-hour review SLA.
      expect(firstDeal.reviewDueAt).toBe('2026-12-01T15:00:00.000Z');

      clock.advanceHours(1);
      const second = await charlie(
        'POST',
        '/api/deals',
        registration('MUELLER MASCHINENBAU', {
          customer: { country: 'DE', domain: 'mueller-maschinenbau.de' },
          lines: [{ family: 'storage', amountMinor: 9_900_000 }],
          description: 'Competing storage quote',
        }),
      );
      expect(second.status, second.text).toBe(201);
      expect(second.body.outcome).toBe('conflict');
      const secondDeal = second.body.deal as Record<string, unknown>;
      expect(secondDeal.status).toBe('rejected');
      expect(secondDeal.reasonCode).toBe('duplicate-registration');

      // Nothing of the first registration in anything the second partner can read.
      const firstId = String(firstDeal.id);
      const leaks = [
        firstId,
        'ptn_alpha',
        'Alpha Systems',
        'Müller Maschinenbau GmbH',
        '4000000',
        '40,000',
        'per_alpha',
      ];
      const readable: Reply[] = [
        second,
        await charlie('GET', `/api/deals/${String(secondDeal.id)}`),
        await charlie('GET', '/api/deals'),
        await charlie('GET', `/api/deals/${firstId}`),
      ];
      // Another partner's registration is not found, exactly as an id that does not exist.
      expect(readable[3]?.status).toBe(404);
      const none = await charlie('GET', '/api/deals/deal_doesnotexist0000');
      expect(readable[3]?.body.detail).toBe(
        String(none.body.detail).replace('deal_doesnotexist0000', firstId),
      );
      for (const r of readable.slice(0, 3)) {
        const text = JSON.stringify(r.body);
        for (const leak of leaks) expect(text, `${leak} leaked`).not.toContain(leak);
      }
      expect(strings(readable[1]?.body).join(' ')).not.toMatch(/alpha/i);

      // The vendor's reviewer sees both side by side with the evidence.
      const review = await admin('GET', `/api/deals/${String(secondDeal.id)}`);
      expect(review.status).toBe(200);
      const conflicts = review.body.conflicts as {
        kind: string;
        otherId: string;
        decision: string;
        evidence: unknown[];
      }[];
      expect(conflicts.find((c) => c.kind === 'registration')).toMatchObject({
        otherId: firstId,
        decision: 'match',
      });
      expect(conflicts[0]?.evidence.length).toBeGreaterThan(0);
      // Each detail comes with its message (the app shows it in the reader's language), the same sentence.
      for (const e of conflicts.flatMap((c) => c.evidence) as { detail: string; detailMessage: Message }[])
        expect(renderEnglish(e.detailMessage)).toBe(e.detail);
      // ...and, on the first registration, the later one that ran into it.
      const firstReview = await admin('GET', `/api/deals/${firstId}`);
      expect(firstReview.body.laterConflicts).toEqual([
        expect.objectContaining({ registrationId: secondDeal.id, decision: 'match' }),
      ]);
      // What it matched is the other registration whole, as its own page shows it (the response schema keeps
      // every field).
      const {
        history: _h,
        conflicts: _c,
        laterConflicts: _l,
        ...firstView
      } = firstReview.body as Record<string, unknown>;
      expect(
        (review.body.conflicts as { kind: string; other: unknown }[]).find((c) => c.kind === 'registration')
          ?.other,
      ).toEqual(firstView);
      const queue = await admin('GET', '/api/deals?status=submitted&sort=reviewDueAt');
      expect(
        (queue.body.items as { id: string; partnerName: string }[]).find((d) => d.id === firstId),
      ).toMatchObject({
        partnerName: 'Alpha Systems Ltd',
      });
    });

    it('the live hint says only "may be covered", names only the caller\'s own registration, and is limited per day', async () => {
      const check = (who: typeof alpha, name: string) =>
        who('POST', '/api/deals/check', { programId: PROGRAM, customer: { name, country: 'DE' } });
      const other = await check(charlie, 'Mueller Maschinenbau G.m.b.H.');
      expect(other.status, other.text).toBe(200);
      expect(other.body).toEqual({
        hint: 'may-be-covered',
        yourRegistrationId: null,
        checksLeftToday: expect.any(Number),
      });
      const own = await check(alpha, 'Müller Maschinenbau');
      expect(own.body.hint).toBe('yours');
      expect(String(own.body.yourRegistrationId)).toMatch(/^deal_/);
      expect((await check(charlie, 'Brandneu Solartechnik GmbH')).body.hint).toBe('clear');
      // Only customers of the partner's zone: a US customer is not the business of an EMEA partner.
      const far = await charlie('POST', '/api/deals/check', {
        programId: PROGRAM,
        customer: { name: 'Acme Inc', country: 'US' },
      });
      expect(far.status).toBe(400);
      expect(JSON.stringify(far.body.errors)).toMatch(/body\.customer\.country/);
      // Each check counts; past the program's daily budget: 429 with Retry-After, nothing answered.
      let last = other;
      for (let i = 0; i < 100 && last.status === 200; i++)
        last = await check(charlie, `Probe ${i} Handels GmbH`);
      expect(last.status).toBe(429);
      expect(last.headers['retry-after']).toBeDefined();
      expect(last.body.hint).toBeUndefined();
      clock.advanceHours(24);
    });

    it('a direct-named account conflicts', async () => {
      const r = await echo(
        'POST',
        '/api/deals',
        registration('Fabrikam Energy AG', {
          customer: { country: 'DE', domain: 'fabrikam-energy.example' },
        }),
      );
      expect(r.status, r.text).toBe(201);
      expect(r.body.outcome).toBe('conflict');
      expect((r.body.deal as { reasonCode: string }).reasonCode).toBe('direct-account');
    });

    it('approval protects for exactly its days; an extension beyond the allowed count is refused; expiry frees the customer', async () => {
      clock.set('2026-12-02T08:00:00Z');
      const created = await echo(
        'POST',
        '/api/deals',
        registration('Northwind Traders Ltd', { customer: { country: 'GB' } }),
      );
      expect(created.body.outcome).toBe('submitted');
      const id = String((created.body.deal as { id: string }).id);
      const approved = await admin('POST', `/api/deals/${id}/review`, { action: 'approve' });
      expect(approved.status, approved.text).toBe(200);
      // 90 days from 2026-12-02: protected through 2027-03-01 inclusive.
      expect(approved.body.protectedUntil).toBe('2027-03-01');
      for (let i = 0; i < 2; i++) {
        const ask = await echo('POST', `/api/deals/${id}/request-extension`, {
          text: 'customer board meets in March',
        });
        expect(ask.status, ask.text).toBe(200);
        const grant = await admin('POST', `/api/deals/${id}/review`, { action: 'grant-extension' });
        expect(grant.status, grant.text).toBe(200);
      }
      const detail = await echo('GET', `/api/deals/${id}`);
      expect(detail.body.protectedUntil).toBe('2027-04-30');
      expect(detail.body.status).toBe('extended');
      const third = await echo('POST', `/api/deals/${id}/request-extension`, { text: 'again' });
      expect(third.status).toBe(400);
      expect(JSON.stringify(third.body)).toMatch(/extension/);

      clock.set('2027-04-30T23:59:59Z');
      expect((await echo('GET', `/api/deals/${id}`)).body.status).toBe('extended');
      clock.set('2027-05-01T00:00:00Z');
      expect((await echo('GET', `/api/deals/${id}`)).body.status).toBe('expired');
      const swept = await sweepDeals(ctx);
      expect(swept.expired).toBeGreaterThanOrEqual(1);
      // The customer is free again: another partner may register it.
      const again = await alpha('POST', '/api/deals', registration('Northwind Traders Limited'));
      expect(again.body.outcome).toBe('submitted');
      const history = (await echo('GET', `/api/deals/${id}`)).body.history as {
        action: string;
        at: string;
      }[];
      expect(history.map((h) => h.action)).toEqual([
        'create',
        'submit',
        'approve',
        'request-extension',
        'grant-extension',
        'request-extension',
        'grant-extension',
        'expire',
      ]);
    });

    it('an SLA breach is flagged at its due time', async () => {
      clock.set('2027-06-01T10:00:00Z');
      const created = await charlie(
        'POST',
        '/api/deals',
        registration('Lumière Optique SA', { customer: { country: 'FR' } }),
      );
      const id = String((created.body.deal as { id: string }).id);
      clock.set('2027-06-01T15:59:59Z');
      expect((await admin('GET', `/api/deals/${id}`)).body.slaBreached).toBe(false);
      clock.set('2027-06-01T16:00:00Z');
      expect((await admin('GET', `/api/deals/${id}`)).body.slaBreached).toBe(true);
      const queue = await admin(
        'GET',
        '/api/deals?status=submitted,under-review&breached=true&sort=reviewDueAt',
      );
      expect((queue.body.items as { id: string }[]).map((d) => d.id)).toContain(id);
      await sweepDeals(ctx);
      const after = await admin('GET', `/api/deals/${id}`);
      expect(after.body).toMatchObject({
        slaBreachedAt: '2027-06-01T16:00:00.000Z',
        escalated: true,
        status: 'submitted',
      });
    });

    it("golden: the benefit is paid only on the protected partner's order; progress shows the tier if the deal is won", async () => {
      // Inside the Dell program year, so orders can be dated within the protection.
      clock.set('2017-05-02T08:00:00Z');
      await ctx.store.db
        .insertInto('customers')
        .values({
          id: 'cus_hanse',
          vendorId: dell.vendorId,
          name: 'Hanse Kühltechnik GmbH',
          domain: 'hanse-kuehltechnik.de',
          country: 'DE',
          region: 'emea',
          segment: 'commercial',
          addressLine: null,
          city: 'Hamburg',
          postalCode: null,
          createdAt: '2017-05-01T00:00:00.000Z',
        })
        .execute();
      const reg = await echo(
        'POST',
        '/api/deals',
        registration('Hanse Kuehltechnik', {
          customer: { country: 'DE', domain: 'hanse-kuehltechnik.de' },
          expectedCloseDate: '2017-09-30',
          lines: [{ family: 'storage', amountMinor: 4_000_000 }],
        }),
      );
      expect(reg.body.outcome, reg.text).toBe('submitted');
      const id = String((reg.body.deal as { id: string }).id);
      expect((await admin('GET', `/api/deals/${id}`)).body.customerId).toBe('cus_hanse');
      expect((await admin('POST', `/api/deals/${id}/review`, { action: 'approve' })).status).toBe(200);

      const progress = await echo(
        'GET',
        `/api/partners/ptn_echo/progress?program=${PROGRAM}&asOf=2017-05-02&deal=${id}`,
      );
      expect(progress.status, progress.text).toBe(200);
      expect(progress.body.deal).toMatchObject({ id, totalMinor: 4_000_000 });
      const plain = await echo('GET', `/api/partners/ptn_echo/progress?program=${PROGRAM}&asOf=2017-05-02`);
      expect(JSON.stringify(progress.body.evaluation)).not.toBe(JSON.stringify(plain.body.evaluation));

      const order = (reseller: string, externalId: string, dealRegistrationId?: string) => ({
        source: 'erp',
        externalId,
        orderDate: '2017-05-10',
        currency: 'USD',
        customerId: 'cus_hanse',
        channel: 'partner',
        resellerId: reseller,
        ...(dealRegistrationId ? { dealRegistrationId } : {}),
        lines: [
          { productId: 'prd_stor', quantity: 1, unitPriceMinor: 4_000_000 },
          { productId: 'prd_srv', quantity: 1, unitPriceMinor: 1_000_000 },
        ],
      });
      // Another partner's order naming the registration is refused, and says nothing of it.
      const foreign = await admin('POST', '/api/orders', order('ptn_alpha', 'HANSE-A0', id));
      expect(foreign.status).toBe(400);
      expect(JSON.stringify(foreign.body.errors)).toMatch(/dealRegistrationId/);

      const won = await admin('POST', '/api/orders', order('ptn_echo', 'HANSE-1', id));
      expect(won.status, won.text).toBe(201);
      const bonus = await ctx.store.db
        .selectFrom('ledgerLegs')
        .select(['lineId', 'amountMinor', 'partnerId'])
        .where('component', '=', 'registered-deal')
        .where('account', '=', 'vendor:incentive-expense')
        .execute();
      const lines = (won.body.lines as { id: string; family: string }[]).map((l) => [l.family, l.id]);
      const storageLine = lines.find(([f]) => f === 'storage')?.[1];
      // 2% of USD 40,000.00 on storage, none on servers (not registered).
      expect(bonus.map((b) => [b.lineId, Number(b.amountMinor), b.partnerId])).toEqual([
        [storageLine, 80_000, 'ptn_echo'],
      ]);
      expect((await echo('GET', `/api/deals/${id}`)).body).toMatchObject({
        status: 'won',
        wonOrderId: won.body.id,
      });

      // Another partner selling to the protected customer earns none of it, and the vendor is told.
      const other = await admin('POST', '/api/orders', order('ptn_alpha', 'HANSE-A1'));
      expect(other.status, other.text).toBe(201);
      const after = await ctx.store.db
        .selectFrom('ledgerLegs')
        .select((e) => e.fn.countAll().as('n'))
        .where('component', '=', 'registered-deal')
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(2);
      const flags = await admin('GET', '/api/deal-flags?rule=sold-by-other');
      expect((flags.body.items as { orderId: string }[]).map((f) => f.orderId)).toContain(other.body.id);

      // The registered customer on the order, but another end user reported: flagged with its evidence.
      const resold = await admin('POST', '/api/orders', {
        ...order('ptn_echo', 'HANSE-2', id),
        endUserName: 'Nordsee Fischerei AG',
      });
      expect(resold.status, resold.text).toBe(201);
      const resoldFlags = await admin('GET', '/api/deal-flags?rule=resold-to-other');
      const flag = (resoldFlags.body.items as { orderId: string; evidence: { text: string } }[]).find(
        (f) => f.orderId === resold.body.id,
      );
      expect(flag?.evidence.text).toMatch(/Nordsee Fischerei AG/);
      // Partners never read the abuse queue.
      expect((await echo('GET', '/api/deal-flags')).status).toBe(403);

      // A CSV import may name the registration too: same checks, same bonus, as one order through the API.
      const csv = (rows: string[]) =>
        [
          'source,external_id,order_date,currency,customer_id,channel,reseller_id,product_id,quantity,unit_price,deal_registration_id',
          ...rows,
        ].join('\n');
      const refused = await importOrders(
        ctx,
        { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE },
        Readable.from([
          csv([`erp,HANSE-CSV-0,2017-05-11,USD,cus_hanse,partner,ptn_alpha,prd_stor,1,40000.00,${id}`]),
        ]),
        { vendor: dell.vendorId, name: 'orders.csv' },
      );
      expect(refused.ok).toBe(false);
      expect(refused.problems[0]).toMatchObject({ line: 2, column: 11, columnName: 'deal_registration_id' });
      const imported = await importOrders(
        ctx,
        { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE },
        Readable.from([
          csv([`erp,HANSE-CSV-1,2017-05-11,USD,cus_hanse,partner,ptn_echo,prd_stor,1,40000.00,${id}`]),
        ]),
        { vendor: dell.vendorId, name: 'orders.csv' },
      );
      expect(imported.ok, imported.message).toBe(true);
      const csvOrder = await ctx.store.db
        .selectFrom('orders')
        .select(['id', 'dealRegistrationId'])
        .where('externalId', '=', 'HANSE-CSV-1')
        .executeTakeFirstOrThrow();
      expect(csvOrder.dealRegistrationId).toBe(id);
      const csvBonus = await ctx.store.db
        .selectFrom('ledgerLegs as e')
        .innerJoin('orderLines as l', (j) =>
          j.onRef('l.vendorId', '=', 'e.vendorId').onRef('l.id', '=', 'e.lineId'),
        )
        .select(['e.amountMinor'])
        .where('l.orderId', '=', csvOrder.id)
        .where('e.component', '=', 'registered-deal')
        .where('e.account', '=', 'vendor:incentive-expense')
        .execute();
      expect(csvBonus.map((b) => Number(b.amountMinor))).toEqual([80_000]);

      // The close reads the same fact as real time: nothing to true up on the registered-deal bonus.
      const dry = await closePeriod(
        ctx,
        { actor: { kind: 'system', id: 'test' }, scope: SYSTEM_SCOPE },
        { program: PROGRAM, period: 'FY18-Q2', dryRun: true },
      );
      expect(dry.components.find((c) => c.component === 'registered-deal')).toMatchObject({
        lineMinor: 240_000,
        trueUpMinor: 0,
      });
    });

    it('bad input: below the minimum, outside the zone, a past close date, a duplicate, a foreign extension: refused with where, nothing written', async () => {
      clock.set('2027-07-01T09:00:00Z');
      const before = await ctx.store.db
        .selectFrom('dealRegistrations')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      const small = await echo(
        'POST',
        '/api/deals',
        registration('Tiny Co GmbH', {
          customer: { country: 'DE' },
          lines: [{ family: 'storage', amountMinor: 50_000 }],
        }),
      );
      expect(small.status).toBe(400);
      expect(JSON.stringify(small.body.errors)).toMatch(/minimum/);
      const zone = await echo(
        'POST',
        '/api/deals',
        registration('Faraway Inc.', { customer: { country: 'US' } }),
      );
      expect(zone.status).toBe(400);
      expect(JSON.stringify(zone.body.errors)).toMatch(/body\.customer\.country/);
      const past = await echo(
        'POST',
        '/api/deals',
        registration('Pastime GmbH', { customer: { country: 'DE' }, expectedCloseDate: '2027-06-30' }),
      );
      expect(past.status).toBe(400);
      expect(JSON.stringify(past.body.errors)).toMatch(/expectedCloseDate/);
      const dup1 = await echo(
        'POST',
        '/api/deals',
        registration('Kaiser Logistik GmbH', { customer: { country: 'DE' }, externalRef: 'OPP-1' }),
      );
      expect(dup1.status).toBe(201);
      const dup2 = await echo(
        'POST',
        '/api/deals',
        registration('Kaiser Logistik GmbH', { customer: { country: 'DE' }, externalRef: 'OPP-1' }),
      );
      expect(dup2.status).toBe(409);
      const dup3 = await echo(
        'POST',
        '/api/deals',
        registration('Kaiser Logistik', { customer: { country: 'DE' }, externalRef: 'OPP-2' }),
      );
      expect(dup3.status).toBe(409);
      const foreign = await alpha(
        'POST',
        `/api/deals/${String((dup1.body.deal as { id: string }).id)}/request-extension`,
        { text: 'x' },
      );
      expect(foreign.status).toBe(404);
      const after = await ctx.store.db
        .selectFrom('dealRegistrations')
        .select((e) => e.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n) - Number(before.n)).toBe(1);
    });
  });
}
