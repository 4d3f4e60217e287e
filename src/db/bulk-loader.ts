import { sql, type Kysely } from 'kysely';
import { rmSync } from 'node:fs';
import { truncate } from 'node:fs/promises';
import BetterSqlite3 from 'better-sqlite3';
import type { FlatLineFields, FlatOrderBatch, FlatOrderFields, FlatValue } from '../core/demo/types.js';
import type { Product } from '../core/model/catalog.js';
import type { Customer } from '../core/model/customers.js';
import type { Order, OrderLine } from '../core/model/orders.js';
import type { Enrolment, Partner, SupplyRelationship } from '../core/model/partners.js';
import type { Certification, Person, RoleGrant } from '../core/model/people.js';
import type { Store } from './connection.js';
import type { Database } from './schema.js';
import { withConnectionSettings, type PragmaSetting } from './sqlite/held-pragmas.js';

type Value = string | number | null;
type PgType = 'text' | 'bigint' | 'integer';
interface Column<T> {
  name: string;
  pg: PgType;
  get: (row: T) => Value;
}
interface TableSpec<T> {
  table: string;
  columns: Column<T>[];
}

// Most rows of a load share one creation instant: remember the last one formatted.
let lastIsoMs = Number.NaN;
let lastIso = '';
const iso = (d: Date): string => {
  const ms = d.getTime();
  if (ms !== lastIsoMs) {
    lastIso = d.toISOString();
    lastIsoMs = ms;
  }
  return lastIso;
};
const text = <T>(name: string, get: (r: T) => string | null): Column<T> => ({ name, pg: 'text', get });
const int = <T>(name: string, get: (r: T) => number): Column<T> => ({ name, pg: 'integer', get });
const big = <T>(name: string, get: (r: T) => number): Column<T> => ({ name, pg: 'bigint', get });

