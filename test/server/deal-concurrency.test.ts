import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type AppContext } from '../../src/app/context.js';
import { createDeal } from '../../src/app/deals/deals.js';
import type { PersonActor } from '../../src/core/access/actor.js';
import { fixedClock } from '../../src/core/shared/clock.js';
import { TrellisError } from '../../src/core/shared/errors.js';
import { openStore, type Store } from '../../src/db/connection.js';
import { buildServer } from '../../src/server/app.js';
import type { Server } from '../../src/server/types.js';
import { addResellersInBulk, type BulkReseller } from '../support/deals.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { openTestStore, STORE_KINDS, type StoreKind, type TestStore } from '../support/stores.js';

/**
 * First to register, under load (issue 10, "Tests"): one customer registered at the same moment by many
 * partners of one zone, under several variants of its name. Exactly one registration ends `submitted`,
 * holding the customer's claim; every other ends `rejected` with reason `duplicate-registration` and
 * learns nothing of the winner; or, on PostgreSQL at SERIALIZABLE, loses a serialization failure with a
 * 409 and writes nothing at all. Through the use case (1,000 at once) and through HTTP (50 at once).
 */
const PROGRAM = 'dell-emc-partner-program';
const USE_CASE_N = 1_000;
const HTTP_N = 50;
/** Partners of the EMEA zone. */
const EMEA = [
  { country: 'DE', region: 'emea' },
  { country: 'GB', region: 'emea' },
  { country: 'FR', region: 'emea' },
];

const MUELLER = [
  'Müller Maschinenbau GmbH',
  'MUELLER MASCHINENBAU',
  'Muller Maschinenbau G.m.b.H.',
  'Mueller Maschinenbau GmbH',
  'müller maschinenbau',
];
const SCHAEFER = ['Schäfer Logistik GmbH', 'SCHAEFER LOGISTIK', 'Schafer Logistik G.m.b.H.'];

function registration(name: string, i: number) {
  return {
    programId: PROGRAM,
    customer: { name, country: 'DE', segment: 'commercial' as const, domain: null, city: 'Stuttgart' },
    currency: 'USD',
    lines: [{ family: 'storage', amountMinor: 2_000_000 + i }],
    expectedCloseDate: '2028-12-31',
    description: `Storage refresh, quote #${i}.`,
  };
}

function who(p: BulkReseller) {
  const actor: PersonActor = {
    kind: 'person',
    personId: p.personId,
    sessionId: 'ses_concurrency',
    email: p.email,
    name: p.email,
    vendorId: null,
    partnerId: p.partnerId,
    roles: ['partner-admin'],
    regions: [],
  };
  return { actor, scope: { kind: 'partner' as const, partnerId: p.partnerId, ownerPersonId: null } };
}

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

