import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeMemberships } from '../../src/app/tiers/write-memberships.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordReset } from '../../src/app/access/sessions.js';
import { isConcurrencyError } from '../../src/app/concurrency.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod } from '../../src/app/incentives/close-period.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { ACTIVE_STATUSES } from '../../src/core/deals/lifecycle.js';
import { openStore, type Store } from '../../src/db/connection.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { agreementText, publishAgreement } from '../support/agreements.js';
import { loadFixture } from '../support/fixtures.js';
import { publishFxProgram } from '../support/fx.js';
import { client, signIn, type Reply } from '../support/http.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { awaitJob } from '../support/jobs.js';
import { publishShippedAgreement } from '../support/transfers.js';
import { creditMdf, publishMdfYear, uploadProof } from '../support/mdf.js';
import { addDays } from '../../src/core/programs/dates.js';
import { openTestStore, STORE_KINDS, type StoreKind, type TestStore } from '../support/stores.js';

/**
 * The races suite (issue 9): every state-changing route of the OpenAPI document is fired N times at once
 * on one target. Exactly one request wins; the others get a 409 problem+json (or the route's documented
 * loser answer), or the replay of the winner where the route is idempotent; nothing answers 5xx; and after
 * each race the money invariants hold: one open dispute per statement line, one payout per paid statement,
 * one adjustment per accepted dispute, every ledger transaction sums to zero, one audit event per
 * transition that happened.
 *
 * A route that runs as a background job (202 and its Location) is raced the same way: the N requests are
 * fired at once, then every job is waited for, and its outcome judged as the request's answer before jobs
 * (the job's result as a 200, its error as its problem), so a 5xx in a job fails the race as a 5xx answer.
 *
 * A new state-changing route fails `covers every state-changing route` until it has a row in RACES or a
 * reason in EXCLUDED.
 */
const N = 10;
const PROGRAM = 'dell-emc-partner-program';

type Call = ReturnType<typeof client>;
interface World {
  t: TestStore;
  ctx: AppContext;
  app: Server;
  admin: Call;
  bravo: Call;
  /** Alpha's partner admin (EMEA), who registers deals. */
  alpha: Call;
  /** Values a race leaves for the next ones (statement, line, dispute, token ids). */
  ids: Record<string, string>;
}

/**
 * How the N answers must look:
 * - `one`: one 2xx winner, every other a loser status (409 unless `losers` says otherwise);
 * - `replay`: every answer 2xx and equal to the winner's (idempotent routes);
 * - `each`: every request is its own target (it creates a new record): every answer 2xx;
 * - `any`: 2xx or 409 (routes whose every call is a legitimate new run, e.g. a re-close).
 */
type Shape = 'one' | 'replay' | 'each' | 'any';
/** A request's outcome: its answer, or for a job route its job's (`job`, null when refused at once). */
type Outcome = Reply & { job: Record<string, unknown> | null };
interface Race {
  /** Sets up the target; runs once before the race. */
  prepare?: (w: World) => Promise<void>;
  /** One of the N concurrent requests. */
  fire: (w: World, i: number) => Promise<Reply>;
  /**
   * The route starts a background job: its answers are 202 (with the job's Location) or a refusal before
   * the job started; the outcome judged is each job's, once every job has finished.
   */
  job?: true;
  outcome: Shape;
  /** Statuses a loser may answer instead of 409 (with why, in a comment). */
  losers?: number[];
  /** Audit events the race must add: one per winner ('winners'), or not checked (null, with why). */
  audit: 'winners' | null;
  /**
   * Checks after the race, beyond the shared invariants: `replies` are the outcomes (a job's as the
   * request answered before jobs, with the job), `started` the answers as sent (the 202s of a job route).
   */
  after?: (w: World, replies: Outcome[], started: Reply[]) => Promise<void>;
}

/**
 * Routes with no shared target to race on. Each needs its reason.
 */
const EXCLUDED: Record<string, string> = {
  // Every sign-in creates its own session; concurrent wrong passwords are the throttling suite's (item 6).
  'POST /api/auth/sign-in': 'no shared target: each sign-in is a new session',
  // A preview reads and plans; it changes nothing (test/server/statements-bulk.test.ts checks it writes nothing).
  'POST /api/statements/bulk/preview': 'changes nothing: it says what a bulk run would do',
  // A person's own notifications and preferences: raced in test/server/notifications.test.ts (racing
  // mark-read calls mark once; racing preference writes each land and are audited), which holds the
  // fixture that gives a person notifications.
  'POST /api/notifications/{notificationId}/read': 'raced in test/server/notifications.test.ts (marked once)',
  'POST /api/notifications/read-all': 'raced in test/server/notifications.test.ts (one read mark)',
  'PUT /api/me/preferences': 'raced in test/server/notifications.test.ts (every write audited)',
  // Saving an SSO configuration runs discovery against a provider: raced in test/server/sso.test.ts,
  // which starts a real OIDC provider (one configuration saved, created and audited once).
  'PUT /api/sso': 'raced in test/server/sso.test.ts against a local OIDC provider (one row, audited once)',
  'DELETE /api/sso': 'raced in test/server/sso.test.ts (removed once, audited once)',
  // An upload is multipart/form-data (this suite's callers send JSON): raced in test/server/files.test.ts,
  // ten uploads of the same bytes at once (each its own record and audit event, one stored object).
  'POST /api/files': 'raced in test/server/files.test.ts (each upload its own record, one object per bytes)',
};

const ok = (r: Reply) => r.status >= 200 && r.status < 300;

