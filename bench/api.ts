import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext } from '../src/app/context.js';
import { DEMO_PASSWORD, loadDemo } from '../src/app/demo/load-demo.js';
import { openAppStore } from '../src/app/store.js';
import type { DemoScale, DemoWorldOptions } from '../src/core/demo/index.js';
import type { StoreTarget } from '../src/db/connection.js';

/**
 * Every GET route of the OpenAPI document as every demo role, against the real server over the demo world.
 *
 * - builds the demo world (seed 1) into a SQLite file under .bench-data/api-<scale>/ (or, with --postgres
 *   URL or DATABASE_URL, into that empty PostgreSQL database); --reuse keeps a world loaded before (the
 *   server migrates it);
 * - closes the first quarter of the Dell program for real (so statements have records), unless closed;
 * - starts the server in its own process (bench/api/server.ts) on 127.0.0.1, an ephemeral port;
 * - signs in as every demo account and calls, --repeat times each (default 20), one call at a time: every
 *   list with its default sort, and again with each filter (a value taken from the list's first page as
 *   that role), every detail of a record the role sees (the first of the matching list), the rest as is;
 *   a call slower than --timeout ms (default 30,000) is recorded at that time, its repetitions skipped and
 *   the server restarted (it may be stuck in a synchronous query);
 * - blocked_ms_max: while a vendor admin's close dry run of the second quarter runs (`POST /api/closes`,
 *   and its job polled if the route answers 202), `GET /api/health` is called every 5 ms; the longest
 *   answer.
 *
 * Reports p50/p99 per route and role (stderr, slowest first); the last line (--json) is
 * `{"bench":"api","scale":..,"routes":N,"calls":N,"p99_ms_max":..,"slowest":"<method path role>","blocked_ms_max":..}`.
 *
 *   npm run bench -- api [--scale small|medium|large] [--repeat N] [--timeout MS] [--reuse] [--postgres URL] [--json]
 */

export interface ApiBenchOptions {
  readonly scale: DemoScale;
  /** Override the scale's sizes (the smoke test). */
  readonly sizes?: DemoWorldOptions['sizes'];
  readonly repeat?: number;
  readonly timeoutMs?: number;
  /** PostgreSQL URL (an empty database, or one loaded by an earlier run with reuse); else SQLite. */
  readonly postgresUrl?: string | null;
  /** Where the SQLite world lives (default .bench-data/api-<scale>). */
  readonly dataDir?: string;
  /** Keep a world loaded by an earlier run. */
  readonly reuse?: boolean;
  readonly log?: (message: string) => void;
}

export interface ApiTiming {
  /** `GET /api/customers`, `GET /api/customers?country`, `GET /api/customers/{customerId}`. */
  readonly route: string;
  readonly role: string;
  readonly calls: number;
  readonly p50: number;
  readonly p99: number;
  readonly statuses: readonly number[];
  readonly timedOut: boolean;
}

export interface ApiBenchOutcome {
  readonly result: Record<string, unknown>;
  /** Slowest first. */
  readonly timings: readonly ApiTiming[];
}

interface Operation {
  path: string;
  pathParams: string[];
  query: { name: string; required: boolean; enum?: string[] }[];
  list: boolean;
}

interface Account {
  email: string;
  role: string;
}

interface Session {
  account: Account;
  cookie: string;
  csrf: string;
}

type Json = Record<string, unknown>;

/** The list that holds the records a path parameter names. */
const LIST_OF_PARAM: Record<string, string> = {
  vendorId: '/api/vendors',
  programId: '/api/programs',
  partnerId: '/api/partners',
  productId: '/api/products',
  customerId: '/api/customers',
  orderId: '/api/orders',
  closeId: '/api/closes',
  statementId: '/api/statements',
  disputeId: '/api/disputes',
  tokenId: '/api/tokens',
  dealId: '/api/deals',
  flagId: '/api/deal-flags',
};

/** Fields of a list item that give a filter's value. */
const FILTER_FIELDS: Record<string, readonly string[]> = {
  vendor: ['vendorId'],
  program: ['programId'],
  partner: ['partnerId', 'resellerId'],
  person: ['personId'],
  reseller: ['resellerId'],
  distributor: ['distributorId'],
  customer: ['customerId'],
  statement: ['statementId'],
  actor: ['actorId', 'actor'],
};