const PARTNERS: TableSpec<Partner> = {
  table: 'partners',
  columns: [
    text('id', (r) => r.id),
    text('name', (r) => r.name),
    text('kind', (r) => r.kind),
    text('country', (r) => r.country),
    text('region', (r) => r.region),
    text('domain', (r) => r.domain),
    text('created_at', (r) => iso(r.createdAt)),
    text('represents_vendor_id', (r) => r.representsVendorId ?? null),
  ],
};
const ENROLMENTS: TableSpec<Enrolment> = {
  table: 'enrolments',
  columns: [
    text('id', (r) => r.id),
    text('vendor_id', (r) => r.vendorId),
    text('program_id', (r) => r.programId),
    text('partner_id', (r) => r.partnerId),
    text('partner_number', (r) => r.partnerNumber),
    text('status', (r) => r.status),
    int('exclusive', (r) => (r.exclusive ? 1 : 0)),
    text('enrolled_at', (r) => iso(r.enrolledAt)),
  ],
};
const SUPPLY: TableSpec<SupplyRelationship> = {
  table: 'supply_relationships',
  columns: [
    text('vendor_id', (r) => r.vendorId),
    text('distributor_id', (r) => r.distributorId),
    text('reseller_id', (r) => r.resellerId),
    text('since', (r) => iso(r.since)),
  ],
};
const PEOPLE: TableSpec<Person> = {
  table: 'people',
  columns: [
    text('id', (r) => r.id),
    text('email', (r) => r.email),
    text('name', (r) => r.name),
    text('vendor_id', (r) => r.vendorId),
    text('partner_id', (r) => r.partnerId),
    text('created_at', (r) => iso(r.createdAt)),
  ],
};
const ROLE_GRANTS: TableSpec<RoleGrant & { id: string }> = {
  table: 'role_grants',
  columns: [
    text('id', (r) => r.id),
    text('person_id', (r) => r.personId),
    text('role', (r) => r.role),
    text('vendor_id', (r) => r.vendorId),
    text('partner_id', (r) => r.partnerId),
    text('regions', (r) => JSON.stringify(r.regions)),
  ],
};
export interface CredentialRow {
  personId: string;
  passwordHash: string;
  updatedAt: string;
}
const CREDENTIALS: TableSpec<CredentialRow> = {
  table: 'credentials',
  columns: [
    text('person_id', (r) => r.personId),
    text('password_hash', (r) => r.passwordHash),
    text('updated_at', (r) => r.updatedAt),
  ],
};
const CERTIFICATIONS: TableSpec<Certification> = {
  table: 'certifications',
  columns: [
    text('id', (r) => r.id),
    text('vendor_id', (r) => r.vendorId),
    text('partner_id', (r) => r.partnerId),
    text('person_id', (r) => r.personId),
    text('code', (r) => r.code),
    text('kind', (r) => r.kind),
    text('family', (r) => r.family),
    text('earned_on', (r) => r.earnedOn),
    text('expires_on', (r) => r.expiresOn),
  ],
};
const PRODUCTS: TableSpec<Product> = {
  table: 'products',
  columns: [
    text('id', (r) => r.id),
    text('vendor_id', (r) => r.vendorId),
    text('sku', (r) => r.sku),
    text('name', (r) => r.name),
    text('family', (r) => r.family),
    big('list_price_minor', (r) => r.listPriceMinor),
    text('currency', (r) => r.currency),
    text('created_at', (r) => iso(r.createdAt)),
    text('licensing', (r) => r.licensing),
    text('solution', (r) => r.solution),
  ],
};
const CUSTOMERS: TableSpec<Customer> = {
  table: 'customers',
  columns: [
    text('id', (r) => r.id),
    text('vendor_id', (r) => r.vendorId),
    text('name', (r) => r.name),
    text('domain', (r) => r.domain),
    text('country', (r) => r.country),
    text('region', (r) => r.region),
    text('segment', (r) => r.segment),
    text('address_line', (r) => r.addressLine),
    text('city', (r) => r.city),
    text('postal_code', (r) => r.postalCode),
    text('created_at', (r) => iso(r.createdAt)),
  ],
};
const ORDERS: TableSpec<Order> = {
  table: 'orders',
  columns: [
    text('id', (r) => r.id),
    text('vendor_id', (r) => r.vendorId),
    text('source', (r) => r.source),
    text('external_id', (r) => r.externalId),
    text('customer_id', (r) => r.customerId),
    text('end_user_name', (r) => r.endUserName),
    text('channel', (r) => r.channel),
    text('reseller_id', (r) => r.resellerId),
    text('distributor_id', (r) => r.distributorId),
    text('order_date', (r) => r.orderDate),
    text('currency', (r) => r.currency),
    text('country', (r) => r.country),
    text('region', (r) => r.region),
    text('segment', (r) => r.segment),
    big('total_minor', (r) => r.totalMinor),
    text('created_at', (r) => iso(r.createdAt)),
  ],
};
const ORDER_LINES: TableSpec<OrderLine> = {
  table: 'order_lines',
  columns: [
    text('id', (r) => r.id),
    text('order_id', (r) => r.orderId),
    text('vendor_id', (r) => r.vendorId),
    int('line_no', (r) => r.lineNo),
    text('product_id', (r) => r.productId),
    text('family', (r) => r.family),
    int('quantity', (r) => r.quantity),
    big('unit_price_minor', (r) => r.unitPriceMinor),
    big('amount_minor', (r) => r.amountMinor),
    text('currency', (r) => r.currency),
    text('reseller_id', (r) => r.resellerId),
    text('distributor_id', (r) => r.distributorId),
    text('customer_id', (r) => r.customerId),
    text('order_date', (r) => r.orderDate),
    text('returns_line_id', (r) => r.returnsLineId),
  ],
};

/** camelCase field names to snake_case column names, at the type level. */
type Snake<S extends string> = S extends `${infer H}${infer T}`
  ? `${H extends Lowercase<H> ? H : `_${Lowercase<H>}`}${Snake<T>}`
  : S;
type SnakeAll<T extends readonly string[]> = { -readonly [K in keyof T]: Snake<T[K]> };

/** The columns of a flat order row, in the order of core's FLAT_ORDER_FIELDS (checked by the compiler). */
const FLAT_ORDER_COLUMNS: SnakeAll<FlatOrderFields> = [
  'id',
  'vendor_id',
  'source',
  'external_id',
  'customer_id',
  'end_user_name',
  'channel',
  'reseller_id',
  'distributor_id',
  'order_date',
  'currency',
  'country',
  'region',
  'segment',
  'total_minor',
  'created_at',
];
/** The columns of a flat order line row, in the order of core's FLAT_LINE_FIELDS. */
const FLAT_LINE_COLUMNS: SnakeAll<FlatLineFields> = [
  'id',
  'order_id',
  'vendor_id',
  'line_no',
  'product_id',
  'family',
  'quantity',
  'unit_price_minor',
  'amount_minor',
  'currency',
  'reseller_id',
  'distributor_id',
  'customer_id',
  'order_date',
  'returns_line_id',
];

