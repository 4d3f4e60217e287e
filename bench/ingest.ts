import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest, Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { createContext } from '../src/app/context.js';
import { loadDemo } from '../src/app/demo/load-demo.js';
import { importOrders } from '../src/app/orders/import-orders.js';
import { openAppStore } from '../src/app/store.js';
import type { Store } from '../src/db/connection.js';
import { buildServer } from '../src/server/app.js';

/**
 * Order intake: orders posted through the HTTP API by concurrent clients, then a CSV import.
 *   npm run bench -- ingest [--seconds N] [--clients N] [--csv-lines N] [--json]
 *     [--skip-http] [--skip-csv] [--customer-index] [--wal-autocheckpoint PAGES]
 * The server runs in this process on a fresh embedded SQLite store holding the small demo world (Dell
 * and VMware programs, ~200 partners with tiers, 5,000 customers, 50,000 order lines); an API token with
 * orders:write is made through the API. The clients run on a worker thread (keep-alive HTTP), each posting
 * 3-line partner orders (accruals in the same transaction) one after another: orders/s and latency
 * percentiles over `--seconds` after a warm-up. Then a generated CSV of `--csv-lines` lines (default
 * 1,000,000: partner, sell-out and direct orders, 2% returns) is imported into the same store through the
 * import use case (what `trellis import orders` runs), timed without the file's generation.
 * `--customer-index` and `--wal-autocheckpoint` apply the schema and connection changes BENCHMARKS.md
 * discusses, to measure them; without them the store is exactly as shipped.
 * With TRELLIS_TEST_DATABASE_URL set, the same phases run again on PostgreSQL: the small demo is loaded
 * into a database of its own on that server (a unique name, dropped after), and the last line carries
 * `"postgres":{"orders_per_s":..,"p50_ms":..,"p99_ms":..,"csv_lines_per_s":..}` (`--skip-http` and
 * `--skip-csv` skip the phase on both stores).
 */
export async function ingestBench(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
  };
  const phases: Phases = {
    seconds: Number(opt('--seconds', '10')),
    warmup: Number(opt('--warmup', '2')),
    clients: Number(opt('--clients', '24')),
    csvLines: Number(opt('--csv-lines', '1000000')),
    http: !args.includes('--skip-http'),
    csv: !args.includes('--skip-csv'),
  };
  const checkpoint = opt('--wal-autocheckpoint', '');
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-ingest-'));
  // TRELLIS_SQLITE_THREAD=worker serves from a worker-thread SQLite connection (the demo world is loaded
  // on a main-thread one first, as `trellis demo load` does).
  const thread = process.env.TRELLIS_SQLITE_THREAD === 'worker' ? 'worker' : 'main';
  const file = join(dir, 'trellis.db');
  let out: Record<string, unknown>;
  let store = await openAppStore({ kind: 'sqlite', file, thread: 'main' });
  try {
    await loadDemo(createContext(store), { scale: 'small', seed: 1 });
    if (args.includes('--customer-index'))
      store.sqlite?.exec(
        'create index order_lines_customer_ix on order_lines (vendor_id, customer_id, order_date)',
      );
    if (thread === 'worker') {
      await store.close();
      store = await openAppStore({ kind: 'sqlite', file, thread });
    }
    if (checkpoint) store.sqlite?.pragma(`wal_autocheckpoint = ${Number(checkpoint)}`);
    const { result, extra } = await runPhases(store, phases, dir);
    out = { ...result, ...extra, sqlite_thread: thread };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
  // The same phases on PostgreSQL: the small demo loaded into a database of its own on that server.
  const serverUrl = process.env.TRELLIS_TEST_DATABASE_URL;
  if (serverUrl) {
    const { result } = await onPostgres(serverUrl, phases);
    out.postgres = result;
  }
  return { ...out, rss_mb: Math.round(process.memoryUsage.rss() / 2 ** 20) };
}

export interface Phases {
  seconds: number;
  warmup: number;
  clients: number;
  csvLines: number;
  http: boolean;
  csv: boolean;
}

