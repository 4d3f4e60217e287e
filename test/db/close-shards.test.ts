import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod, type CloseResult } from '../../src/app/incentives/close-period.js';
import { planInShards, planOnSnapshot } from '../../src/app/incentives/close-shards.js';
import { resolvePeriod } from '../../src/app/incentives/program-period.js';
import { mergeShardPlans, shardOfPartner } from '../../src/core/incentives/shards.js';
import { sequentialIds } from '../../src/core/shared/ids.js';
import { openStore, type Store } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { settlementRepository } from '../../src/db/repositories/settlement-repository.js';
import { openSqliteHandle } from '../../src/db/sqlite/open.js';
import { exportSnapshot } from '../../src/db/snapshot.js';
import { buildServer } from '../../src/server/app.js';
import { loadFixture } from '../support/fixtures.js';
import { client, signIn } from '../support/http.js';
import { viaJob } from '../support/jobs.js';
import { openTestStore, STORE_KINDS, type StoreKind } from '../support/stores.js';

/**
 * A close split into shards of partners (close-shards.ts: each shard on a thread of its own reading the
 * close's snapshot, the plans merged and applied once) writes exactly what a close in one shard writes: the
 * same postings and entries (amounts, rules, budget pools), the same input hashes, statements and result,
 * on a first close and on a re-close that trues up returns and tier changes.
 */

const PROGRAM = 'dell-emc-partner-program';
const PERIOD = 'FY18-Q1';
// Two more Dell partners, so that three shards each have partners (alpha and bravo: 0, dist: 1, x3: 2).
const EXTRA = ['ptn_x1', 'ptn_x3'];

/** Where a world lives: SQLite in memory (shards planned in the close's own connection), in a file
 * (shards on threads with their own connections), or PostgreSQL (threads on the exported snapshot). */
type Where = 'sqlite-memory' | 'sqlite-file' | 'postgres';
const WHERES: Where[] = STORE_KINDS.flatMap((k: StoreKind): Where[] =>
  k === 'sqlite' ? ['sqlite-memory', 'sqlite-file'] : ['postgres'],
);

interface World {
  store: Store;
  ctx: AppContext;
  app: Awaited<ReturnType<typeof buildServer>>;
  admin: ReturnType<typeof client>;
  vendorId: string;
  programId: string;
  post(externalId: string, body: Record<string, unknown>): Promise<string[]>;
  member(id: string, partnerId: string, tier: string, from: string, to: string | null): Promise<unknown>;
  cleanup(): Promise<void>;
}

async function openWorld(where: Where): Promise<World> {
  let store: Store;
  let cleanupStore: () => Promise<void>;
  if (where === 'sqlite-file') {
    const dir = mkdtempSync(join(tmpdir(), 'trellis-shards-'));
    store = await openStore({ kind: 'sqlite', file: join(dir, 'trellis.db'), thread: 'main' });
    const { error } = await migrateToLatest(store.db);
    if (error) throw error;
    cleanupStore = async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    };
  } else {
    const t = await openTestStore(where === 'postgres' ? 'postgres' : 'sqlite');
    store = t.store;
    cleanupStore = () => t.cleanup();
  }
  // The same ids in every world (the same calls in the same order), so that their books compare.
  const ctx = createContext(store, { ids: sequentialIds('w') });
  const app = await buildServer(ctx);
  const { dell } = await loadFixture(ctx);
  const db = store.db;
  await db
    .insertInto('partners')
    .values(
      EXTRA.map((id) => ({
        id,
        name: `Extra ${id}`,
        kind: 'reseller',
        country: 'US',
        region: 'na',
        domain: `${id}.example`,
        createdAt: '2017-01-01T00:00:00.000Z',
      })),
    )
    .execute();
  await db
    .insertInto('enrolments')
    .values(
      EXTRA.map((id, i) => ({
        id: `enr_${id}`,
        vendorId: dell.vendorId,
        programId: dell.programId,
        partnerId: id,
        partnerNumber: `D-X${i}`,
        status: 'active',
        exclusive: i % 2,
        enrolledAt: '2017-01-01T00:00:00.000Z',
      })),
    )
    .execute();
  const admin = client(app, await signIn(app, 'admin@dell.test'));
  return {
    store,
    ctx,
    app,
    admin,
    vendorId: dell.vendorId,
    programId: dell.programId,
    async post(externalId, body) {
      const res = await admin('POST', '/api/orders', {
        source: 'erp',
        externalId,
        currency: 'USD',
        channel: 'partner',
        ...body,
      });
      if (res.status !== 201) throw new Error(`order ${externalId}: ${res.status} ${res.text}`);
      return (res.body.lines as { id: string }[]).map((l) => l.id);
    },
    member: (id, partnerId, tierCode, validFrom, validTo) =>
      db
        .insertInto('memberships')
        .values({
          id,
          vendorId: dell.vendorId,
          programId: dell.programId,
          partnerId,
          tierCode,
          validFrom,
          validTo,
          source: 'manual',
          reason: 'test',
          createdAt: '2017-02-01T00:00:00.000Z',
          grandfatheredUntil: null,
          sponsor: null,
          detail: '{}',
        })
        .execute(),
    async cleanup() {
      await app.close();
      await cleanupStore();
    },
  };
}

