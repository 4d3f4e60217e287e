import { hash as digestOf } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createContext, type AppContext } from '../src/app/context.js';
import { loadDemo } from '../src/app/demo/load-demo.js';
import { namedAccountOf } from '../src/app/engagement/named-accounts.js';
import { rosterStatsChanged } from '../src/app/engagement/roster.js';
import { decideDirectOrder, type DirectOrderToRoute } from '../src/app/engagement/route-order.js';
import { keepCoverage, type OrderForCoverage } from '../src/app/engagement/upkeep.js';
import { openAppStore } from '../src/app/store.js';
import { customerName } from '../src/core/demo/names.js';
import type { DemoScale } from '../src/core/demo/index.js';
import { regionOf } from '../src/core/model/geography.js';
import { canonicalOrder, type OrderInput } from '../src/core/orders/order-input.js';
import { addDays } from '../src/core/programs/dates.js';
import { seededRandom, type Random } from '../src/core/shared/random.js';
import { orderIntakeRepository } from '../src/db/repositories/order-intake-repository.js';

/**
 * `npm run bench -- routing [--scale small|medium|large] [--orders N] [--upkeep-orders N] [--seed N] [--json]`
 *
 * The rules of engagement on the demo world (default large; SQLite file, as `trellis demo` makes it):
 *
 * 1. Decision latency: N (default 100,000) direct orders of generated accounts — direct-named (customers
 *    under variants of the program's named accounts), channel-exclusive (accounts whose channel run covers
 *    the order day) and open (demo customers never sold through the channel, plus 5,000 new ones), half
 *    below the USD 250K threshold and half above — each decided by `decideDirectOrder` inside its own
 *    transaction, the path `ingestOrder` takes for a direct order once the order is checked: the program in
 *    force, the account's coverage (named match, channel run), its sellers, the candidate roster, the
 *    decision, and its writes (routed order, first offer, rotation counter). The time of the call is
 *    measured (the transaction's begin and end are not).
 *
 *    Each transaction is rolled back, so that every decision meets the same world: committed offers would
 *    pile up (nobody answers them in a bench) and soon put every partner at its limit of open offers, and
 *    decisions would then measure "no candidate" instead of a ranking. The roster's in-memory count of the
 *    offered partner's open offers is put back after the rollback (as an answer would), outside the timing.
 *    Named customers are matched once before the run (a customer's first direct order records its match).
 *
 * 2. Coverage upkeep: `--upkeep-orders` (default N / 5, at most 20,000) partner orders of 1-3 lines (a
 *    quarter through a distributor too) of existing customers, each given to `keepCoverage` alone, as the
 *    intake does for each stored order, in transactions of 1,000 orders that commit. Reported: the time in
 *    `keepCoverage` per order line.
 *
 * Last line with --json: `{"bench":"routing","orders":N,"p50_ms":..,"p99_ms":..,"coverage_update_us":..}`.
 */