/** Creates a uniquely named database on the server, loads the small demo, runs the phases, drops it. */
async function onPostgres(serverUrl: string, phases: Phases) {
  const database = `trellis_bench_ingest_${process.pid}_${Date.now().toString(36)}`;
  const admin = async (text: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await admin(`create database "${database}"`);
  const dir = mkdtempSync(join(tmpdir(), 'trellis-bench-ingest-pg-'));
  try {
    const url = new URL(serverUrl);
    url.pathname = `/${database}`;
    const store = await openAppStore({ kind: 'postgres', url: url.toString() });
    try {
      await loadDemo(createContext(store), { scale: 'small', seed: 1 });
      return await runPhases(store, phases, dir);
    } finally {
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin(`drop database if exists "${database}" with (force)`);
  }
}

/** The HTTP phase, then the CSV phase, against a store holding the small demo. */
export async function runPhases(store: Store, phases: Phases, dir: string) {
  const ctx = createContext(store);
  const world = await benchWorld(store.db);
  const result: Record<string, unknown> = {};
  const extra: Record<string, unknown> = {};
  const { clients, seconds, warmup, csvLines } = phases;

  if (phases.http) {
    const app = await buildServer(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const token = await apiToken(port);
    const cpuBefore = mainThreadCpuMs();
    const http = await runClients({ port, token, clients, seconds, warmup, world });
    const cpuMs = mainThreadCpuMs() - cpuBefore;
    await app.close();
    Object.assign(result, {
      orders_per_s: Math.round(http.orders / http.seconds),
      p50_ms: round(percentile(http.latencies, 0.5)),
      p99_ms: round(percentile(http.latencies, 0.99)),
    });
    Object.assign(extra, {
      // The server thread's CPU per order (warm-up included): what bounds orders/s on one thread, and
      // steadier than orders/s on a shared machine. NaN where /proc is not available.
      server_cpu_ms_per_order: round(cpuMs / (http.posted || 1)),
      clients,
      seconds,
      orders: http.orders,
      errors: http.errors,
      max_ms: round(percentile(http.latencies, 1)),
    });
  }

  if (phases.csv) {
    const file = join(dir, 'orders.csv');
    await writeOrdersCsv(file, world, csvLines);
    const size = statSync(file).size;
    const started = performance.now();
    const outcome = await importOrders(
      ctx,
      { actor: { kind: 'system', id: 'bench' }, scope: { kind: 'system' } },
      createReadStream(file, { highWaterMark: 1 << 20 }),
      { vendor: 'dell', name: file, totalBytes: size },
    );
    const s = (performance.now() - started) / 1000;
    if (!outcome.ok) throw new Error(`the bench CSV did not import: ${outcome.message}`);
    result.csv_lines_per_s = Math.round(outcome.summary.rows / s);
    Object.assign(extra, {
      csv_lines: outcome.summary.rows,
      csv_orders: outcome.summary.orders.created,
      csv_ledger_transactions: outcome.summary.ledger.transactions,
      csv_ledger_entries: outcome.summary.ledger.entries,
      csv_seconds: round(s),
      csv_mib: round(size / 2 ** 20),
    });
  }
  return { result, extra };
}

const round = (x: number) => Number(x.toFixed(2));

/** CPU time (user + system) of this process's main thread so far, in ms (Linux: /proc; else NaN). */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the line (11 and 12 after the command), in clock ticks.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

export interface BenchWorld {
  vendorId: string;
  resellers: string[];
  customers: string[];
  products: { id: string; price: number }[];
  /** Distributor and a reseller it supplies, for sell-out rows. */
  supplies: { distributorId: string; resellerId: string }[];
}

export async function benchWorld(db: Store['db']): Promise<BenchWorld> {
  const vendor = await db
    .selectFrom('vendors')
    .select('id')
    .where('slug', '=', 'dell')
    .executeTakeFirstOrThrow();
  const resellers = await db
    .selectFrom('enrolments as e')
    .innerJoin('partners as p', 'p.id', 'e.partnerId')
    .select('p.id')
    .where('e.vendorId', '=', vendor.id)
    .where('e.status', '!=', 'terminated')
    .where('p.kind', '=', 'reseller')
    .execute();
  const customers = await db.selectFrom('customers').select('id').where('vendorId', '=', vendor.id).execute();
  const products = await db
    .selectFrom('products')
    .select(['id', 'listPriceMinor'])
    .where('vendorId', '=', vendor.id)
    .where('currency', '=', 'USD')
    .execute();
  const supplies = await db
    .selectFrom('supplyRelationships as s')
    .innerJoin('enrolments as e', (j) =>
      j.onRef('e.partnerId', '=', 's.resellerId').onRef('e.vendorId', '=', 's.vendorId'),
    )
    .innerJoin('enrolments as d', (j) =>
      j.onRef('d.partnerId', '=', 's.distributorId').onRef('d.vendorId', '=', 's.vendorId'),
    )
    .select(['s.distributorId', 's.resellerId'])
    .where('s.vendorId', '=', vendor.id)
    .where('e.status', '!=', 'terminated')
    .where('d.status', '!=', 'terminated')
    .execute();
  return {
    vendorId: vendor.id,
    resellers: resellers.map((r) => r.id),
    customers: customers.map((c) => c.id),
    products: products.map((p) => ({ id: p.id, price: p.listPriceMinor })),
    supplies,
  };
}

function call(
  port: number,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: new Agent({ keepAlive: false }),
        headers: { ...(data ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, headers: res.headers }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Signs in as the demo's Dell admin and creates an API token with the orders:write scope. */
async function apiToken(port: number): Promise<string> {
  const signIn = await call(port, 'POST', '/api/auth/sign-in', {
    email: 'admin@dell.demo',
    password: 'trellis-demo',
  });
  if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${signIn.body}`);
  const cookies = ([] as string[]).concat(signIn.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]);
  const csrf = (JSON.parse(signIn.body) as { csrfToken: string }).csrfToken;
  const created = await call(
    port,
    'POST',
    '/api/tokens',
    { name: 'bench', scopes: ['orders:write'] },
    { cookie: cookies.join('; '), 'x-csrf-token': csrf },
  );
  if (created.status !== 201) throw new Error(`token creation failed: ${created.status} ${created.body}`);
  return (JSON.parse(created.body) as { token: string }).token;
}

/** The load generator, run on a worker thread so it does not share the server's event loop. */
const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const http = require('node:http');
const { port, token, clients, seconds, warmup, world } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
let seed = 12345;
const rnd = (n) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
const start = Date.now();
const from = Date.UTC(2017, 1, 1);
let n = 0;
const latencies = [];
let counted = 0, errors = 0, firstError = '', posted = 0;
let measureStart = 0, measureEnd = 0;
function body(i) {
  const day = new Date(from + rnd(360) * 86400000).toISOString().slice(0, 10);
  const lines = [];
  for (let l = 0; l < 3; l++) {
    const p = world.products[rnd(world.products.length)];
    lines.push({ productId: p.id, quantity: 1 + rnd(5), unitPriceMinor: p.price });
  }
  return JSON.stringify({
    source: 'bench', externalId: 'B-' + i, orderDate: day, currency: 'USD',
    customerId: world.customers[rnd(world.customers.length)], channel: 'partner',
    resellerId: world.resellers[rnd(world.resellers.length)], lines,
  });
}
function post(data) {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/orders', agent,
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + token, 'content-length': Buffer.byteLength(data) } },
      (res) => { let t = ''; res.setEncoding('utf8'); res.on('data', (c) => (t += c)); res.on('end', () => resolve([res.statusCode, t])); });
    req.on('error', (e) => resolve([0, String(e)]));
    req.end(data);
  });
}
async function client() {
  for (;;) {
    const now = Date.now();
    if (now - start > (warmup + seconds) * 1000) return;
    const data = body(n++);
    const t0 = performance.now();
    const [status, text] = await post(data);
    posted++;
    const ms = performance.now() - t0;
    const t1 = Date.now();
    if (t1 - start >= warmup * 1000 && t1 - start <= (warmup + seconds) * 1000) {
      if (measureStart === 0) measureStart = t1;
      measureEnd = t1;
      if (status === 201) { latencies.push(ms); counted++; } else { errors++; if (!firstError) firstError = status + ' ' + text.slice(0, 300); }
    }
  }
}
Promise.all(Array.from({ length: clients }, client)).then(() => {
  agent.destroy();
  parentPort.postMessage({ latencies: Float64Array.from(latencies).sort(), orders: counted, posted, errors, firstError, seconds: (measureEnd - measureStart) / 1000 });
});
`;

function runClients(workerData: {
  port: number;
  token: string;
  clients: number;
  seconds: number;
  warmup: number;
  world: BenchWorld;
}): Promise<{ latencies: Float64Array; orders: number; posted: number; errors: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT_SOURCE, { eval: true, workerData });
    worker.once(
      'message',
      (m: {
        latencies: Float64Array;
        orders: number;
        posted: number;
        errors: number;
        firstError: string;
        seconds: number;
      }) => {
        if (m.errors > 0)
          process.stderr.write(`ingest bench: ${m.errors} failed posts, first: ${m.firstError}\n`);
        resolve(m);
      },
    );
    worker.once('error', reject);
  });
}

/**
 * Writes an order CSV of about `lines` lines for the bench world (deterministic): orders of 1-5 lines in
 * the FY18 program year, 10% direct, 75% through a reseller, 15% distributor sell-out, and about 2% of
 * orders returning a line of an earlier partner order of the file (by returns_external_id and returns_line_no).
 */
export function writeOrdersCsv(file: string, world: BenchWorld, lines: number, seed = 7): Promise<number> {
  let state = seed;
  const rnd = (n: number) => {
    state = (Math.imul(state, 1103515245) + 12345) & 0x7fffffff;
    return state % n;
  };
  const from = Date.UTC(2017, 1, 1);
  const days = Array.from({ length: 365 }, (_, i) =>
    new Date(from + i * 86_400_000).toISOString().slice(0, 10),
  );
  const out = createWriteStream(file);
  out.write(
    'source,external_id,order_date,currency,customer_id,end_user_name,channel,reseller_id,distributor_id,product_id,quantity,unit_price,returns_external_id,returns_line_no\n',
  );
  const sold: {
    id: string;
    day: string;
    customer: string;
    channel: string;
    reseller: string;
    distributor: string;
    product: string;
    price: string;
    qty: number;
  }[] = [];
  let written = 0;
  let orders = 0;
  let buffer = '';
  const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
  while (written < lines) {
    orders++;
    const id = `SO-${orders}`;
    if (sold.length > 100 && rnd(50) === 0) {
      // A credit note for one unit of the first line of an earlier order, after its sale.
      const at = rnd(sold.length);
      const o = sold[at]!;
      const day = days[Math.min(364, days.indexOf(o.day) + 1 + rnd(20))]!;
      buffer += `bench,${id},${day},USD,${o.customer},,${o.channel},${o.reseller},${o.distributor},${o.product},-1,${o.price},${o.id},1\n`;
      written++;
      if (--o.qty === 0) sold.splice(at, 1);
      continue;
    }
    const day = days[rnd(360)]!;
    const customer = world.customers[rnd(world.customers.length)]!;
    const kind = rnd(20);
    let channel = 'partner';
    let reseller = world.resellers[rnd(world.resellers.length)]!;
    let distributor = '';
    if (kind < 2) {
      channel = 'direct';
      reseller = '';
    } else if (kind < 5 && world.supplies.length > 0) {
      const s = world.supplies[rnd(world.supplies.length)]!;
      channel = 'distributor';
      reseller = s.resellerId;
      distributor = s.distributorId;
    }
    const n = 1 + rnd(5);
    for (let l = 0; l < n; l++) {
      const p = world.products[rnd(world.products.length)]!;
      const qty = 1 + rnd(4);
      const price = money(p.price);
      // Only partner orders are returned: a direct order may be routed to a partner and not stored as it is.
      if (l === 0 && channel !== 'direct' && sold.length < 100_000)
        sold.push({ id, day, customer, channel, reseller, distributor, product: p.id, price, qty });
      buffer += `bench,${id},${day},USD,${customer},,${channel},${reseller},${distributor},${p.id},${qty},${price},,\n`;
      written++;
    }
    if (buffer.length > 1 << 20) {
      out.write(buffer);
      buffer = '';
    }
  }
  out.write(buffer);
  return new Promise((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve(written))));
}
