import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../../src/app/context.js';
import { loadDemo, type DemoSummary } from '../../src/app/demo/load-demo.js';
import { statementLines } from '../../src/app/incentives/statements.js';
import { SYSTEM_SCOPE } from '../../src/core/access/scope.js';
import { openStore, type Store } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { DEAL_STATUSES } from '../../src/core/deals/lifecycle.js';
import { convertMinor, fxRate } from '../../src/core/money/fx.js';
import { openTestStore, PG_URL, type TestStore } from '../support/stores.js';

/**
 * A demo world small enough for a test, big enough to span many batches and both threads. `now` fixes the
 * deal registrations' timeline, so that every load writes the same rows.
 */
const DEMO = {
  scale: 'small',
  seed: 5,
  sizes: { partners: 80, customers: 2_000, orderLines: 30_000 },
  now: new Date('2026-12-03T10:30:00.000Z'),
  // Two settled quarters per program (the small scale settles one): one paid, one due.
  settledPeriods: 2,
} as const;

/** Tables the demo fills from the seed alone (credentials hold salted hashes; tiers and audit the clock). */
const TABLES = [
  'vendors',
  'programs',
  'program_versions',
  'program_tiers',
  'partners',
  'enrolments',
  'supply_relationships',
  'people',
  'role_grants',
  'certifications',
  'products',
  'customers',
  'orders',
  'order_lines',
  'vendor_volumes',
  'deal_registrations',
  'deal_registration_lines',
  'deal_registration_events',
  'deal_conflicts',
  'deal_flags',
  'channel_sales',
  'account_coverage',
  'routed_orders',
  'routing_offers',
  'ledger_transactions',
  'ledger_entries',
  'ledger_rules',
  'ledger_postings',
  'statements',
  'statement_lines',
] as const;

/** Every row of the seed-determined tables, in a store-independent order. */
async function contentOf(store: Store): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of TABLES) {
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(store.db))
      .rows;
    out[table] = rows
      .map((r) => JSON.stringify(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1))))
      .sort();
  }
  return out;
}

async function openFileStore(dir: string): Promise<Store> {
  const store = await openStore({ kind: 'sqlite', file: join(dir, 'trellis.db') });
  const { error } = await migrateToLatest(store.db);
  if (error) throw error;
  return store;
}