const SYSTEM = { kind: 'system' as const, id: 'test' };

function close(w: World, shards: number, dryRun = false): Promise<CloseResult> {
  return closePeriod(
    w.ctx,
    { actor: SYSTEM, scope: { kind: 'vendor', vendorId: w.vendorId, regions: [] } },
    { program: PROGRAM, period: PERIOD, dryRun, shards },
  );
}

/** A close's result without what differs from one store to the other by construction (generated ids). */
const resultOf = (r: CloseResult) => ({
  ...r,
  closeId: r.closeId === null ? null : 'closed',
  programId: 'program',
  versionId: 'version',
});

/** The ledger, the closes and the statements, as content (ids are generated, so left out). */
async function booksOf(w: World) {
  const db = w.store.db;
  const legs = await db
    .selectFrom('ledgerLegs as l')
    .innerJoin('ledgerTransactions as t', (j) =>
      j.onRef('t.vendorId', '=', 'l.vendorId').onRef('t.id', '=', 'l.transactionId'),
    )
    .select([
      't.partnerId',
      't.kind',
      't.period',
      't.inputHash',
      't.idempotencyKey',
      'l.lineId',
      'l.component',
      'l.account',
      'l.amountMinor',
      'l.baseMinor',
      'l.rate',
      'l.effectiveRate',
      'l.tier',
      'l.multiplier',
      'l.budgetPool',
      'l.ruleId',
    ])
    .where('t.vendorId', '=', w.vendorId)
    .execute();
  // A close's idempotency key names its id: kept as its partner only.
  const rows = legs
    .map((l) => ({
      ...l,
      amountMinor: Number(l.amountMinor),
      baseMinor: Number(l.baseMinor),
      idempotencyKey: l.idempotencyKey.replace(/^close:[^:]+:/, 'close:'),
    }))
    .map((l) => JSON.stringify(l))
    .sort();
  const statements = (
    await db
      .selectFrom('statements')
      .select([
        'partnerId',
        'period',
        'sequence',
        'status',
        'lines',
        'earnedMinor',
        'clawbackMinor',
        'adjustmentMinor',
        'carriedInMinor',
      ])
      .where('vendorId', '=', w.vendorId)
      .execute()
  )
    .map((s) =>
      JSON.stringify({ ...s, earnedMinor: Number(s.earnedMinor), clawbackMinor: Number(s.clawbackMinor) }),
    )
    .sort();
  const closes = (
    await db
      .selectFrom('periodCloses')
      .select([
        'period',
        'lines',
        'partners',
        'transactions',
        'entries',
        'netMinor',
        'totalMinor',
        'statements',
        'summary',
      ])
      .where('vendorId', '=', w.vendorId)
      .orderBy('closedAt')
      .execute()
  ).map((c) => ({ ...c, netMinor: Number(c.netMinor), totalMinor: Number(c.totalMinor) }));
  return { legs: rows, statements, closes };
}

