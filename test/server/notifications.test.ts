import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { dispatchNotifications, sendDueMails } from '../../src/app/notifications/dispatch.js';
import { smtpMailer, type Mailer } from '../../src/app/notifications/mailer.js';
import { notify } from '../../src/app/notifications/notify.js';
import { scanExpiring } from '../../src/app/notifications/scan.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { addMembership } from '../support/memberships.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';

interface Captured {
  to: string[];
  raw: string;
}

/** A local SMTP server that keeps what it receives (no external service). */
async function smtpCapture() {
  const received: Captured[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return { received, port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The decoded text of a captured message (quoted-printable bodies, encoded-word subjects). */
function decoded(raw: string): string {
  const unfolded = raw.replace(/=\r?\n/g, '');
  const qp = unfolded.replace(/(=[0-9A-F]{2})+/g, (m) =>
    Buffer.from(
      m
        .split('=')
        .slice(1)
        .map((h) => parseInt(h, 16)),
    ).toString('utf8'),
  );
  return qp.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_m, enc: string, text: string) =>
    enc.toUpperCase() === 'B'
      ? Buffer.from(text, 'base64').toString('utf8')
      : Buffer.from(
          text
            .replace(/_/g, ' ')
            .replace(/=([0-9A-F]{2})/g, (_x, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8'),
  );
}

for (const kind of STORE_KINDS) {
  describe(`notifications on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let admin: ReturnType<typeof client>;
    let bravo: ReturnType<typeof client>;
    let alpha: ReturnType<typeof client>;
    let rep: ReturnType<typeof client>;
    let statementId = '';

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      ({ dell } = await loadFixture(ctx));
      await addMembership(t.store.db, dell, 'mbr_bravo_ti', 'ptn_bravo', 'titanium', '2017-02-01', null);
      app = await buildServer(ctx);
      admin = client(app, await signIn(app, 'admin@dell.test'));
      bravo = client(app, await signIn(app, 'admin@bravo.test'));
      alpha = client(app, await signIn(app, 'admin@alpha.test'));
      rep = client(app, await signIn(app, 'rep@alpha.test'));
      const order = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'N-1',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-03-01',
        customerId: 'cus_globex',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_stor', quantity: 2, unitPriceMinor: 1_000_000 }],
      });
      expect(order.status).toBe(201);
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
      await t.cleanup();
    });

    it('tells the partner a statement was issued, in the transaction that issues it', async () => {
      expect((await bravo('GET', '/api/notifications/unread-count')).body.unread).toBe(0);
      expect((await admin('POST', `/api/statements/${statementId}/issue`, {})).body.status).toBe('issued');
      const feed = await bravo('GET', '/api/notifications');
      expect(feed.status).toBe(200);
      const items = feed.body.items as { kind: string; params: Record<string, unknown>; read: boolean }[];
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        kind: 'statement.issued',
        vendorName: 'Dell Technologies',
        subject: { type: 'statement', id: statementId },
        read: false,
      });
      expect(items[0]!.params).toMatchObject({ statementId, period: 'FY18-Q1', currency: 'USD' });
      // A second issue is refused (409): its transaction rolls back and writes no second notification.
      expect((await admin('POST', `/api/statements/${statementId}/issue`, {})).status).toBe(409);
      expect((await bravo('GET', '/api/notifications')).body.items).toHaveLength(1);
      // Scoped: another partner, the vendor, and a sales rep (who reads no statements) see nothing.
      for (const other of [alpha, admin, rep])
        expect((await other('GET', '/api/notifications')).body.items).toEqual([]);
      const id = (items[0] as unknown as { id: string }).id;
      expect((await alpha('POST', `/api/notifications/${id}/read`, {})).status).toBe(404);
    });

    it('writes nothing when the event’s transaction rolls back', async () => {
      await expect(
        t.store.db.transaction().execute(async (trx) => {
          await notify(trx, ctx, [
            {
              kind: 'offer.received',
              params: { offerId: 'ofr_x', routedOrderId: 'rto_x', deadline: '2017-03-01T00:00:00Z' },
              vendorId: dell.vendorId,
              partnerId: 'ptn_bravo',
              subject: { type: 'offer', id: 'ofr_x' },
            },
          ]);
          throw new Error('the event failed');
        }),
      ).rejects.toThrow('the event failed');
      expect(
        await t.store.db
          .selectFrom('notifications')
          .select('id')
          .where('kind', '=', 'offer.received')
          .execute(),
      ).toEqual([]);
    });

    it('shows a sales rep only the registrations it owns, its admin all of them', async () => {
      const deal = (id: string, owner: string) => ({
        kind: 'deal.decided' as const,
        params: {
          dealId: id,
          customerName: `Customer ${id}`,
          decision: 'approved' as const,
          protectedUntil: '2017-06-01',
          reasonCode: null,
        },
        vendorId: dell.vendorId,
        partnerId: 'ptn_alpha',
        ownerPersonId: owner,
        subject: { type: 'deal', id },
      });
      await t.store.db
        .transaction()
        .execute((trx) =>
          notify(trx, ctx, [deal('deal_rep', 'per_alpha_rep'), deal('deal_adm', 'per_alpha_admin')]),
        );
      const ids = async (c: typeof rep) =>
        ((await c('GET', '/api/notifications')).body.items as { subject: { id: string } }[]).map(
          (n) => n.subject.id,
        );
      expect(await ids(rep)).toEqual(['deal_rep']);
      expect((await ids(alpha)).sort()).toEqual(['deal_adm', 'deal_rep']);
      expect(await ids(bravo)).not.toContain('deal_rep');
    });

    it('marks one read, then all, and pages the feed with an unread filter', async () => {
      expect((await alpha('GET', '/api/notifications/unread-count')).body.unread).toBe(2);
      const page1 = await alpha('GET', '/api/notifications?limit=1&unread=true');
      expect(page1.body.items).toHaveLength(1);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await alpha(
        'GET',
        `/api/notifications?limit=1&unread=true&cursor=${String(page1.body.nextCursor)}`,
      );
      expect(page2.body.items).toHaveLength(1);
      expect(page2.body.nextCursor).toBeNull();
      const first = (page1.body.items as { id: string }[])[0]!.id;
      // Racing clicks on one notification: it is marked once.
      const marks = await Promise.all(
        Array.from({ length: 6 }, () => alpha('POST', `/api/notifications/${first}/read`, {})),
      );
      expect(marks.map((m) => m.status)).toEqual(Array(6).fill(200));
      expect(marks.filter((m) => m.body.marked === true)).toHaveLength(1);
      expect((await alpha('GET', '/api/notifications/unread-count')).body.unread).toBe(1);
      // Read by the admin is not read by the rep.
      expect((await rep('GET', '/api/notifications/unread-count')).body.unread).toBe(1);
      const all = await Promise.all([
        alpha('POST', '/api/notifications/read-all', {}),
        alpha('POST', '/api/notifications/read-all', {}),
      ]);
      expect(all.map((a) => a.body.unread)).toEqual([0, 0]);
      expect((await alpha('GET', '/api/notifications?unread=true')).body.items).toEqual([]);
      expect((await alpha('GET', '/api/notifications')).body.items).toHaveLength(2);
    });

    it('sets the person’s language and e-mail preference (audited), and tells /api/me', async () => {
      expect((await bravo('GET', '/api/me')).body.locale).toBeNull();
      const bad = await bravo('PUT', '/api/me/preferences', { locale: 'de' });
      expect(bad.status).toBe(400);
      expect(bad.text).toContain('locale');
      const set = await Promise.all([
        bravo('PUT', '/api/me/preferences', { locale: 'fr' }),
        bravo('PUT', '/api/me/preferences', { locale: 'fr' }),
      ]);
      expect(set.map((s) => s.status)).toEqual([200, 200]);
      expect((await bravo('GET', '/api/me')).body.locale).toBe('fr');
      expect((await bravo('GET', '/api/me/preferences')).body).toEqual({
        locale: 'fr',
        emailNotifications: true,
      });
      const audit = await t.store.db
        .selectFrom('auditEvents')
        .select(['action', 'actorId'])
        .where('action', '=', 'person.preferences')
        .execute();
      expect(audit).toHaveLength(2);
      expect(audit[0]!.actorId).toBe('per_bravo_admin');
    });

    it('refuses API tokens: notifications are a person’s', async () => {
      const created = await admin('POST', '/api/tokens', {
        name: 'n',
        role: 'vendor-admin',
        scopes: ['read'],
      });
      expect(created.status).toBe(201);
      const token = client(app, { bearer: String(created.body.token) });
      expect((await token('GET', '/api/notifications')).status).toBe(403);
    });

    it('tells an expiring certification once per threshold, also when checks race', async () => {
      await t.store.db
        .insertInto('certifications')
        .values({
          id: 'crt_expiring',
          vendorId: dell.vendorId,
          partnerId: 'ptn_alpha',
          personId: 'per_alpha_rep',
          code: 'dell-sales-storage',
          kind: 'sales',
          family: 'storage',
          earnedOn: '2015-06-01',
          expiresOn: '2017-06-10',
        })
        .execute();
      const runs = await Promise.all([
        scanExpiring(ctx, { asOf: '2017-05-01' }),
        scanExpiring(ctx, { asOf: '2017-05-01' }),
        scanExpiring(ctx, { asOf: '2017-05-02' }),
      ]);
      expect(runs.reduce((s, r) => s + r.written, 0)).toBe(1);
      // Nearer: the next threshold (14 days) is told once more.
      await Promise.all([
        scanExpiring(ctx, { asOf: '2017-06-01' }),
        scanExpiring(ctx, { asOf: '2017-06-01' }),
      ]);
      const rows = await t.store.db
        .selectFrom('notifications')
        .select(['dedupeKey', 'params'])
        .where('subjectId', '=', 'crt_expiring')
        .orderBy('dedupeKey')
        .execute();
      expect(rows.map((r) => r.dedupeKey)).toEqual([
        'certification.expiring:crt_expiring:14',
        'certification.expiring:crt_expiring:60',
      ]);
      expect(JSON.parse(rows[0]!.params)).toMatchObject({
        daysLeft: 9,
        threshold: 14,
        personName: expect.any(String),
      });
    });

    it('e-mails each person once, in its language, through SMTP, even with dispatchers racing', async () => {
      const smtp = await smtpCapture();
      const mailer = smtpMailer({
        url: null,
        host: '127.0.0.1',
        port: smtp.port,
        secure: false,
        user: null,
        password: null,
        from: 'Trellis <trellis@example.test>',
        publicUrl: 'https://trellis.example.test',
      });
      try {
        const runs = await Promise.all([
          dispatchNotifications(ctx, mailer, {
            publicUrl: 'https://trellis.example.test',
            maxAgeDays: 100_000,
          }),
          dispatchNotifications(ctx, mailer, {
            publicUrl: 'https://trellis.example.test',
            maxAgeDays: 100_000,
          }),
        ]);
        const sent = runs.reduce((s, r) => s + r.sent, 0);
        expect(sent).toBe(smtp.received.length);
        const toBravo = smtp.received.filter((m) => m.to.includes('admin@bravo.test'));
        expect(toBravo).toHaveLength(1);
        const text = decoded(toBravo[0]!.raw);
        // Bravo chose French: the statement's e-mail is in French, money with the currency after it.
        expect(text).toContain('Dell Technologies a émis votre relevé pour FY18-Q1');
        expect(text).toMatch(/\d\u202f?\d*,\d\d\s?\$US/);
        expect(text).toContain(`https://trellis.example.test/statements/${statementId}`);
        // Alpha's admin: both registrations and the two certification thresholds (English: no language
        // chosen); its rep: its own registration and the certifications.
        const toAdmin = smtp.received.filter((m) => m.to.includes('admin@alpha.test'));
        expect(toAdmin).toHaveLength(4);
        expect(decoded(toAdmin.map((m) => m.raw).join('\n'))).toContain('approved your registration');
        expect(smtp.received.filter((m) => m.to.includes('rep@alpha.test'))).toHaveLength(3);
        // Nothing is sent twice: another run finds nothing due.
        const again = await dispatchNotifications(ctx, mailer, { maxAgeDays: 100_000 });
        expect(again.sent).toBe(0);
      } finally {
        mailer.close();
        await smtp.close();
      }
    });

    it('retries a failed send later, and gives up after the last attempt', async () => {
      await t.store.db.transaction().execute((trx) =>
        notify(trx, ctx, [
          {
            kind: 'offer.received',
            params: { offerId: 'ofr_retry', routedOrderId: 'rto_retry', deadline: '2017-03-01T00:00:00Z' },
            vendorId: dell.vendorId,
            partnerId: 'ptn_bravo',
            subject: { type: 'offer', id: 'ofr_retry' },
          },
        ]),
      );
      let calls = 0;
      const failing: Mailer = {
        send: () => {
          calls++;
          return Promise.reject(new Error('421 try later'));
        },
        close: () => undefined,
      };
      const first = await dispatchNotifications(ctx, failing, { maxAttempts: 2 });
      expect(first).toMatchObject({ sent: 0, retried: 1 });
      // Not due yet: the retry waits.
      expect((await sendDueMails(ctx, failing, { maxAttempts: 2 })).retried).toBe(0);
      const later = createContext(t.store, { clock: { now: () => new Date(Date.now() + 3_600_000) } });
      expect(await sendDueMails(later, failing, { maxAttempts: 2 })).toMatchObject({ failed: 1 });
      expect(calls).toBe(2);
      const mail = await t.store.db
        .selectFrom('notificationMails as m')
        .innerJoin('notifications as n', 'n.id', 'm.notificationId')
        .select(['m.status', 'm.attempts', 'm.lastError'])
        .where('n.subjectId', '=', 'ofr_retry')
        .executeTakeFirstOrThrow();
      expect(mail).toMatchObject({ status: 'failed', attempts: 2, lastError: '421 try later' });
    });
  });
}