/** What a wave of registrations left in the store, checked against the answers. */
async function expectOneProtected(
  store: Store,
  partners: BulkReseller[],
  answered: { partnerId: string; registrationId: string | null }[],
) {
  const db = store.db;
  const ids = partners.map((p) => p.partnerId);
  const regs = await db
    .selectFrom('dealRegistrations')
    .select(['id', 'partnerId', 'status', 'reasonCode', 'sequence', 'claimKey', 'version'])
    .where('partnerId', 'in', ids)
    .execute();
  // Exactly the registrations answered were written: a loser of a serialization failure wrote nothing.
  expect(regs.map((r) => r.id).sort()).toEqual(
    answered
      .map((a) => a.registrationId)
      .filter((x): x is string => x !== null)
      .sort(),
  );
  const submitted = regs.filter((r) => r.status === 'submitted');
  expect(submitted, 'exactly one registration keeps the customer').toHaveLength(1);
  const winner = submitted[0]!;
  for (const r of regs.filter((x) => x !== winner)) {
    expect(r.status).toBe('rejected');
    expect(r.reasonCode).toBe('duplicate-registration');
    expect(r.claimKey).toBeNull();
    expect(r.version).toBe(2);
  }
  // First to register: the winner was submitted first.
  expect(Number(winner.sequence)).toBe(Math.min(...regs.map((r) => Number(r.sequence))));
  // It alone holds the customer's claim.
  const claims = await db
    .selectFrom('dealClaims')
    .select(['registrationId', 'claimKey', 'family', 'region'])
    .where('active', '=', 1)
    .where('registrationId', 'in', [...regs.map((r) => r.id), 'x'])
    .execute();
  expect(claims).toEqual([
    { registrationId: winner.id, claimKey: winner.claimKey, family: 'storage', region: 'emea' },
  ]);
  // Each step of each registration recorded once, with one audit event: create and submit, and the
  // system's rejection of every later one.
  const steps = await db
    .selectFrom('dealRegistrationEvents')
    .select(['registrationId', sql<number | string>`count(*)`.as('n')])
    .where('partnerId', 'in', ids)
    .groupBy('registrationId')
    .execute();
  const audits = await db
    .selectFrom('auditEvents')
    .select(['targetId', sql<number | string>`count(*)`.as('n')])
    .where('targetType', '=', 'deal')
    .where('partnerId', 'in', ids)
    .groupBy('targetId')
    .execute();
  const stepsOf = new Map(steps.map((s) => [s.registrationId, Number(s.n)]));
  const auditsOf = new Map(audits.map((a) => [a.targetId, Number(a.n)]));
  for (const r of regs) {
    expect(stepsOf.get(r.id), r.id).toBe(r === winner ? 2 : 3);
    expect(auditsOf.get(r.id), r.id).toBe(r === winner ? 2 : 3);
  }
  expect(stepsOf.size).toBe(regs.length);
  expect(auditsOf.size).toBe(regs.length);
  // Only the registrations written counted a conflict check.
  const checks = await db
    .selectFrom('dealCheckCounts')
    .select(sql<number | string>`coalesce(sum(count), 0)`.as('n'))
    .where('partnerId', 'in', ids)
    .executeTakeFirstOrThrow();
  expect(Number(checks.n)).toBe(regs.length);
  return { winner, regs };
}