interface FlatSpec {
  table: string;
  columns: readonly string[];
  pg: readonly PgType[];
}
const flatSpec = <T>(spec: TableSpec<T>, columns: readonly string[]): FlatSpec => ({
  table: spec.table,
  columns,
  pg: columns.map((name) => {
    const c = spec.columns.find((col) => col.name === name);
    if (!c) throw new Error(`${spec.table} has no column ${name}`);
    return c.pg;
  }),
});
const FLAT_ORDERS = flatSpec(ORDERS, FLAT_ORDER_COLUMNS);
const FLAT_LINES = flatSpec(ORDER_LINES, FLAT_LINE_COLUMNS);

/**
 * Loads large, internally consistent data sets (the demo world) in one transaction: all or nothing.
 * SQLite: one prepared statement per table, run row by row inside the transaction (fastest there).
 * PostgreSQL: one INSERT ... SELECT FROM unnest($1::text[], ...) per batch.
 */
export interface BulkLoader {
  partners(rows: Partner[]): Promise<void>;
  enrolments(rows: Enrolment[]): Promise<void>;
  supplyRelationships(rows: SupplyRelationship[]): Promise<void>;
  people(rows: Person[]): Promise<void>;
  roleGrants(rows: (RoleGrant & { id: string })[]): Promise<void>;
  credentials(rows: CredentialRow[]): Promise<void>;
  certifications(rows: Certification[]): Promise<void>;
  products(rows: Product[]): Promise<void>;
  customers(rows: Customer[]): Promise<void>;
  orders(orders: Order[], lines: OrderLine[]): Promise<void>;
  /** Orders and lines as flat rows (core/demo FLAT_ORDER_FIELDS and FLAT_LINE_FIELDS): no objects to read. */
  orderRows(batch: FlatOrderBatch): Promise<void>;
}

export interface BulkLoadOptions {
  /**
   * Drop the secondary indexes of these tables for the load and build them again at the end (one sort
   * instead of millions of random B-tree updates). Only for loads into empty tables, such as the demo.
   */
  deferIndexesOf?: readonly string[];
  /**
   * SQLite only: sidecar database files that other threads fill at the same time through
   * {@link writeSidecar} (more connections, so more cores). Rows of a sidecar's `whole` tables are all
   * written there, with their indexes, and copied page by page into the still empty tables here; rows of
   * its `append` tables are added to this load's rows. A sidecar is copied when `loader.copySidecar(i)`
   * says it is complete, else at the end; its file is deleted afterwards. Its tables must be in
   * `deferIndexesOf`.
   */
  sidecars?: readonly SidecarSpec[];
}

export interface SidecarSpec {
  file: string;
  whole?: readonly string[];
  append?: readonly string[];
}

/** What a sidecar writer needs: its file and the DDL of the indexes it builds (those of `whole` tables). */
export interface SidecarPlan {
  file: string;
  indexes: string[];
}

/** What `work` gets besides the loader. */
export interface BulkLoadSession {
  /** A Kysely handle bound to the load's transaction. */
  db: Kysely<Database>;
  /** The plans to hand to the sidecars' writers, in the order of `options.sidecars`. */
  sidecars: SidecarPlan[];
  /** Copies sidecar `i` in now (its writer must have finished and closed it). */
  copySidecar(i: number): Promise<void>;
  /** Builds the deferred indexes of these tables now (later rows of them then update the indexes). */
  buildIndexes(tables: readonly string[]): Promise<void>;
}

const sidecarSchema = (i: number) => `bulk_sidecar_${i}`;

/**
 * A SQLite bulk load's connection settings, put back as they were after it: foreign keys off (the
 * producer checks its references) and a 1 GB page cache.
 */
const BULK_SETTINGS: readonly PragmaSetting[] = [
  ['foreign_keys', 0],
  ['cache_size', -1048576],
];

/**
 * Drops the indexes of `tables` (none when empty) and returns what builds them again: called with some
 * tables, it builds theirs (once; later calls skip what was built).
 */
async function deferredIndexes(
  trx: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  tables: readonly string[],
): Promise<(of: readonly string[]) => Promise<void>> {
  let pending = tables.length > 0 ? await dropIndexes(trx, kind, tables) : [];
  return async (of) => {
    const now = pending.filter((d) => of.includes(d.table));
    pending = pending.filter((d) => !of.includes(d.table));
    for (const ddl of now) await sql.raw(ddl.ddl).execute(trx);
  };
}