/** The same world in each store: sales, new business, a return, tier changes; the close; then more. */
async function firstQuarter(w: World): Promise<{ bravoLines: string[] }> {
  await w.member('mbr_alpha_g', 'ptn_alpha', 'gold', '2017-02-01', '2017-04-01');
  await w.member('mbr_alpha_p', 'ptn_alpha', 'platinum', '2017-04-01', null);
  await w.member('mbr_x3_t', 'ptn_x3', 'titanium', '2017-02-01', null);
  const line = (productId: string, quantity: number, unitPriceMinor: number) => ({
    productId,
    quantity,
    unitPriceMinor,
  });
  await w.post('Q1-ALPHA', {
    orderDate: '2017-02-20',
    customerId: 'cus_globex',
    resellerId: 'ptn_alpha',
    lines: [line('prd_stor', 2, 1_250_000), line('prd_srv', 1, 2_000_000)],
  });
  const bravoLines = await w.post('Q1-BRAVO', {
    orderDate: '2017-03-15',
    customerId: 'cus_acme',
    resellerId: 'ptn_bravo',
    lines: [line('prd_stor', 3, 1_000_000), line('prd_srv', 2, 900_000)],
  });
  await w.post('Q1-BRAVO-RETURN', {
    orderDate: '2017-04-10',
    customerId: 'cus_acme',
    resellerId: 'ptn_bravo',
    lines: [{ ...line('prd_stor', -1, 1_000_000), returnsLineId: bravoLines[0] }],
  });
  await w.post('Q1-X3', {
    orderDate: '2017-03-05',
    customerId: 'cus_acme',
    resellerId: 'ptn_x3',
    lines: [line('prd_stor', 4, 1_500_000), line('prd_srv', 1, 3_000_000)],
  });
  await w.post('Q1-X1', {
    orderDate: '2017-04-28',
    customerId: 'cus_globex',
    resellerId: 'ptn_x1',
    lines: [line('prd_srv', 5, 800_000)],
  });
  return { bravoLines };
}

/** After the first close: a late return, a tier upgrade found only by the re-close. */
async function afterTheClose(w: World, bravoLines: string[]): Promise<void> {
  await w.post('Q1-BRAVO-LATE-RETURN', {
    orderDate: '2017-04-29',
    customerId: 'cus_acme',
    resellerId: 'ptn_bravo',
    lines: [{ productId: 'prd_srv', quantity: -1, unitPriceMinor: 900_000, returnsLineId: bravoLines[1] }],
  });
  await w.member('mbr_x1_g', 'ptn_x1', 'gold', '2017-04-01', null);
}

describe('TRELLIS_CLOSE_SHARDS', () => {
  it('is the shards a close runs in when it does not say: 1..16, 1 by default', () => {
    expect(loadConfig({}).closeShards).toBe(1);
    expect(loadConfig({ TRELLIS_CLOSE_SHARDS: '4' }).closeShards).toBe(4);
    for (const bad of ['0', '17', 'two'])
      expect(() => loadConfig({ TRELLIS_CLOSE_SHARDS: bad })).toThrow(/TRELLIS_CLOSE_SHARDS/);
  });
});

describe('the shard rule spreads the test partners', () => {
  it('over three shards', () => {
    expect(new Set(['ptn_alpha', 'ptn_dist', ...EXTRA].map((p) => shardOfPartner(p, 3)))).toEqual(
      new Set([0, 1, 2]),
    );
  });
});

for (const where of WHERES) {
  describe(`a close in shards on ${where}`, () => {
    const worlds: World[] = [];
    beforeAll(async () => {
      worlds.push(await openWorld(where), await openWorld(where));
    }, 60_000);
    afterAll(async () => {
      for (const w of worlds) await w.cleanup();
    });

    it('writes what a close in one shard writes: ledger, statements, result; first close and re-close', async () => {
      const [one, three] = worlds as [World, World];
      const ofOne = await firstQuarter(one);
      const ofThree = await firstQuarter(three);

      // A dry run in shards reports what the close in one shard would do.
      expect(resultOf(await close(three, 3, true))).toEqual(resultOf(await close(one, 1, true)));

      const first = [await close(one, 1), await close(three, 3)];
      expect(first[0]!.reconciled).toBe(true);
      expect(first[0]!.transactions).toBeGreaterThan(0);
      expect(resultOf(first[1]!)).toEqual(resultOf(first[0]!));
      expect(await booksOf(three)).toEqual(await booksOf(one));

      await afterTheClose(one, ofOne.bravoLines);
      await afterTheClose(three, ofThree.bravoLines);
      const again = [await close(one, 1), await close(three, 3)];
      expect(again[0]!.transactions).toBeGreaterThan(0);
      expect(resultOf(again[1]!)).toEqual(resultOf(again[0]!));
      expect(await booksOf(three)).toEqual(await booksOf(one));

      // Nothing left: a re-close in shards after one in one shard, and the other way round, posts nothing.
      const unchanged = [await close(one, 3), await close(three, 1)];
      expect(unchanged.map((r) => r.transactions)).toEqual([0, 0]);
      expect(resultOf(unchanged[1]!)).toEqual(resultOf(unchanged[0]!));
      expect(await booksOf(three)).toEqual(await booksOf(one));
    }, 60_000);

    it('refuses a shard count out of range, before any work', async () => {
      const w = worlds[0] as World;
      for (const n of [0, 17, 1.5, Number.NaN])
        await expect(close(w, n, true)).rejects.toMatchObject({ code: 'invalid_input' });
      for (const shards of [0, 17, 1.5, '2']) {
        const res = await w.admin('POST', '/api/closes', {
          program: PROGRAM,
          period: PERIOD,
          dryRun: true,
          shards,
        });
        expect(res.status, res.text).toBe(400);
      }
    });

    it('runs in the shards the API says, as a job, with the same result', async () => {
      const w = worlds[0] as World;
      const res = await viaJob(w.admin, 'POST', '/api/closes', {
        program: PROGRAM,
        period: PERIOD,
        dryRun: true,
        shards: 2,
      });
      expect(res.status, res.text).toBe(200);
      expect(res.job?.input).toMatchObject({ shards: 2 });
      expect(res.body).toEqual(JSON.parse(JSON.stringify(await close(w, 1, true))));
    }, 60_000);
  });
}

