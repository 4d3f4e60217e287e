import { sql, type Kysely } from 'kysely';
import type { Product } from '../core/model/catalog.js';
import type { Customer } from '../core/model/customers.js';
import type { Order, OrderLine } from '../core/model/orders.js';
import type { Enrolment, Partner, SupplyRelationship } from '../core/model/partners.js';
import type { Certification, Person, RoleGrant } from '../core/model/people.js';
import type { Store } from './connection.js';
import type { Database } from './schema.js';

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

const iso = (d: Date): string => d.toISOString();
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
}

/**
 * Runs `work` with a bulk loader inside one database transaction; rolls everything back if it throws.
 * `loader.db` is a Kysely handle bound to the same transaction, for ordinary writes that must commit
 * or roll back with the bulk rows.
 */
export interface BulkLoadOptions {
  /**
   * Drop the secondary indexes of these tables for the load and build them again at the end (one sort
   * instead of millions of random B-tree updates). Only for loads into empty tables, such as the demo.
   */
  deferIndexesOf?: readonly string[];
}

export async function withBulkLoader<R>(
  store: Store,
  work: (loader: BulkLoader & { db: Kysely<Database> }) => Promise<R>,
  options: BulkLoadOptions = {},
): Promise<R> {
  const handle = store.sqlite;
  const tables = options.deferIndexesOf ?? [];
  if (handle) {
    // Foreign keys are checked by the producer (the demo generator is tested for integrity); checking
    // each of millions of rows here would double the load time. The page cache is raised for the load.
    handle.pragma('foreign_keys = OFF');
    const cache = handle.pragma('cache_size', { simple: true }) as number;
    const journal = handle.pragma('journal_mode', { simple: true }) as string;
    handle.pragma('cache_size = -1048576');
    handle.pragma('temp_store = MEMORY');
    handle.pragma('threads = 2');
    // In WAL mode every page of a multi-gigabyte load would be written twice (WAL, then checkpoint);
    // a rollback journal on tables that start empty journals almost nothing.
    if (tables.length > 0 && journal === 'wal') handle.pragma('journal_mode = DELETE');
    // The load is one transaction that either commits whole or leaves nothing: no need to sync mid-way.
    const synchronous = handle.pragma('synchronous', { simple: true }) as number;
    handle.pragma('synchronous = OFF');
    try {
      return await store.db.transaction().execute(async (trx) => {
        const indexes = tables.length > 0 ? await dropIndexes(trx, 'sqlite', tables) : [];
        const result = await work({ ...loaderFrom(sqliteWriter(handle)), db: trx });
        for (const ddl of indexes) await sql.raw(ddl).execute(trx);
        return result;
      });
    } finally {
      handle.pragma(`synchronous = ${synchronous}`);
      if (tables.length > 0 && journal === 'wal') handle.pragma('journal_mode = WAL');
      handle.pragma(`cache_size = ${cache}`);
      handle.pragma('temp_store = DEFAULT');
      handle.pragma('foreign_keys = ON');
    }
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
    const indexes = tables.length > 0 ? await dropIndexes(trx, 'postgres', tables) : [];
    const result = await work({ ...loaderFrom(postgresWriter(trx)), db: trx });
    for (const ddl of indexes) await sql.raw(ddl).execute(trx);
    return result;
  });
}

/** Drops the plain (non-constraint) indexes of the tables and returns the DDL that recreates them. */
async function dropIndexes(
  trx: Kysely<Database>,
  kind: 'sqlite' | 'postgres',
  tables: readonly string[],
): Promise<string[]> {
  const list = sql.join(tables.map((t) => sql`${t}`));
  const rows =
    kind === 'sqlite'
      ? (
          await sql<{ name: string; ddl: string }>`select name, sql as ddl from sqlite_master
            where type = 'index' and sql is not null and tbl_name in (${list})`.execute(trx)
        ).rows
      : (
          await sql<{
            name: string;
            ddl: string;
          }>`select i.indexname as name, i.indexdef as ddl from pg_indexes i
            where i.schemaname = current_schema() and i.tablename in (${list})
            and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`.execute(trx)
        ).rows;
  for (const r of rows) await sql`drop index ${sql.id(r.name)}`.execute(trx);
  return rows.map((r) => r.ddl);
}

function loaderFrom(write: <T>(spec: TableSpec<T>, rows: T[]) => Promise<void>): BulkLoader {
  return {
    partners: (rows) => write(PARTNERS, rows),
    enrolments: (rows) => write(ENROLMENTS, rows),
    supplyRelationships: (rows) => write(SUPPLY, rows),
    people: (rows) => write(PEOPLE, rows),
    roleGrants: (rows) => write(ROLE_GRANTS, rows),
    credentials: (rows) => write(CREDENTIALS, rows),
    certifications: (rows) => write(CERTIFICATIONS, rows),
    products: (rows) => write(PRODUCTS, rows),
    customers: (rows) => write(CUSTOMERS, rows),
    orders: async (orders, lines) => {
      await write(ORDERS, orders);
      await write(ORDER_LINES, lines);
    },
  };
}

type SqliteHandle = NonNullable<Store['sqlite']>;

/**
 * SQLite: Kysely's transaction runs on this same single connection, so prepared statements executed
 * directly on the handle are part of it.
 */
function sqliteWriter(handle: SqliteHandle) {
  const statements = new Map<string, ReturnType<SqliteHandle['prepare']>>();
  const prepare = (table: string, cols: string[], rows: number) => {
    const key = `${table}/${rows}`;
    let st = statements.get(key);
    if (!st) {
      const tuple = `(${cols.map(() => '?').join(', ')})`;
      st = handle.prepare(
        `insert into ${table} (${cols.join(', ')}) values ${Array(rows).fill(tuple).join(', ')}`,
      );
      statements.set(key, st);
    }
    return st;
  };
  // Many rows per statement: one call into SQLite per ROWS_PER_STATEMENT rows instead of one per row.
  const ROWS_PER_STATEMENT = 64;
  return async <T>(spec: TableSpec<T>, rows: T[]): Promise<void> => {
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
      full.run(values);
    }
    const rest = rows.length - r;
    if (rest > 0) {
      const tail: Value[] = [];
      for (let j = r; j < rows.length; j++)
        for (let i = 0; i < n; i++) tail.push((cols[i] as Column<T>).get(rows[j] as T));
      prepare(spec.table, names, rest).run(tail);
    }
  };
}

/** PostgreSQL: one INSERT ... SELECT FROM unnest(arrays) per batch: no bind-parameter limit, one round trip. */
function postgresWriter(trx: Kysely<Database>) {
  return async <T>(spec: TableSpec<T>, rows: T[]): Promise<void> => {
    if (rows.length === 0) return;
    const cols = spec.columns;
    const arrays: Value[][] = cols.map(() => new Array<Value>(rows.length));
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as T;
      for (let c = 0; c < cols.length; c++) (arrays[c] as Value[])[r] = (cols[c] as Column<T>).get(row);
    }
    const unnest = sql.join(
      cols.map((c, i) => sql`${arrays[i]}::${sql.raw(c.pg)}[]`),
      sql`, `,
    );
    await sql`insert into ${sql.table(spec.table)} (${sql.join(cols.map((c) => sql.id(c.name)))}) select * from unnest(${unnest})`.execute(
      trx,
    );
  };
}