/**
 * Runs `work` with a bulk loader inside one database transaction; rolls everything back if it throws.
 * `loader.db` is a Kysely handle bound to the same transaction, for ordinary writes that must commit
 * or roll back with the bulk rows.
 */
export async function withBulkLoader<R>(
  store: Store,
  work: (loader: BulkLoader & BulkLoadSession) => Promise<R>,
  options: BulkLoadOptions = {},
): Promise<R> {
  // A main-thread SQLite connection: the demo load is a one-off command (or the first start of an empty
  // store), so it may run SQLite on the main thread with its fastest paths (sidecar files, raw handle).
  const handle = store.sqlite;
  const tables = options.deferIndexesOf ?? [];
  const sidecars = options.sidecars ?? [];
  if (handle) {
    // Foreign keys are checked by the producer (the demo generator is tested for integrity); checking
    // each of millions of rows here would double the load time. The page cache is raised for the load,
    // and temporary storage (the deferred indexes' sorts) is memory; each is put back as it was after.
    return withConnectionSettings(store.db, [...BULK_SETTINGS, ['temp_store', 2]], async (conn) => {
      const journal = handle.pragma('journal_mode', { simple: true }) as string;
      handle.pragma('threads = 2');
      // In WAL mode every page of a multi-gigabyte load would be written twice (WAL, then checkpoint);
      // a rollback journal on tables that start empty journals almost nothing.
      if (tables.length > 0 && journal === 'wal') handle.pragma('journal_mode = DELETE');
      // The load is one transaction that either commits whole or leaves nothing: no need to sync mid-way.
      const synchronous = handle.pragma('synchronous', { simple: true }) as number;
      handle.pragma('synchronous = OFF');
      let attached = 0;
      const releases: Promise<void>[] = [];
      try {
        // Databases are attached outside any transaction: the sidecars' tables are made here, empty.
        const plans: SidecarPlan[] = [];
        for (const spec of sidecars) {
          plans.push(attachSidecar(handle, spec, sidecarSchema(attached)));
          attached++;
        }
        return await conn.transaction().execute(async (trx) => {
          const buildIndexes = await deferredIndexes(trx, 'sqlite', tables);
          const copied = new Set<number>();
          const copySidecar = async (i: number) => {
            const spec = sidecars[i];
            if (spec === undefined || copied.has(i)) return;
            copied.add(i);
            // A whole table's indexes first (the table is still empty here), so that the copy takes the
            // sidecar's built indexes along instead of sorting again (SQLite's transfer optimisation).
            await buildIndexes(spec.whole ?? []);
            for (const table of [...(spec.whole ?? []), ...(spec.append ?? [])])
              handle.exec(`insert into main."${table}" select * from ${sidecarSchema(i)}."${table}"`);
            // Nothing reads the file again: free its gigabytes now, on libuv's threads, rather than when it
            // is deleted at the end of the load.
            releases.push(truncate(spec.file, 0).catch(() => undefined));
          };
          const result = await work({
            ...loaderFrom(sqliteWriter(handle)),
            db: trx,
            sidecars: plans,
            copySidecar,
            buildIndexes,
          });
          for (let i = 0; i < sidecars.length; i++) await copySidecar(i);
          await buildIndexes(tables);
          return result;
        });
      } finally {
        for (let i = 0; i < attached; i++) {
          try {
            handle.exec(`detach database ${sidecarSchema(i)}`);
          } catch {
            // Still in use after a failed commit: the connection keeps it until it closes.
          }
        }
        await Promise.all(releases);
        for (const spec of sidecars) removeDatabaseFiles(spec.file);
        handle.pragma(`synchronous = ${synchronous}`);
        if (tables.length > 0 && journal === 'wal') handle.pragma('journal_mode = WAL');
      }
    });
  }
  if (sidecars.length > 0) throw new Error('a load with sidecars needs SQLite on the main thread');
  if (store.capabilities.kind === 'sqlite') {
    // SQLite on a worker thread: the rows go there in large messages (store.bulk.insertRows), where they
    // run as prepared multi-row inserts. The demo command itself loads on a main-thread connection.
    // As on the main thread: foreign keys off and a large page cache.
    return withConnectionSettings(store.db, BULK_SETTINGS, (conn) =>
      conn.transaction().execute(async (trx) => {
        const buildIndexes = await deferredIndexes(trx, 'sqlite', tables);
        const result = await work({
          ...loaderFrom(storeBulkWriter(store, trx)),
          db: trx,
          sidecars: [],
          copySidecar: async () => undefined,
          buildIndexes,
        });
        await buildIndexes(tables);
        return result;
      }),
    );
  }
  return store.db.transaction().execute(async (trx) => {
    if (tables.length > 0) {
      // Skip per-row foreign-key triggers for this transaction where the role may (superusers and owners
      // granted it); the producer guarantees integrity. Elsewhere the load simply runs with the checks.
      await sql`savepoint bulk_fk`.execute(trx);
      try {
        await sql`set local session_replication_role = replica`.execute(trx);
        await sql`release savepoint bulk_fk`.execute(trx);
      } catch {
        await sql`rollback to savepoint bulk_fk`.execute(trx);
      }
    }
    const buildIndexes = await deferredIndexes(trx, 'postgres', tables);
    const result = await work({
      ...loaderFrom(postgresWriter(trx)),
      db: trx,
      sidecars: [],
      copySidecar: async () => undefined,
      buildIndexes,
    });
    await buildIndexes(tables);
    return result;
  });
}

