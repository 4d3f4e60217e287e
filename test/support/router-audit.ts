import { appendFileSync } from 'node:fs';
import pg from 'pg';
import { MULTI_VENDOR } from '../../src/db/repositories/scoping.js';

/**
 * The router audit (issue 18): finds statements that Citus could not route to one node.
 *
 * In the partitioned test mode (TRELLIS_TEST_PARTITIONED=1) every distributed table is hash-partitioned by
 * vendor_id, and PostgreSQL prunes partitions from `vendor_id = <value>` and carries the value through
 * join equalities (`a.vendor_id = b.vendor_id`) as the Citus router planner does. So: every statement the
 * PostgreSQL client sends to an audited store's database is recorded (once per text and parameter shape);
 * when the store is cleaned up each is explained with its actual parameters, and a statement is flagged
 * when it pins a distributed table to one vendor (a partition, or `vendor_id` compared to a parameter in
 * its text) yet scans another distributed table on more than one partition: on Citus a repartition join
 * (refused by default) or a query fanned out to every node.
 *
 * A statement that pins no vendor at all (a job queue sweep, a partner's or a system job's read by another
 * key) fans out by design and passes, unless it joins two sides that each read a distributed table without
 * `a.vendor_id = b.vendor_id` across them: on Citus a repartition join, refused by default; flagged too.
 * A statement that reads several vendors on purpose carries the marker `/* trellis:multi-vendor <reason> *\/`
 * (see MULTI_VENDOR_MARKER) and is not flagged.
 */
export const MULTI_VENDOR_MARKER = MULTI_VENDOR;

export interface RouterFinding {
  /** The statement's first 200 characters. */
  statement: string;
  /** Distributed tables scanned on more than one partition, each with how many. */
  tables: { table: string; partitions: number }[];
  /** For a statement that pins no vendor: its joins of distributed tables without the vendor equality. */
  joins?: string[];
}

export interface RouterAuditStats {
  recorded: number;
  explained: number;
  pinned: number;
  unpinned: number;
  /** Statements that read no distributed table. */
  reference: number;
  allowed: number;
  failedToExplain: number;
  /** Milliseconds spent explaining. */
  ms: number;
  /** Statements seen, and milliseconds spent recording them. */
  seen: number;
  recordMs: number;
}

interface Recorded {
  text: string;
  values: unknown[];
}

/** Per audited database: statements not yet explained, keyed by text and parameter shape. */
const pending = new Map<string, Map<string, Recorded>>();
/** Per process: the verdict for each key already explained (a key recurs across the stores of a file). */
const verdicts = new Map<string, RouterFinding | 'ok' | 'unpinned' | 'error'>();
const auditClients = new WeakSet<object>();
export const stats: RouterAuditStats = {
  recorded: 0,
  explained: 0,
  pinned: 0,
  unpinned: 0,
  reference: 0,
  allowed: 0,
  failedToExplain: 0,
  ms: 0,
  seen: 0,
  recordMs: 0,
};

let installed = false;

/** Records the statements sent by every pg client of this process (test-only: patches pg.Client). */
export function installRouterAudit(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as {
    query: (this: pg.Client, config: unknown, values?: unknown, cb?: unknown) => unknown;
  };
  const original = proto.query;
  proto.query = function (this: pg.Client, config: unknown, values?: unknown, cb?: unknown) {
    const t0 = performance.now();
    try {
      record(this, config, values);
    } catch {
      // the audit never breaks a query
    }
    stats.seen++;
    stats.recordMs += performance.now() - t0;
    return original.call(this, config, values, cb);
  };
}

