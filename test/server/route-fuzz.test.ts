import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { agreementText, publishAgreement } from '../support/agreements.js';
import { loadFixture } from '../support/fixtures.js';
import {
  badCursor,
  badJson,
  badUrlValue,
  bodySlots,
  fuzzOperations,
  plausible,
  refResolver,
  sample,
  setAt,
  type FuzzOperation,
  type FuzzRequest,
  type OpenApiDocument,
} from '../support/fuzz.js';
import { client, signIn, type Reply, type Session } from '../support/http.js';
import { awaitJob, viaJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type TestStore } from '../support/stores.js';
import { publishDellClone } from '../support/transfers.js';
import { splitPartnerBase } from '../../src/app/transfers/split.js';
import { notify } from '../../src/app/notifications/notify.js';
import { simulate } from '../../src/app/simulation/simulate.js';
import { readFileSync } from 'node:fs';
import { multipart, SAMPLES as FILE_SAMPLES } from '../support/multipart.js';
import { join } from 'node:path';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';

/**
 * Route fuzz: for every operation of the OpenAPI document and every kind of caller, seeded bad input on
 * path parameters, query and body (wrong types, bounds, huge and negative numbers, control characters,
 * odd ids, forged cursors, invalid dates, oversized and deeply nested bodies). No answer may be a 5xx, and
 * a refused request (4xx) must write nothing: the row counts of every table (and of the states that
 * matter) are the same before and after it. A request that starts a background job (202) is not refused:
 * its job is awaited; it may not fail with a 5xx problem, and when it fails (refused late) it writes
 * nothing but its own job row.
 */

/** The routes that start background jobs, and the routes that read them: the fuzz must cover them. */
const JOB_ROUTES = [
  'POST /api/closes',
  'POST /api/statements/bulk',
  'POST /api/imports/orders',
  'POST /api/programs/{programId}/evaluations',
  'POST /api/program-transfers',
  'GET /api/program-transfers/{transferId}',
  'POST /api/simulations',
  'GET /api/simulations/{simulationId}',
  'GET /api/jobs',
  'GET /api/jobs/{jobId}',
];

/** Routes whose success would end the caller's session for the rest of the run. */
const SKIP = new Set(['POST /api/auth/sign-out']);
/** Samples per operation and caller; anonymous callers and tokens get fewer. */
const SAMPLES = { path: 2, query: 3, body: 6 };

interface Caller {
  name: string;
  headers: Record<string, string>;
  /** Fuzzed lightly: refused at the gate anyway. */
  light?: boolean;
}