describe('loadDemo on SQLite', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  let serial: { store: Store; summary: DemoSummary };
  let parallel: { store: Store; summary: DemoSummary; dir: string };

  beforeAll(async () => {
    const load = async (options: { parallel: boolean }) => {
      const dir = mkdtempSync(join(tmpdir(), 'trellis-demo-load-'));
      dirs.push(dir);
      const store = await openFileStore(dir);
      stores.push(store);
      return { store, dir, summary: await loadDemo(createContext(store), { ...DEMO, ...options }) };
    };
    serial = await load({ parallel: false });
    parallel = await load({ parallel: true });
  }, 120_000);

  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('loads the sizes asked for: the order lines of the last twelve months, history on top', async () => {
    expect(serial.summary).toMatchObject({
      partners: 80,
      customers: 2_000,
      now: '2026-12-03',
      recentFrom: '2025-12-04',
      recentOrderLines: 30_000,
    });
    expect(serial.summary.orderLines).toBeGreaterThan(50_000);
    expect(serial.summary.orders).toBeGreaterThan(5_000);
    const db = serial.store.db;
    const count = async (from: string) =>
      Number(
        (
          await db
            .selectFrom('orderLines as l')
            .innerJoin('orders as o', 'o.id', 'l.orderId')
            .select(sql<number>`count(*)`.as('n'))
            .where('l.orderDate', '>=', from)
            .where('l.orderDate', '<=', '2026-12-03')
            .where('o.inputHash', 'is', null)
            .executeTakeFirstOrThrow()
        ).n,
      );
    // The bulk-loaded lines (no input hash); the deals and direct orders add a few through the intake.
    expect(await count('2025-12-04')).toBe(30_000);
    expect(await count('2017-02-01')).toBe(serial.summary.orderLines);
  });

  it('dates every order from the 2017 merge to now, never after, inside a published version of its vendor', async () => {
    const db = serial.store.db;
    const range = await db
      .selectFrom('orders')
      .select([sql<string>`min(order_date)`.as('first'), sql<string>`max(order_date)`.as('last')])
      .executeTakeFirstOrThrow();
    expect(range).toEqual({ first: '2017-02-01', last: '2026-12-03' });
    const outside = await sql<{ n: number }>`
      select count(*) as n from orders o where not exists (
        select 1 from program_versions v where v.vendor_id = o.vendor_id and v.status = 'published'
          and v.effective_from <= o.order_date and o.order_date <= v.effective_to)`.execute(db);
    expect(Number(outside.rows[0]?.n)).toBe(0);
    // Every yearly version up to the one in force; VMware from its first (FY22).
    expect(serial.summary.programYears.filter((y) => y.vendor === 'dell').map((y) => y.version)).toEqual([
      'FY18',
      'FY19',
      'FY20',
      'FY21',
      'FY22',
      'FY23',
      'FY24',
      'FY25',
      'FY26',
      'FY27',
    ]);
    expect(serial.summary.vendors.map((v) => [v.slug, v.version])).toEqual([
      ['dell', 'FY27'],
      ['vmware', 'FY27'],
    ]);
    const vmwareFirst = await sql<{ d: string }>`
      select min(o.order_date) as d from orders o join vendors v on v.id = o.vendor_id where v.slug = 'vmware'`.execute(
      db,
    );
    expect((vmwareFirst.rows[0]?.d ?? '') >= '2021-01-30').toBe(true);
  });

  it('shows live state at now: accruals this quarter, statements due on the calendar, none overdue', async () => {
    const db = serial.store.db;
    const today = '2026-12-03';
    // Orders of the open quarter (FY27-Q4, from 2026-10-31) carry real-time accruals, posted on their day.
    expect(serial.summary.accruals.vendors.map((v) => [v.from, v.to])).toEqual([
      ['2026-10-31', today],
      ['2026-10-31', today],
    ]);
    const accrued = await db
      .selectFrom('ledgerTransactions')
      .select(['period', sql<number>`count(*)`.as('n'), sql<string>`max(posted_at)`.as('last')])
      .where('kind', '=', 'accrual')
      .groupBy('period')
      .execute();
    const q4 = accrued.find((a) => a.period === 'FY27-Q4');
    expect(Number(q4?.n)).toBeGreaterThan(100);
    expect((q4?.last ?? '') <= `${today}T23:59:59.999Z`).toBe(true);
    // The story's agreement-era quarter (FY24-Q4, paid in 2024), then the last two due quarters of each
    // program: Q2 paid, Q3 issued and due on its pay date.
    expect(serial.summary.settlement.periods.map((p) => [p.program, p.period, p.pay])).toEqual([
      ['dell-emc-partner-program', 'FY24-Q4', true],
      ['vmware-partner-connect', 'FY24-Q4', true],
      ['dell-emc-partner-program', 'FY27-Q2', true],
      ['vmware-partner-connect', 'FY27-Q2', true],
      ['dell-emc-partner-program', 'FY27-Q3', false],
      ['vmware-partner-connect', 'FY27-Q3', false],
    ]);
    const statements = await db.selectFrom('statements').select(['period', 'status', 'payOn']).execute();
    expect(statements.length).toBeGreaterThan(50);
    for (const s of statements) {
      if (s.period.endsWith('Q2') || s.period === 'FY24-Q4') expect(['paid', 'carried']).toContain(s.status);
      else expect([s.period, s.status, s.payOn]).toEqual([s.period, 'approved', '2026-12-14']);
      // Overdue = issued or approved and past its pay date (statementView).
      expect((s.status === 'issued' || s.status === 'approved') && today > s.payOn).toBe(false);
    }
    // Nothing of the open quarter closed.
    const closes = await db.selectFrom('periodCloses').select(['period']).execute();
    expect(closes.map((c) => c.period).sort()).toEqual([
      'FY24-Q4',
      'FY24-Q4',
      'FY27-Q2',
      'FY27-Q2',
      'FY27-Q3',
      'FY27-Q3',
    ]);
    // Standings: each program's tiers audited at every ended year, then today's.
    const asOf = serial.summary.tiers
      .filter((t) => t.program === 'dell-emc-partner-program')
      .map((t) => t.asOf);
    expect(asOf).toContain('2026-01-30');
    expect(asOf.at(-1)).toBe(today);
  });

  it('replays the 2021 Dell-VMware story: sell-out through Dell, and solution rewards split to the cent until the termination', async () => {
    const db = serial.store.db;
    // Dell distributes VMware to its top partners from the agreement's first day, monthly, to March 2024.
    expect(serial.summary.story[0]).toMatchObject({ date: '2021-11-01' });
    const viaDell = await db
      .selectFrom('orders')
      .select([(eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.min('orderDate').as('first')])
      .where('distributorId', '=', 'ptn_dellvmwaredist')
      .executeTakeFirstOrThrow();
    expect(Number(viaDell.n)).toBeGreaterThan(50);
    expect(viaDell.first).toBe('2021-11-15');
    const dist = await db
      .selectFrom('partners')
      .innerJoin('vendors', 'vendors.id', 'partners.representsVendorId')
      .select('vendors.slug')
      .where('partners.id', '=', 'ptn_dellvmwaredist')
      .executeTakeFirstOrThrow();
    expect(dist.slug).toBe('dell');
    // FY24-Q4 was settled by both vendors: each funded its half of every set, exactly, and no set completed
    // on or after the termination's effective day (25 January 2024) earned anything.
    const rewards = await db
      .selectFrom('agreementRewards as r')
      .innerJoin('vendors as v', 'v.id', 'r.vendorId')
      .select([
        'v.slug',
        'r.partnerId',
        'r.setKey',
        'r.shareMinor',
        'r.rewardMinor',
        'r.completedOn',
        'r.explanation',
      ])
      .execute();
    expect(rewards.length).toBeGreaterThan(0);
    const bySet = new Map<string, { reward: number; shares: number; parties: string[] }>();
    for (const r of rewards) {
      expect(r.completedOn < '2024-01-25').toBe(true);
      const k = `${r.partnerId}|${r.setKey}`;
      const e = bySet.get(k) ?? { reward: Number(r.rewardMinor), shares: 0, parties: [] };
      e.shares += Number(r.shareMinor);
      e.parties.push(r.slug);
      bySet.set(k, e);
      // A funder's explanation names only its own lines.
      expect(r.explanation).toContain('a qualifying purchase from another party to the agreement');
    }
    for (const e of bySet.values()) {
      expect(e.parties.sort()).toEqual(['dell', 'vmware']);
      expect(e.shares).toBe(e.reward);
    }
  });

  it('starts the merged program with the status match: FY18 partners hold their matched tiers, one a day', async () => {
    const matched = serial.summary.tiers.find((t) => t.asOf === '2017-02-01');
    expect(matched?.program).toBe('dell-emc-partner-program');
    const counts = Object.values(matched?.tiers ?? {});
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThan(40);
    expect(Object.keys(matched?.tiers ?? {}).length).toBeGreaterThan(2);
    const inForce = await serial.store.db
      .selectFrom('memberships')
      .select(['partnerId', 'tierCode', 'source'])
      .where('validFrom', '<=', '2017-06-01')
      .where((eb) => eb.or([eb('validTo', 'is', null), eb('validTo', '>', '2017-06-01')]))
      .execute();
    expect(inForce.every((m) => m.source === 'status-match')).toBe(true);
    expect(new Set(inForce.map((m) => m.partnerId)).size).toBe(inForce.length);
    // The same legacy tiers on two threads.
    const tiersOf = async (store: Store) =>
      (
        await store.db
          .selectFrom('memberships')
          .select(['partnerId', 'tierCode', 'validFrom', 'validTo'])
          .execute()
      )
        .map((m) => JSON.stringify(m))
        .sort();
    expect(await tiersOf(parallel.store)).toEqual(await tiersOf(serial.store));
  });

  it('writes the same database on two threads as on one, and removes its sidecar files', async () => {
    expect(parallel.summary).toMatchObject({
      partners: serial.summary.partners,
      customers: serial.summary.customers,
      orders: serial.summary.orders,
      orderLines: serial.summary.orderLines,
      people: serial.summary.people,
    });
    expect(await contentOf(parallel.store)).toEqual(await contentOf(serial.store));
    expect(readdirSync(parallel.dir).filter((f) => f.includes('.demo-'))).toEqual([]);
  });

  it('holds marketing fund activities in every state, with their proof files and paid claims in the ledger', async () => {
    const mdf = serial.summary.mdf;
    for (const status of ['paid', 'claimed', 'preapproved', 'proposed', 'refused', 'claim-rejected'])
      expect(mdf.byStatus[status], status).toBeGreaterThan(0);
    const { seconds: _a, ...one } = mdf;
    const { seconds: _b, ...two } = parallel.summary.mdf;
    expect(two).toEqual(one);
    const db = serial.store.db;
    const paid = await db
      .selectFrom('mdfActivities as a')
      .innerJoin('ledgerTransactions as t', 't.id', 'a.ledgerTransactionId')
      .select(['a.id', 'a.paidMinor', 't.kind'])
      .where('a.status', '=', 'paid')
      .execute();
    expect(paid.length).toBe(mdf.byStatus.paid);
    for (const a of paid) expect(a.kind).toBe('mdf-claim');
    // Paid activities show their return: orders linked.
    const links = await db.selectFrom('mdfActivityLinks').select(['activityId', 'kind']).execute();
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((l) => l.kind === 'order' && paid.some((a) => a.id === l.activityId))).toBe(true);
    const files = await db.selectFrom('storedFiles').select(['id', 'contentType']).execute();
    expect(files.length).toBe(mdf.files);
    expect(new Set(files.map((f) => f.contentType))).toEqual(
      new Set(['application/pdf', 'text/csv; charset=utf-8']),
    );
  });

  it("holds euro and pound orders converted at their day's rate, and statements paid in EUR and GBP that balance in each currency", async () => {
    const fx = serial.summary.currencies;
    expect(fx.orders.EUR).toBeGreaterThan(0);
    expect(fx.orders.GBP).toBeGreaterThan(0);
    expect(fx.returns).toBe(1);
    expect(fx.skipped).toBe(0);
    const { seconds: _a, ...one } = fx;
    const { seconds: _b, ...two } = parallel.summary.currencies;
    expect(two).toEqual(one);
    const db = serial.store.db;
    const lines = await db
      .selectFrom('orderLines')
      .select([
        'originalCurrency',
        'originalAmountMinor',
        'currency',
        'amountMinor',
        'fxRate',
        'returnsLineId',
      ])
      .where('originalCurrency', 'is not', null)
      .execute();
    expect(lines.length).toBeGreaterThan(fx.orders.EUR! + fx.orders.GBP!);
    for (const l of lines)
      expect(Number(l.amountMinor)).toBe(
        convertMinor(Number(l.originalAmountMinor), l.originalCurrency!, l.currency, fxRate(l.fxRate!)),
      );
    const paid = await db
      .selectFrom('statements')
      .select(['id', 'payoutCurrency', 'payoutTransactionId', 'payoutTotalMinor'])
      .where('payoutCurrency', 'in', ['EUR', 'GBP'])
      .where('status', '=', 'paid')
      .execute();
    expect(new Set(paid.map((p) => p.payoutCurrency))).toEqual(new Set(['EUR', 'GBP']));
    for (const p of paid) {
      const legs = await db
        .selectFrom('ledgerLegs')
        .select(['account', 'currency', sql<string>`sum(amount_minor)`.as('amount')])
        .where('transactionId', '=', p.payoutTransactionId!)
        .groupBy(['account', 'currency'])
        .execute();
      const byCurrency = new Map<string, number>();
      for (const l of legs) byCurrency.set(l.currency, (byCurrency.get(l.currency) ?? 0) + Number(l.amount));
      expect([...byCurrency.values()]).toEqual([0, 0]);
      // Its lines on converted orders say what was invoiced and the rate; each line's converted amount too.
      const lines = await statementLines(
        createContext(serial.store),
        SYSTEM_SCOPE,
        p.id,
        {},
        { limit: 500, sort: 'lineNo', direction: 'asc' },
      );
      expect(lines.items.some((l) => / at \d+\.\d+ = USD /.test(l.explanation))).toBe(true);
      expect(lines.items.every((l) => l.payoutCurrency === p.payoutCurrency)).toBe(true);
      const cash = legs.find((l) => l.account === 'vendor:cash');
      expect(cash && { currency: cash.currency, amount: -Number(cash.amount) }).toEqual({
        currency: p.payoutCurrency,
        amount: Number(p.payoutTotalMinor),
      });
    }
  });

  it('holds deal registrations in every state, made through the use cases, the same on one or two threads', async () => {
    const deals = serial.summary.deals;
    for (const status of DEAL_STATUSES) expect(deals.byStatus[status], status).toBeGreaterThan(0);
    expect(deals.registrations).toBeGreaterThan(30);
    const { seconds: _a, ...one } = deals;
    const { seconds: _b, ...two } = parallel.summary.deals;
    expect(two).toEqual(one);
    const db = serial.store.db;
    // Every registration has its history, and every step its audit event.
    const events = await db
      .selectFrom('dealRegistrationEvents')
      .select(['registrationId', 'action'])
      .execute();
    expect(new Set(events.map((e) => e.registrationId)).size).toBe(deals.registrations);
    const audited = await db
      .selectFrom('auditEvents')
      .select(sql<number>`count(*)`.as('n'))
      .where('action', 'like', 'deal.%')
      .executeTakeFirstOrThrow();
    expect(Number(audited.n)).toBe(events.length);
    // One was sent back for more information, edited, resubmitted and approved.
    const histories = new Map<string, string[]>();
    for (const e of events)
      histories.set(e.registrationId, [...(histories.get(e.registrationId) ?? []), e.action]);
    expect(
      [...histories.values()].some((h) => h.join(' ').includes('request-info edit submit approve')),
    ).toBe(true);
    // The README's partners have registrations, and a sales rep owns some of its company's.
    const fixed = await db
      .selectFrom('dealRegistrations as d')
      .innerJoin('partners as p', 'p.id', 'd.partnerId')
      .innerJoin('people as o', 'o.id', 'd.ownerPersonId')
      .select(['p.domain', 'o.email'])
      .where('p.domain', 'in', ['northwind.demo', 'bluepeak.demo'])
      .execute();
    expect(new Set(fixed.map((f) => f.domain))).toEqual(new Set(['northwind.demo', 'bluepeak.demo']));
    expect(fixed.some((f) => f.email.startsWith('sales@'))).toBe(true);
  });

  it('holds conflicts among name variants with their evidence, a direct account, breached SLAs, protections counting down and an abuse flag', async () => {
    const db = serial.store.db;
    const now = DEMO.now.toISOString();
    const deals = await db.selectFrom('dealRegistrations').selectAll().execute();
    const byId = new Map(deals.map((d) => [d.id, d]));
    // A later registration of another partner, under another spelling, answered "conflict".
    const conflicts = await db
      .selectFrom('dealConflicts')
      .selectAll()
      .where('otherKind', '=', 'registration')
      .where('decision', '=', 'match')
      .execute();
    const variants = conflicts.filter((c) => {
      const mine = byId.get(c.registrationId);
      const theirs = byId.get(c.otherId);
      return (
        mine?.reasonCode === 'duplicate-registration' &&
        theirs !== undefined &&
        theirs.partnerId !== mine.partnerId &&
        theirs.customerName !== mine.customerName
      );
    });
    expect(variants.length).toBeGreaterThan(0);
    for (const c of variants) {
      const evidence = JSON.parse(c.evidence) as { field: string; score: number }[];
      expect(evidence.length).toBeGreaterThan(0);
      expect(evidence.every((e) => typeof e.field === 'string' && typeof e.score === 'number')).toBe(true);
      expect(c.status).toBe('confirmed');
    }
    expect(deals.some((d) => d.reasonCode === 'direct-account')).toBe(true);
    // Reviews past their SLA, flagged at their due time and escalated; others still within it.
    const breached = deals.filter(
      (d) => d.slaBreachedAt !== null && ['submitted', 'under-review'].includes(d.status),
    );
    expect(breached.length).toBeGreaterThan(0);
    for (const d of breached) {
      expect(d.slaBreachedAt).toBe(d.reviewDueAt);
      expect(d.escalated).toBe(1);
    }
    expect(deals.some((d) => d.status === 'submitted' && (d.reviewDueAt ?? '') > now)).toBe(true);
    // Protections: some end within 14 days, some were extended; expired ones were swept after their last day.
    const in14 = new Date(DEMO.now.getTime() + 14 * 86_400_000).toISOString().slice(0, 10);
    expect(deals.some((d) => d.status === 'approved' && (d.protectedUntil ?? '') <= in14)).toBe(true);
    expect(deals.some((d) => d.status === 'extended' && d.extensionsGranted > 0)).toBe(true);
    for (const d of deals.filter((x) => x.status === 'expired'))
      expect((d.closedAt ?? '').slice(0, 10) > (d.protectedUntil ?? '')).toBe(true);
    // Won by an order that names the registration, dated within its protection (in the program year).
    const won = deals.filter((d) => d.status === 'won');
    for (const d of won) {
      const order = await db
        .selectFrom('orders')
        .select(['orderDate', 'dealRegistrationId', 'resellerId'])
        .where('id', '=', d.wonOrderId as string)
        .executeTakeFirstOrThrow();
      expect(order.dealRegistrationId).toBe(d.id);
      expect(order.resellerId).toBe(d.partnerId);
      expect(order.orderDate >= (d.approvedOn ?? '') && order.orderDate <= (d.protectedUntil ?? '')).toBe(
        true,
      );
    }
    // An order naming a registration of another customer is flagged, with its evidence.
    const flags = await db.selectFrom('dealFlags').selectAll().execute();
    const mismatch = flags.find((f) => f.rule === 'customer-mismatch');
    expect(mismatch).toBeDefined();
    expect(JSON.parse(mismatch?.evidence ?? '{}')).toHaveProperty('orderCustomer');
  });

  it("counts every vendor's gross order volume (docs/limits.md) from every line, on either thread count", async () => {
    for (const { store } of [serial, parallel]) {
      const volumes = await store.db.selectFrom('vendorVolumes').select(['vendorId', 'grossMinor']).execute();
      const gross = (
        await sql<{ vendorId: string; grossMinor: number }>`
          select v.id as vendor_id, coalesce((select sum(abs(l.amount_minor)) from order_lines l where l.vendor_id = v.id), 0) as gross_minor
          from vendors v`.execute(store.db)
      ).rows;
      expect(volumes.length).toBeGreaterThan(0);
      expect(volumes.sort((a, b) => (a.vendorId < b.vendorId ? -1 : 1))).toEqual(
        gross.sort((a, b) => (a.vendorId < b.vendorId ? -1 : 1)),
      );
    }
  });

  it('rebuilds every index, copied from the sidecar or not, and leaves a sound file', async () => {
    const indexes = async (store: Store) =>
      (
        await sql<{
          name: string;
        }>`select name from sqlite_master where type = 'index' order by name`.execute(store.db)
      ).rows.map((r) => r.name);
    expect(await indexes(parallel.store)).toEqual(await indexes(serial.store));
    const check = await sql<{ integrityCheck: string }>`pragma integrity_check`.execute(parallel.store.db);
    expect(check.rows).toEqual([{ integrityCheck: 'ok' }]);
    // The copied unique index still refuses a duplicate idempotency key.
    const order = await parallel.store.db.selectFrom('orders').selectAll().limit(1).executeTakeFirstOrThrow();
    await expect(
      parallel.store.db
        .insertInto('orders')
        .values({ ...order, id: 'ord_duplicate' })
        .execute(),
    ).rejects.toThrow(/UNIQUE/);
  });

  it('leaves nothing behind when the load fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-demo-load-'));
    dirs.push(dir);
    const store = await openFileStore(dir);
    stores.push(store);
    await expect(
      loadDemo(createContext(store), {
        ...DEMO,
        parallel: true,
        onProgress: (p) => {
          if (p.phase === 'order lines' && p.done > 10_000) throw new Error('stop here');
        },
      }),
    ).rejects.toThrow('stop here');
    const n = await sql<{ n: number }>`select count(*) as n from vendors`.execute(store.db);
    expect(n.rows[0]?.n).toBe(0);
    expect(readdirSync(dir).filter((f) => f.includes('.demo-'))).toEqual([]);
    // And the store loads afterwards.
    await expect(loadDemo(createContext(store), { ...DEMO, parallel: true })).resolves.toMatchObject({
      recentOrderLines: 30_000,
    });
  }, 60_000);
});