if (STORE_KINDS.includes('postgres'))
  describe('a shard reads the close snapshot (postgres)', () => {
    it('not an order committed by another connection after the close started', async () => {
      const w = await openWorld('postgres');
      try {
        await firstQuarter(w);
        const scope = { kind: 'vendor' as const, vendorId: w.vendorId, regions: [] };
        const r = await resolvePeriod(w.ctx, scope, PROGRAM, PERIOD);
        // (A snapshot lives as long as the transaction that exports it.)
        const linesOf = () =>
          w.store.db
            .transaction()
            .execute(
              async (trx) => mergeShardPlans(await planInShards(w.store, trx, r, 2, null)).lines.length,
            );
        const before = await linesOf();
        let seen = -1;
        await w.store.db.transaction().execute(async (trx) => {
          // The close's transaction, its program lock (which an order's intake must not wait for: its
          // accrual references the program) and its snapshot.
          await settlementRepository(trx).lockProgram(w.vendorId, w.programId);
          const snapshot = await exportSnapshot(w.store, trx);
          expect(snapshot).toMatch(/^[0-9A-F-]+$/i);
          // Another connection commits an order of the period now: the shards must not see it.
          await w.post('Q1-LATE', {
            orderDate: '2017-04-20',
            customerId: 'cus_acme',
            resellerId: 'ptn_dist',
            lines: [{ productId: 'prd_stor', quantity: 1, unitPriceMinor: 1_000_000 }],
          });
          seen = mergeShardPlans(await planOnSnapshot(w.store, snapshot, r, 2, null)).lines.length;
        });
        expect(seen).toBe(before);
        expect(await linesOf()).toBe(before + 1);
      } finally {
        await w.cleanup();
      }
    }, 60_000);
  });

if (STORE_KINDS.includes('sqlite'))
  describe('a shard reads the last commit while the close holds the write lock (sqlite)', () => {
    it("neither the close's own writes nor another connection's", async () => {
      const w = await openWorld('sqlite-file');
      // Another connection, which waits for no lock.
      const other = openSqliteHandle((w.store.target as { file: string }).file, { busyTimeoutMs: 0 });
      try {
        await firstQuarter(w);
        const scope = { kind: 'vendor' as const, vendorId: w.vendorId, regions: [] };
        const r = await resolvePeriod(w.ctx, scope, PROGRAM, PERIOD);
        const linesIn = async (trx: typeof w.store.db) =>
          mergeShardPlans(await planInShards(w.store, trx, r, 2, null)).lines.length;
        const before = await w.store.db.transaction().execute(linesIn);
        expect(before).toBeGreaterThan(0);
        let seen = -1;
        await expect(
          w.store.db.transaction().execute(async (trx) => {
            // The close's transaction holds the write lock: another connection cannot commit.
            expect(() => other.prepare('update order_lines set reseller_id = null').run()).toThrow(
              /busy|locked/i,
            );
            // Its own writes are not committed: the shards, on their own connections, do not see them.
            await trx
              .updateTable('orderLines')
              .set({ resellerId: null })
              .where('vendorId', '=', w.vendorId)
              .execute();
            // (A close runs shard 0 in its own transaction, before it writes anything; the others are on
            // connections of their own, as here.)
            seen = mergeShardPlans(await planOnSnapshot(w.store, null, r, 2, null)).lines.length;
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        expect(seen).toBe(before);
      } finally {
        other.close();
        await w.cleanup();
      }
    }, 60_000);
  });