for (const kind of STORE_KINDS) {
  describe(`route fuzz on ${kind}`, () => {
    let t: TestStore;
    let ctx: AppContext;
    let app: Server;
    let doc: OpenApiDocument;
    let ops: FuzzOperation[];
    let callers: Caller[];
    let known: Record<string, unknown>;
    let checksum: () => Promise<string>;

    beforeAll(async () => {
      t = await openTestStore(kind);
      ctx = createContext(t.store);
      await loadFixture(ctx);
      app = await buildServer(ctx);
      const sessions = new Map<string, Session>();
      for (const email of [
        'admin@dell.test',
        'cm.na@dell.test',
        'auditor@dell.test',
        'admin@alpha.test',
        'rep@alpha.test',
        'ops@delta.test',
      ])
        sessions.set(email, await signIn(app, email));
      const cookie = (email: string) => {
        const s = sessions.get(email)!;
        return { cookie: s.cookie, 'x-csrf-token': s.csrf };
      };
      const post = async (email: string, url: string, payload: object) => {
        const res = await app.inject({ method: 'POST', url, headers: cookie(email), payload });
        if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
        return res.json() as Record<string, unknown>;
      };
      const get = async (email: string, url: string) =>
        (await app.inject({ method: 'GET', url, headers: cookie(email) })).json() as Record<string, unknown>;

      // Settlement records, so their routes have real targets: a close (and its job), an issued
      // statement, a dispute. The close runs as a job: its statements exist once the job has succeeded.
      const close = await viaJob(client(app, sessions.get('admin@dell.test')!), 'POST', '/api/closes', {
        program: 'dell-emc-partner-program',
        period: 'FY18-Q1',
      });
      if (close.status !== 200 || !close.job) throw new Error(`close: ${close.status} ${close.text}`);
      const statements = (await get('admin@dell.test', '/api/statements?partner=ptn_alpha')).items as {
        id: string;
      }[];
      const statementId = statements[0]!.id;
      await post('admin@dell.test', `/api/statements/${statementId}/issue`, {});
      const lines = (await get('admin@alpha.test', `/api/statements/${statementId}/lines`)).items as {
        id: string;
      }[];
      const dispute = await post('admin@alpha.test', '/api/disputes', {
        statementId,
        lineId: lines[0]!.id,
        reason: 'fuzz fixture',
      });
      // A deal registration (a draft, so edits and the submission reach their checks) and an abuse flag.
      const deal = await post('admin@alpha.test', '/api/deals', {
        programId: 'dell-emc-partner-program',
        customer: { name: 'Fuzzfixture Werkzeuge GmbH', country: 'DE', segment: 'commercial' },
        currency: 'USD',
        lines: [{ family: 'storage', amountMinor: 2_000_000 }],
        expectedCloseDate: '2099-12-31',
        description: 'fuzz fixture',
        submit: false,
      });
      const dealId = (deal.deal as { id: string }).id;
      const dellId = (await get('admin@dell.test', '/api/vendors/dell')).id as string;
      // The Dell-VMware agreement without its recorded termination: notice is still to be given.
      const agreement = await publishAgreement(
        ctx,
        await agreementText((text) => text.replace(/ {2}events:\n(?: {4}.*\n)+/, '')),
      );
      const agreementId = agreement.kind === 'agreement' ? agreement.agreementId : '';
      await ctx.store.db
        .insertInto('dealFlags')
        .values({
          id: 'flg_fuzz',
          vendorId: dellId,
          partnerId: 'ptn_alpha',
          registrationId: dealId,
          orderId: null,
          rule: 'many-unsold',
          dedupeKey: 'many-unsold:fuzz',
          evidence: '{}',
          status: 'open',
          resolution: null,
          resolvedBy: null,
          resolvedAt: null,
          createdAt: '2026-01-01T00:00:00.000Z',
        })
        .execute();
      // Rules of engagement: Alpha sells to Acme, so the vendor's direct order for Acme is offered to Alpha
      // (one of the callers); and the named accounts' list.
      await post('admin@dell.test', '/api/orders', {
        source: 'erp',
        externalId: 'FUZZ-ALPHA-ACME',
        orderDate: '2017-05-15',
        currency: 'USD',
        customerId: 'cus_acme',
        channel: 'partner',
        resellerId: 'ptn_alpha',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 500_000 }],
      });
      const direct = await post('admin@dell.test', '/api/orders', {
        source: 'erp',
        externalId: 'FUZZ-DIRECT',
        orderDate: '2017-06-01',
        currency: 'USD',
        customerId: 'cus_acme',
        channel: 'direct',
        lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 500_000 }],
      });
      const routedOrderId = (direct.routing as { routedOrderId: string }).routedOrderId;
      const offers = (await get('admin@dell.test', `/api/routing/${routedOrderId}`)).offers as {
        id: string;
        partnerId: string;
      }[];
      if (offers[0]?.partnerId !== 'ptn_alpha') throw new Error(`offer: ${JSON.stringify(offers)}`);
      const namedAccounts = (await get('admin@dell.test', '/api/named-accounts')).items as { id: string }[];
      const spare = await post('admin@dell.test', '/api/tokens', { name: 'spare', scopes: ['read'] });
      const token = await post('admin@dell.test', '/api/tokens', {
        name: 'fuzz',
        scopes: [
          'read',
          'orders:write',
          'certifications:write',
          'tiers:write',
          'settlement:write',
          'disputes:write',
          'deals:write',
          'engagement:write',
          'catalogue:write',
        ],
      });
      // A split of Dell's partner base into a copy of its program at another vendor, run by the operator.
      const copy = await publishDellClone(ctx, 'fuzzco', 'fuzzco-program');
      const split = await splitPartnerBase(
        ctx,
        { actor: { kind: 'system', id: 'fuzz' }, scope: SYSTEM_SCOPE },
        { source: 'dell-emc-partner-program', target: copy.programId, onDay: '2017-06-01' },
      );
      const shipped = readFileSync(
        join(import.meta.dirname, '..', '..', 'programs', 'dell-emc-fy18.yaml'),
        'utf8',
      );
      const simulation = await simulate(
        ctx,
        { actor: { kind: 'system', id: 'fuzz' }, scope: SYSTEM_SCOPE },
        { draftText: shipped, from: '2017-02-01', to: '2017-07-31', name: 'fuzz' },
      );
      // A notification told to Alpha's people (the path parameter of marking one read).
      const notificationId = 'ntf_fuzz';
      const dellProgram = await ctx.store.db
        .selectFrom('programs')
        .select(['id', 'vendorId'])
        .where('code', '=', 'dell-emc-partner-program')
        .executeTakeFirstOrThrow();
      await notify(ctx.store.db, ctx, [
        {
          id: notificationId,
          kind: 'tier.changed',
          params: {
            programId: dellProgram.id,
            from: null,
            to: 'gold',
            validFrom: '2017-03-01',
            direction: 'new',
          },
          vendorId: dellProgram.vendorId,
          partnerId: 'ptn_alpha',
          subject: { type: 'program', id: dellProgram.id },
        },
      ]);
      // A webhook endpoint of Alpha's with a test delivery (the path parameters of the webhook routes).
      const hook = await post('admin@alpha.test', '/api/webhooks', {
        url: 'https://hooks.example.com/fuzz',
        events: ['order.accepted'],
      });
      const webhookId = (hook.endpoint as { id: string }).id;
      const delivery = await post('admin@alpha.test', `/api/webhooks/${webhookId}/test`, {});
      // An MDF activity of Alpha's with VMware (whose program runs MDF): the MDF routes' path parameter.
      const activity = await post('admin@alpha.test', '/api/mdf/activities', {
        programId: 'vmware-partner-connect',
        type: 'event',
        title: 'fuzz event',
        startsOn: '2021-05-03',
        endsOn: '2021-05-04',
        amountMinor: 100_000,
      });
      // A stored file of Alpha's (the path parameter of the file routes).
      const upload = multipart({ purpose: 'mdf-proof', vendorId: 'dell' }, [
        { name: 'proof.pdf', bytes: FILE_SAMPLES.pdf },
      ]);
      const stored = await app.inject({
        method: 'POST',
        url: '/api/files',
        headers: { ...cookie('admin@alpha.test'), ...upload.headers },
        payload: upload.payload,
      });
      if (stored.statusCode !== 201) throw new Error(`file: ${stored.statusCode} ${stored.body}`);
      known = {
        activityId: activity.id,
        fileId: (stored.json() as { id: string }).id,
        webhookId,
        deliveryId: delivery.id,
        vendorId: 'dell',
        vendor: 'dell',
        programId: 'dell-emc-partner-program',
        program: 'dell-emc-partner-program',
        period: 'FY18-Q1',
        partnerId: 'ptn_alpha',
        partner: 'ptn_alpha',
        productId: 'prd_stor',
        customerId: 'cus_acme',
        orderId: 'ord_a1',
        closeId: close.body.closeId,
        jobId: close.job.id,
        statementId,
        lineId: lines[0]!.id,
        disputeId: dispute.id,
        tokenId: (spare.tokenInfo as { id: string }).id,
        dealId,
        flagId: 'flg_fuzz',
        routedOrderId,
        offerId: offers[0]!.id,
        namedAccountId: namedAccounts[0]!.id,
        agreementId,
        transferId: split.transfer.id,
        simulationId: simulation.id,
        notificationId,
        // A simulation's plausible body: the shipped program as its own draft over FY18's first half.
        draft: shipped,
        from: '2017-02-01',
        to: '2017-07-31',
        // A split's plausible body: into VMware's program on the agreement's first day (no agreement is
        // published here: Dell's admin is refused for want of VMware's consent).
        source: 'dell-emc-partner-program',
        target: 'vmware-partner-connect',
        onDay: '2021-11-01',
        // A registration's plausible body (today's registrations close in the future; a country of the zone).
        country: 'DE',
        currency: 'USD',
        expectedCloseDate: '2099-12-31',
        family: 'storage',
        amountMinor: 2_000_000,
        email: 'admin@dell.test',
        password: 'not the password',
        scopes: ['read'],
        reason: 'fuzz',
        name: 'fuzz',
      };
      callers = [
        ...[...sessions.keys()].map((email) => ({ name: email, headers: cookie(email) })),
        { name: 'token (vendor admin)', headers: { authorization: `Bearer ${token.token as string}` } },
        { name: 'anonymous', headers: {}, light: true },
      ];
      doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json() as OpenApiDocument;
      ops = fuzzOperations(doc).filter((op) => !SKIP.has(op.key));
      checksum = await tableChecksum(t);
    });

    afterAll(async () => {
      await app.close();
      await t.cleanup();
    });

    /** The jobs the fuzz started (202) and awaited. */
    let jobsAwaited = 0;

    /**
     * Awaits the job a 202 started, as its caller (the job must be where Location says, readable by
     * whoever started it); returns the finished job, or a failure.
     */
    async function settleJob(
      started: { headers: Record<string, unknown>; body: string },
      headers: Record<string, string>,
    ): Promise<{ job: Record<string, unknown> } | { failure: string }> {
      const id = String((JSON.parse(started.body) as { id?: unknown }).id);
      const location = String(started.headers.location ?? '');
      if (location !== `/api/jobs/${id}`) return { failure: `202 without the job's Location (${location})` };
      const done = await awaitJob(async (method, url): Promise<Reply> => {
        const r = await app.inject({ method, url, headers });
        return { status: r.statusCode, type: '', headers: r.headers, body: r.json(), text: r.body };
      }, location);
      if (done.status !== 200) return { failure: `its job ${location} answered ${done.status} ${done.text}` };
      const error = done.body.error as { status?: number } | null;
      if (done.body.status === 'failed' && !(Number(error?.status) >= 400 && Number(error?.status) < 500))
        return { failure: `its job failed with ${JSON.stringify(error).slice(0, 200)}` };
      return { job: done.body };
    }

    /**
     * Checks what a request wrote, after it has been answered (and its job, if any, has finished): a
     * refusal writes nothing (a failed job nothing but its own row). Returns the failures.
     */
    async function checkWrites(
      op: FuzzOperation,
      where: string,
      res: { statusCode: number; headers: Record<string, unknown>; body: string },
      headers: Record<string, string>,
      before: string,
    ): Promise<string[]> {
      if (res.statusCode === 202) {
        const settled = await settleJob(res, headers);
        if ('failure' in settled) return [`${where}: ${settled.failure}`];
        jobsAwaited++;
        if (settled.job.status !== 'failed') return [];
        const after = await checksum();
        return onlyJobRow(before, after) ? [] : [`${where}: its job failed but wrote ${diff(before, after)}`];
      }
      if (res.statusCode < 400) return [];
      const after = await checksum();
      return after !== before && !allowedWrite(op, before, after)
        ? [`${where}: refused with ${res.statusCode} but wrote ${diff(before, after)}`]
        : [];
    }

    /** The requests of one operation for one caller: bad path, bad query, bad body, each seeded. */
    function requestsFor(op: FuzzOperation, caller: Caller): FuzzRequest[] {
      const resolveRef = refResolver(doc);
      const seed = (what: string, i: number) => `${kind}|${op.key}|${caller.name}|${what}|${i}`;
      const goodPath = () =>
        op.path.replace(/\{(\w+)\}/g, (_, p: string) =>
          encodeURIComponent(String(known[p] ?? 'zzz_unknown0')),
        );
      const goodBody = () => (op.body ? plausible(op.body, '', known, resolveRef) : undefined);
      const payload = (): { payload?: string } => {
        const body = goodBody();
        return body === undefined ? {} : { payload: JSON.stringify(body) };
      };
      const out: FuzzRequest[] = [];
      const n = (k: keyof typeof SAMPLES) => (caller.light ? 1 : SAMPLES[k]);

      for (let i = 0; op.pathParams.length > 0 && i < n('path'); i++) {
        const param = sample(fc.constantFrom(...op.pathParams), seed('param', i));
        const bad = sample(badUrlValue(param.schema), seed('path', i));
        const url = op.path.replace(/\{(\w+)\}/g, (_, p: string) =>
          p === param.name ? bad : encodeURIComponent(String(known[p] ?? 'zzz_unknown0')),
        );
        out.push({ method: op.method, url, ...payload(), what: `path ${param.name}=${bad}` });
      }
      for (let i = 0; op.query.length > 0 && i < n('query'); i++) {
        const params = sample(
          fc.subarray(op.query, { minLength: 1, maxLength: Math.min(2, op.query.length) }),
          seed('qparams', i),
        );
        const sorts = (op.query.find((q) => q.name === 'sort')?.schema.enum ?? []) as string[];
        const parts = params.map((q) => {
          const value =
            q.name === 'cursor'
              ? sample(badCursor(sorts), seed(`cursor`, i))
              : sample(badUrlValue(q.schema), seed(`q-${q.name}`, i));
          return `${q.name}=${value}`;
        });
        // Sometimes a parameter twice (an array where a value is expected).
        if (i === 1) parts.push(parts[0]!);
        const url = `${goodPath()}?${parts.join('&')}`;
        out.push({ method: op.method, url, ...payload(), what: `query ${parts.join('&')}` });
      }
      if (op.body) {
        const slots = bodySlots(op.body, resolveRef);
        for (let i = 0; i < n('body'); i++) {
          const [path, schema] = sample(fc.constantFrom(...slots), seed('slot', i));
          const bad = sample(badJson(schema), seed('body', i));
          const body = setAt(structuredClone(goodBody()), path, bad);
          out.push({
            method: op.method,
            url: goodPath(),
            payload: JSON.stringify(body),
            what: `body ${path.join('.') || '(whole)'}=${JSON.stringify(bad)?.slice(0, 80)}`,
          });
        }
      } else if (op.method === 'POST' && !caller.light) {
        // A route without a JSON body (a CSV upload): garbage with control characters, as CSV and as JSON.
        const junk = sample(fc.string({ unit: 'binary', maxLength: 200 }), seed('csv', 0));
        out.push({
          method: op.method,
          url: goodPath(),
          payload: `order_id,vendor\n\u0000${junk},\u0001\n`,
          contentType: 'text/csv',
          what: 'csv body with control characters',
        });
      }
      return out;
    }

    it('answers no bad input on any route, for any caller, with a 5xx, and writes nothing when it refuses', async () => {
      const failures: string[] = [];
      const statuses = new Map<number, number>();
      let sent = 0;
      for (const op of ops) {
        for (const caller of callers) {
          for (const r of requestsFor(op, caller)) {
            const before = await checksum();
            const res = await app.inject({
              method: r.method,
              url: r.url,
              headers: {
                ...caller.headers,
                ...(r.payload !== undefined ? { 'content-type': r.contentType ?? 'application/json' } : {}),
              },
              ...(r.payload !== undefined ? { payload: r.payload } : {}),
            });
            sent++;
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            const where = `${caller.name} ${r.method} ${r.url.slice(0, 160)} (${r.what})`;
            if (res.statusCode >= 500) failures.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
            if (
              res.statusCode >= 400 &&
              res.statusCode !== 401 &&
              !String(res.headers['content-type']).includes('problem+json')
            )
              failures.push(`${where}: ${res.statusCode} is not problem+json`);
            failures.push(...(await checkWrites(op, where, res, caller.headers, before)));
          }
        }
      }
      // Every sort of every list, with a forged cursor whose value has another type than the column's.
      for (const op of ops.filter((o) => o.method === 'GET' && o.query.some((q) => q.name === 'cursor'))) {
        const sorts = (op.query.find((q) => q.name === 'sort')?.schema.enum ?? []) as string[];
        const url = op.path.replace(/\{(\w+)\}/g, (_, p: string) => String(known[p] ?? 'zzz_unknown0'));
        for (const sort of sorts)
          for (const direction of ['asc', 'desc'])
            for (const value of ['not-a-number', 12, 1e300, 'x\u0000']) {
              const forged = Buffer.from(JSON.stringify([sort, direction, value, 'zzz_x'])).toString(
                'base64url',
              );
              const res = await app.inject({
                method: 'GET',
                url: `${url}?sort=${sort}&direction=${direction}&cursor=${forged}`,
                headers: callers[0]!.headers,
              });
              sent++;
              statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
              if (res.statusCode >= 500)
                failures.push(
                  `${op.key} sort=${sort} ${direction} cursor value ${JSON.stringify(value)}: ${res.statusCode}`,
                );
            }
      }
      // Oversized and deeply nested bodies on every POST and PUT route.
      for (const op of ops.filter((o) => o.method === 'POST' || o.method === 'PUT')) {
        const caller = callers[0]!;
        const url = op.path.replace(/\{(\w+)\}/g, (_, p: string) => String(known[p] ?? 'zzz_unknown0'));
        for (const [what, payload] of [
          ['oversized body', JSON.stringify({ name: 'x'.repeat(1_100_000) })],
          ['deeply nested body', `${'['.repeat(5000)}${']'.repeat(5000)}`],
        ] as const) {
          const before = await checksum();
          const res = await app.inject({
            method: op.method as 'POST' | 'PUT',
            url,
            headers: { ...caller.headers, 'content-type': 'application/json' },
            payload,
          });
          sent++;
          if (res.statusCode >= 500)
            failures.push(`${op.key} ${what}: ${res.statusCode} ${res.body.slice(0, 200)}`);
          failures.push(...(await checkWrites(op, `${op.key} ${what}`, res, caller.headers, before)));
        }
      }
      console.info(
        `route fuzz on ${kind}: ${sent} requests over ${ops.length} operations and ${callers.length} callers; ${jobsAwaited} jobs awaited; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`,
      );
      expect(failures).toEqual([]);
      // Not vacuous: most requests got past the gate to validation or the handler.
      expect(ops.length).toBeGreaterThan(40);
      expect(ops.map((o) => o.key)).toEqual(expect.arrayContaining(JOB_ROUTES));
      // Every path parameter names a real record, so a plausible request reaches its handler.
      expect(ops.flatMap((o) => o.pathParams.map((p) => p.name)).filter((p) => !(p in known))).toEqual([]);
      expect(sent).toBeGreaterThan(ops.length * callers.length);
      expect(statuses.get(400) ?? 0).toBeGreaterThan(sent / 4);
    }, 240_000);
  });
}

