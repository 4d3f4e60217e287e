import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../../src/app/context.js';
import { closePeriod, type CloseResult } from '../../src/app/incentives/close-period.js';
import type { ShardQueueSettings } from '../../src/app/shards/settings.js';
import { sequentialIds } from '../../src/core/shared/ids.js';
import { openStore, type Store } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrator.js';
import { buildServer } from '../../src/server/app.js';
import { loadFixture } from './fixtures.js';
import { client, signIn } from './http.js';
import { openTestStore, STORE_KINDS, type StoreKind } from './stores.js';
import { addMembership } from './memberships.js';

/**
 * Worlds for the close in shards (test/db/close-shards.test.ts, test/db/shard-queue.test.ts): the same
 * Dell quarter in each store, a close of it, and the books (ledger, statements, closes) as content to
 * compare a close in shards with a close in one.
 */

export const PROGRAM = 'dell-emc-partner-program';
export const PERIOD = 'FY18-Q1';
// Two more Dell partners, so that three shards each have partners (alpha and bravo: 0, dist: 1, x3: 2).
export const EXTRA = ['ptn_x1', 'ptn_x3'];

/** Where a world lives: SQLite in memory (shards planned in the close's own connection), in a file
 * (shards on threads with their own connections), or PostgreSQL (threads on the exported snapshot). */
export type Where = 'sqlite-memory' | 'sqlite-file' | 'postgres';
export const WHERES: Where[] = STORE_KINDS.flatMap((k: StoreKind): Where[] =>
  k === 'sqlite' ? ['sqlite-memory', 'sqlite-file'] : ['postgres'],
);

export interface World {
  store: Store;
  /** PostgreSQL: the URL of the world's database (another process's connection to it). */
  url: string | null;
  ctx: AppContext;
  app: Awaited<ReturnType<typeof buildServer>>;
  admin: ReturnType<typeof client>;
  vendorId: string;
  programId: string;
  post(externalId: string, body: Record<string, unknown>): Promise<string[]>;
  member(id: string, partnerId: string, tier: string, from: string, to: string | null): Promise<unknown>;
  cleanup(): Promise<void>;
}

export async function openWorld(
  where: Where,
  /** `extra`: the extra Dell partners (default EXTRA), enrolled with the first of each two exclusive. */
  options: { shardQueue?: Partial<ShardQueueSettings>; extra?: readonly string[] } = {},
): Promise<World> {
  const extra = options.extra ?? EXTRA;
  let store: Store;
  let cleanupStore: () => Promise<void>;
  let url: string | null = null;
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
    url = t.url;
    cleanupStore = () => t.cleanup();
  }
  // The same ids in every world (the same calls in the same order), so that their books compare.
  const ctx = createContext(store, {
    ids: sequentialIds('w'),
    ...(options.shardQueue ? { shardQueue: options.shardQueue } : {}),
  });
  const app = await buildServer(ctx);
  const { dell } = await loadFixture(ctx);
  const db = store.db;
  await db
    .insertInto('partners')
    .values(
      extra.map((id) => ({
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
      extra.map((id, i) => ({
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
    url,
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
      addMembership(db, dell, id, partnerId, tierCode, validFrom, validTo),
    async cleanup() {
      await app.close();
      await cleanupStore();
    },
  };
}

export const SYSTEM = { kind: 'system' as const, id: 'test' };

export function close(w: World, shards: number, dryRun = false): Promise<CloseResult> {
  return closePeriod(
    w.ctx,
    { actor: SYSTEM, scope: { kind: 'vendor', vendorId: w.vendorId, regions: [] } },
    { program: PROGRAM, period: PERIOD, dryRun, shards },
  );
}

/** A close's result without what differs from one store to the other by construction (generated ids). */
export const resultOf = (r: CloseResult) => ({
  ...r,
  closeId: r.closeId === null ? null : 'closed',
  programId: 'program',
  versionId: 'version',
});

/** The ledger, the closes and the statements, as content (ids are generated, so left out). */
export async function booksOf(w: World) {
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
  ).map((c) => ({
    ...c,
    netMinor: Number(c.netMinor),
    totalMinor: Number(c.totalMinor),
    summary: withoutFactMark(c.summary),
  }));
  return { legs: rows, statements, closes };
}

/**
 * A close's summary without its fact mark (migration 0038): on PostgreSQL a snapshot and transaction id,
 * which differ from one database to another even when the books are the same.
 */
function withoutFactMark(summary: string): string {
  const parsed = JSON.parse(summary) as { ledgerMark?: { facts?: unknown } };
  if (parsed.ledgerMark) delete parsed.ledgerMark.facts;
  return JSON.stringify(parsed);
}

/** The same world in each store: sales, new business, a return, tier changes; the close; then more. */
export async function firstQuarter(w: World): Promise<{ bravoLines: string[] }> {
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
export async function afterTheClose(w: World, bravoLines: string[]): Promise<void> {
  await w.post('Q1-BRAVO-LATE-RETURN', {
    orderDate: '2017-04-29',
    customerId: 'cus_acme',
    resellerId: 'ptn_bravo',
    lines: [{ productId: 'prd_srv', quantity: -1, unitPriceMinor: 900_000, returnsLineId: bravoLines[1] }],
  });
  await w.member('mbr_x1_g', 'ptn_x1', 'gold', '2017-04-01', null);
}
