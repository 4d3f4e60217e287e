import { createServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import {
  dispatchWebhooks,
  pruneWebhookLog,
  startWebhookDispatcher,
} from '../../src/app/webhooks/dispatch.js';
import { emitWebhookEvents } from '../../src/app/webhooks/outbox.js';
import { verifySignature } from '../../src/app/webhooks/signing.js';
import { writeMemberships } from '../../src/app/tiers/write-memberships.js';
import { DISABLE_AFTER } from '../../src/core/webhooks/delivery-policy.js';
import { urlProblem } from '../../src/core/webhooks/endpoint-url.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  event: { id: string; type: string; partnerId: string | null; data: Record<string, unknown> };
}

/** A real local HTTP receiver whose behaviour the test sets: answer 200, answer 500, or never answer. */
async function receiver() {
  const received: Received[] = [];
  let mode: 'ok' | 'fail' | 'hang' = 'ok';
  const server: HttpServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body,
        event: JSON.parse(body) as Received['event'],
      });
      if (mode === 'hang') return; // no answer: the dispatcher's timeout ends the attempt
      res.writeHead(mode === 'ok' ? 200 : 500).end(mode);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as { port: number }).port;
  return {
    received,
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    setMode: (m: typeof mode) => {
      mode = m;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

for (const kind of STORE_KINDS) {
  describe(`webhooks on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let skew = 0;
    let hooks: Awaited<ReturnType<typeof receiver>>;
    let admin: ReturnType<typeof client>;
    let bravo: ReturnType<typeof client>;
    let alpha: ReturnType<typeof client>;
    const secrets: Record<string, string> = {};
    const endpoints: Record<string, string> = {};
    let statementId = '';
    let vendorId = '';

    const at = (path: string) => hooks.received.filter((r) => r.path === path);
    const dispatch = (timeoutMs = 2_000) => dispatchWebhooks(ctx, { timeoutMs });

    beforeAll(async () => {
      t = await openTestStore(kind);
      // A clock the test moves forward, to reach retries without waiting for them.
      ctx = createContext(t.store, {
        clock: { now: () => new Date(Date.now() + skew) },
        webhooks: { allowPrivate: true, selfOrigins: ['https://trellis.example.com'] },
      });
      vendorId = (await loadFixture(ctx)).dell.vendorId;
      hooks = await receiver();
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      bravo = client(app, await signIn(app, 'admin@bravo.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
      for (const [name, who, events] of [
        ['dell', admin, ['statement.issued', 'statement.paid', 'order.accepted', 'webhook.test']],
        ['bravo', bravo, ['statement.issued', 'order.accepted']],
        ['alpha', alpha, ['statement.issued', 'order.accepted']],
      ] as const) {
        const r = await who('POST', '/api/webhooks', { url: hooks.url(`/${name}`), events });
        expect(r.status, r.text).toBe(201);
        secrets[name] = r.body.secret as string;
        endpoints[name] = (r.body.endpoint as { id: string }).id;
      }
      const order = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'W-1',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-03-01',
        customerId: 'cus_globex',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_stor', quantity: 2, unitPriceMinor: 1_000_000 }],
      });
      expect(order.status, order.text).toBe(201);
      const closed = await viaJob(admin, 'POST', '/api/closes', {
        program: 'dell-emc-partner-program',
        period: 'FY18-Q1',
      });
      expect(closed.status).toBe(200);
      const drafts = await admin('GET', '/api/statements?partner=ptn_bravo&period=FY18-Q1');
      statementId = (drafts.body.items as { id: string }[])[0]!.id;
    });
    afterAll(async () => {
      await app.close();
      await hooks.close();
      await t.cleanup();
    });
    beforeEach(() => hooks.setMode('ok'));

    it('never shows a secret after creation, and keeps each endpoint to its owner', async () => {
      const list = await admin('GET', '/api/webhooks');
      expect(list.status).toBe(200);
      expect((list.body.items as { id: string }[]).map((e) => e.id)).toEqual([endpoints.dell]);
      expect(list.text).not.toContain(secrets.dell);
      expect(list.text).not.toContain('secret_enc');
      expect((await bravo('GET', '/api/webhooks')).body.items).toHaveLength(1);
      // Another tenant's endpoint does not exist for the caller.
      expect((await alpha('GET', `/api/webhooks/${endpoints.bravo}`)).status).toBe(404);
      expect((await alpha('DELETE', `/api/webhooks/${endpoints.bravo}`)).status).toBe(404);
      expect((await admin('GET', `/api/webhooks/${endpoints.bravo}/deliveries`)).status).toBe(404);
      // A sales rep may not manage webhooks.
      const rep = client(app, await signIn(app, 'rep@alpha.test'));
      expect((await rep('GET', '/api/webhooks')).status).toBe(403);
    });

    it('delivers the accepted order once to the vendor and to the reseller, never to another partner', async () => {
      const r = await dispatch();
      expect(r.failed + r.retried).toBe(0);
      const dell = at('/dell').filter((x) => x.event.type === 'order.accepted');
      const bravoGot = at('/bravo').filter((x) => x.event.type === 'order.accepted');
      expect(dell).toHaveLength(1);
      expect(bravoGot).toHaveLength(1);
      expect(at('/alpha')).toHaveLength(0);
      expect(dell[0]!.event.data).toMatchObject({ resellerId: 'ptn_bravo', partnerId: null });
      // The partner's copy names only itself.
      expect(bravoGot[0]!.event).toMatchObject({ partnerId: 'ptn_bravo' });
      expect(bravoGot[0]!.event.data).toMatchObject({
        partnerId: 'ptn_bravo',
        role: 'reseller',
        resellerId: null,
      });
      expect(bravoGot[0]!.event.id).not.toBe(dell[0]!.event.id);
      // Signed over timestamp.body with the endpoint's secret; the event id is in a header.
      for (const [got, secret] of [
        [dell[0]!, secrets.dell!],
        [bravoGot[0]!, secrets.bravo!],
      ] as const) {
        expect(got.headers['trellis-event-id']).toBe(got.event.id);
        const header = String(got.headers['trellis-signature']);
        expect(verifySignature(secret, header, got.body, Math.floor(Date.now() / 1000))).toBe(true);
        expect(verifySignature(secrets.alpha!, header, got.body, Math.floor(Date.now() / 1000))).toBe(false);
        expect(verifySignature(secret, header, `${got.body} `, Math.floor(Date.now() / 1000))).toBe(false);
        // An old timestamp is refused (replay).
        expect(verifySignature(secret, header, got.body, Math.floor(Date.now() / 1000) + 3600)).toBe(false);
      }
      // Again: nothing more to send (exactly once to a healthy endpoint).
      const before = hooks.received.length;
      expect((await dispatch()).delivered).toBe(0);
      expect(hooks.received.length).toBe(before);
      const log = await admin('GET', `/api/webhooks/${endpoints.dell}/deliveries`);
      const items = log.body.items as { status: string; log: { statusCode: number }[] }[];
      expect(items[0]).toMatchObject({ status: 'succeeded', log: [{ statusCode: 200, succeeded: true }] });
    });

    it('writes no event when no endpoint takes it (the cheap path of order intake)', async () => {
      const before = await t.store.db.selectFrom('webhookEvents').select('id').execute();
      const written = await t.store.db.transaction().execute((trx) =>
        emitWebhookEvents(trx, ctx, [
          {
            type: 'tier.changed',
            vendorId,
            partnerId: null,
            data: {
              programId: 'prg_x',
              partnerId: 'ptn_bravo',
              from: null,
              to: 'gold',
              validFrom: '2017-03-01',
              direction: 'new',
            },
          },
        ]),
      );
      expect(written).toBe(0);
      expect(await t.store.db.selectFrom('webhookEvents').select('id').execute()).toEqual(before);
      // An order of a partner whose endpoint does not take orders: only the vendor's copy is written.
      const only = await alpha('PUT', `/api/webhooks/${endpoints.alpha}`, { events: ['statement.issued'] });
      expect(only.status, only.text).toBe(200);
      const order = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'W-alpha',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-03-02',
        customerId: 'cus_globex',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 1_000 }],
      });
      expect(order.status, order.text).toBe(201);
      const rows = await t.store.db
        .selectFrom('webhookEvents')
        .select(['partnerId', 'type'])
        .where('payload', 'like', `%${order.body.id as string}%`)
        .execute();
      expect(rows).toEqual([{ partnerId: null, type: 'order.accepted' }]);
      await dispatch();
      expect(at('/alpha')).toEqual([]);
      await alpha('PUT', `/api/webhooks/${endpoints.alpha}`, {
        events: ['statement.issued', 'order.accepted'],
      });
    });

    it('runs as a loop that delivers off the request path and stops', async () => {
      const loop = startWebhookDispatcher(ctx, { intervalMs: 20 });
      try {
        const before = at('/bravo').filter((r) => r.event.type === 'webhook.test').length;
        expect((await bravo('POST', `/api/webhooks/${endpoints.bravo}/test`, {})).status).toBe(201);
        for (
          let i = 0;
          i < 200 && at('/bravo').filter((r) => r.event.type === 'webhook.test').length === before;
          i++
        )
          await new Promise((r) => setTimeout(r, 10));
        expect(at('/bravo').filter((r) => r.event.type === 'webhook.test').length).toBe(before + 1);
      } finally {
        await loop.stop();
      }
      const after = at('/bravo').filter((r) => r.event.type === 'webhook.test').length;
      expect((await bravo('POST', `/api/webhooks/${endpoints.bravo}/test`, {})).status).toBe(201);
      await new Promise((r) => setTimeout(r, 100));
      expect(at('/bravo').filter((r) => r.event.type === 'webhook.test').length).toBe(after);
      await dispatch();
    });

    it('writes a registration’s and a tier change’s events, for the vendor and that partner only', async () => {
      await admin('PUT', `/api/webhooks/${endpoints.dell}`, {
        events: [
          'statement.issued',
          'statement.paid',
          'order.accepted',
          'webhook.test',
          'deal.submitted',
          'tier.changed',
        ],
      });
      await alpha('PUT', `/api/webhooks/${endpoints.alpha}`, {
        events: ['statement.issued', 'order.accepted', 'deal.submitted', 'tier.changed'],
      });
      const deal = await alpha('POST', '/api/deals', {
        programId: 'dell-emc-partner-program',
        customer: { name: 'Webhook Kunde GmbH', country: 'DE', segment: 'commercial', domain: null },
        currency: 'USD',
        lines: [{ family: 'storage', amountMinor: 2_000_000 }],
        expectedCloseDate: '2028-12-31',
        description: 'webhooks',
      });
      expect(deal.status, deal.text).toBeLessThan(300);
      const program = await t.store.db
        .selectFrom('programs')
        .select('id')
        .where('code', '=', 'dell-emc-partner-program')
        .executeTakeFirstOrThrow();
      const today = new Date(Date.now() + skew).toISOString();
      await t.store.db.transaction().execute((trx) =>
        writeMemberships(trx, {
          vendorId,
          programId: program.id,
          statusCodes: new Set(),
          tiers: ['authorized', 'gold', 'platinum', 'titanium'],
          partnerIds: ['ptn_alpha'],
          decide: () => [
            {
              id: 'mbr_webhook_alpha',
              vendorId,
              programId: program.id,
              partnerId: 'ptn_alpha',
              tierCode: 'platinum',
              validFrom: today.slice(0, 10),
              validTo: null,
              source: 'manual',
              reason: 'webhooks test',
              createdAt: today,
              grandfatheredUntil: null,
              sponsor: null,
              detail: '{}',
            },
          ],
        }),
      );
      const before = hooks.received.length;
      await dispatch();
      const got = hooks.received.slice(before).map((r) => [r.path, r.event.type, r.event.partnerId]);
      expect(got.sort()).toEqual(
        [
          ['/alpha', 'deal.submitted', 'ptn_alpha'],
          ['/alpha', 'tier.changed', 'ptn_alpha'],
          ['/dell', 'deal.submitted', null],
          ['/dell', 'tier.changed', null],
        ].sort(),
      );
      const tier = hooks.received
        .slice(before)
        .find((r) => r.path === '/alpha' && r.event.type === 'tier.changed')!;
      expect(tier.event.data).toMatchObject({
        partnerId: 'ptn_alpha',
        to: 'platinum',
        programId: program.id,
      });
      // Bravo's endpoint takes neither, and nothing of Alpha's reaches it.
      expect(hooks.received.slice(before).some((r) => r.path === '/bravo')).toBe(false);
    });

    it('sends nothing for a change that rolls back', async () => {
      const before = await t.store.db.selectFrom('webhookEvents').select('id').execute();
      // A second issue of nothing: refused, its transaction rolled back.
      expect((await admin('POST', `/api/statements/stm_nothere/issue`, {})).status).toBe(404);
      await expect(
        t.store.db.transaction().execute(async (trx) => {
          const n = await emitWebhookEvents(trx, ctx, [
            {
              type: 'statement.issued',
              vendorId,
              partnerId: null,
              data: {
                statementId: 'stm_x',
                partnerId: 'ptn_bravo',
                programId: 'prg_x',
                period: 'FY18-Q1',
                sequence: 1,
                totalMinor: 1,
                currency: 'USD',
              },
            },
          ]);
          expect(n).toBe(1);
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      expect(await t.store.db.selectFrom('webhookEvents').select('id').execute()).toEqual(before);
      await dispatch();
      expect(hooks.received.filter((r) => (r.event.data.statementId as string) === 'stm_x')).toEqual([]);
    });

    it('delivers at least once through failures and a timeout, with every attempt in the log', async () => {
      hooks.setMode('fail');
      const issued = await admin('POST', `/api/statements/${statementId}/issue`, {});
      expect(issued.status, issued.text).toBe(200);
      // A second issue is refused (409): nothing more is written.
      expect((await admin('POST', `/api/statements/${statementId}/issue`, {})).status).toBe(409);
      const first = await dispatch();
      expect(first).toMatchObject({ delivered: 0, retried: 2 });
      // Not due yet: no attempt.
      expect((await dispatch()).retried).toBe(0);
      skew += 31_000;
      hooks.setMode('hang');
      const second = await dispatch(300);
      expect(second).toMatchObject({ delivered: 0, retried: 2 });
      skew += 61_000;
      hooks.setMode('ok');
      expect(await dispatch()).toMatchObject({ delivered: 2, retried: 0 });
      const got = at('/bravo').filter((r) => r.event.type === 'statement.issued');
      expect(got).toHaveLength(3);
      expect(new Set(got.map((g) => g.event.id)).size).toBe(1);
      expect(got.map((g) => g.headers['trellis-attempt'])).toEqual(['1', '2', '3']);
      expect(at('/alpha').filter((r) => r.event.type === 'statement.issued')).toHaveLength(0);
      const log = await bravo('GET', `/api/webhooks/${endpoints.bravo}/deliveries?limit=1`);
      const delivery = (log.body.items as Record<string, unknown>[])[0]!;
      expect(delivery).toMatchObject({ type: 'statement.issued', status: 'succeeded', attempts: 3 });
      const attempts = delivery.log as {
        statusCode: number | null;
        error: string | null;
        durationMs: number;
      }[];
      expect(attempts.map((a) => a.statusCode)).toEqual([500, null, 200]);
      expect(attempts[0]!.error).toContain('500');
      expect(attempts[1]!.error).toContain('no answer within 300 ms');
      expect(attempts[1]!.durationMs).toBeGreaterThanOrEqual(250);
      // The endpoint's count of consecutive failures started over with the success.
      expect((await bravo('GET', `/api/webhooks/${endpoints.bravo}`)).body.consecutiveFailures).toBe(0);
      // The detail carries the event as sent.
      const detail = await bravo('GET', `/api/webhook-deliveries/${delivery.id as string}`);
      expect(detail.status, detail.text).toBe(200);
      expect(detail.body.event).toMatchObject({ type: 'statement.issued', partnerId: 'ptn_bravo' });
    });

    it('redelivers on request, with the same event id', async () => {
      const log = await bravo('GET', `/api/webhooks/${endpoints.bravo}/deliveries?limit=1`);
      const d = (log.body.items as { id: string; eventId: string }[])[0]!;
      const again = await bravo('POST', `/api/webhook-deliveries/${d.id}/redeliver`, {});
      expect(again.status, again.text).toBe(200);
      expect(again.body.status).toBe('pending');
      expect((await alpha('POST', `/api/webhook-deliveries/${d.id}/redeliver`, {})).status).toBe(404);
      expect((await dispatch()).delivered).toBe(1);
      const got = at('/bravo').filter((r) => r.event.id === d.eventId);
      expect(got).toHaveLength(4);
    });

    it('signs with both secrets during a rotation, and sends a test event to one endpoint only', async () => {
      const rotated = await admin('POST', `/api/webhooks/${endpoints.dell}/rotate-secret`, {});
      expect(rotated.status, rotated.text).toBe(200);
      const fresh = rotated.body.secret as string;
      expect(fresh).not.toBe(secrets.dell);
      expect(
        (rotated.body.endpoint as { previousSecretValidUntil: string | null }).previousSecretValidUntil,
      ).not.toBeNull();
      const test = await admin('POST', `/api/webhooks/${endpoints.dell}/test`, {});
      expect(test.status, test.text).toBe(201);
      const before = hooks.received.length;
      await dispatch();
      const got = hooks.received.slice(before);
      expect(got.map((g) => [g.path, g.event.type])).toEqual([['/dell', 'webhook.test']]);
      const header = String(got[0]!.headers['trellis-signature']);
      expect(header.match(/v1=/g)).toHaveLength(2);
      const now = Math.floor(Date.now() / 1000);
      expect(verifySignature(fresh, header, got[0]!.body, now)).toBe(true);
      expect(verifySignature(secrets.dell!, header, got[0]!.body, now)).toBe(true);
      secrets.dell = fresh;
    });

    it('never makes the same attempt twice when dispatchers run at once', async () => {
      const ids: string[] = [];
      await t.store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < 12; i++) {
          await emitWebhookEvents(trx, ctx, [
            {
              type: 'statement.paid',
              vendorId,
              partnerId: null,
              data: {
                statementId: `stm_race${i}`,
                partnerId: 'ptn_bravo',
                programId: 'prg_x',
                period: 'FY18-Q1',
                sequence: 1,
                totalMinor: i,
                currency: 'USD',
              },
            },
          ]);
          ids.push(`stm_race${i}`);
        }
      });
      const results = await Promise.all(Array.from({ length: 5 }, () => dispatchWebhooks(ctx, { batch: 3 })));
      expect(results.reduce((n, r) => n + r.delivered, 0)).toBe(12);
      const got = at('/dell').filter((r) => r.event.type === 'statement.paid');
      expect(got.map((g) => g.event.data.statementId).sort()).toEqual([...ids].sort());
      const attempts = await t.store.db
        .selectFrom('webhookAttempts as a')
        .innerJoin('webhookDeliveries as d', 'd.id', 'a.deliveryId')
        .innerJoin('webhookEvents as e', 'e.id', 'd.eventId')
        .select('a.id')
        .where('e.type', '=', 'statement.paid')
        .execute();
      expect(attempts).toHaveLength(12);
    });

    it(`disables an endpoint after ${DISABLE_AFTER} consecutive failures, and enables it again`, async () => {
      await t.store.db
        .updateTable('webhookEndpoints')
        .set({ consecutiveFailures: DISABLE_AFTER - 1 })
        .where('id', '=', endpoints.dell!)
        .execute();
      hooks.setMode('fail');
      await admin('POST', `/api/webhooks/${endpoints.dell}/test`, {});
      expect((await dispatch()).disabled).toBe(1);
      const e = await admin('GET', `/api/webhooks/${endpoints.dell}`);
      expect(e.body).toMatchObject({ status: 'disabled', consecutiveFailures: DISABLE_AFTER });
      expect(e.body.disabledReason).toContain('consecutive failed attempts');
      // Disabled: nothing is attempted.
      skew += 31_000;
      hooks.setMode('ok');
      expect((await dispatch()).delivered).toBe(0);
      const enabled = await admin('PUT', `/api/webhooks/${endpoints.dell}`, { status: 'active' });
      expect(enabled.body).toMatchObject({ status: 'active', consecutiveFailures: 0, disabledReason: null });
      expect((await dispatch()).delivered).toBe(1);
    });

    it('refuses a URL that is not http(s), points at the server itself or (by default) at a private address', async () => {
      for (const [url, reason] of [
        ['ftp://hooks.example.com/x', 'must be an http:// or https:// URL'],
        ['not a url', 'is not a URL'],
        ['https://trellis.example.com/api/hook', 'points at this Trellis server itself'],
      ] as const) {
        const r = await admin('POST', '/api/webhooks', { url, events: ['order.accepted'] });
        expect(r.status).toBe(400);
        expect(r.body.detail).toContain(reason);
        expect(r.body.errors).toEqual([{ location: 'body.url', message: expect.stringContaining(reason) }]);
      }
      const strict = { allowPrivate: false, selfOrigins: [] };
      for (const url of [
        'http://127.0.0.1:3000/hook',
        'http://localhost/hook',
        'http://[::1]/hook',
        'http://10.1.2.3/hook',
        'http://192.168.0.4/hook',
        'http://169.254.169.254/latest',
        'http://[::ffff:127.0.0.1]/x',
      ])
        expect(urlProblem(url, strict), url).toContain('TRELLIS_WEBHOOKS_ALLOW_PRIVATE=1');
      expect(urlProblem('https://hooks.example.com/trellis', strict)).toBeNull();
      // A strict server (the default) refuses a loopback endpoint; nothing is written.
      const strictApp = await buildServer(createContext(t.store));
      try {
        const as = client(strictApp, await signIn(strictApp, 'admin@alpha.test'));
        const r = await as('POST', '/api/webhooks', {
          url: 'http://127.0.0.1:9/x',
          events: ['order.accepted'],
        });
        expect(r.status).toBe(400);
        expect(r.body.detail).toContain('loopback');
        expect((await as('GET', '/api/webhooks')).body.items).toHaveLength(1);
      } finally {
        await strictApp.close();
      }
      // An unknown event type is refused by the schema.
      expect((await admin('POST', '/api/webhooks', { url: hooks.url('/x'), events: ['nope'] })).status).toBe(
        400,
      );
    });

    it('sends statement.paid when the statement is paid, to the endpoints that take it', async () => {
      expect((await admin('POST', `/api/statements/${statementId}/approve`, {})).status).toBe(200);
      const paid = await admin('POST', `/api/statements/${statementId}/pay`, { reference: 'WIRE-WH' });
      expect(paid.status, paid.text).toBe(200);
      const before = hooks.received.length;
      await dispatch();
      const got = hooks.received.slice(before);
      // Dell's endpoint takes statement.paid; Bravo's (statement.issued, order.accepted) does not.
      expect(got.map((g) => [g.path, g.event.type])).toEqual([['/dell', 'statement.paid']]);
      expect(got[0]!.event.data).toMatchObject({ statementId, partnerId: 'ptn_bravo', currency: 'USD' });
    });

    it('checks the address it connects to, not an earlier look-up: a name that resolves to loopback is never reached', async () => {
      // Registered while private addresses were allowed (a name, so nothing is checked until it resolves),
      // then delivered by a strict dispatcher: the connection's own resolution refuses it.
      const url = hooks.url('/rebind').replace('127.0.0.1', 'localhost');
      const r = await alpha('POST', '/api/webhooks', { url, events: ['order.accepted'] });
      expect(r.status, r.text).toBe(201);
      const endpointId = (r.body.endpoint as { id: string }).id;
      const order = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'W-REBIND',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-03-02',
        customerId: 'cus_globex',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 100_000 }],
      });
      expect(order.status, order.text).toBe(201);
      const strict = createContext(t.store, { clock: ctx.clock, secretsKey: ctx.settings.secretsKey });
      const result = await dispatchWebhooks(strict, { timeoutMs: 2_000, endpointId });
      expect(result.delivered).toBe(0);
      expect(at('/rebind')).toHaveLength(0);
      const deliveries = await alpha('GET', `/api/webhooks/${endpointId}/deliveries`);
      const delivery = await alpha(
        'GET',
        `/api/webhook-deliveries/${(deliveries.body.items as { id: string }[])[0]!.id}`,
      );
      expect(delivery.text).toContain('localhost resolves to a loopback or private address');
      expect((await alpha('DELETE', `/api/webhooks/${endpointId}`)).status).toBeLessThan(300);
    });

    it('prunes finished deliveries, their attempts and their events after the retention, never a pending one', async () => {
      const db = t.store.db;
      const count = async () => ({
        finished: Number(
          (
            await db
              .selectFrom('webhookDeliveries')
              .select((eb) => eb.fn.countAll().as('n'))
              .where('status', 'in', ['succeeded', 'failed'])
              .executeTakeFirstOrThrow()
          ).n,
        ),
        pending: await db
          .selectFrom('webhookDeliveries')
          .select(['id', 'eventId'])
          .where('status', '=', 'pending')
          .execute(),
        events: Number(
          (
            await db
              .selectFrom('webhookEvents')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
        attempts: await db.selectFrom('webhookAttempts').select('deliveryId').execute(),
      });
      // A pending delivery, whatever its age, stays: one that failed and waits for its retry.
      hooks.setMode('fail');
      const order = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'W-PRUNE',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-03-03',
        customerId: 'cus_globex',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 100_000 }],
      });
      expect(order.status, order.text).toBe(201);
      expect((await dispatch()).retried).toBeGreaterThan(0);
      const before = await count();
      expect(before.finished).toBeGreaterThan(0);
      // Within the retention nothing goes.
      expect(await pruneWebhookLog(ctx, { retentionDays: 30 })).toMatchObject({ deliveries: 0, events: 0 });
      skew += 40 * 86_400_000;
      const pruned = await pruneWebhookLog(ctx, { retentionDays: 30, batch: 3 });
      expect(pruned.deliveries).toBe(before.finished);
      expect(pruned.events).toBeGreaterThan(0);
      const after = await count();
      expect(after.finished).toBe(0);
      expect(after.pending.map((d) => d.id).sort()).toEqual(before.pending.map((d) => d.id).sort());
      // The events of pending deliveries, and their attempts, are kept.
      const kept = new Set(after.pending.map((d) => d.id));
      expect(after.attempts.every((a) => kept.has(a.deliveryId))).toBe(true);
      for (const d of after.pending)
        expect(
          await db.selectFrom('webhookEvents').select('id').where('id', '=', d.eventId).executeTakeFirst(),
        ).toBeTruthy();
      expect(after.events).toBe(before.events - pruned.events);
      // A second run finds nothing more.
      expect(await pruneWebhookLog(ctx, { retentionDays: 30 })).toMatchObject({ deliveries: 0, events: 0 });
    });
  });
}