const RACES: Record<string, Race> = {
  'POST /api/products': {
    // One SKU per vendor (unique key): ten adds of the same product at once store it once; the others
    // answer the stored product (200), or lose a serialization race with 409.
    fire: (w) =>
      w.admin('POST', '/api/products', {
        sku: 'RACE-SKU',
        name: 'Race appliance',
        family: 'servers',
        listPriceMinor: 100_000,
        currency: 'USD',
        solution: 'hyperconverged',
      }),
    outcome: 'replay',
    audit: 'winners',
    after: async (w) => {
      const rows = await w.t.store.db
        .selectFrom('products')
        .select(['id', 'solution', 'licensing'])
        .where('sku', '=', 'RACE-SKU')
        .execute();
      expect(rows).toEqual([{ id: expect.any(String), solution: 'hyperconverged', licensing: null }]);
    },
  },
  'POST /api/orders': {
    // Idempotent on (vendor, source, external id): one 201, the others 200 with the same order.
    fire: (w) =>
      w.admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'RACE-ORDER',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-03-20',
        customerId: 'cus_acme',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_srv', quantity: 1, unitPriceMinor: 400_000 }],
      }),
    outcome: 'replay',
    audit: 'winners',
  },
  'POST /api/imports/orders': {
    // Re-importing a file changes nothing: ten uploads at once, each its own job; one job stores the
    // order, every other replays it (or, if it raced the winner's write, loses with 409); stored once.
    fire: (w) =>
      w.app
        .inject({
          method: 'POST',
          url: '/api/imports/orders',
          headers: {
            'content-type': 'text/csv',
            ...(w.ids.adminHeaders ? JSON.parse(w.ids.adminHeaders) : {}),
          },
          payload:
            'source,external_id,order_date,currency,customer_id,end_user_name,channel,reseller_id,distributor_id,product_id,quantity,unit_price,returns_line_id,returns_external_id,returns_line_no\n' +
            'erp,RACE-IMPORT,2017-03-21,USD,cus_acme,,partner,ptn_bravo,,prd_stor,1,1000.00,,,\n',
        })
        .then(toReply),
    job: true,
    outcome: 'any',
    // Whether an import that stores nothing is audited is issue 9 item 14's; the orders are checked below.
    audit: null,
    after: async (w, replies) => {
      const summaries = replies.filter(ok).map((r) => r.body as { orders: Record<string, number> });
      const text = JSON.stringify(summaries.map((s) => s.orders));
      expect(
        summaries.filter((s) => s.orders.created === 1),
        text,
      ).toHaveLength(1);
      for (const s of summaries)
        expect(s.orders, text).toMatchObject(
          s.orders.created === 1 ? { replayed: 0, rejected: 0 } : { created: 0, replayed: 1, rejected: 0 },
        );
      const n = await w.t.store.db
        .selectFrom('orders')
        .select(sql<number | string>`count(*)`.as('n'))
        .where('externalId', '=', 'RACE-IMPORT')
        .executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(1);
    },
  },
  'POST /api/simulations': {
    // Every simulation is its own record (a named, read-only result): ten at once each run and store their
    // own, with the same result (a serialization failure answers 409); none writes the ledger, memberships
    // or statements.
    prepare: async (w) => {
      const count = async (table: 'ledgerEntries' | 'memberships' | 'statements') =>
        String(
          (
            await w.t.store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      w.ids.simulationCounts = JSON.stringify([
        await count('ledgerEntries'),
        await count('memberships'),
        await count('statements'),
      ]);
      w.ids.simulationsBefore = String(
        (await w.t.store.db.selectFrom('simulations').select('id').execute()).length,
      );
    },
    fire: (w, i) =>
      w.admin('POST', '/api/simulations', {
        name: `race ${i}`,
        draft: readFileSync(join(import.meta.dirname, '..', '..', 'programs', 'dell-emc-fy18.yaml'), 'utf8'),
        from: '2017-02-01',
        to: '2017-07-31',
      }),
    job: true,
    outcome: 'any',
    // Simulating reads history and records its own result; it changes nothing audited.
    audit: null,
    after: async (w, replies) => {
      const rows = await w.t.store.db
        .selectFrom('simulations')
        .select(['status', 'result'])
        .where('name', 'like', 'race %')
        .where('status', '=', 'succeeded')
        .execute();
      const winners = replies.filter(ok);
      expect(winners.length).toBeGreaterThan(0);
      expect(rows).toHaveLength(winners.length);
      expect(new Set(rows.map((r) => r.status))).toEqual(new Set(['succeeded']));
      expect(new Set(rows.map((r) => r.result)).size).toBe(1);
      expect(new Set(winners.map((r) => JSON.stringify({ ...r.body, id: null }))).size).toBe(1);
      const count = async (table: 'ledgerEntries' | 'memberships' | 'statements') =>
        String(
          (
            await w.t.store.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(
        JSON.stringify([await count('ledgerEntries'), await count('memberships'), await count('statements')]),
      ).toBe(w.ids.simulationCounts);
    },
  },
  'POST /api/closes': {
    // The first close of FY18-Q1 (it builds the statements raced below). One close of a period runs at a
    // time: one 202 whose job closes the period, the others 409. A request that arrives once
    // that job has finished starts a legitimate re-close (202), which posts nothing new. Every job
    // succeeds, reconciled; each close recorded once and audited once.
    prepare: async (w) => {
      w.ids.closesBefore = String(await count(w, 'periodCloses'));
      w.ids.closeAuditsBefore = String(await auditCount(w, 'period.close'));
    },
    fire: (w) => w.admin('POST', '/api/closes', { program: PROGRAM, period: 'FY18-Q1' }),
    job: true,
    outcome: 'any',
    audit: null,
    after: async (w, replies, started) => {
      const summary = started.map((r) => `${r.status} ${r.text}`).join('\n');
      const jobs = started.filter((r) => r.status === 202);
      expect(jobs.length, summary).toBeGreaterThan(0);
      for (const r of started.filter((r) => r.status !== 202)) {
        expect(r.status, summary).toBe(409);
        // The close running (or, at SERIALIZABLE, a start that lost a serialization failure).
        expect(r.body.code, summary).toBe('conflict');
      }
      // Every job started succeeded (a job's failure is not a loser's answer here).
      const closes = replies.filter((r) => r.job);
      for (const r of closes) expect(r.job?.status, r.text).toBe('succeeded');
      const results = closes.map((r) => r.body as { closeId: string; entries: number; reconciled: boolean });
      expect(results.every((r) => r.reconciled)).toBe(true);
      // The first close posts; a close that started after it had finished posts nothing.
      expect(
        results.filter((r) => r.entries > 0),
        summary,
      ).toHaveLength(1);
      expect(new Set(results.map((r) => r.closeId)).size).toBe(results.length);
      expect((await count(w, 'periodCloses')) - Number(w.ids.closesBefore)).toBe(results.length);
      expect((await auditCount(w, 'period.close')) - Number(w.ids.closeAuditsBefore)).toBe(results.length);
    },
  },
  'POST /api/statements/{statementId}/issue': {
    prepare: async (w) => {
      const list = await w.admin('GET', `/api/statements?partner=ptn_bravo&status=draft`);
      const s = (list.body.items as { id: string }[])[0];
      if (!s) throw new Error(`no draft statement for Bravo: ${list.text}`);
      w.ids.statement = s.id;
    },
    fire: (w) => w.admin('POST', `/api/statements/${w.ids.statement}/issue`, {}),
    outcome: 'one',
    audit: 'winners',
  },
  'POST /api/disputes': {
    prepare: async (w) => {
      const lines = await w.bravo('GET', `/api/statements/${w.ids.statement}/lines`);
      const items = lines.body.items as { id: string }[];
      if (items.length < 2) throw new Error(`the statement needs two lines: ${lines.text}`);
      w.ids.line = (items[0] as { id: string }).id;
      w.ids.line2 = (items[1] as { id: string }).id;
    },
    fire: (w) =>
      w.bravo('POST', '/api/disputes', { statementId: w.ids.statement, lineId: w.ids.line, reason: 'race' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w, replies) => {
      w.ids.dispute = (replies.find(ok)?.body.id as string) ?? '';
      const second = await w.bravo('POST', '/api/disputes', {
        statementId: w.ids.statement,
        lineId: w.ids.line2,
        reason: 'race, to be rejected',
      });
      expect(second.status, second.text).toBe(201);
      w.ids.dispute2 = second.body.id as string;
    },
  },
  'POST /api/disputes/{disputeId}/accept': {
    fire: (w) => w.admin('POST', `/api/disputes/${w.ids.dispute}/accept`, {}),
    outcome: 'one',
    audit: 'winners',
  },
  'POST /api/disputes/{disputeId}/reject': {
    fire: (w) => w.admin('POST', `/api/disputes/${w.ids.dispute2}/reject`, { reason: 'no' }),
    outcome: 'one',
    audit: 'winners',
  },
  'POST /api/statements/{statementId}/approve': {
    fire: (w) => w.admin('POST', `/api/statements/${w.ids.statement}/approve`, {}),
    outcome: 'one',
    audit: 'winners',
  },
  'POST /api/statements/{statementId}/pay': {
    // Paid in the partner's currency (issue 17): the statement was issued in EUR (the FY18 program the
    // fixture publishes allows none, so the currency is set on the statement as an issue would have) and
    // today's USD/EUR rate is loaded. One payout, its legs balanced in USD and in EUR.
    prepare: async (w) => {
      const s = await w.t.store.db
        .selectFrom('statements')
        .select(['vendorId'])
        .where('id', '=', w.ids.statement as string)
        .executeTakeFirstOrThrow();
      await w.t.store.db
        .updateTable('statements')
        .set({ payoutCurrency: 'EUR' })
        .where('id', '=', w.ids.statement as string)
        .execute();
      await w.t.store.db
        .insertInto('exchangeRates')
        .values({
          vendorId: s.vendorId,
          base: 'USD',
          quote: 'EUR',
          day: w.ctx.clock.now().toISOString().slice(0, 10),
          rate: '0.9259',
          source: 'race',
          loadedBy: 'race',
          loadedAt: w.ctx.clock.now().toISOString(),
        })
        .execute();
    },
    fire: (w) => w.admin('POST', `/api/statements/${w.ids.statement}/pay`, { reference: 'WIRE-RACE' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w, replies) => {
      const payouts = await w.t.store.db
        .selectFrom('ledgerTransactions')
        .select('id')
        .where('kind', '=', 'payout')
        .where('idempotencyKey', '=', `payout:${w.ids.statement}`)
        .execute();
      expect(payouts).toHaveLength(1);
      const winner = replies.find(ok);
      expect(winner?.body.payout).toMatchObject({ currency: 'EUR', rate: '0.9259', estimate: false });
      const byCurrency = await w.t.store.db
        .selectFrom('ledgerEntries')
        .select([
          'currency',
          sql<number | string>`sum(amount_minor)`.as('sum'),
          sql<number | string>`count(*)`.as('n'),
        ])
        .where('transactionId', '=', (payouts[0] as { id: string }).id)
        .groupBy('currency')
        .orderBy('currency')
        .execute();
      expect(byCurrency.map((r) => [r.currency, Number(r.sum)])).toEqual([
        ['EUR', 0],
        ['USD', 0],
      ]);
    },
  },
  'POST /api/statements/bulk': {
    // Ten bulk issues of the period's remaining drafts at once, each its own job: every job succeeds; each
    // draft is issued by exactly one of them (a conditional update per statement), the others report it
    // moved meanwhile or already done; one statement.issue audit per draft and one bulk audit per job.
    prepare: async (w) => {
      const drafts = await w.t.store.db
        .selectFrom('statements')
        .select('id')
        .where('status', '=', 'draft')
        .where('period', '=', 'FY18-Q1')
        .execute();
      w.ids.bulkDrafts = JSON.stringify(drafts.map((d) => d.id).sort());
      w.ids.bulkIssueAudits = String(await auditCount(w, 'statement.issue'));
    },
    fire: (w) =>
      w.admin('POST', '/api/statements/bulk', { action: 'issue', program: PROGRAM, period: 'FY18-Q1' }),
    job: true,
    outcome: 'any',
    audit: null,
    after: async (w, replies) => {
      const drafts = JSON.parse(w.ids.bulkDrafts ?? '[]') as string[];
      for (const r of replies) expect(r.job?.status, r.text).toBe('succeeded');
      const results = replies.map((r) => r.body as { count: number; moves: { id: string }[] });
      expect(results.reduce((s, r) => s + r.count, 0)).toBe(drafts.length);
      expect(results.flatMap((r) => r.moves.map((m) => m.id)).sort()).toEqual(drafts);
      const now = await w.t.store.db
        .selectFrom('statements')
        .select('status')
        .where('id', 'in', drafts.length ? drafts : [''])
        .execute();
      expect(now.every((s) => s.status === 'issued')).toBe(true);
      expect((await auditCount(w, 'statement.issue')) - Number(w.ids.bulkIssueAudits)).toBe(drafts.length);
    },
  },
  'POST /api/certifications': {
    // A (person, code) is held once: one 201, the others 400 naming the duplicate (the route's answer for
    // a batch that repeats a certification already held).
    fire: (w) =>
      w.admin('POST', '/api/certifications', {
        certifications: [
          {
            personId: 'per_bravo_admin',
            code: 'DELL-RACE-TEC',
            kind: 'technical',
            family: 'storage',
            earnedOn: '2017-03-01',
            expiresOn: '2019-03-01',
          },
        ],
      }),
    outcome: 'one',
    losers: [400],
    audit: 'winners',
  },
  'POST /api/programs/{programId}/evaluations': {
    // Every evaluation is a legitimate run; its decisions are idempotent (at most one tier in force per
    // day is issue 9 item 3's invariant, checked by its own suite). Here: no 5xx and a balanced ledger.
    fire: (w) => w.admin('POST', `/api/programs/${PROGRAM}/evaluations`, { asOf: '2017-12-01' }),
    job: true,
    outcome: 'any',
    audit: null,
  },
  'POST /api/programs/{programId}/invitations': {
    prepare: async (w) => {
      // Titanium Black is drawn from Titanium partners.
      const ids = await w.t.store.db
        .selectFrom('programs')
        .select(['id', 'vendorId'])
        .where('code', '=', PROGRAM)
        .executeTakeFirstOrThrow();
      // Through the one membership writer, which ends the record Bravo holds on that day (the overlap
      // guard refuses a second tier in force on one day).
      await w.t.store.db.transaction().execute((trx) =>
        writeMemberships(trx, {
          vendorId: ids.vendorId,
          programId: ids.id,
          statusCodes: new Set(['titanium-black']),
          tiers: ['authorized', 'gold', 'platinum', 'titanium'],
          partnerIds: ['ptn_bravo'],
          decide: () => [
            {
              id: 'mbr_race_bravo_ti',
              vendorId: ids.vendorId,
              programId: ids.id,
              partnerId: 'ptn_bravo',
              tierCode: 'titanium',
              validFrom: '2017-02-01',
              validTo: null,
              source: 'manual',
              reason: 'races',
              createdAt: '2017-02-01T00:00:00.000Z',
              grandfatheredUntil: null,
              sponsor: null,
              detail: '{}',
            },
          ],
        }),
      );
    },
    fire: (w) =>
      w.admin('POST', `/api/programs/${PROGRAM}/invitations`, {
        partnerId: 'ptn_bravo',
        status: 'titanium-black',
        sponsor: 'EVP Channel',
        reason: 'race',
        grantedOn: '2017-12-05',
      }),
    // A grant after a grant is a renewal (the next period), so requests that read the first grant renew;
    // requests that raced it compute the same period and lose (409). Each grant recorded and audited once.
    outcome: 'any',
    audit: null,
    after: async (w) => {
      const grants = await w.t.store.db
        .selectFrom('memberships')
        .select(['validFrom'])
        .where('partnerId', '=', 'ptn_bravo')
        .where('source', '=', 'invited')
        .execute();
      expect(new Set(grants.map((g) => g.validFrom)).size).toBe(grants.length);
      expect(await auditCount(w, 'status.grant')).toBe(grants.length);
    },
  },
  'POST /api/tokens': {
    // Each call mints its own token.
    fire: (w, i) => w.admin('POST', '/api/tokens', { name: `race ${i}`, scopes: ['read'] }),
    outcome: 'each',
    audit: 'winners',
    after: async (w, replies) => {
      w.ids.token = (replies[0]?.body.tokenInfo as { id: string }).id;
    },
  },
  'POST /api/webhooks': {
    // Each call registers its own endpoint.
    fire: (w, i) =>
      w.admin('POST', '/api/webhooks', {
        url: `https://hooks.example.com/race${i}`,
        events: ['order.accepted'],
      }),
    outcome: 'each',
    audit: 'winners',
    after: async (w, replies) => {
      w.ids.webhook = (replies[0]?.body.endpoint as { id: string }).id;
    },
  },
  'PUT /api/webhooks/{webhookId}': {
    // Conditional on the row read: a change made meanwhile answers 409; every change that lands is audited.
    fire: (w, i) => w.admin('PUT', `/api/webhooks/${w.ids.webhook}`, { description: `race ${i}` }),
    outcome: 'any',
    // Every call that lands is audited, once (checked here: the shared count expects one winner).
    audit: null,
    after: async (w, replies) => {
      const rows = await w.t.store.db
        .selectFrom('auditEvents')
        .select('id')
        .where('action', '=', 'webhook.update')
        .where('targetId', '=', w.ids.webhook!)
        .execute();
      expect(rows.length).toBe(replies.filter(ok).length);
    },
  },
  'POST /api/webhooks/{webhookId}/rotate-secret': {
    // Conditional on the secret read: of rotations at once one wins (409 for the others), so no secret
    // shown to a caller is lost.
    fire: (w) => w.admin('POST', `/api/webhooks/${w.ids.webhook}/rotate-secret`, {}),
    outcome: 'any',
    // Every call that lands is audited, once (checked here: the shared count expects one winner).
    audit: null,
    after: async (w, replies) => {
      const rows = await w.t.store.db
        .selectFrom('auditEvents')
        .select('id')
        .where('action', '=', 'webhook.rotate-secret')
        .where('targetId', '=', w.ids.webhook!)
        .execute();
      expect(rows.length).toBe(replies.filter(ok).length);
    },
  },
  'POST /api/webhooks/{webhookId}/test': {
    // Each call sends its own test event.
    fire: (w) => w.admin('POST', `/api/webhooks/${w.ids.webhook}/test`, {}),
    outcome: 'each',
    audit: 'winners',
    after: async (w, replies) => {
      w.ids.webhookDelivery = replies[0]?.body.id as string;
    },
  },
  'POST /api/webhook-deliveries/{deliveryId}/redeliver': {
    // Making a delivery due again is idempotent; each call that lands is audited.
    fire: (w) => w.admin('POST', `/api/webhook-deliveries/${w.ids.webhookDelivery}/redeliver`, {}),
    outcome: 'any',
    // Every call that lands is audited, once (checked here: the shared count expects one winner).
    audit: null,
    after: async (w, replies) => {
      const rows = await w.t.store.db
        .selectFrom('auditEvents')
        .select('id')
        .where('action', '=', 'webhook.redeliver')
        .where('targetId', '=', w.ids.webhook!)
        .execute();
      expect(rows.length).toBe(replies.filter(ok).length);
    },
  },
  'DELETE /api/webhooks/{webhookId}': {
    // Deleted once; the others find it gone (404).
    fire: (w) => w.admin('DELETE', `/api/webhooks/${w.ids.webhook}`),
    outcome: 'one',
    losers: [404],
    audit: 'winners',
  },
  'DELETE /api/tokens/{tokenId}': {
    // Revoking is idempotent: every answer is the revoked token, audited once.
    fire: (w) => w.admin('DELETE', `/api/tokens/${w.ids.token}`),
    outcome: 'replay',
    audit: 'winners',
  },
  'POST /api/auth/reset-password': {
    prepare: async (w) => {
      w.ids.reset = (await createPasswordReset(w.ctx, 'rep@alpha.test')).token;
    },
    // A reset token is used once; the others get the route's documented 400 ("unknown, used or expired").
    fire: (w) =>
      client(w.app, null)('POST', '/api/auth/reset-password', {
        token: w.ids.reset,
        password: 'another correct horse battery staple',
      }),
    outcome: 'one',
    losers: [400],
    audit: 'winners',
  },
  'POST /api/auth/sign-out': {
    prepare: async (w) => {
      w.ids.session = JSON.stringify(await signIn(w.app, 'auditor@dell.test'));
    },
    // Ends one session, audited once: the others replay the 204, or get 401 if they arrive after it ended.
    fire: (w) => client(w.app, JSON.parse(w.ids.session as string))('POST', '/api/auth/sign-out'),
    outcome: 'replay',
    losers: [401],
    audit: 'winners',
  },
  'POST /api/deals/check': {
    // Every live hint is its own check: each counted once against the daily budget and audited once; a
    // check that loses a serialization failure (SERIALIZABLE) is a 409 and counts nothing.
    prepare: async (w) => {
      w.ids.checkAudits = String(await auditCount(w, 'deal.check'));
    },
    fire: (w) =>
      w.alpha('POST', '/api/deals/check', {
        programId: PROGRAM,
        customer: { name: 'Race Hint Kunde GmbH', country: 'DE' },
      }),
    outcome: 'any',
    audit: null,
    after: async (w, replies) => {
      const winners = replies.filter(ok);
      for (const r of winners) expect(r.body.hint).toBe('clear');
      expect((await auditCount(w, 'deal.check')) - Number(w.ids.checkAudits)).toBe(winners.length);
      const counted = await w.t.store.db
        .selectFrom('dealCheckCounts')
        .select('count')
        .where('partnerId', '=', 'ptn_alpha')
        .executeTakeFirstOrThrow();
      expect(Number(counted.count)).toBe(winners.length);
      // Each answer counts down the checks left: no two winners saw the same count.
      expect(new Set(winners.map((r) => r.body.checksLeftToday)).size).toBe(winners.length);
    },
  },
  'POST /api/deals': {
    // The same opportunity (one CRM reference) registered ten times at once by one partner: one
    // registration, submitted and holding the claim; the others 409 (the reference or the customer is
    // already registered), writing nothing. Created and submitted: two steps, two audit events.
    prepare: async (w) => {
      w.ids.dealAudits = String(await count(w, 'auditEvents'));
    },
    fire: (w) =>
      w.alpha(
        'POST',
        '/api/deals',
        dealBody('Racing Kunde Maschinenbau GmbH', 'DE', { externalRef: 'RACE-1' }),
      ),
    outcome: 'one',
    audit: null,
    after: async (w, replies) => {
      const winner = replies.find(ok)!;
      expect(winner.body.outcome).toBe('submitted');
      w.ids.deal = (winner.body.deal as { id: string }).id;
      const rows = await w.t.store.db
        .selectFrom('dealRegistrations')
        .select('id')
        .where('externalRef', '=', 'RACE-1')
        .execute();
      expect(rows.map((r) => r.id)).toEqual([w.ids.deal]);
      expect((await count(w, 'auditEvents')) - Number(w.ids.dealAudits)).toBe(2);
    },
  },
  'POST /api/imports/deals': {
    // One CRM export uploaded ten times at once (ten jobs): its reference is registered once (the unique
    // (vendor, partner, external_ref) index and the vendor's submission sequence decide); every other
    // upload reports it already registered or loses with 409, writing nothing.
    fire: (w) =>
      w.app
        .inject({
          method: 'POST',
          url: `/api/imports/deals?program=${PROGRAM}&submit=true`,
          headers: { 'content-type': 'text/csv', ...JSON.parse(w.ids.alphaHeaders ?? '{}') },
          payload:
            'external_ref,customer_name,customer_country,customer_segment,currency,expected_close_date,description,family,amount\n' +
            'RACE-CSV-1,Racing Import Werkzeugbau GmbH,DE,commercial,USD,2099-12-31,races,storage,25000.00\n',
        })
        .then(toReply),
    job: true,
    outcome: 'any',
    audit: null,
    after: async (w, replies) => {
      for (const r of replies) expect([200, 409], r.text).toContain(r.status);
      const rows = await w.t.store.db
        .selectFrom('dealRegistrations')
        .select(['id', 'status'])
        .where('externalRef', '=', 'RACE-CSV-1')
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]?.status).toBe('submitted');
      const created = replies.filter(ok).map((r) => (r.body as { created: number }).created);
      expect(created.reduce((a, b) => a + b, 0)).toBe(1);
    },
  },
  'POST /api/rates': {
    // The same rates loaded ten times at once: the primary key (vendor, pair, day) lets one load write each
    // rate; a load that meets a rate stored meanwhile runs again, finds it equal and reports it unchanged.
    // Every load succeeds; one audit event (only a load that wrote something is audited).
    fire: (w) =>
      w.admin('POST', '/api/rates', {
        source: 'races',
        rates: [
          { base: 'EUR', quote: 'USD', day: '2017-03-01', rate: '1.0580' },
          { base: 'EUR', quote: 'GBP', day: '2017-03-01', rate: '0.8570' },
        ],
      }),
    outcome: 'each',
    audit: null,
    after: async (w, replies) => {
      const added = replies.map((r) => (r.body as { added: number }).added);
      expect(added.sort()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
      for (const r of replies) expect(r.body).toMatchObject({ replaced: 0 });
      const rows = await w.t.store.db
        .selectFrom('exchangeRates')
        .select(['quote', 'rate'])
        .where('day', '=', '2017-03-01')
        .orderBy('quote')
        .execute();
      expect(rows).toEqual([
        { quote: 'GBP', rate: '0.857' },
        { quote: 'USD', rate: '1.058' },
      ]);
      expect(await auditCount(w, 'exchange-rate.import')).toBe(1);
    },
  },
  'POST /api/imports/rates': {
    // One rate file uploaded ten times at once (ten jobs), replacing a stored rate: every rate written once and the
    // replacement made (and audited) once; the later uploads find the file's rates unchanged.
    fire: (w) =>
      w.app
        .inject({
          method: 'POST',
          url: '/api/imports/rates?name=races.csv&replace=true',
          headers: { 'content-type': 'text/csv', ...JSON.parse(w.ids.adminHeaders ?? '{}') },
          payload: 'base,quote,day,rate\nEUR,USD,2017-03-01,1.0590\nEUR,USD,2017-03-02,1.0601\n',
        })
        .then(toReply),
    job: true,
    outcome: 'each',
    audit: null,
    after: async (w, replies) => {
      const counts = replies.map((r) => {
        const b = r.body as { added: number; replaced: number; unchanged: number };
        return `${b.added}/${b.replaced}/${b.unchanged}`;
      });
      expect(counts.sort()).toEqual([...Array<string>(9).fill('0/0/2'), '1/1/0']);
      const rows = await w.t.store.db
        .selectFrom('exchangeRates')
        .select(['day', 'rate', 'source'])
        .where('quote', '=', 'USD')
        .orderBy('day')
        .execute();
      expect(rows).toEqual([
        { day: '2017-03-01', rate: '1.059', source: 'races.csv' },
        { day: '2017-03-02', rate: '1.0601', source: 'races.csv' },
      ]);
      expect(await auditCount(w, 'exchange-rate.replace')).toBe(1);
      expect(await auditCount(w, 'exchange-rate.import')).toBe(2);
    },
  },
  'PUT /api/deals/{dealId}': {
    // A draft edited ten times at once with the same content: each edit is a conditional update at the
    // version read, so a request that read a version another changed loses with 409; one that read after
    // it edits again (SQLite runs them one after the other). One history row, one audit event and one
    // version per edit that happened.
    prepare: async (w) => {
      w.ids.draft = await register(w.alpha, dealBody('Racing Draft Logistik AG', 'DE', { submit: false }));
    },
    fire: (w) => {
      const { programId: _, ...body } = dealBody('Racing Draft Logistik AG', 'DE', {
        description: 'races: edited',
        lines: [{ family: 'storage', amountMinor: 3_000_000 }],
      });
      return w.alpha('PUT', `/api/deals/${w.ids.draft}`, body);
    },
    outcome: 'any',
    audit: null,
    after: async (w, replies) => {
      const edits = replies.filter(ok).length;
      expect(await dealSteps(w, w.ids.draft!, 'edit')).toBe(edits);
      const row = await dealRow(w, w.ids.draft!);
      expect(row.version).toBe(1 + edits);
      expect(Number(row.totalMinor)).toBe(3_000_000);
      const lines = await w.t.store.db
        .selectFrom('dealRegistrationLines')
        .select('lineNo')
        .where('registrationId', '=', w.ids.draft!)
        .execute();
      expect(lines).toHaveLength(1);
    },
  },
  'POST /api/deals/{dealId}/submit': {
    // The draft submitted ten times at once: submitted once (one claim), the others 409.
    fire: (w) => w.alpha('POST', `/api/deals/${w.ids.draft}/submit`, {}),
    outcome: 'one',
    audit: 'winners',
    after: async (w, replies) => {
      expect(replies.find(ok)?.body.outcome).toBe('submitted');
      expect(await dealSteps(w, w.ids.draft!, 'submit')).toBe(1);
    },
  },
  'POST /api/deals/{dealId}/review': {
    // Ten reviewers approve the same registration at once: approved once (protection starts once).
    fire: (w) => w.admin('POST', `/api/deals/${w.ids.deal}/review`, { action: 'approve' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      expect(await dealSteps(w, w.ids.deal!, 'approve')).toBe(1);
      expect((await dealRow(w, w.ids.deal!)).protectedUntil).not.toBeNull();
    },
  },
  'POST /api/deals/{dealId}/request-extension': {
    // One request awaits review at a time: one 200, the others 409. Then the grant is raced the same way
    // (granted once), and once the program's count (2) is used up, ten requests at once are all refused.
    fire: (w) => w.alpha('POST', `/api/deals/${w.ids.deal}/request-extension`, { text: 'race' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      const raceGrant = async () => {
        const grants = await Promise.all(
          Array.from({ length: N }, () =>
            w.admin('POST', `/api/deals/${w.ids.deal}/review`, { action: 'grant-extension' }),
          ),
        );
        const summary = grants.map((g) => `${g.status} ${g.text}`).join('\n');
        expect(grants.filter(ok), summary).toHaveLength(1);
        for (const g of grants.filter((g) => !ok(g))) expect(g.status, summary).toBe(409);
      };
      await raceGrant();
      expect((await dealRow(w, w.ids.deal!)).extensionsGranted).toBe(1);
      const again = await w.alpha('POST', `/api/deals/${w.ids.deal}/request-extension`, { text: 'again' });
      expect(again.status, again.text).toBe(200);
      await raceGrant();
      expect((await dealRow(w, w.ids.deal!)).extensionsGranted).toBe(2);
      const beyond = await Promise.all(
        Array.from({ length: N }, () =>
          w.alpha('POST', `/api/deals/${w.ids.deal}/request-extension`, { text: 'beyond' }),
        ),
      );
      for (const b of beyond) expect(b.status, b.text).toBe(400);
      expect(await dealSteps(w, w.ids.deal!, 'request-extension')).toBe(2);
      expect(await dealSteps(w, w.ids.deal!, 'grant-extension')).toBe(2);
    },
  },
  'POST /api/deals/review': {
    // Ten bulk approvals of the same three registrations at once: each request is answered (200) with
    // its per-registration results; each registration is approved by exactly one of them.
    prepare: async (w) => {
      const ids = [];
      for (const name of ['Racing Bulk One Inc.', 'Racing Bulk Two LLC', 'Racing Bulk Three Corp'])
        ids.push(await register(w.bravo, dealBody(name, 'US')));
      w.ids.bulk = JSON.stringify(ids);
    },
    fire: (w) =>
      w.admin('POST', '/api/deals/review', { ids: JSON.parse(w.ids.bulk!) as string[], action: 'approve' }),
    outcome: 'each',
    audit: null,
    after: async (w, replies) => {
      const ids = JSON.parse(w.ids.bulk!) as string[];
      const results = replies.flatMap((r) => r.body.results as { id: string; ok: boolean; error?: string }[]);
      for (const id of ids) {
        expect(
          results.filter((x) => x.id === id && x.ok),
          id,
        ).toHaveLength(1);
        expect(await dealSteps(w, id, 'approve'), id).toBe(1);
        expect((await dealRow(w, id)).status).toBe('approved');
      }
      expect(replies.reduce((n, r) => n + Number(r.body.done), 0)).toBe(ids.length);
    },
  },
  'POST /api/deals/{dealId}/withdraw': {
    // Withdrawn once (the claim released once), the others 409.
    prepare: async (w) => {
      w.ids.withdraw = await register(w.alpha, dealBody('Racing Withdrawn Textil KG', 'DE'));
    },
    fire: (w) => w.alpha('POST', `/api/deals/${w.ids.withdraw}/withdraw`, { text: 'race' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      expect((await dealRow(w, w.ids.withdraw!)).status).toBe('withdrawn');
    },
  },
  'POST /api/deals/{dealId}/lose': {
    // The protected, extended registration marked lost ten times at once: lost once, the claim released.
    fire: (w) => w.alpha('POST', `/api/deals/${w.ids.deal}/lose`, { text: 'race' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      expect((await dealRow(w, w.ids.deal!)).status).toBe('lost');
    },
  },
  'POST /api/deal-flags/{flagId}/resolve': {
    // An abuse flag closed by ten reviewers at once: closed once, audited once, the others 409.
    prepare: async (w) => {
      const vendor = await w.t.store.db
        .selectFrom('programs')
        .select('vendorId')
        .where('code', '=', PROGRAM)
        .executeTakeFirstOrThrow();
      await w.t.store.db
        .insertInto('dealFlags')
        .values({
          id: 'flg_race',
          vendorId: vendor.vendorId,
          partnerId: 'ptn_alpha',
          registrationId: w.ids.deal!,
          orderId: null,
          rule: 'many-unsold',
          dedupeKey: 'many-unsold:race',
          evidence: '{}',
          status: 'open',
          resolution: null,
          resolvedBy: null,
          resolvedAt: null,
          createdAt: '2026-01-01T00:00:00.000Z',
        })
        .execute();
    },
    fire: (w) => w.admin('POST', '/api/deal-flags/flg_race/resolve', { decision: 'dismiss', text: 'race' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      const f = await w.t.store.db
        .selectFrom('dealFlags')
        .select(['status'])
        .where('id', '=', 'flg_race')
        .executeTakeFirstOrThrow();
      expect(f.status).toBe('dismissed');
    },
  },
  'POST /api/offers/{offerId}/accept': {
    // A routed direct order accepted ten times at once, by the partner offered (Bravo, the incumbent) and
    // by another partner (Alpha, for whom the offer does not exist: 404). Accepted once; the customer's
    // order booked once, through Bravo, under its own key.
    prepare: async (w) => {
      const r = await routeDirect(w, 'cus_acme', '2017-09-04');
      Object.assign(w.ids, {
        acceptOffer: r.offerId,
        acceptKey: r.externalId,
        acceptRouted: r.routedOrderId,
      });
      w.ids.acceptAudits = String(await auditCount(w, 'offer.accept'));
    },
    fire: (w, i) => (i % 2 === 0 ? w.bravo : w.alpha)('POST', `/api/offers/${w.ids.acceptOffer}/accept`, {}),
    outcome: 'one',
    losers: [404],
    // The accept and the order it books are audited; the accept's own audit is counted below.
    audit: null,
    after: async (w, replies) => {
      for (const [i, r] of replies.entries()) if (i % 2 === 1) expect(r.status, r.text).toBe(404);
      expect((await auditCount(w, 'offer.accept')) - Number(w.ids.acceptAudits)).toBe(1);
      const orderId = replies.find(ok)?.body.orderId;
      expect(await ordersWithKey(w, w.ids.acceptKey!)).toEqual([orderId]);
      const routed = await routedRow(w, w.ids.acceptRouted!);
      expect(routed).toMatchObject({ status: 'booked-partner', orderId, bookedPartnerId: 'ptn_bravo' });
    },
  },
  'POST /api/offers/{offerId}/decline': {
    // Ten declines of one offer at once: declined once, and the next candidate offered once.
    prepare: async (w) => {
      const r = await routeDirect(w, 'cus_globex', '2017-09-05');
      Object.assign(w.ids, { declineOffer: r.offerId, declineRouted: r.routedOrderId });
      w.ids.declineAudits = String(await auditCount(w, 'offer.decline'));
    },
    fire: (w) => w.bravo('POST', `/api/offers/${w.ids.declineOffer}/decline`, { reason: 'race' }),
    outcome: 'one',
    audit: null,
    after: async (w) => {
      expect((await auditCount(w, 'offer.decline')) - Number(w.ids.declineAudits)).toBe(1);
      const offers = await offersOf(w, w.ids.declineRouted!);
      expect(offers[0]).toMatchObject({ rank: 1, status: 'declined' });
      const routed = await routedRow(w, w.ids.declineRouted!);
      if (routed.status === 'offered')
        expect(offers.slice(1).map((o) => [o.rank, o.status])).toEqual([[2, 'open']]);
      else expect(offers).toHaveLength(1);
    },
  },
  'POST /api/named-accounts': {
    // The list one short of the program's maxCount, and ten different accounts added at once: one takes
    // the last place, the others are refused (422, the list is full); never over maxCount.
    prepare: async (w) => {
      const list = await w.admin('GET', '/api/named-accounts');
      const max = Number(list.body.maxCount);
      const active = Number(list.body.active);
      const vendorId = await dellVendorId(w);
      const now = new Date().toISOString();
      const fill = Array.from({ length: max - 1 - active }, (_, i) => ({
        id: `dna_race_${i}`,
        vendorId,
        name: `Race Filler ${i} Holdings`,
        domain: null,
        country: 'US',
        status: 'active',
        source: 'manual',
        note: 'races: filler',
        addedBy: 'races',
        addedAt: now,
        removedBy: null,
        removedAt: null,
        removalReason: null,
      }));
      for (let i = 0; i < fill.length; i += 50)
        await w.t.store.db
          .insertInto('directNamedAccounts')
          .values(fill.slice(i, i + 50))
          .execute();
      await w.t.store.db
        .updateTable('namedAccountCounts')
        .set((eb) => ({ active: max - 1, version: eb('version', '+', 1) }))
        .where('vendorId', '=', vendorId)
        .execute();
      w.ids.namedMax = String(max);
    },
    fire: (w, i) =>
      w.admin('POST', '/api/named-accounts', { name: `Race Direct Account ${i}`, country: 'US' }),
    outcome: 'one',
    // The list is full: refused with its reason.
    losers: [422],
    audit: 'winners',
    after: async (w, replies) => {
      w.ids.namedAccount = String(replies.find(ok)?.body.id);
      for (const r of replies.filter((r) => r.status === 422)) expect(r.text).toContain('at most');
      expect(await activeNamed(w)).toEqual({ rows: Number(w.ids.namedMax), counted: Number(w.ids.namedMax) });
    },
  },
  'POST /api/named-accounts/{namedAccountId}/remove': {
    fire: (w) => w.admin('POST', `/api/named-accounts/${w.ids.namedAccount}/remove`, { reason: 'race' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      const max = Number(w.ids.namedMax);
      expect(await activeNamed(w)).toEqual({ rows: max - 1, counted: max - 1 });
    },
  },
  'POST /api/agreements/{agreementId}/notice': {
    // Ten notices of termination at once on one agreement: the notice table's primary key lets one in, the
    // others are 409; one notice row, one notice in the history, one audit event.
    prepare: async (w) => {
      const out = await publishAgreement(
        w.ctx,
        await agreementText((text) => text.replace(/ {2}events:\n(?: {4}.*\n)+/, '')),
      );
      w.ids.agreement = out.kind === 'agreement' ? out.agreementId : '';
    },
    fire: (w) =>
      w.admin('POST', `/api/agreements/${w.ids.agreement}/notice`, {
        reason: 'change-of-control',
        date: '2021-11-20',
      }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      const db = w.t.store.db;
      const notices = await db.selectFrom('agreementNotices').selectAll().execute();
      expect(notices.map((n) => [n.agreementId, n.noticeDate, n.effectiveDate])).toEqual([
        [w.ids.agreement, '2021-11-20', '2022-01-19'],
      ]);
      const events = await db
        .selectFrom('agreementEvents')
        .select('kind')
        .where('agreementId', '=', w.ids.agreement!)
        .where('kind', '=', 'notice')
        .execute();
      expect(events).toHaveLength(1);
    },
  },
  'POST /api/coverage/rebuild': {
    // Ten rebuilds of the vendor's coverage at once (jobs): each one replaces the rows whole, one after
    // another, so the tables end as one rebuild leaves them.
    prepare: async (w) => {
      w.ids.coverageBefore = JSON.stringify(await coverageRows(w));
    },
    fire: (w) => w.admin('POST', '/api/coverage/rebuild', {}),
    job: true,
    outcome: 'any',
    audit: null,
    after: async (w, replies) => {
      expect(replies.some((r) => ok(r))).toBe(true);
      expect(JSON.stringify(await coverageRows(w))).toBe(w.ids.coverageBefore);
    },
  },
  'POST /api/routing/sweep': {
    // Every open offer past its deadline, and ten sweeps at once: each offer lapses once (one audit, one
    // next offer); a sweep that lost a race to another is a 409, and a last sweep finds nothing left.
    prepare: async (w) => {
      await routeDirect(w, 'cus_acme', '2017-09-11');
      await routeDirect(w, 'cus_globex', '2017-09-12');
      const open = await w.t.store.db
        .selectFrom('routingOffers')
        .select(['id', 'routedOrderId', 'rank'])
        .where('status', '=', 'open')
        .execute();
      expect(open.length).toBeGreaterThanOrEqual(2);
      w.ids.due = JSON.stringify(open);
      await w.t.store.db
        .updateTable('routingOffers')
        .set({ deadline: '2000-01-01T00:00:00.000Z' })
        .where('status', '=', 'open')
        .execute();
      w.ids.lapseAudits = String(await auditCount(w, 'offer.lapse'));
    },
    fire: (w) => w.admin('POST', '/api/routing/sweep', {}),
    outcome: 'any',
    audit: null,
    after: async (w, replies) => {
      const due = JSON.parse(w.ids.due!) as { id: string; routedOrderId: string; rank: number }[];
      const last = await w.admin('POST', '/api/routing/sweep', {});
      expect(last.status, last.text).toBe(200);
      const lapsed = [...replies.filter(ok), last].reduce((n, r) => n + Number(r.body.lapsed), 0);
      expect(lapsed).toBe(due.length);
      expect((await auditCount(w, 'offer.lapse')) - Number(w.ids.lapseAudits)).toBe(due.length);
      for (const d of due) {
        const offers = await offersOf(w, d.routedOrderId);
        expect(offers.find((o) => o.id === d.id)?.status).toBe('lapsed');
        // The next candidate offered once (or, with none left, the order booked direct).
        const next = offers.filter((o) => o.rank === d.rank + 1);
        const routed = await routedRow(w, d.routedOrderId);
        if (routed.status === 'offered') expect(next.map((o) => o.status)).toEqual(['open']);
        else expect(routed.status).toBe('booked-direct');
      }
    },
  },
  'POST /api/program-transfers': {
    // Dell's partner base split into VMware's program under the 2021 agreement (the target's consent),
    // every difference accepted, fired ten times at once: one job carries it (the running key, then the
    // unique transfer key, refuse the others with 409); one transfer, one audit event per vendor, each
    // partner's tier written once.
    prepare: async (w) => {
      // The notice race above may have published the agreement already (notice effective 2022-01-19: still
      // in force on the split's day); otherwise the shipped file.
      const published = await w.t.store.db
        .selectFrom('agreements')
        .select('id')
        .where('code', '=', 'dell-vmware-commercial-framework-2021')
        .executeTakeFirst();
      if (!published) await publishShippedAgreement(w.ctx);
      const enrolled = await w.t.store.db
        .selectFrom('enrolments as e')
        .innerJoin('programs as p', 'p.id', 'e.programId')
        .select('e.partnerId')
        .where('p.code', '=', PROGRAM)
        .execute();
      w.ids.splitPartners = JSON.stringify(enrolled.map((e) => e.partnerId));
      w.ids.transferAuditsBefore = String(await auditCount(w, 'transfer.split'));
    },
    fire: (w) =>
      w.admin('POST', '/api/program-transfers', {
        kind: 'split',
        source: PROGRAM,
        target: 'vmware-partner-connect',
        onDay: '2021-11-01',
        acceptDifferences: JSON.parse(w.ids.splitPartners ?? '[]') as string[],
      }),
    job: true,
    outcome: 'one',
    audit: null,
    after: async (w) => {
      const transfers = await w.t.store.db
        .selectFrom('programTransfers')
        .select(['id', 'partners'])
        .execute();
      expect(transfers).toHaveLength(1);
      expect(await auditCount(w, 'transfer.split')).toBe(Number(w.ids.transferAuditsBefore) + 2);
      const carried = await w.t.store.db
        .selectFrom('programTransferPartners')
        .select('partnerId')
        .where('transferId', '=', transfers[0]!.id)
        .execute();
      expect(carried.map((c) => c.partnerId).sort()).toEqual(
        (JSON.parse(w.ids.splitPartners ?? '[]') as string[]).sort(),
      );
      const written = await w.t.store.db
        .selectFrom('memberships')
        .select('partnerId')
        .where('source', '=', 'transfer')
        .execute();
      expect(written.length).toBe(new Set(written.map((m) => m.partnerId)).size);
    },
  },

  // --- market development funds (on a VMware program year around today: the races run on the real clock) ---
  'POST /api/mdf/activities': {
    // Every proposal is its own activity.
    prepare: async (w) => {
      const today = new Date().toISOString().slice(0, 10);
      const year = await publishMdfYear(w.ctx, addDays(today, -200));
      w.ids.mdfVendor = year.vendorId;
      await creditMdf(w.ctx, { ...year, partnerId: 'ptn_alpha', period: 'FY99-Q1', amountMinor: 500_000 });
      vmwAdmins.set(w, client(w.app, await signIn(w.app, 'admin@vmware.test')));
    },
    fire: (w, i) => w.alpha('POST', '/api/mdf/activities', mdfProposal(`race proposal ${i}`)),
    outcome: 'each',
    audit: 'winners',
  },
  'POST /api/mdf/activities/{activityId}/claims': {
    // One claim of a pre-approved activity is taken; the others find it claimed (409).
    prepare: async (w) => {
      const p = await w.alpha('POST', '/api/mdf/activities', mdfProposal('race claim'));
      if (p.status !== 201) throw new Error(p.text);
      w.ids.mdfActivity = p.body.id as string;
      const d = await vmwAdmins.get(w)!('POST', `/api/mdf/activities/${w.ids.mdfActivity}/decisions`, {
        action: 'preapprove',
      });
      if (d.status !== 200) throw new Error(d.text);
      const h = JSON.parse(w.ids.alphaHeaders!) as { cookie: string; 'x-csrf-token': string };
      const session = { cookie: h.cookie, csrf: h['x-csrf-token'] };
      w.ids.mdfInvoice = await uploadProof(w.app, session, w.ids.mdfVendor!);
      w.ids.mdfAttendees = await uploadProof(w.app, session, w.ids.mdfVendor!);
    },
    fire: (w) =>
      w.alpha('POST', `/api/mdf/activities/${w.ids.mdfActivity}/claims`, {
        amountMinor: 50_000,
        files: [
          { fileId: w.ids.mdfInvoice!, kind: 'invoice' },
          { fileId: w.ids.mdfAttendees!, kind: 'attendee-list' },
        ],
      }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      const files = await w.t.store.db
        .selectFrom('mdfClaimFiles')
        .select('fileId')
        .where('activityId', '=', w.ids.mdfActivity!)
        .execute();
      expect(files).toHaveLength(2);
    },
  },
  'POST /api/mdf/activities/{activityId}/decisions': {
    // Ten approvals of one claim at once: it is paid once, one mdf-claim transaction.
    fire: (w) =>
      vmwAdmins.get(w)!('POST', `/api/mdf/activities/${w.ids.mdfActivity}/decisions`, { action: 'approve' }),
    outcome: 'one',
    audit: 'winners',
    after: async (w) => {
      const txs = await w.t.store.db
        .selectFrom('ledgerTransactions')
        .select('id')
        .where('idempotencyKey', '=', `mdf-claim:${w.ids.mdfActivity}`)
        .execute();
      expect(txs).toHaveLength(1);
    },
  },
  'POST /api/mdf/activities/{activityId}/links': {
    // One link per activity and order: the others find it linked (409). The order follows the activity.
    prepare: async (w) => {
      const o = await vmwAdmins.get(w)!('POST', '/api/orders', {
        source: 'erp',
        externalId: 'MDF-ROI-RACE',
        orderDate: new Date().toISOString().slice(0, 10),
        currency: 'USD',
        customerId: 'cus_vacme',
        channel: 'partner',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_vsp', quantity: 1, unitPriceMinor: 100_000 }],
      });
      if (o.status !== 201) throw new Error(o.text);
      w.ids.mdfOrder = o.body.id as string;
    },
    fire: (w) =>
      w.alpha('POST', `/api/mdf/activities/${w.ids.mdfActivity}/links`, {
        kind: 'order',
        targetId: w.ids.mdfOrder!,
      }),
    outcome: 'one',
    audit: 'winners',
  },
  'DELETE /api/mdf/activities/{activityId}/links': {
    // Removed once; the others find no link (404).
    fire: (w) =>
      w.alpha(
        'DELETE',
        `/api/mdf/activities/${w.ids.mdfActivity}/links?kind=order&targetId=${w.ids.mdfOrder!}`,
      ),
    outcome: 'one',
    losers: [404],
    audit: 'winners',
  },
  'POST /api/mdf/activities/{activityId}/withdraw': {
    prepare: async (w) => {
      const p = await w.alpha('POST', '/api/mdf/activities', mdfProposal('race withdraw'));
      w.ids.mdfWithdraw = p.body.id as string;
    },
    fire: (w) => w.alpha('POST', `/api/mdf/activities/${w.ids.mdfWithdraw}/withdraw`, {}),
    outcome: 'one',
    audit: 'winners',
  },
  'POST /api/programs/{programId}/mdf/expiry': {
    // One run at a time per program (the others 409, or run after it): whatever ran, each expiry once.
    // Raced on Dell's program (the suite follows jobs as Dell's admin); what a run posts is
    // test/server/mdf.test.ts's.
    job: true,
    fire: (w) => w.admin('POST', `/api/programs/${PROGRAM}/mdf/expiry`, {}),
    outcome: 'any',
    audit: null, // a run with nothing due posts and audits nothing
    after: async (w) => {
      const keys = await w.t.store.db
        .selectFrom('ledgerTransactions')
        .select(['idempotencyKey', sql<number | string>`count(*)`.as('n')])
        .where('kind', '=', 'mdf-expiry')
        .groupBy('idempotencyKey')
        .having(sql`count(*)`, '>', 1)
        .execute();
      expect(keys).toEqual([]);
    },
  },
  'PUT /api/partners/{partnerId}/payout-currency': {
    // Ten choices of a payout currency at once (EUR and GBP in turn) under a program year that allows
    // both: every request lands (the last write wins), each change audited, the enrolment holds one of
    // them. Published last, so the races above run on the fixture's program alone.
    prepare: async (w) => {
      await publishFxProgram(w.ctx, {
        payoutRate: 'payout-day',
        missingRate: 'refuse',
        payoutCurrencies: ['EUR', 'GBP'],
      });
    },
    fire: (w, i) =>
      w.alpha('PUT', '/api/partners/ptn_alpha/payout-currency', {
        program: PROGRAM,
        currency: i % 2 === 0 ? 'EUR' : 'GBP',
      }),
    outcome: 'each',
    // A write of the currency already held changes nothing and is not audited: between 1 and N events.
    audit: null,
    after: async (w) => {
      const e = await w.t.store.db
        .selectFrom('enrolments')
        .select('payoutCurrency')
        .where('id', '=', 'enr_a_dell')
        .executeTakeFirstOrThrow();
      expect(['EUR', 'GBP']).toContain(e.payoutCurrency);
      const audits = await auditCount(w, 'enrolment.payout-currency');
      expect(audits).toBeGreaterThanOrEqual(1);
      expect(audits).toBeLessThanOrEqual(N);
    },
  },
};

/** The VMware admin of each raced world (it decides MDF activities). */
const vmwAdmins = new WeakMap<World, Call>();

/** An MDF activity of Alpha's that ended three days ago (so it can be claimed today). */
function mdfProposal(title: string) {
  const today = new Date().toISOString().slice(0, 10);
  return {
    programId: 'vmware-partner-connect',
    type: 'event',
    title,
    startsOn: addDays(today, -10),
    endsOn: addDays(today, -3),
    amountMinor: 100_000,
  };
}

/** Who sold to whom and the coverage rows, in key order (the parts a rebuild recomputes). */
async function coverageRows(w: World) {
  const sales = await w.t.store.db
    .selectFrom('channelSales')
    .select(['vendorId', 'customerId', 'partnerId', 'role', 'family', 'firstOrderDate', 'lastOrderDate'])
    .orderBy('vendorId')
    .orderBy('customerId')
    .orderBy('partnerId')
    .orderBy('role')
    .orderBy('family')
    .execute();
  const coverage = await w.t.store.db
    .selectFrom('accountCoverage')
    .select(['vendorId', 'customerId', 'channelSince', 'lastChannelDate', 'channelUntil'])
    .orderBy('vendorId')
    .orderBy('customerId')
    .execute();
  return { sales, coverage };
}

let directSeq = 0;
/** A Dell direct order below the threshold for a customer Bravo sold to: routed, first offered to Bravo. */
async function routeDirect(w: World, customerId: string, orderDate: string) {
  const externalId = `RACE-DIRECT-${++directSeq}`;
  const res = await w.admin('POST', '/api/orders', directOrder(externalId, customerId, orderDate));
  if (res.status !== 202) throw new Error(`direct order not routed: ${res.status} ${res.text}`);
  const routedOrderId = String((res.body.routing as { routedOrderId: string }).routedOrderId);
  const open = (await offersOf(w, routedOrderId)).filter((o) => o.status === 'open');
  if (open.length !== 1 || open[0]?.partnerId !== 'ptn_bravo')
    throw new Error(`expected one open offer to Bravo: ${JSON.stringify(open)}`);
  return { externalId, routedOrderId, offerId: open[0].id };
}

function directOrder(externalId: string, customerId: string, orderDate: string) {
  return {
    source: 'erp',
    externalId,
    currency: 'USD',
    channel: 'direct',
    orderDate,
    customerId,
    lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 500_000 }],
  };
}

async function offersOf(w: World, routedOrderId: string) {
  return w.t.store.db
    .selectFrom('routingOffers')
    .select(['id', 'partnerId', 'rank', 'status'])
    .where('routedOrderId', '=', routedOrderId)
    .orderBy('rank')
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, rank: Number(r.rank) })));
}

async function routedRow(w: World, id: string) {
  return w.t.store.db
    .selectFrom('routedOrders')
    .select(['status', 'orderId', 'bookedPartnerId'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function ordersWithKey(w: World, externalId: string) {
  const rows = await w.t.store.db
    .selectFrom('orders')
    .select('id')
    .where('source', '=', 'erp')
    .where('externalId', '=', externalId)
    .execute();
  return rows.map((r) => r.id);
}

async function dellVendorId(w: World) {
  const p = await w.t.store.db
    .selectFrom('programs')
    .select('vendorId')
    .where('code', '=', PROGRAM)
    .executeTakeFirstOrThrow();
  return p.vendorId;
}

/** Dell's active direct-named accounts: rows, and the count row that holds the limit. */
async function activeNamed(w: World) {
  const vendorId = await dellVendorId(w);
  const rows = await w.t.store.db
    .selectFrom('directNamedAccounts')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('vendorId', '=', vendorId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  const counted = await w.t.store.db
    .selectFrom('namedAccountCounts')
    .select('active')
    .where('vendorId', '=', vendorId)
    .executeTakeFirstOrThrow();
  return { rows: Number(rows.n), counted: Number(counted.active) };
}

/**
 * The engagement invariants: a routed order still offered has exactly one open offer and no order; one
 * decided (direct, booked through a partner or booked direct) has no open offer and its order, stored
 * once under the customer's key.
 */
async function engagementInvariants(w: World) {
  const db = w.t.store.db;
  const routed = await db
    .selectFrom('routedOrders')
    .select(['id', 'vendorId', 'source', 'externalId', 'status', 'orderId'])
    .execute();
  const open = await db
    .selectFrom('routingOffers')
    .select(['routedOrderId', sql<number | string>`count(*)`.as('n')])
    .where('status', '=', 'open')
    .groupBy('routedOrderId')
    .execute();
  const openOf = new Map(open.map((o) => [o.routedOrderId, Number(o.n)]));
  const orders = await db
    .selectFrom('orders')
    .select(['id', 'vendorId', 'source', 'externalId'])
    .where('externalId', 'in', routed.length > 0 ? routed.map((r) => r.externalId) : ['-'])
    .execute();
  for (const r of routed) {
    const what = `routed order ${r.id} (${r.source}/${r.externalId}, ${r.status})`;
    const stored = orders.filter(
      (o) => o.vendorId === r.vendorId && o.source === r.source && o.externalId === r.externalId,
    );
    if (r.status === 'offered') {
      expect(openOf.get(r.id) ?? 0, `${what}: one open offer`).toBe(1);
      expect(r.orderId, what).toBeNull();
      expect(stored, `${what}: not booked`).toEqual([]);
    } else {
      expect(openOf.get(r.id) ?? 0, `${what}: no open offer`).toBe(0);
      expect(r.orderId, what).not.toBeNull();
      expect(
        stored.map((o) => o.id),
        `${what}: booked once`,
      ).toEqual([r.orderId]);
    }
  }
}

/** A registration with the Dell program, made today (the clock is real: the close date is far ahead). */
function dealBody(customer: string, country: string, extra: Record<string, unknown> = {}) {
  return {
    programId: PROGRAM,
    customer: { name: customer, country, segment: 'commercial', domain: null },
    currency: 'USD',
    lines: [{ family: 'storage', amountMinor: 2_000_000 }],
    expectedCloseDate: '2099-12-31',
    description: 'races',
    ...extra,
  };
}

/** Registers a deal and returns its id (submitted unless `submit: false`). */
async function register(who: Call, body: Record<string, unknown>): Promise<string> {
  const res = await who('POST', '/api/deals', body);
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return (res.body.deal as { id: string }).id;
}

async function dealRow(w: World, id: string) {
  return w.t.store.db
    .selectFrom('dealRegistrations')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function dealSteps(w: World, id: string, action: string) {
  const rows = await w.t.store.db
    .selectFrom('dealRegistrationEvents')
    .select('id')
    .where('registrationId', '=', id)
    .where('action', '=', action)
    .execute();
  return rows.length;
}

function toReply(res: {
  statusCode: number;
  headers: Record<string, unknown>;
  body: string;
  json: () => unknown;
}): Reply {
  let body: Record<string, unknown> = {};
  try {
    body = res.body ? (res.json() as Record<string, unknown>) : {};
  } catch {
    body = {};
  }
  return {
    status: res.statusCode,
    type: String(res.headers['content-type'] ?? ''),
    headers: res.headers,
    body,
    text: res.body,
  };
}

/**
 * What a request to a job route came to, once its job has finished: a refusal before the job started as
 * it is; a 202's job as the request answered before jobs (its result as a 200, its error as its problem).
 */
async function outcomeOf(w: World, started: Reply): Promise<Outcome> {
  if (started.status !== 202) return { ...started, job: null };
  const location = String(started.headers.location ?? '');
  expect(location, started.text).toBe(`/api/jobs/${String(started.body.id)}`);
  // A partner's job (a deal import) is the partner's to follow; a vendor's, the vendor admin's.
  const reader = started.body.partnerId === 'ptn_alpha' ? w.alpha : w.admin;
  let done = await awaitJob(reader, location);
  // Reading the job is itself a request: at SERIALIZABLE a read can lose a serialization failure, which
  // is a 409 telling the client to read again (not the job's outcome). It reads again after a pause that
  // grows, as a client would: at once, ten jobs' progress writes can fail several reads in a row.
  for (let i = 0; i < 12 && done.status === 409; i++) {
    await sleep(20 * (i + 1));
    done = await awaitJob(reader, location);
  }
  expect(done.status, done.text).toBe(200);
  const job = done.body;
  if (job.status === 'succeeded') {
    const result = job.result as Record<string, unknown>;
    return { ...done, status: 200, body: result, text: JSON.stringify(result), job };
  }
  const error = job.error as Record<string, unknown>;
  return { ...done, status: Number(error.status), body: error, text: JSON.stringify(error), job };
}

async function count(w: World, table: 'periodCloses' | 'auditEvents') {
  const row = await w.t.store.db
    .selectFrom(table)
    .select(sql<number | string>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function auditCount(w: World, action: string) {
  const row = await w.t.store.db
    .selectFrom('auditEvents')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('action', '=', action)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The money invariants, checked after every race. */
async function invariants(w: World) {
  const db = w.t.store.db;
  const unbalanced = await db
    .selectFrom('ledgerLegs')
    .select(['transactionId', sql<number | string>`sum(amount_minor)`.as('sum')])
    .groupBy('transactionId')
    .having(sql`sum(amount_minor)`, '!=', 0)
    .execute();
  expect(unbalanced, 'every ledger transaction sums to zero').toEqual([]);
  const twiceOpen = await db
    .selectFrom('disputes')
    .select(['statementLineId', sql<number | string>`count(*)`.as('n')])
    .where('status', '=', 'open')
    .groupBy('statementLineId')
    .having(sql`count(*)`, '>', 1)
    .execute();
  expect(twiceOpen, 'one open dispute per statement line').toEqual([]);
  const payouts = await db
    .selectFrom('ledgerTransactions')
    .select(['idempotencyKey', sql<number | string>`count(*)`.as('n')])
    .where('kind', '=', 'payout')
    .groupBy('idempotencyKey')
    .execute();
  const paid = await db
    .selectFrom('statements')
    .select(['id', 'payoutTransactionId'])
    .where('status', '=', 'paid')
    .execute();
  expect(
    payouts.every((p) => Number(p.n) === 1),
    'one payout per statement',
  ).toBe(true);
  expect(payouts.map((p) => p.idempotencyKey).sort()).toEqual(paid.map((s) => `payout:${s.id}`).sort());
  const adjustments = await db
    .selectFrom('ledgerTransactions')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('kind', '=', 'adjustment')
    .executeTakeFirstOrThrow();
  const accepted = await db
    .selectFrom('disputes')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('status', '=', 'accepted')
    .executeTakeFirstOrThrow();
  expect(Number(adjustments.n), 'one adjustment per accepted dispute').toBe(Number(accepted.n));
  await dealInvariants(w);
  await engagementInvariants(w);
  await mdfInvariants(w);
}

/**
 * The MDF invariants: each paid activity has exactly one mdf-claim transaction of its paid amount, and
 * none other exists; each activity's history runs 1..version with one audit event per step.
 */
async function mdfInvariants(w: World) {
  const db = w.t.store.db;
  const paid = await db
    .selectFrom('mdfActivities')
    .select(['id', 'paidMinor'])
    .where('status', '=', 'paid')
    .execute();
  const claims = await db
    .selectFrom('ledgerTransactions as t')
    .innerJoin('ledgerEntries as e', 'e.transactionId', 't.id')
    .select(['t.idempotencyKey', 'e.amountMinor'])
    .where('t.kind', '=', 'mdf-claim')
    .where('e.account', '!=', 'vendor:cash')
    .execute();
  expect(claims.map((c) => [c.idempotencyKey, Number(c.amountMinor)]).sort()).toEqual(
    paid.map((a) => [`mdf-claim:${a.id}`, Number(a.paidMinor)]).sort(),
  );
  const activities = await db.selectFrom('mdfActivities').select(['id', 'version']).execute();
  for (const a of activities) {
    const steps = await db
      .selectFrom('mdfActivityEvents')
      .select('seq')
      .where('activityId', '=', a.id)
      .orderBy('seq')
      .execute();
    expect(
      steps.map((x) => Number(x.seq)),
      a.id,
    ).toEqual(steps.map((_, i) => i + 1));
    expect(steps.length, a.id).toBe(Number(a.version));
    expect(await auditCountOf(w, a.id), `${a.id}: one audit event per step`).toBe(steps.length);
  }
}

async function auditCountOf(w: World, targetId: string) {
  const row = await w.t.store.db
    .selectFrom('auditEvents')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('targetId', '=', targetId)
    .where('targetType', '=', 'mdf-activity')
    .where('action', 'not in', ['mdf.link', 'mdf.unlink'])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * The deal-registration invariants: at most one active claim per (vendor, customer key, family, region),
 * held only by active registrations, and every active registration holds one; per registration, one
 * history row per transition (seq 1..n) and one audit event per history row; its version is 1 + its
 * updates (a submission refused as a conflict is one update with two steps: submit, and the system's
 * reject); at most one approval, and as many granted extensions as the row says, within the program's count.
 */
async function dealInvariants(w: World) {
  const db = w.t.store.db;
  const twice = await db
    .selectFrom('dealClaims')
    .select(['vendorId', 'claimKey', 'family', 'region', sql<number | string>`count(*)`.as('n')])
    .where('active', '=', 1)
    .groupBy(['vendorId', 'claimKey', 'family', 'region'])
    .having(sql`count(*)`, '>', 1)
    .execute();
  expect(twice, 'at most one active claim per customer key, family and region').toEqual([]);
  const claims = await db.selectFrom('dealClaims').select('registrationId').where('active', '=', 1).execute();
  const holders = new Set(claims.map((c) => c.registrationId));
  const regs = await db
    .selectFrom('dealRegistrations')
    .select(['id', 'status', 'version', 'extensionsGranted'])
    .execute();
  const events = await db
    .selectFrom('dealRegistrationEvents')
    .select(['registrationId', 'seq', 'action', 'actorId', 'toStatus'])
    .orderBy('registrationId')
    .orderBy('seq')
    .execute();
  const audits = await db
    .selectFrom('auditEvents')
    .select(['targetId', sql<number | string>`count(*)`.as('n')])
    .where('targetType', '=', 'deal')
    .groupBy('targetId')
    .execute();
  const auditsOf = new Map(audits.map((a) => [a.targetId, Number(a.n)]));
  for (const r of regs) {
    const steps = events.filter((e) => e.registrationId === r.id);
    const what = `${r.id} (${r.status}, v${r.version}): ${steps.map((e) => e.action).join(', ')}`;
    expect(
      steps.map((e) => Number(e.seq)),
      what,
    ).toEqual(steps.map((_, i) => i + 1));
    expect(steps[0]?.action, what).toBe('create');
    expect(steps.at(-1)?.toStatus, what).toBe(r.status);
    expect(auditsOf.get(r.id) ?? 0, `${what}: one audit event per step`).toBe(steps.length);
    const updates =
      steps.filter((e) => e.action !== 'create').length -
      steps.filter((e) => e.action === 'reject' && e.actorId === 'deal-registration').length;
    expect(r.version, `${what}: version = 1 + updates`).toBe(1 + updates);
    expect(steps.filter((e) => e.action === 'approve').length, what).toBeLessThanOrEqual(1);
    expect(steps.filter((e) => e.action === 'grant-extension').length, what).toBe(r.extensionsGranted);
    expect(r.extensionsGranted, what).toBeLessThanOrEqual(2);
    expect(holders.has(r.id), `${what}: an active registration holds its claim, no other does`).toBe(
      (ACTIVE_STATUSES as readonly string[]).includes(r.status),
    );
  }
}

/** The state-changing operations of the OpenAPI document, as `METHOD /path/{param}`. */
async function stateChangingRoutes(app: Server): Promise<string[]> {
  const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
  const doc = res.json() as { paths: Record<string, Record<string, unknown>> };
  const out: string[] = [];
  for (const [path, item] of Object.entries(doc.paths))
    for (const method of Object.keys(item))
      if (['post', 'put', 'patch', 'delete'].includes(method)) out.push(`${method.toUpperCase()} ${path}`);
  return out.sort();
}

/**
 * The stores raced on: SQLite, and PostgreSQL at its default READ COMMITTED and at SERIALIZABLE (the
 * invariants live in the database, so they hold at any isolation level; a serialization failure is a 409).
 */
interface Variant {
  kind: StoreKind;
  isolation: 'serializable' | null;
  name: string;
}
const VARIANTS = STORE_KINDS.flatMap((kind): Variant[] =>
  kind === 'postgres'
    ? [
        { kind, isolation: null, name: 'postgres' },
        { kind, isolation: 'serializable', name: 'postgres (serializable)' },
      ]
    : [{ kind, isolation: null, name: kind }],
);

for (const { kind, isolation, name } of VARIANTS) {
  describe(`races: every state-changing route fired ${N} times at once, on ${name}`, () => {
    const w = { ids: {} } as World;
    let isolated: Store | null = null;

    beforeAll(async () => {
      w.t = await openTestStore(kind);
      if (isolation && w.t.url) {
        const u = new URL(w.t.url);
        u.searchParams.set(
          'options',
          `${u.searchParams.get('options') ?? ''} -c default_transaction_isolation=${isolation}`,
        );
        isolated = await openStore({ kind: 'postgres', url: u.toString() });
      }
      w.ctx = createContext(isolated ?? w.t.store);
      await loadFixture(w.ctx);
      w.app = await buildServer(w.ctx);
      const adminSession = await signIn(w.app, 'admin@dell.test');
      w.admin = client(w.app, adminSession);
      w.ids.adminHeaders = JSON.stringify({ cookie: adminSession.cookie, 'x-csrf-token': adminSession.csrf });
      w.bravo = client(w.app, await signIn(w.app, 'admin@bravo.test'));
      const alphaSession = await signIn(w.app, 'admin@alpha.test');
      w.alpha = client(w.app, alphaSession);
      w.ids.alphaHeaders = JSON.stringify({ cookie: alphaSession.cookie, 'x-csrf-token': alphaSession.csrf });
      // Bravo sells in FY18-Q1, so the close builds it a statement with lines to race on.
      const order = await w.admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'RACE-Q1',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-03-01',
        customerId: 'cus_globex',
        resellerId: 'ptn_bravo',
        lines: [
          { productId: 'prd_stor', quantity: 2, unitPriceMinor: 1_000_000 },
          { productId: 'prd_srv', quantity: 1, unitPriceMinor: 500_000 },
        ],
      });
      if (order.status !== 201) throw new Error(order.text);
    });
    afterAll(async () => {
      await w.app.close();
      await isolated?.close();
      await w.t.cleanup();
    });

    it('covers every state-changing route of the OpenAPI document', async () => {
      const routes = await stateChangingRoutes(w.app);
      const missing = routes.filter((r) => !(r in RACES) && !(r in EXCLUDED));
      expect(missing, 'state-changing routes without a race (add them to RACES or EXCLUDED)').toEqual([]);
      const stale = [...Object.keys(RACES), ...Object.keys(EXCLUDED)].filter((r) => !routes.includes(r));
      expect(stale, 'races of routes that no longer exist').toEqual([]);
    });

    // The order matters: the close builds the statement that is issued, disputed, approved and paid.
    for (const [route, race] of Object.entries(RACES)) {
      it(route, async () => {
        await race.prepare?.(w);
        const auditBefore = await count(w, 'auditEvents');
        const started = await Promise.all(Array.from({ length: N }, (_, i) => race.fire(w, i)));
        // A job route's requests are all answered before any job is waited for.
        const replies = await Promise.all(
          started.map((r) => (race.job ? outcomeOf(w, r) : { ...r, job: null })),
        );
        const statuses = replies.map((r) => r.status);
        const summary = `${route}: ${race.job ? `${started.map((r) => r.status).join(' ')} -> ` : ''}${statuses.join(' ')}\n${replies
          .map((r) => (ok(r) ? '' : r.text))
          .filter(Boolean)
          .join('\n')}`;
        // No 5xx: neither an answer nor a job's error.
        expect(
          [...started, ...replies].map((r) => r.status).filter((s) => s >= 500),
          summary,
        ).toEqual([]);
        // A job route accepts with 202 (the job), or refuses before the job starts.
        if (race.job) for (const r of started.filter(ok)) expect(r.status, summary).toBe(202);
        const winners = replies.filter(ok);
        const losers = replies.filter((r) => !ok(r));
        for (const l of losers)
          if (l.job)
            // A job's error is the problem the request would have answered.
            expect(l.body, summary).toMatchObject({
              status: l.status,
              type: expect.stringMatching(/problems/),
            });
          else expect(l.type, summary).toMatch(/application\/problem\+json/);
        if (race.outcome === 'one') {
          expect(
            statuses.filter((s) => s >= 200 && s < 300 && !(race.losers ?? []).includes(s)),
            summary,
          ).toHaveLength(1);
          for (const l of losers) expect([409, ...(race.losers ?? [])], summary).toContain(l.status);
        } else if (race.outcome === 'replay') {
          for (const l of losers) expect([409, ...(race.losers ?? [])], summary).toContain(l.status);
          const ids = new Set(winners.map((r) => JSON.stringify(r.body.id ?? r.body)));
          expect(ids.size, summary).toBe(1);
        } else if (race.outcome === 'each') {
          expect(winners, summary).toHaveLength(N);
        } else {
          for (const l of losers) expect(l.status, summary).toBe(409);
          expect(winners.length, summary).toBeGreaterThan(0);
        }
        if (race.audit === 'winners') {
          const expected = race.outcome === 'each' ? N : 1;
          expect((await count(w, 'auditEvents')) - auditBefore, `${summary}\naudit events`).toBe(expected);
        }
        await race.after?.(w, replies, started);
        await invariants(w);
      });
    }

    it('closes raced through the use case: each close recorded and audited once, one posts, the ledger reconciles', async () => {
      const who = { actor: { kind: 'system', id: 'races' } as const, scope: SYSTEM_SCOPE };
      // A new sale in the closed period gives the closes something to post.
      await w.admin('POST', '/api/orders', {
        source: 'erp',
        externalId: 'RACE-Q1-LATE',
        currency: 'USD',
        channel: 'partner',
        orderDate: '2017-04-02',
        customerId: 'cus_acme',
        resellerId: 'ptn_bravo',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 2_000_000 }],
      });
      const closesBefore = await count(w, 'periodCloses');
      const auditsBefore = await auditCount(w, 'period.close');
      const results = await Promise.allSettled(
        Array.from({ length: N }, () => closePeriod(w.ctx, who, { program: PROGRAM, period: 'FY18-Q1' })),
      );
      const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: string }] : []));
      expect(
        // A close that loses a serialization failure (SERIALIZABLE) is a conflict, as the route answers it.
        failed.every((e) => e.code === 'conflict' || isConcurrencyError(e)),
        String(failed[0]),
      ).toBe(true);
      expect(done.length).toBeGreaterThan(0);
      expect(done.every((r) => r.reconciled)).toBe(true);
      expect((await count(w, 'periodCloses')) - closesBefore).toBe(done.length);
      expect((await auditCount(w, 'period.close')) - auditsBefore).toBe(done.length);
      await invariants(w);
    });

    it('an offer accepted and declined at once: answered once, the order booked once or passed on once', async () => {
      const r = await routeDirect(w, 'cus_acme', '2017-10-02');
      const replies = await Promise.all(
        Array.from({ length: N }, (_, i) =>
          i % 2 === 0
            ? w.bravo('POST', `/api/offers/${r.offerId}/accept`, {})
            : w.bravo('POST', `/api/offers/${r.offerId}/decline`, { reason: 'race' }),
        ),
      );
      const summary = replies.map((x) => `${x.status} ${ok(x) ? '' : x.text}`).join('\n');
      expect(replies.filter(ok), summary).toHaveLength(1);
      for (const x of replies.filter((x) => !ok(x))) expect(x.status, summary).toBe(409);
      const offers = await offersOf(w, r.routedOrderId);
      const routed = await routedRow(w, r.routedOrderId);
      if (replies.find(ok)?.body.status === 'accepted') {
        expect(offers.map((o) => o.status)).toEqual(['accepted']);
        expect(routed.status).toBe('booked-partner');
        expect(await ordersWithKey(w, r.externalId)).toEqual([routed.orderId]);
      } else {
        expect(offers[0]?.status).toBe('declined');
        expect(await ordersWithKey(w, r.externalId)).toEqual(
          routed.status === 'offered' ? [] : [routed.orderId],
        );
      }
      await invariants(w);
    });

    it('a direct order posted ten times at once with one key: one routed order, one open offer', async () => {
      const body = directOrder('RACE-DIRECT-SAME', 'cus_acme', '2017-10-03');
      const replies = await Promise.all(
        Array.from({ length: N }, () => w.admin('POST', '/api/orders', body)),
      );
      const summary = replies.map((x) => `${x.status} ${ok(x) ? '' : x.text}`).join('\n');
      expect(
        replies.filter((x) => x.status >= 500),
        summary,
      ).toEqual([]);
      for (const x of replies.filter((x) => !ok(x))) expect(x.status, summary).toBe(409);
      const winners = replies.filter(ok);
      expect(winners.length, summary).toBeGreaterThan(0);
      const ids = new Set(winners.map((x) => (x.body.routing as { routedOrderId: string }).routedOrderId));
      expect(ids.size, summary).toBe(1);
      const rows = await w.t.store.db
        .selectFrom('routedOrders')
        .select('id')
        .where('externalId', '=', 'RACE-DIRECT-SAME')
        .execute();
      expect(rows.map((x) => x.id)).toEqual([...ids]);
      const offers = await offersOf(w, rows[0]!.id);
      expect(offers.map((o) => o.status)).toEqual(['open']);
      expect(await ordersWithKey(w, 'RACE-DIRECT-SAME')).toEqual([]);
      await invariants(w);
    });
  });
}