/** The plain (non-constraint) indexes of these tables in the main schema, with the DDL that makes them. */
function indexesOf(handle: SqliteHandle, tables: readonly string[]): { table: string; ddl: string }[] {
  if (tables.length === 0) return [];
  const marks = tables.map(() => '?').join(', ');
  return handle
    .prepare<string[], { table: string; ddl: string }>(
      `select tbl_name as "table", sql as ddl from main.sqlite_master
        where type = 'index' and sql is not null and tbl_name in (${marks}) order by name`,
    )
    .all(...tables);
}

/** Attaches a sidecar file (made afresh) and creates the tables it will hold, without their indexes. */
function attachSidecar(handle: SqliteHandle, spec: SidecarSpec, schema: string): SidecarPlan {
  removeDatabaseFiles(spec.file);
  const tables = [...(spec.whole ?? []), ...(spec.append ?? [])];
  handle.prepare(`attach database ? as ${schema}`).run(spec.file);
  const pageSize = handle.pragma('main.page_size', { simple: true }) as number;
  handle.pragma(`${schema}.page_size = ${pageSize}`);
  handle.pragma(`${schema}.journal_mode = OFF`);
  const ddl = handle
    .prepare<string[], { name: string; ddl: string }>(
      `select name, sql as ddl from main.sqlite_master where type = 'table' and name in (${tables
        .map(() => '?')
        .join(', ')})`,
    )
    .all(...tables);
  if (ddl.length !== tables.length) throw new Error(`sidecar tables not found: ${tables.join(', ')}`);
  // The same definition (columns, types, keys): required for the page-by-page copy back.
  for (const t of ddl)
    handle.exec(t.ddl.replace(/^CREATE TABLE\s+("?)(\w+)\1/i, `CREATE TABLE ${schema}."$2"`));
  return { file: spec.file, indexes: indexesOf(handle, spec.whole ?? []).map((i) => i.ddl) };
}

function removeDatabaseFiles(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

/** What a sidecar writer loads: the same row shapes as {@link BulkLoader}. */
export type SidecarLoader = Pick<BulkLoader, 'customers' | 'orders' | 'orderRows'>;

/**
 * Fills a sidecar file prepared by {@link withBulkLoader} (`loader.sidecars`) on its own connection, in
 * one transaction, then builds the plan's indexes and closes the file. Meant for a worker thread, while
 * the main connection loads the other tables: SQLite writes two files on two cores.
 */
export async function writeSidecar<R>(
  plan: SidecarPlan,
  work: (loader: SidecarLoader) => Promise<R>,
): Promise<R> {
  const handle = new BetterSqlite3(plan.file);
  try {
    // A scratch file: no journal, no syncs, and nobody else may read it until it is closed.
    handle.pragma('journal_mode = OFF');
    handle.pragma('synchronous = OFF');
    handle.pragma('locking_mode = EXCLUSIVE');
    handle.pragma('foreign_keys = OFF');
    handle.pragma('cache_size = -524288');
    handle.pragma('temp_store = MEMORY');
    handle.exec('begin');
    const loader = loaderFrom(sqliteWriter(handle));
    const result = await work(loader);
    for (const ddl of plan.indexes) handle.exec(ddl);
    handle.exec('commit');
    return result;
  } finally {
    handle.close();
  }
}
/** Drops the plain (non-constraint) indexes of the tables and returns the DDL that recreates them. */
async function dropIndexes(
  trx: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  tables: readonly string[],
): Promise<{ table: string; ddl: string }[]> {
  const list = sql.join(tables.map((t) => sql`${t}`));
  const rows =
    kind === 'sqlite'
      ? (
          await sql<{ name: string; table: string; ddl: string }>`select name, tbl_name as "table", sql as ddl
            from main.sqlite_master
            where type = 'index' and sql is not null and tbl_name in (${list}) order by name`.execute(trx)
        ).rows
      : (
          await sql<{
            name: string;
            table: string;
            ddl: string;
          }>`select i.indexname as name, i.tablename as "table", i.indexdef as ddl from pg_indexes i
            where i.schemaname = current_schema() and i.tablename in (${list})
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)
            order by i.indexname`.execute(trx)
        ).rows;
  for (const r of rows) await sql`drop index ${sql.id(r.name)}`.execute(trx);
  // A partitioned table's index reads `ON ONLY t` in the catalog (it would come back on the parent alone,
  // invalid, and on none of its partitions): it is recreated on the table and every partition (issue 18).
  return rows.map((r) => ({ table: r.table, ddl: r.ddl.replace(/ ON ONLY /, ' ON ') }));
}

interface Writer {
  rows: <T>(spec: TableSpec<T>, rows: T[]) => Promise<void>;
  flat: (spec: FlatSpec, values: FlatValue[], count: number) => Promise<void>;
}

function loaderFrom(write: Writer): BulkLoader {
  return {
    partners: (rows) => write.rows(PARTNERS, rows),
    enrolments: (rows) => write.rows(ENROLMENTS, rows),
    supplyRelationships: (rows) => write.rows(SUPPLY, rows),
    people: (rows) => write.rows(PEOPLE, rows),
    roleGrants: (rows) => write.rows(ROLE_GRANTS, rows),
    credentials: (rows) => write.rows(CREDENTIALS, rows),
    certifications: (rows) => write.rows(CERTIFICATIONS, rows),
    products: (rows) => write.rows(PRODUCTS, rows),
    customers: (rows) => write.rows(CUSTOMERS, rows),
    orders: async (orders, lines) => {
      await write.rows(ORDERS, orders);
      await write.rows(ORDER_LINES, lines);
    },
    orderRows: async (batch) => {
      await write.flat(FLAT_ORDERS, batch.orders, batch.orderCount);
      await write.flat(FLAT_LINES, batch.lines, batch.lineCount);
    },
  };
}

type SqliteHandle = BetterSqlite3.Database;

/**
 * SQLite: Kysely's transaction runs on this same single connection, so prepared statements executed
 * directly on the handle are part of it.
 */
function sqliteWriter(handle: SqliteHandle): Writer {
  const statements = new Map<string, BetterSqlite3.Statement<Value[]>>();
  const prepare = (table: string, cols: readonly string[], rows: number) => {
    const key = `${table}/${cols.length}/${rows}`;
    let st = statements.get(key);
    if (!st) {
      const tuple = `(${cols.map(() => '?').join(', ')})`;
      st = handle.prepare<Value[]>(
        `insert into main.${table} (${cols.join(', ')}) values ${Array<string>(rows).fill(tuple).join(', ')}`,
      );
      statements.set(key, st);
    }
    return st;
  };
  // Many rows per statement: one call into SQLite per ROWS_PER_STATEMENT rows instead of one per row.
  // Values are passed as arguments (spread), not as one array: better-sqlite3 reads arguments directly
  // but each array element through a property lookup, which costs more than binding a number.
  const ROWS_PER_STATEMENT = 128;
  return {
    rows: async <T>(spec: TableSpec<T>, rows: T[]): Promise<void> => {
      if (rows.length === 0) return;
      const cols = spec.columns;
      const names = cols.map((c) => c.name);
      const n = cols.length;
      const full = prepare(spec.table, names, ROWS_PER_STATEMENT);
      const values: Value[] = new Array<Value>(n * ROWS_PER_STATEMENT);
      let r = 0;
      for (; r + ROWS_PER_STATEMENT <= rows.length; r += ROWS_PER_STATEMENT) {
        let k = 0;
        for (let j = 0; j < ROWS_PER_STATEMENT; j++) {
          const row = rows[r + j] as T;
          for (let i = 0; i < n; i++) values[k++] = (cols[i] as Column<T>).get(row);
        }
        full.run(...values);
      }
      const rest = rows.length - r;
      if (rest > 0) {
        const tail: Value[] = [];
        for (let j = r; j < rows.length; j++)
          for (let i = 0; i < n; i++) tail.push((cols[i] as Column<T>).get(rows[j] as T));
        prepare(spec.table, names, rest).run(...tail);
      }
    },
    flat: async (spec: FlatSpec, flat: FlatValue[], count: number): Promise<void> => {
      if (count === 0) return;
      const n = spec.columns.length;
      const chunk = n * ROWS_PER_STATEMENT;
      const full = prepare(spec.table, spec.columns, ROWS_PER_STATEMENT);
      const values: Value[] = new Array<Value>(chunk);
      let r = 0;
      for (; r + ROWS_PER_STATEMENT <= count; r += ROWS_PER_STATEMENT) {
        const base = r * n;
        for (let i = 0; i < chunk; i++) values[i] = flat[base + i] as Value;
        full.run(...values);
      }
      if (count > r)
        prepare(spec.table, spec.columns, count - r).run(...(flat.slice(r * n, count * n) as Value[]));
    },
  };
}

/** Rows in one `store.bulk.insertRows` call of {@link storeBulkWriter} (one message to a SQLite worker). */
const ROWS_PER_BULK_CALL = 4096;

/** Through the store's own bulk path (`store.bulk.insertRows`) on the load's transaction. */
function storeBulkWriter(store: Store, trx: Kysely<Database>): Writer {
  return {
    rows: async <T>(spec: TableSpec<T>, rows: T[]): Promise<void> => {
      const cols = spec.columns;
      const names = cols.map((c) => c.name);
      for (let r = 0; r < rows.length; r += ROWS_PER_BULK_CALL) {
        const values: Value[] = [];
        for (const row of rows.slice(r, r + ROWS_PER_BULK_CALL))
          for (const c of cols) values.push(c.get(row));
        await store.bulk.insertRows(trx, spec.table, names, values);
      }
    },
    flat: async (spec: FlatSpec, flat: FlatValue[], count: number): Promise<void> => {
      const n = spec.columns.length;
      for (let r = 0; r < count; r += ROWS_PER_BULK_CALL)
        await store.bulk.insertRows(
          trx,
          spec.table,
          spec.columns,
          flat.slice(r * n, Math.min(count, r + ROWS_PER_BULK_CALL) * n) as Value[],
        );
    },
  };
}

/** PostgreSQL: one INSERT ... SELECT FROM unnest(arrays) per batch: no bind-parameter limit, one round trip. */
function postgresWriter(trx: Kysely<Database>): Writer {
  const insert = async (
    table: string,
    names: readonly string[],
    pg: readonly PgType[],
    arrays: Value[][],
  ) => {
    const unnest = sql.join(
      pg.map((type, i) => sql`${arrays[i]}::${sql.raw(type)}[]`),
      sql`, `,
    );
    await sql`insert into ${sql.table(table)} (${sql.join(names.map((n) => sql.id(n)))}) select * from unnest(${unnest})`.execute(
      trx,
    );
  };
  return {
    rows: async <T>(spec: TableSpec<T>, rows: T[]): Promise<void> => {
      if (rows.length === 0) return;
      const cols = spec.columns;
      const arrays: Value[][] = cols.map(() => new Array<Value>(rows.length));
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] as T;
        for (let c = 0; c < cols.length; c++) (arrays[c] as Value[])[r] = (cols[c] as Column<T>).get(row);
      }
      await insert(
        spec.table,
        cols.map((c) => c.name),
        cols.map((c) => c.pg),
        arrays,
      );
    },
    flat: async (spec: FlatSpec, flat: FlatValue[], count: number): Promise<void> => {
      if (count === 0) return;
      const n = spec.columns.length;
      const arrays: Value[][] = spec.columns.map(() => new Array<Value>(count));
      for (let c = 0; c < n; c++) {
        const column = arrays[c] as Value[];
        for (let r = 0, k = c; r < count; r++, k += n) column[r] = flat[k] as Value;
      }
      await insert(spec.table, spec.columns, spec.pg, arrays);
    },
  };
}