/** A failed sign-in is counted (throttle) and audited by design: those are the writes a refusal may make. */
function allowedWrite(op: FuzzOperation, before: string, after: string): boolean {
  if (op.key !== 'POST /api/auth/sign-in') return false;
  const b = JSON.parse(before) as Record<string, string>;
  const a = JSON.parse(after) as Record<string, string>;
  return Object.keys(a).every((k) => k.replace('_', '').toLowerCase() === 'auditevents' || a[k] === b[k]);
}

/** A failed job may write its own row (in the jobs table), and nothing else. */
function onlyJobRow(before: string, after: string): boolean {
  const b = JSON.parse(before) as Record<string, string>;
  const a = JSON.parse(after) as Record<string, string>;
  return Object.keys(a).every((k) => (k === 'jobs' ? Number(a[k]) === Number(b[k]) + 1 : a[k] === b[k]));
}

function diff(before: string, after: string): string {
  const b = JSON.parse(before) as Record<string, string>;
  const a = JSON.parse(after) as Record<string, string>;
  return Object.keys(a)
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${b[k]} -> ${a[k]}`)
    .join(', ');
}

/**
 * One query that counts the rows of every table of the store (but the sign-in throttle, which counts
 * attempts by design) and the states a refused request must not move.
 */
async function tableChecksum(t: TestStore): Promise<() => Promise<string>> {
  const db = t.store.db;
  const names =
    t.store.capabilities.kind === 'sqlite'
      ? (
          await sql<{
            name: string;
          }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db)
        ).rows.map((r) => r.name)
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(
            db,
          )
        ).rows.map((r) => r.name);
  const tables = names.filter((n) => n !== 'sign_in_throttle' && !n.startsWith('trellis_migration')).sort();
  const parts = [
    ...tables.map((n) => sql`(select count(*) from ${sql.table(n)}) as ${sql.ref(n)}`),
    sql`(select count(*) from statements where status <> 'draft') as ${sql.ref('statements_moved')}`,
    sql`(select count(*) from disputes where status <> 'open') as ${sql.ref('disputes_decided')}`,
    sql`(select count(*) from api_tokens where revoked_at is not null) as ${sql.ref('tokens_revoked')}`,
    sql`(select count(*) from sessions where ended_at is not null) as ${sql.ref('sessions_ended')}`,
    sql`(select count(*) from memberships where valid_to is null) as ${sql.ref('memberships_open')}`,
  ];
  const query = sql<Record<string, unknown>>`select ${sql.join(parts)}`;
  return async () => {
    const row = (await query.execute(db)).rows[0] ?? {};
    return JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, String(v)])));
  };
}