/** Filter values that no list item gives. */
const FILTER_CONSTANTS: Record<string, string> = {
  from: '2017-06-01',
  to: '2017-06-30',
  expiringBefore: '2018-03-01',
  withinDays: '365',
  asOf: '2017-11-01',
  addFamily: 'servers',
  addAmountMinor: '10000000',
};

const PAGE_PARAMS = new Set(['limit', 'cursor', 'sort', 'direction']);

function operationsOf(doc: { paths: Record<string, Record<string, Json>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const get = item.get as {
      parameters?: { in: string; name: string; required?: boolean; schema?: Json }[];
    };
    if (!get) continue;
    const params = get.parameters ?? [];
    const query = params
      .filter((p) => p.in === 'query')
      .map((p) => ({
        name: p.name,
        required: p.required === true,
        ...(Array.isArray(p.schema?.enum) ? { enum: p.schema.enum as string[] } : {}),
      }));
    ops.push({
      path,
      pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
      query,
      list: query.some((q) => q.name === 'cursor'),
    });
  }
  return ops;
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round1 = (x: number) => Math.round(x * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The server in its own process; restartable when a call leaves it stuck. */
class ServerProcess {
  private child: ChildProcess | null = null;
  base = '';
  constructor(private readonly target: StoreTarget) {}

  async start(): Promise<void> {
    const child = fork(join(import.meta.dirname, 'api', 'server.ts'), [JSON.stringify(this.target)], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    this.child = child;
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m) => resolve((m as { port: number }).port));
      child.once('exit', (code) => reject(new Error(`the bench server exited (${String(code)})`)));
    });
    this.base = `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    this.child = null;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

export async function runApiBench(options: ApiBenchOptions): Promise<ApiBenchOutcome> {
  const log = options.log ?? ((m: string) => process.stderr.write(`api: ${m}\n`));
  const repeat = options.repeat ?? 20;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const dir = options.dataDir ?? join(process.cwd(), '.bench-data', `api-${options.scale}`);
  // TRELLIS_SQLITE_THREAD=worker: the server runs SQLite on a worker thread (the world loads on the main one).
  const thread = process.env.TRELLIS_SQLITE_THREAD === 'worker' ? 'worker' : 'main';
  const target: StoreTarget = options.postgresUrl
    ? { kind: 'postgres', url: options.postgresUrl }
    : { kind: 'sqlite', file: join(dir, 'trellis.db'), thread };
  const summaryFile = join(dir, 'summary.json');

  // 1. The world.
  let accounts: Account[];
  {
    if (!options.reuse && target.kind === 'sqlite') rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const store = await openAppStore(target.kind === 'sqlite' ? { ...target, thread: 'main' } : target);
    try {
      const ctx = createContext(store);
      if ((await ctx.repos.vendors.count()) > 0 && options.reuse && existsSync(summaryFile)) {
        accounts = JSON.parse(readFileSync(summaryFile, 'utf8')) as Account[];
        log(`reusing the demo world in ${store.location}`);
      } else {
        log(`loading the ${options.scale} demo world into ${store.location}`);
        let phase = '';
        const summary = await loadDemo(ctx, {
          scale: options.scale,
          seed: 1,
          ...(options.sizes ? { sizes: options.sizes } : {}),
          onProgress: (p) => {
            if (p.phase !== phase) log(`  ${(phase = p.phase)}`);
          },
        });
        accounts = summary.signIns.map((s) => ({ email: s.email, role: s.role }));
        writeFileSync(summaryFile, JSON.stringify(accounts));
        log(`loaded in ${summary.seconds.toFixed(1)} s: ${summary.orderLines} order lines`);
      }
    } finally {
      await store.close();
    }
  }

  const server = new ServerProcess(target);
  await server.start();
  try {
    const call = async (
      session: Session | null,
      method: string,
      url: string,
      body?: unknown,
      timeout = timeoutMs,
    ) => {
      const headers: Record<string, string> = {};
      if (session) headers.cookie = session.cookie;
      if (body !== undefined) {
        headers['content-type'] = 'application/json';
        if (session) headers['x-csrf-token'] = session.csrf;
      }
      const res = await fetch(`${server.base}${url}`, {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(timeout),
      });
      const text = await res.text();
      return { res, text };
    };
    const json = (text: string): Json => {
      try {
        return JSON.parse(text) as Json;
      } catch {
        return {};
      }
    };
    const signIn = async (account: Account): Promise<Session> => {
      const { res, text } = await call(null, 'POST', '/api/auth/sign-in', {
        email: account.email,
        password: DEMO_PASSWORD,
      });
      if (res.status !== 200) throw new Error(`sign-in of ${account.email}: ${res.status} ${text}`);
      const cookie = res.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ');
      return { account, cookie, csrf: String(json(text).csrfToken) };
    };

    // A route that starts a background job answers 202 and its Location: follow the job until it ends.
    const followJob = async (res: Response, text: string): Promise<string> => {
      if (res.status !== 202) return res.status < 300 ? 'succeeded' : `answered ${res.status}`;
      const body = json(text);
      const location =
        res.headers.get('location') ?? (typeof body.id === 'string' ? `/api/jobs/${body.id}` : undefined);
      if (!location) return 'a 202 without a job';
      for (;;) {
        const job = json((await call(admin, 'GET', location)).text);
        const status = String(job.status);
        if (!['queued', 'running'].includes(status)) return status;
        await sleep(50);
      }
    };

    // 2. A closed quarter, so that statements and their lines have records.
    const vendorAdmin = accounts.find((a) => a.role === 'vendor-admin');
    if (!vendorAdmin) throw new Error('no vendor admin among the demo accounts');
    const admin = await signIn(vendorAdmin);
    const program = 'dell-emc-partner-program';
    if (((json((await call(admin, 'GET', '/api/closes')).text).items as unknown[]) ?? []).length === 0) {
      const t0 = performance.now();
      const { res, text } = await call(admin, 'POST', '/api/closes', { program, period: 'FY18-Q1' }, 900_000);
      const outcome = await followJob(res, text);
      log(`closed FY18-Q1 (${res.status}, ${outcome}) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      if (outcome !== 'succeeded')
        throw new Error(`the close of FY18-Q1 ended ${outcome}: ${text.slice(0, 200)}`);
    }

    // 3. What to call, per account.
    const doc = json((await call(null, 'GET', '/api/openapi.json')).text) as {
      paths: Record<string, Record<string, Json>>;
    };
    const ops = operationsOf(doc);
    const sessions: Session[] = [];
    for (const a of accounts) sessions.push(await signIn(a));
    const plan = new Map<Session, { route: string; url: string }[]>();
    for (const session of sessions) {
      const firstPages = new Map<string, Json[]>();
      const firstPage = async (path: string): Promise<Json[]> => {
        let items = firstPages.get(path);
        if (!items) {
          try {
            const { res, text } = await call(session, 'GET', path);
            items = res.status === 200 ? ((json(text).items as Json[] | undefined) ?? []) : [];
          } catch (e) {
            if ((e as Error).name !== 'TimeoutError') throw e;
            log(`  ${path} as ${session.account.email}: no answer in ${timeoutMs} ms; restarting the server`);
            await server.stop();
            await server.start();
            items = [];
          }
          firstPages.set(path, items);
        }
        return items;
      };
      const valueOf = async (name: string, items: readonly Json[], en?: string[]) => {
        for (const field of FILTER_FIELDS[name] ?? [name]) {
          const hit = items.find((i) => i[field] !== null && i[field] !== undefined);
          if (hit) return String(hit[field]);
        }
        if (name === 'q') {
          const named = items.find((i) => typeof i.name === 'string');
          return named ? String(named.name).slice(0, 4).toLowerCase() : 'a';
        }
        if (name === 'program') return String((await firstPage('/api/programs'))[0]?.id ?? '');
        if (name === 'partner') return String((await firstPage('/api/partners'))[0]?.id ?? '');
        if (name === 'vendor') return String((await firstPage('/api/vendors'))[0]?.id ?? '');
        return FILTER_CONSTANTS[name] ?? en?.[0] ?? '';
      };
      const calls: { route: string; url: string }[] = [];
      for (const op of ops) {
        let path = op.path;
        let visible = true;
        for (const p of op.pathParams) {
          const list = LIST_OF_PARAM[p];
          const id = list ? (await firstPage(list))[0]?.id : undefined;
          if (id === undefined) visible = false;
          else path = path.replace(`{${p}}`, encodeURIComponent(String(id)));
        }
        if (!visible) continue;
        const required = new URLSearchParams();
        for (const q of op.query.filter((x) => x.required)) required.set(q.name, await valueOf(q.name, []));
        const withQuery = (extra: URLSearchParams) => {
          const s = extra.toString();
          return s ? `${path}?${s}` : path;
        };
        calls.push({ route: `GET ${op.path}`, url: withQuery(required) });
        if (!op.list) continue;
        const items = op.pathParams.length === 0 ? await firstPage(path) : [];
        for (const q of op.query) {
          if (PAGE_PARAMS.has(q.name) || q.required) continue;
          const params = new URLSearchParams(required);
          params.set(q.name, await valueOf(q.name, items, q.enum));
          calls.push({ route: `GET ${op.path}?${q.name}`, url: withQuery(params) });
        }
      }
      plan.set(session, calls);
    }

    // 4. The calls.
    const timings: ApiTiming[] = [];
    let total = 0;
    for (const [session, calls] of plan) {
      const t0 = performance.now();
      for (const c of calls) {
        const ms: number[] = [];
        const statuses = new Set<number>();
        let timedOut = false;
        for (let i = 0; i < repeat && !timedOut; i++) {
          const start = performance.now();
          try {
            const { res } = await call(session, 'GET', c.url);
            statuses.add(res.status);
            ms.push(performance.now() - start);
          } catch (e) {
            if ((e as Error).name !== 'TimeoutError') throw e;
            ms.push(performance.now() - start);
            timedOut = true;
            log(
              `  ${c.url} as ${session.account.email}: no answer in ${timeoutMs} ms; restarting the server`,
            );
            await server.stop();
            await server.start();
          }
        }
        total += ms.length;
        ms.sort((a, b) => a - b);
        timings.push({
          route: c.route,
          role: session.account.email,
          calls: ms.length,
          p50: round1(percentile(ms, 50)),
          p99: round1(percentile(ms, 99)),
          statuses: [...statuses].sort(),
          timedOut,
        });
      }
      log(
        `${session.account.email} (${session.account.role}): ${calls.length} calls x ${repeat} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
    }
    timings.sort((a, b) => b.p99 - a.p99);

    // 5. How long health waits while a close dry run runs.
    let blocked = 0;
    {
      let done = false;
      const dryRun = (async () => {
        const t0 = performance.now();
        const { res, text } = await call(
          admin,
          'POST',
          '/api/closes',
          {
            program,
            period: 'FY18-Q2',
            dryRun: true,
          },
          900_000,
        );
        const outcome = await followJob(res, text);
        if (outcome !== 'succeeded') log(`close dry run ended ${outcome}: ${text.slice(0, 200)}`);
        log(
          `close dry run of FY18-Q2 (${res.status}, ${outcome}) took ${((performance.now() - t0) / 1000).toFixed(1)} s`,
        );
        done = true;
      })();
      let polls = 0;
      while (!done) {
        const start = performance.now();
        await call(null, 'GET', '/api/health', undefined, 900_000);
        blocked = Math.max(blocked, performance.now() - start);
        polls++;
        await sleep(5);
      }
      await dryRun;
      log(`health polled ${polls} times during the dry run`);
    }

    // Every route and role's figures, for comparing runs (BENCHMARKS.md).
    writeFileSync(join(dir, 'timings.json'), `${JSON.stringify(timings, null, 1)}\n`);
    const over = timings.filter((t) => t.p99 >= 100);
    const slowest = timings[0];
    log('slowest (p50 / p99 ms, statuses):');
    for (const t of timings.slice(0, 40))
      log(
        `  ${t.route.padEnd(48)} ${t.role.padEnd(26)} ${String(t.p50).padStart(8)} ${String(t.p99).padStart(8)}  ${t.statuses.join(',')}${t.timedOut ? ' TIMED OUT' : ''}`,
      );
    const failing = timings.filter((t) => t.statuses.some((s) => s >= 500));
    if (failing.length > 0) log(`5xx answers: ${failing.map((t) => `${t.route} ${t.role}`).join('; ')}`);
    return {
      result: {
        scale: options.scale,
        routes: new Set(timings.map((t) => t.route.split('?')[0])).size,
        calls: total,
        p99_ms_max: slowest?.p99 ?? 0,
        slowest: slowest ? `${slowest.route} ${slowest.role}` : '',
        blocked_ms_max: round1(blocked),
        store: target.kind,
        variants: timings.length,
        over_100ms: over.length,
        timeouts: timings.filter((t) => t.timedOut).length,
      },
      timings,
    };
  } finally {
    await server.stop();
  }
}

export async function apiBench(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
  };
  const { result } = await runApiBench({
    scale: opt('--scale', 'medium') as DemoScale,
    repeat: Number(opt('--repeat', '20')),
    timeoutMs: Number(opt('--timeout', '30000')),
    postgresUrl: opt('--postgres', process.env.DATABASE_URL ?? '') || null,
    reuse: args.includes('--reuse'),
  });
  return result;
}