/** The database a store's URL names: each PostgreSQL test store is a database of its own. */
function databaseOf(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** Starts recording the statements sent to the store at `url`. */
export function auditDatabase(url: string): void {
  const database = databaseOf(url);
  if (!pending.has(database)) pending.set(database, new Map());
}

function record(client: pg.Client, config: unknown, values: unknown): void {
  if (pending.size === 0 || auditClients.has(client)) return;
  const database = (client as unknown as { connectionParameters?: { database?: string } })
    .connectionParameters?.database;
  if (!database) return;
  const statements = pending.get(database);
  if (!statements) return;
  let text: string;
  let params: unknown[];
  if (typeof config === 'string') {
    text = config;
    params = Array.isArray(values) ? values : [];
  } else if (config && typeof (config as { text?: unknown }).text === 'string') {
    text = (config as { text: string }).text;
    const v = (config as { values?: unknown }).values ?? values;
    params = Array.isArray(v) ? v : [];
  } else return;
  if (params.length === 0 || !auditable(text)) return;
  const key = `${text}\u0000${params.map(shape).join(',')}`;
  if (verdicts.has(key) || statements.has(key)) return;
  stats.recorded++;
  statements.set(key, { text, values: [...params] });
}

/** A read, update, delete or insert .. select (what the planner can send to several shards). */
function auditable(text: string): boolean {
  const head = text
    .replace(/^(\s|\/\*[\s\S]*?\*\/|--[^\n]*\n)+/, '')
    .slice(0, 12)
    .toLowerCase();
  if (
    head.startsWith('select') ||
    head.startsWith('with') ||
    head.startsWith('update') ||
    head.startsWith('delete')
  )
    return true;
  return head.startsWith('insert') && /\bselect\b/i.test(text);
}

/** What about a parameter can change the plan's partitions: null, an array of none, one or many, its type. */
function shape(v: unknown): string {
  if (v === null || v === undefined) return 'n';
  if (Array.isArray(v)) return `a${Math.min(v.length, 2)}`;
  return typeof v === 'object' ? 'o' : (typeof v)[0]!;
}

/** `vendor_id` compared to a parameter: the statement means to read one vendor. */
const VENDOR_PARAM = /vendor_id"?\s*(=|in\s*\(|=\s*any\s*\()\s*\$\d/i;

/**
 * Explains the statements recorded for the store at `url` since the last call (on a connection of its own, with
 * custom plans) and returns those that pin one vendor but scan a distributed table on several partitions.
 */
export async function explainRecorded(url: string): Promise<RouterFinding[]> {
  const database = databaseOf(url);
  const statements = pending.get(database);
  if (!statements || statements.size === 0) return [];
  pending.set(database, new Map());
  const started = performance.now();
  const client = new pg.Client({ connectionString: url });
  auditClients.add(client);
  await client.connect();
  const findings: RouterFinding[] = [];
  const unpinned: string[] = [];
  try {
    await client.query('set plan_cache_mode = force_custom_plan');
    const parents = new Map<string, string>(
      (
        await client.query<{ child: string; parent: string }>(
          `select c.relname as child, p.relname as parent
           from pg_inherits i join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
           where p.relkind = 'p' and p.relnamespace = current_schema()::regnamespace`,
        )
      ).rows.map((r) => [r.child, r.parent]),
    );
    for (const [key, { text, values }] of statements) {
      if (verdicts.has(key)) continue;
      if (text.includes(MULTI_VENDOR_MARKER)) {
        stats.allowed++;
        verdicts.set(key, 'ok');
        continue;
      }
      let plan: unknown;
      try {
        plan = (await client.query<{ 'QUERY PLAN': unknown }>(`explain (format json) ${text}`, values))
          .rows[0]?.['QUERY PLAN'];
      } catch {
        stats.failedToExplain++;
        verdicts.set(key, 'error');
        continue;
      }
      stats.explained++;
      const scanned = new Map<string, Set<string>>();
      walk(plan, (relation) => {
        const parent = parents.get(relation);
        if (!parent) return;
        const set = scanned.get(parent) ?? new Set<string>();
        set.add(relation);
        scanned.set(parent, set);
      });
      if (scanned.size === 0) {
        stats.reference++;
        verdicts.set(key, 'ok');
        continue;
      }
      const pinned = [...scanned.values()].some((s) => s.size === 1) || VENDOR_PARAM.test(text);
      if (!pinned) {
        stats.unpinned++;
        const joins = joinsOffVendor(plan, parents);
        const statement = text.replace(/\s+/g, ' ').trim().slice(0, 200);
        unpinned.push((joins.length > 0 ? `JOIN ${joins.join('; ')} :: ` : '') + statement);
        if (joins.length > 0) {
          const finding = { statement, tables: [], joins };
          verdicts.set(key, finding);
          findings.push(finding);
        } else verdicts.set(key, 'unpinned');
        continue;
      }
      stats.pinned++;
      const wide = [...scanned]
        .filter(([, s]) => s.size > 1)
        .map(([table, s]) => ({ table, partitions: s.size }))
        .sort((a, b) => a.table.localeCompare(b.table));
      if (wide.length === 0) {
        verdicts.set(key, 'ok');
        continue;
      }
      const finding = { statement: text.replace(/\s+/g, ' ').trim().slice(0, 200), tables: wide };
      verdicts.set(key, finding);
      findings.push(finding);
    }
  } finally {
    await client.end();
    stats.ms += Math.round(performance.now() - started);
  }
  const log = process.env.TRELLIS_ROUTER_AUDIT_LOG;
  if (log)
    appendFileSync(
      log,
      [...findings, ...unpinned.map((u) => ({ unpinned: u })), { database, pid: process.pid, stats }]
        .map((x) => JSON.stringify(x) + '\n')
        .join(''),
    );
  return findings;
}

const JOIN_NODES = new Set(['Nested Loop', 'Hash Join', 'Merge Join']);
const CONDITIONS = ['Hash Cond', 'Merge Cond', 'Join Filter', 'Index Cond', 'Filter', 'Recheck Cond'];

/**
 * The joins of a plan between two sides that each read a distributed table, with no `a.vendor_id =
 * b.vendor_id` across them (in the join's conditions, or a parameterized scan's under a nested loop): on
 * Citus, a repartition join. Each as its condition text.
 */
function joinsOffVendor(plan: unknown, parents: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  type Node = Record<string, unknown>;
  const children = (n: Node) =>
    ((n['Plans'] as Node[] | undefined) ?? []).filter(
      (c) => c['Parent Relationship'] !== 'SubPlan' && c['Parent Relationship'] !== 'InitPlan',
    );
  const aliases = (n: Node, acc: Set<string>): Set<string> => {
    const rel = n['Relation Name'];
    if (typeof rel === 'string' && parents.has(rel) && typeof n['Alias'] === 'string')
      acc.add(n['Alias'].replace(/_\d+$/, ''));
    for (const c of children(n)) aliases(c, acc);
    return acc;
  };
  const conditions = (n: Node, acc: string[]): string[] => {
    for (const k of CONDITIONS) if (typeof n[k] === 'string') acc.push(n[k]);
    for (const c of children(n)) conditions(c, acc);
    return acc;
  };
  const visit = (n: Node) => {
    const kids = children(n);
    if (JOIN_NODES.has(n['Node Type'] as string) && kids.length === 2) {
      const [outer, inner] = kids as [Node, Node];
      const left = aliases(outer, new Set());
      const right = aliases(inner, new Set());
      if (left.size > 0 && right.size > 0) {
        const texts = [
          ...CONDITIONS.slice(0, 3).flatMap((k) => (typeof n[k] === 'string' ? [n[k]] : [])),
          ...(n['Node Type'] === 'Nested Loop' ? conditions(inner, []) : []),
        ];
        const norm = (a: string) => a.replace(/_\d+$/, '');
        // A parameterized scan's own column is unqualified (`vendor_id = t.vendor_id`): the inner side.
        const colocated = texts.some((t) =>
          [...t.matchAll(/(?:\b(\w+)\.)?vendor_id = (?:\b(\w+)\.)?vendor_id/g)].some(([, a, b]) => {
            if (a === undefined || b === undefined) return left.has(norm(a ?? b ?? ''));
            const [x, y] = [norm(a), norm(b)];
            return (left.has(x) && right.has(y)) || (left.has(y) && right.has(x));
          }),
        );
        if (!colocated)
          out.push(`${[...left].join(',')} x ${[...right].join(',')} on ${texts.join(' and ') || '-'}`);
      }
    }
    for (const c of (n['Plans'] as Node[] | undefined) ?? []) visit(c);
  };
  for (const root of Array.isArray(plan) ? plan : [plan])
    if (root && typeof root === 'object') visit((root as Node)['Plan'] as Node);
  return out;
}

function walk(node: unknown, each: (relation: string) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, each);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (typeof o['Relation Name'] === 'string') each(o['Relation Name']);
  for (const [k, v] of Object.entries(o)) if (k === 'Plan' || k === 'Plans') walk(v, each);
}

/** The findings as a test failure's message: each statement and the tables it reads on every shard. */
export function describeFindings(findings: readonly RouterFinding[]): string {
  return [
    `${findings.length} statement(s) pin one vendor but read a distributed table on several partitions, or ` +
      `join two distributed tables without the vendor (on Citus: a repartition join or a query to every ` +
      `node). Add the vendor_id equality to the join, or mark ` +
      `a statement that reads several vendors on purpose with /* ${MULTI_VENDOR_MARKER} <reason> */ ` +
      `(docs/architecture.md, "Queries when distributed"):`,
    ...findings.map((f) =>
      f.joins
        ? `- joined without the vendor (${f.joins.join('; ').slice(0, 300)}): ${f.statement}`
        : `- ${f.tables.map((t) => `${t.table} (${t.partitions} partitions)`).join(', ')}: ${f.statement}`,
    ),
  ].join('\n');
}