export async function routingBench(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
  };
  const orders = Number(opt('--orders', '100000'));
  const { result } = await runRoutingBench({
    scale: opt('--scale', 'large') as DemoScale,
    orders,
    upkeepOrders: Number(opt('--upkeep-orders', String(Math.min(20_000, Math.ceil(orders / 5))))),
    seed: Number(opt('--seed', '1')),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  return result;
}

export interface RoutingBenchOptions {
  scale: DemoScale;
  orders: number;
  upkeepOrders: number;
  seed: number;
  /** Override the demo scale's sizes (tests). */
  sizes?: { partners?: number; customers?: number; orderLines?: number };
  log: (line: string) => void;
}

const DAY_MS = 86_400_000;

export async function runRoutingBench(options: RoutingBenchOptions): Promise<{
  result: { orders: number; p50_ms: number; p99_ms: number; coverage_update_us: number };
  detail: Record<string, unknown>;
}> {
  const { log } = options;
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-routing-'));
  const store = await openAppStore({ kind: 'sqlite', file: join(dir, 'trellis.db') });
  try {
    const ctx = createContext(store);
    const t0 = performance.now();
    const demo = await loadDemo(ctx, {
      scale: options.scale,
      seed: options.seed,
      now: new Date('2026-12-03T10:00:00.000Z'),
      ...(options.sizes ? { sizes: options.sizes } : {}),
    });
    log(
      `demo ${options.scale}: ${demo.partners} partners, ${demo.customers} customers, ${demo.orderLines} order lines, ` +
        `${demo.coverage.accounts} accounts covered, loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    const rng = seededRandom(options.seed * 7919 + 11);
    const world = await benchWorld(ctx, rng, options.orders);
    const decisions = await timeDecisions(ctx, world, rng, options.orders, log);
    const upkeep = await timeUpkeep(ctx, world, rng, options.upkeepOrders, log);
    return {
      result: {
        orders: options.orders,
        p50_ms: round3(decisions.p50),
        p99_ms: round3(decisions.p99),
        coverage_update_us: round3(upkeep.perLineUs),
      },
      detail: { ...decisions, ...upkeep },
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Account {
  id: string;
  name: string;
  domain: string | null;
  country: string;
  region: string;
  kind: 'named' | 'exclusive' | 'open';
  /** Days an order may fall on (inclusive). */
  from: string;
  to: string;
}

interface BenchWorld {
  vendorId: string;
  currency: string;
  published: Awaited<ReturnType<ReturnType<typeof orderIntakeRepository>['publishedVersions']>>;
  products: { id: string; family: string; listPriceMinor: number }[];
  accounts: { named: Account[]; exclusive: Account[]; open: Account[] };
  resellers: string[];
  distributors: string[];
  from: string;
  to: string;
}

async function benchWorld(ctx: AppContext, rng: Random, orders: number): Promise<BenchWorld> {
  const db = ctx.store.db;
  const vendor = await db
    .selectFrom('vendors')
    .select(['id', 'currency'])
    .where('slug', '=', 'dell')
    .executeTakeFirstOrThrow();
  const vendorId = vendor.id;
  const published = await orderIntakeRepository(db, ctx.store).publishedVersions(vendorId);
  const version = published[0];
  if (!version) throw new Error('no published Dell program');
  const from = version.effectiveFrom;
  const to = version.effectiveTo;
  const products = (
    await db
      .selectFrom('products')
      .select(['id', 'family', 'listPriceMinor'])
      .where('vendorId', '=', vendorId)
      .orderBy('id')
      .execute()
  ).map((p) => ({ ...p, listPriceMinor: Number(p.listPriceMinor) }));
  const now = ctx.clock.now().toISOString();
  const customer = (id: string, name: string, country: string) => ({
    id,
    vendorId,
    name,
    domain: null,
    country,
    region: regionOf(country) ?? 'na',
    segment: 'commercial',
    addressLine: null,
    city: null,
    postalCode: null,
    createdAt: now,
  });

  // Direct-named: customers under legal-form variants of the program's named accounts, matched once.
  const listed = await db
    .selectFrom('directNamedAccounts')
    .select(['name', 'country'])
    .where('vendorId', '=', vendorId)
    .where('status', '=', 'active')
    .orderBy('id')
    .execute();
  const named: Account[] = [];
  for (const [i, a] of listed.entries())
    for (const form of ['PLC', 'Inc.', 'Group']) {
      const row = customer(`cus_bench_named_${i}_${form.replace('.', '')}`, `${a.name} ${form}`, a.country);
      await db.insertInto('customers').values(row).execute();
      const match = await db
        .transaction()
        .execute((trx) => namedAccountOf(trx, ctx.store, vendorId, { ...row }, now));
      if (match) named.push({ ...row, kind: 'named', from, to });
    }

  // Channel-exclusive: accounts whose run covers a day of the program year.
  const covered = await db
    .selectFrom('accountCoverage as a')
    .innerJoin('customers as c', 'c.id', 'a.customerId')
    .select(['c.id', 'c.name', 'c.domain', 'c.country', 'c.region', 'a.channelSince', 'a.channelUntil'])
    .where('a.vendorId', '=', vendorId)
    .where('a.channelSince', '<=', to)
    .orderBy('c.id')
    .limit(Math.max(1_000, Math.min(50_000, orders)))
    .execute();
  const exclusive: Account[] = covered.map((c) => {
    const last = addDays(c.channelUntil, -1);
    return { ...c, kind: 'exclusive', from: c.channelSince, to: last < to ? last : to };
  });

  // Open: demo customers never sold through the channel, and new ones.
  const open: Account[] = (
    await db
      .selectFrom('customers as c')
      .select(['c.id', 'c.name', 'c.domain', 'c.country', 'c.region'])
      .where('c.vendorId', '=', vendorId)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('accountCoverage as a')
              .select('a.customerId')
              .where('a.vendorId', '=', vendorId)
              .whereRef('a.customerId', '=', 'c.id'),
          ),
        ),
      )
      .where('c.id', 'not like', 'cus_bench_%')
      .orderBy('c.id')
      .limit(20_000)
      .execute()
  ).map((c) => ({ ...c, kind: 'open' as const, from, to }));
  const countries = ['US', 'GB', 'DE', 'FR', 'CA', 'AU', 'JP', 'BR', 'IN', 'NL'];
  const fresh = [];
  for (let i = 0; i < 5_000; i++) {
    const country = countries[i % countries.length] as string;
    fresh.push(customer(`cus_bench_open_${i}`, customerName(rng, 'commercial', country, true).name, country));
  }
  for (let i = 0; i < fresh.length; i += 500)
    await db
      .insertInto('customers')
      .values(fresh.slice(i, i + 500))
      .execute();
  for (const f of fresh) open.push({ ...f, kind: 'open', from, to });

  const partners = await db
    .selectFrom('enrolments')
    .innerJoin('partners', 'partners.id', 'enrolments.partnerId')
    .select(['partners.id', 'partners.kind'])
    .where('enrolments.vendorId', '=', vendorId)
    .where('enrolments.status', '=', 'active')
    .orderBy('partners.id')
    .execute();
  return {
    vendorId,
    currency: vendor.currency,
    published,
    products,
    accounts: { named, exclusive, open },
    resellers: partners.filter((p) => p.kind !== 'distributor').map((p) => p.id),
    distributors: partners.filter((p) => p.kind === 'distributor').map((p) => p.id),
    from,
    to,
  };
}

function dayBetween(rng: Random, from: string, to: string): string {
  const a = Date.parse(`${from}T00:00:00Z`);
  const b = Date.parse(`${to}T00:00:00Z`);
  return new Date(a + rng.int(0, Math.max(0, Math.round((b - a) / DAY_MS))) * DAY_MS)
    .toISOString()
    .slice(0, 10);
}

function linesOf(rng: Random, world: BenchWorld, totalMinor: number) {
  const n = rng.int(1, 3);
  const per = Math.round(totalMinor / n);
  return Array.from({ length: n }, () => {
    const p = rng.pick(world.products);
    const quantity = Math.max(1, Math.round(per / Math.max(1, p.listPriceMinor)));
    return { product: p, quantity, unitPriceMinor: Math.max(1, Math.round(per / quantity)) };
  });
}

/** One generated direct order: 10% named, 45% channel-exclusive, 45% open; half below the threshold. */
function directOrder(rng: Random, world: BenchWorld, i: number, now: string): DirectOrderToRoute {
  const u = rng.next();
  const pool =
    u < 0.1 && world.accounts.named.length > 0
      ? world.accounts.named
      : u < 0.55 && world.accounts.exclusive.length > 0
        ? world.accounts.exclusive
        : world.accounts.open;
  const account = rng.pick(pool);
  const below = rng.chance(0.5);
  const total = below ? rng.int(5_000, 249_000) * 100 : rng.int(250_000, 2_000_000) * 100;
  const lines = linesOf(rng, world, total);
  const input: OrderInput = {
    source: 'bench-erp',
    externalId: `BENCH-${i}`,
    orderDate: dayBetween(rng, account.from, account.to),
    currency: world.currency,
    customerId: account.id,
    channel: 'direct',
    lines: lines.map((l) => ({
      productId: l.product.id,
      quantity: l.quantity,
      unitPriceMinor: l.unitPriceMinor,
    })),
  };
  return {
    vendorId: world.vendorId,
    input,
    currency: world.currency,
    hash: digestOf('sha256', canonicalOrder(input)),
    customer: {
      id: account.id,
      name: account.name,
      domain: account.domain,
      country: account.country,
      region: account.region,
    },
    lines: lines.map((l) => ({
      family: l.product.family,
      quantity: l.quantity,
      amountMinor: l.quantity * l.unitPriceMinor,
      returnsLineId: null,
    })),
    totalMinor: lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0),
    actorId: 'bench',
    now,
  };
}

class Rollback extends Error {}

async function timeDecisions(
  ctx: AppContext,
  world: BenchWorld,
  rng: Random,
  n: number,
  log: (l: string) => void,
) {
  const now = ctx.clock.now().toISOString();
  const warmup = Math.min(2_000, Math.ceil(n / 10));
  const ms: number[] = [];
  const outcomes: Record<string, number> = {};
  let candidates = 0;
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < warmup + n; i++) {
    const order = directOrder(rng, world, i, now);
    let took = 0;
    let offered: string | null = null;
    try {
      await ctx.store.db.transaction().execute(async (trx) => {
        const t = performance.now();
        const out = await decideDirectOrder(trx, ctx, world.published, order);
        took = performance.now() - t;
        if (i >= warmup && out) {
          outcomes[out.decision.reason] = (outcomes[out.decision.reason] ?? 0) + 1;
          candidates += out.decision.candidates.length;
        }
        offered = out?.offer?.partnerId ?? null;
        throw new Rollback();
      });
    } catch (e) {
      if (!(e instanceof Rollback)) throw e;
    }
    // The rolled-back offer leaves the roster's in-memory count of open offers as it was.
    if (offered !== null) rosterStatsChanged(ctx.store, world.vendorId, offered, { open: -1 });
    if (i >= warmup) ms.push(took);
  }
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuUs = (cpu.user + cpu.system) / (warmup + n);
  ms.sort((a, b) => a - b);
  const p = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))] ?? 0;
  const mean = ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length);
  log(
    `decisions: ${n} (after ${warmup} warm-up) p50 ${p(0.5).toFixed(3)} ms, p90 ${p(0.9).toFixed(3)} ms, ` +
      `p99 ${p(0.99).toFixed(3)} ms, max ${p(1).toFixed(2)} ms, mean ${mean.toFixed(3)} ms; ` +
      `${(n / wall).toFixed(0)} decisions/s with the transactions; ${(candidates / Math.max(1, n)).toFixed(2)} candidates per decision`,
  );
  log(`  by reason: ${JSON.stringify(outcomes)}`);
  log(`  CPU of this process per decision (order generated, transaction included): ${cpuUs.toFixed(0)} µs`);
  return { p50: p(0.5), p90: p(0.9), p99: p(0.99), max: p(1), mean, cpuUs, byReason: outcomes };
}

async function timeUpkeep(
  ctx: AppContext,
  world: BenchWorld,
  rng: Random,
  n: number,
  log: (l: string) => void,
) {
  const now = ctx.clock.now().toISOString();
  const customers = [...world.accounts.exclusive, ...world.accounts.open];
  const batch = 1_000;
  let lines = 0;
  let spent = 0;
  let id = 0;
  let cpuUs = 0;
  for (let done = 0; done < n; done += batch) {
    await ctx.store.db.transaction().execute(async (trx) => {
      for (let k = 0; k < Math.min(batch, n - done); k++) {
        const c = rng.pick(customers);
        const count = rng.int(1, 3);
        const families = new Set<string>();
        for (let j = 0; j < count; j++) families.add(rng.pick(world.products).family);
        lines += count;
        const order: OrderForCoverage = {
          id: `ord_bench_${++id}`,
          vendorId: world.vendorId,
          customerId: c.id,
          resellerId: rng.pick(world.resellers),
          distributorId:
            world.distributors.length > 0 && rng.chance(0.25) ? rng.pick(world.distributors) : null,
          orderDate: dayBetween(rng, world.from, world.to),
          families: [...families],
        };
        const c0 = process.cpuUsage();
        const t = performance.now();
        await keepCoverage(trx, ctx.store, ctx.ids, now, world.published, [order]);
        spent += performance.now() - t;
        const c1 = process.cpuUsage(c0);
        cpuUs += c1.user + c1.system;
      }
    });
  }
  const perLineUs = (spent * 1000) / Math.max(1, lines);
  log(
    `coverage upkeep: ${n} partner orders, ${lines} lines: ${perLineUs.toFixed(1)} µs per line, ` +
      `${((spent * 1000) / Math.max(1, n)).toFixed(1)} µs per order (CPU ${(cpuUs / Math.max(1, lines)).toFixed(1)} µs per line)`,
  );
  return {
    upkeepOrders: n,
    upkeepLines: lines,
    perLineUs,
    perLineCpuUs: cpuUs / Math.max(1, lines),
    perOrderUs: (spent * 1000) / Math.max(1, n),
  };
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
