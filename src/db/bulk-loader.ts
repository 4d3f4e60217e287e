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
export async function withBulkLoader<R>(
  store: Store,
  work: (loader: BulkLoader & { db: Kysely<Database> }) => Promise<R>,
): Promise<R> {
  const handle = store.sqlite;
  return store.db.transaction().execute(async (trx) => {
    const write = handle ? sqliteWriter(handle) : postgresWriter(trx);
    return work({ ...loaderFrom(write), db: trx });
  });
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
  return async <T>(spec: TableSpec<T>, rows: T[]): Promise<void> => {
    let st = statements.get(spec.table);
    if (!st) {
      const cols = spec.columns.map((c) => c.name);
      st = handle.prepare(
        `insert into ${spec.table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`,
      );
      statements.set(spec.table, st);
    }
    const cols = spec.columns;
    const n = cols.length;
    const values: Value[] = new Array<Value>(n);
    for (const row of rows) {
      for (let i = 0; i < n; i++) values[i] = (cols[i] as Column<T>).get(row);
      st.run(values);
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