describe('loadDemo when the calendar has moved past the last shipped program file', () => {
  it('publishes a derived version for each missing year and still runs to now', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-demo-load-'));
    const store = await openFileStore(dir);
    try {
      const summary = await loadDemo(createContext(store), {
        scale: 'small',
        seed: 3,
        sizes: { partners: 40, customers: 500, orderLines: 3_000 },
        now: new Date('2027-06-15T09:00:00.000Z'),
      });
      const derived = summary.programYears.filter((y) => y.derived);
      expect(derived.map((y) => [y.vendor, y.version, y.from, y.to, y.file])).toEqual([
        ['dell', 'FY28', '2027-01-30', '2028-01-28', 'programs/dell-emc-fy28.yaml (derived)'],
        ['vmware', 'FY28', '2027-01-30', '2028-01-28', 'programs/vmware-partner-connect-fy28.yaml (derived)'],
      ]);
      expect(summary.vendors.map((v) => v.version)).toEqual(['FY28', 'FY28']);
      expect(summary).toMatchObject({ now: '2027-06-15', recentOrderLines: 3_000 });
      const last = await sql<{ d: string }>`select max(order_date) as d from orders`.execute(store.db);
      expect(last.rows[0]?.d).toBe('2027-06-15');
      // Open quarter FY28-Q2 accrues; FY28-Q1 (closed 2027-05-14) is settled, due 2027-06-13: paid.
      expect(summary.settlement.periods.map((p) => [p.period, p.pay])).toEqual([
        ['FY24-Q4', true],
        ['FY24-Q4', true],
        ['FY28-Q1', true],
        ['FY28-Q1', true],
      ]);
      expect(summary.accruals.vendors.every((v) => v.from === '2027-04-30')).toBe(true);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe.runIf(PG_URL)('loadDemo on PostgreSQL', () => {
  let t: TestStore;
  let sqlite: Store;
  let dir: string;
  let reference: DemoSummary;

  beforeAll(async () => {
    t = await openTestStore('postgres');
    dir = mkdtempSync(join(tmpdir(), 'trellis-demo-load-'));
    sqlite = await openFileStore(dir);
    reference = await loadDemo(createContext(sqlite), { ...DEMO, parallel: false });
  }, 120_000);

  afterAll(async () => {
    await t.cleanup();
    await sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the same rows as on SQLite', async () => {
    const summary = await loadDemo(createContext(t.store), DEMO);
    expect(summary).toMatchObject({ customers: 2_000, recentOrderLines: 30_000 });
    expect(summary.orderLines).toBe(reference.orderLines);
    const { seconds: _a, ...pg } = summary.deals;
    const { seconds: _b, ...lite } = reference.deals;
    expect(pg).toEqual(lite);
    expect(await contentOf(t.store)).toEqual(await contentOf(sqlite));
    const tiersOf = async (store: Store) =>
      (
        await store.db
          .selectFrom('memberships')
          .select(['partnerId', 'tierCode', 'validFrom', 'validTo'])
          .execute()
      )
        .map((m) => JSON.stringify(m))
        .sort();
    expect(await tiersOf(t.store)).toEqual(await tiersOf(sqlite));
  }, 120_000);
});