for (const { kind, isolation, name } of VARIANTS) {
  describe(`first to register under concurrency, on ${name}`, () => {
    let t: TestStore;
    let isolated: Store | null = null;
    let store: Store;
    let ctx: AppContext;
    let app: Server;
    let dell: { vendorId: string; programId: string };
    let many: BulkReseller[];
    let few: BulkReseller[];
    let queue: BulkReseller[];

    beforeAll(async () => {
      t = await openTestStore(kind);
      if (isolation && t.url) {
        const u = new URL(t.url);
        u.searchParams.set(
          'options',
          `${u.searchParams.get('options') ?? ''} -c default_transaction_isolation=${isolation}`,
        );
        isolated = await openStore({ kind: 'postgres', url: u.toString() });
      }
      store = isolated ?? t.store;
      // A thousand transactions at once queue for the pool's 10 connections, one vendor's submissions one
      // after the other (deal_sequences): on a loaded machine the last waits longer than the pool's 5 s
      // acquire timeout, which would fail it with "timeout exceeded when trying to connect" (a capacity
      // limit, not a race). The test waits as long as it takes.
      if (store.pgPool)
        (store.pgPool.options as { connectionTimeoutMillis: number }).connectionTimeoutMillis = 120_000;
      // Registrations are made "today": the close date of the registrations is ahead of this day.
      ctx = createContext(store, { clock: fixedClock('2026-12-01T09:00:00Z') });
      ({ dell } = await loadFixture(ctx));
      many = await addResellersInBulk(ctx, dell, { count: USE_CASE_N, prefix: 'rsm', countries: EMEA });
      few = await addResellersInBulk(ctx, dell, {
        count: HTTP_N,
        prefix: 'rsh',
        countries: EMEA,
        credentials: true,
      });
      queue = await addResellersInBulk(ctx, dell, { count: 30, prefix: 'rsq', countries: EMEA });
      app = await buildServer(ctx);
    }, 120_000);
    afterAll(async () => {
      await app.close();
      await isolated?.close();
      await t.cleanup();
    });

    it(`${USE_CASE_N} partners register the same customer at once under name variants (use case): one keeps it`, async () => {
      const started = Date.now();
      const results = await Promise.allSettled(
        many.map((p, i) => createDeal(ctx, who(p), registration(MUELLER[i % MUELLER.length]!, i))),
      );
      const elapsed = Date.now() - started;
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
      // Only a serialization failure may refuse a registration, as a 409 conflict.
      for (const e of failed) {
        expect(e, String(e)).toBeInstanceOf(TrellisError);
        expect((e as TrellisError).code, String(e)).toBe('conflict');
      }
      if (!isolation) expect(failed.map(String)).toEqual([]);
      const answered = results.map((r, i) => ({
        partnerId: many[i]!.partnerId,
        registrationId: r.status === 'fulfilled' ? r.value.deal.id : null,
      }));
      const done = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(done.filter((r) => r.outcome === 'submitted')).toHaveLength(1);
      const winner = done.find((r) => r.outcome === 'submitted')!.deal;
      for (const r of done.filter((x) => x.outcome !== 'submitted')) {
        expect(r.outcome).toBe('conflict');
        expect(r.deal).toMatchObject({ status: 'rejected', reasonCode: 'duplicate-registration' });
        // Nothing of the winner in a loser's answer.
        const text = JSON.stringify(r);
        for (const leak of [winner.id, winner.partnerId, String(winner.totalMinor), winner.description])
          expect(text).not.toContain(leak);
      }
      const { regs } = await expectOneProtected(store, many, answered);
      expect(regs.length).toBe(done.length);
      console.info(
        `${name}: ${USE_CASE_N} concurrent registrations in ${elapsed} ms: 1 submitted, ${done.length - 1} conflicts, ${failed.length} serialization losers (409)`,
      );
    }, 120_000);

    it('regression: registrations that no longer hold a customer do not crowd out the one that does', async () => {
      // The matcher's index scores a bounded number of entries per search. Rejected registrations used to
      // stay in it: once more than 20 later registrations of one spelling had been refused, the next one of
      // that spelling no longer found the first (spelled otherwise, so scored lower) and was protected too.
      const [first, ...later] = queue;
      const one = await createDeal(ctx, who(first!), registration('Muller Armaturen G.m.b.H.', 1));
      expect(one.outcome).toBe('submitted');
      for (const [i, p] of later.entries()) {
        const r = await createDeal(ctx, who(p), registration('MUELLER ARMATUREN', i + 2));
        expect(r.outcome, `registration ${i + 2}`).toBe('conflict');
      }
    }, 120_000);

    it(`${HTTP_N} partners register the same customer at once through HTTP: one 201 submitted, the others conflict (or 409), no 5xx`, async () => {
      const callers = [];
      for (const p of few) callers.push(client(app, await signIn(app, p.email)));
      const replies = await Promise.all(
        callers.map((call, i) => call('POST', '/api/deals', registration(SCHAEFER[i % SCHAEFER.length]!, i))),
      );
      const summary = replies
        .map((r) => `${r.status} ${r.status === 201 ? r.body.outcome : r.text}`)
        .join('\n');
      expect(
        replies.filter((r) => r.status >= 500),
        summary,
      ).toEqual([]);
      for (const r of replies.filter((x) => x.status !== 201)) {
        expect(r.status, summary).toBe(409);
        expect(r.type, summary).toMatch(/problem\+json/);
      }
      if (!isolation) expect(replies.filter((r) => r.status !== 201).map((r) => r.text)).toEqual([]);
      const created = replies.filter((r) => r.status === 201);
      expect(
        created.filter((r) => r.body.outcome === 'submitted'),
        summary,
      ).toHaveLength(1);
      for (const r of created.filter((x) => x.body.outcome !== 'submitted'))
        expect(r.body.deal, summary).toMatchObject({
          status: 'rejected',
          reasonCode: 'duplicate-registration',
        });
      await expectOneProtected(
        store,
        few,
        replies.map((r, i) => ({
          partnerId: few[i]!.partnerId,
          registrationId: r.status === 201 ? (r.body.deal as { id: string }).id : null,
        })),
      );
    }, 120_000);
  });
}
