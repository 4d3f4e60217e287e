import {
  CamelCasePlugin,
  CompiledQuery,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
} from 'kysely';
import type { SqlStore, Store } from '../connection.js';
import type { Database } from '../schema.js';
import { insertText, placeholders } from '../insert-text.js';
import { registerHeld } from '../held-prepared.js';
import { keyVendorColumn } from './scoping.js';

/** A bound value: text, a number, or null (booleans are 0/1 in this schema). */
export type SqlValue = string | number | null;

/**
 * Runs hand-written SQL on the handle of the caller's transaction. The text uses `?` placeholders and
 * quoted camelCase aliases (`as "inputHash"`), and runs unchanged on both stores:
 * - SQLite on the main thread: a prepared statement, compiled once per text and reused (Kysely prepares
 *   each query anew, which costs more than the query itself on the hot path). The one SQLite connection is
 *   the one the caller's transaction holds, so this must only be used inside a transaction or
 *   `connection()` callback.
 * - SQLite on a worker thread: the text through the transaction's Kysely handle (the worker keeps it
 *   prepared).
 * - PostgreSQL: the same text with `$n` placeholders, through the transaction's Kysely handle.
 * `insertRows` is the store's own bulk path (`store.bulk.insertRows`).
 */
export interface SqlRunner {
  all<R>(text: string, params: readonly SqlValue[]): Promise<R[]>;
  run(text: string, params: readonly SqlValue[]): Promise<void>;
  /** `insert into table (columns) values (...), (...)`: `values` holds rowCount rows, flat, in column order. */
  insertRows(table: string, columns: readonly string[], values: readonly SqlValue[]): Promise<void>;
}

type SqliteHandle = NonNullable<Store['sqlite']>;
type Prepared = ReturnType<SqliteHandle['prepare']>;

const preparedByHandle = new WeakMap<SqliteHandle, Map<string, Prepared>>();
const pgText = new Map<string, string>();

export function sqlRunner(db: Kysely<Database>, store: SqlStore): SqlRunner {
  const handle = store.sqlite;
  if (handle) {
    let cache = preparedByHandle.get(handle);
    if (!cache) {
      cache = new Map();
      preparedByHandle.set(handle, cache);
    }
    const statements = cache;
    const prepared = (text: string): Prepared => {
      let st = statements.get(text);
      if (!st) {
        st = handle.prepare(text);
        statements.set(text, st);
      }
      return st;
    };
    const runner: SqlRunner = {
      all: <R>(text: string, params: readonly SqlValue[]) =>
        Promise.resolve(prepared(text).all(params) as R[]),
      run: (text, params) => {
        prepared(text).run(params);
        return Promise.resolve();
      },
      insertRows: (table, columns, values) => store.bulk.insertRows(db, table, columns, values),
    };
    return runner;
  }
  if (store.capabilities.sqliteThread === 'worker')
    // The connection is on the worker thread, which keeps each text prepared: `?` texts go as they are.
    return {
      async all<R>(text: string, params: readonly SqlValue[]) {
        return (await db.executeQuery<R>(CompiledQuery.raw(text, [...params]))).rows as R[];
      },
      async run(text, params) {
        await db.executeQuery(CompiledQuery.raw(text, [...params]));
      },
      insertRows: (table, columns, values) => store.bulk.insertRows(db, table, columns, values),
    };
  const toPg = (text: string): string => {
    let out = pgText.get(text);
    if (out === undefined) {
      let n = 0;
      out = text.replace(/\?/g, () => `$${++n}`);
      pgText.set(text, out);
    }
    return out;
  };
  return {
    async all<R>(text: string, params: readonly SqlValue[]) {
      return (await db.executeQuery<R>(CompiledQuery.raw(toPg(text), [...params]))).rows as R[];
    },
    async run(text, params) {
      await db.executeQuery(CompiledQuery.raw(toPg(text), [...params]));
    },
    insertRows: (table, columns, values) => store.bulk.insertRows(db, table, columns, values),
  };
}

const heldByHandle = new WeakMap<SqliteHandle, Kysely<Database>>();

/**
 * SQLite: a Kysely handle that runs each query through a prepared statement kept for its text, on the
 * store's one connection, without taking the connection lock. Kysely's own SQLite driver prepares every
 * query anew (more than the query itself costs on a small insert). Only for a caller that already holds
 * the connection (inside its transaction, as group commit does); it cannot begin transactions itself.
 * Undefined on PostgreSQL, where the transaction's handle is used as it is.
 */
export function heldConnectionDb(store: Pick<Store, 'sqlite'>): Kysely<Database> | undefined {
  const handle = store.sqlite;
  if (!handle) return undefined;
  let db = heldByHandle.get(handle);
  if (!db) {
    const statements = new Map<string, Prepared>();
    const prepared = (text: string): Prepared => {
      let st = statements.get(text);
      if (!st) {
        st = handle.prepare(text);
        statements.set(text, st);
      }
      return st;
    };
    const connection: DatabaseConnection = {
      executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
        const st = prepared(query.sql);
        if (st.reader) return Promise.resolve({ rows: st.all(query.parameters) as R[] });
        const { changes } = st.run(query.parameters);
        return Promise.resolve({ numAffectedRows: BigInt(changes), rows: [] });
      },
      streamQuery() {
        throw new Error('streaming is not supported on a held connection');
      },
    };
    const refuse = () => Promise.reject(new Error('a held connection is already inside a transaction'));
    const driver: Driver = {
      init: () => Promise.resolve(),
      acquireConnection: () => Promise.resolve(connection),
      beginTransaction: refuse,
      commitTransaction: refuse,
      rollbackTransaction: refuse,
      releaseConnection: () => Promise.resolve(),
      destroy: () => Promise.resolve(),
    };
    db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => driver,
        createIntrospector: (k) => new SqliteIntrospector(k),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
      plugins: [new CamelCasePlugin()],
    });
    heldByHandle.set(handle, db);
    registerHeld(db, prepared);
  }
  return db;
}

/** What order intake reads of a product. */
export interface ProductFacts {
  id: string;
  vendorId: string;
  family: string;
  currency: string;
  licensing: string | null;
  solution: string | null;
}

/** Most products kept in memory per store (a vendor's catalogue is hundreds to thousands). */
const MAX_CACHED_PRODUCTS = 100_000;
const productCaches = new WeakMap<object, Map<string, ProductFacts>>();

/**
 * The products order intake has read, by id, per store. A product row is written once and never updated
 * nor deleted (the catalogue only adds products: `productRepository.insertNew`), so an entry never goes stale;
 * a product not found is not remembered, so one added later is found by the next order. Were products ever
 * made editable, the edit must call {@link forgetProducts}.
 */
function productCacheOf(store: SqlStore): Map<string, ProductFacts> {
  const key: object = store.sqlite ?? store;
  let cache = productCaches.get(key);
  if (!cache) {
    cache = new Map();
    productCaches.set(key, cache);
  }
  return cache;
}

/** Drops the store's products kept in memory (see productCacheOf). */
export function forgetProducts(store: SqlStore): void {
  productCaches.delete(store.sqlite ?? store);
}

const customerIndexOf = new WeakMap<object, Promise<boolean>>();

/**
 * Whether order_lines has an index leading with (vendor_id, customer_id), which finds a customer's
 * earlier purchases directly (read once per store: indexes come with migrations, which run at start).
 */
export function hasCustomerIndex(db: Kysely<Database>, store: SqlStore): Promise<boolean> {
  const key: object = store.sqlite ?? store;
  let known = customerIndexOf.get(key);
  if (!known) {
    const q = sqlRunner(db, store);
    known = (
      store.capabilities.kind === 'sqlite'
        ? q.all<{ def: string | null }>(
            "select sql as \"def\" from sqlite_master where type = 'index' and tbl_name = 'order_lines'",
            [],
          )
        : q.all<{ def: string | null }>(
            'select indexdef as "def" from pg_indexes where tablename = \'order_lines\' and schemaname = current_schema()',
            [],
          )
    ).then((defs) => defs.some((d) => /\(\s*"?vendor_id"?\s*,\s*"?customer_id"?/.test(d.def ?? '')));
    customerIndexOf.set(key, known);
    known.catch(() => customerIndexOf.delete(key));
  }
  return known;
}

/** True when the store has one connection that runs one transaction at a time (SQLite). */
export function serializesTransactions(store: Pick<Store, 'capabilities'>): boolean {
  return store.capabilities.kind === 'sqlite';
}

/** A published program version of a vendor, as order intake checks and accrues against it. */
export interface PublishedVersionRow {
  id: string;
  programId: string;
  code: string;
  effectiveFrom: string;
  effectiveTo: string;
}

export const ORDER_COLUMNS = [
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
  'input_hash',
  'original_currency',
  'original_total_minor',
] as const;

export const ORDER_LINE_COLUMNS = [
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
  'original_currency',
  'original_unit_price_minor',
  'original_amount_minor',
  'fx_rate',
  'fx_rate_day',
  'fx_rate_source',
] as const;

export const LEDGER_TRANSACTION_COLUMNS = [
  'id',
  'vendor_id',
  'partner_id',
  'program_id',
  'kind',
  'idempotency_key',
  'input_hash',
  'order_id',
  'effective_date',
  'period',
  'reverses_id',
  'posted_at',
] as const;

export const LEDGER_ENTRY_COLUMNS = [
  'id',
  'transaction_id',
  'vendor_id',
  'partner_id',
  'program_id',
  'account',
  'amount_minor',
  'currency',
  'period',
  'component',
  'rule_id',
  'rule_version',
  'line_id',
  'base_minor',
  'rate',
  'effective_rate',
  'tier',
  'multiplier',
  'budget_pool',
  'explanation',
] as const;

export const LEDGER_RULE_COLUMNS = [
  'id',
  'vendor_id',
  'program_id',
  'component',
  'kind',
  'name',
  'rule_id',
  'rule_version',
  'debit_account',
  'credit_account',
  'currency',
  'tier',
  'rate',
  'multiplier',
  'multipliers',
  'effective_rate',
  'budget_pool',
] as const;

export const LEDGER_POSTING_COLUMNS = [
  'vendor_id',
  'transaction_id',
  'seq',
  'rule',
  'line_id',
  'base_minor',
  'amount_minor',
  'due_minor',
] as const;

/** A ledger rule row (migration 20261204-0019): its id is a hash of the other columns. */
export interface NewLedgerRule {
  id: string;
  vendorId: string;
  programId: string;
  component: string;
  kind: string;
  name: string;
  ruleId: string;
  ruleVersion: string;
  debitAccount: string;
  creditAccount: string;
  currency: string;
  tier: string;
  rate: number;
  multiplier: number;
  multipliers: string;
  effectiveRate: number;
  budgetPool: string | null;
}

/** One posting: debit its rule's debit account, credit its credit account. */
export interface NewLedgerPosting {
  vendorId: string;
  transactionId: string;
  seq: number;
  rule: string;
  lineId: string | null;
  baseMinor: number;
  amountMinor: number;
  dueMinor: number | null;
}

/** What one write of the ledger appends: transactions, the rules their postings name, postings, entries. */
export interface LedgerBatch {
  transactions: NewLedgerTransaction[];
  /** By rule id: written if absent. */
  rules: Map<string, NewLedgerRule>;
  /**
   * The postings as flat values in LEDGER_POSTING_COLUMNS order (pushLedgerPosting; postingsIn counts
   * them): what is written, with no object per posting (a quarter's close posts millions).
   */
  postings: SqlValue[];
  entries: NewLedgerEntry[];
}

/** How many postings a batch holds. */
export function postingsIn(batch: LedgerBatch): number {
  return batch.postings.length / LEDGER_POSTING_COLUMNS.length;
}

export function emptyLedgerBatch(): LedgerBatch {
  return { transactions: [], rules: new Map(), postings: [], entries: [] };
}

/** An order row in ORDER_COLUMNS order. */
export interface NewOrder {
  id: string;
  vendorId: string;
  source: string;
  externalId: string;
  customerId: string;
  endUserName: string;
  channel: string;
  resellerId: string | null;
  distributorId: string | null;
  orderDate: string;
  currency: string;
  country: string;
  region: string;
  segment: string;
  totalMinor: number;
  createdAt: string;
  inputHash: string | null;
  /** Orders in other currencies (migration 0033): what was invoiced; null = the program's currency. */
  originalCurrency: string | null;
  originalTotalMinor: number | null;
}

export interface NewOrderLine {
  id: string;
  orderId: string;
  vendorId: string;
  lineNo: number;
  productId: string;
  family: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
  currency: string;
  resellerId: string | null;
  distributorId: string | null;
  customerId: string;
  orderDate: string;
  returnsLineId: string | null;
  /** Migration 0033: what was invoiced and the rate used, when not in the program's currency. */
  originalCurrency: string | null;
  originalUnitPriceMinor: number | null;
  originalAmountMinor: number | null;
  fxRate: string | null;
  fxRateDay: string | null;
  fxRateSource: string | null;
}

export interface NewLedgerTransaction {
  id: string;
  vendorId: string;
  partnerId: string | null;
  programId: string;
  kind: string;
  idempotencyKey: string;
  inputHash: string;
  orderId: string | null;
  effectiveDate: string;
  period: string;
  reversesId: string | null;
  postedAt: string;
}

export interface NewLedgerEntry {
  id: string;
  transactionId: string;
  vendorId: string;
  partnerId: string | null;
  programId: string;
  account: string;
  amountMinor: number;
  currency: string;
  period: string;
  component: string;
  ruleId: string;
  ruleVersion: string;
  lineId: string | null;
  baseMinor: number;
  rate: number;
  effectiveRate: number;
  tier: string;
  multiplier: number;
  budgetPool: string | null;
  explanation: string;
}

/** Rules insert-or-ignore, a few rows a statement (a program has a few hundred rules). */
const RULES_PER_INSERT = 50;

/** Appends a ledger batch through a runner (the caller's transaction). */
export async function appendLedgerBatch(q: SqlRunner, batch: LedgerBatch): Promise<void> {
  if (batch.transactions.length === 0) return;
  const t: SqlValue[] = [];
  for (const tx of batch.transactions) pushLedgerTransaction(t, tx);
  await q.insertRows('ledger_transactions', LEDGER_TRANSACTION_COLUMNS, t);
  const rules = [...batch.rules.values()];
  for (let i = 0; i < rules.length; i += RULES_PER_INSERT) {
    const chunk = rules.slice(i, i + RULES_PER_INSERT);
    const values: SqlValue[] = [];
    for (const r of chunk) pushLedgerRule(values, r);
    await q.run(
      // No conflict target: the key is (vendor_id, id) on PostgreSQL, id on SQLite (migration 0036).
      `${insertText('ledger_rules', LEDGER_RULE_COLUMNS, chunk.length)} on conflict do nothing`,
      values,
    );
  }
  if (batch.postings.length > 0)
    await q.insertRows('ledger_postings', LEDGER_POSTING_COLUMNS, batch.postings);
  if (batch.entries.length > 0) {
    const e: SqlValue[] = [];
    for (const entry of batch.entries) pushLedgerEntry(e, entry);
    await q.insertRows('ledger_entries', LEDGER_ENTRY_COLUMNS, e);
  }
}

export function pushLedgerRule(out: SqlValue[], r: NewLedgerRule): void {
  out.push(
    r.id,
    r.vendorId,
    r.programId,
    r.component,
    r.kind,
    r.name,
    r.ruleId,
    r.ruleVersion,
    r.debitAccount,
    r.creditAccount,
    r.currency,
    r.tier,
    r.rate,
    r.multiplier,
    r.multipliers,
    r.effectiveRate,
    r.budgetPool,
  );
}

export function pushLedgerPosting(out: SqlValue[], p: NewLedgerPosting): void {
  out.push(p.vendorId, p.transactionId, p.seq, p.rule, p.lineId, p.baseMinor, p.amountMinor, p.dueMinor);
}

/** Appends rows to a flat value array in the column order of the matching *_COLUMNS list. */
export function pushOrder(out: SqlValue[], o: NewOrder): void {
  out.push(
    o.id,
    o.vendorId,
    o.source,
    o.externalId,
    o.customerId,
    o.endUserName,
    o.channel,
    o.resellerId,
    o.distributorId,
    o.orderDate,
    o.currency,
    o.country,
    o.region,
    o.segment,
    o.totalMinor,
    o.createdAt,
    o.inputHash,
    o.originalCurrency,
    o.originalTotalMinor,
  );
}

export function pushOrderLine(out: SqlValue[], l: NewOrderLine): void {
  out.push(
    l.id,
    l.orderId,
    l.vendorId,
    l.lineNo,
    l.productId,
    l.family,
    l.quantity,
    l.unitPriceMinor,
    l.amountMinor,
    l.currency,
    l.resellerId,
    l.distributorId,
    l.customerId,
    l.orderDate,
    l.returnsLineId,
    l.originalCurrency,
    l.originalUnitPriceMinor,
    l.originalAmountMinor,
    l.fxRate,
    l.fxRateDay,
    l.fxRateSource,
  );
}

export function pushLedgerTransaction(out: SqlValue[], t: NewLedgerTransaction): void {
  out.push(
    t.id,
    t.vendorId,
    t.partnerId,
    t.programId,
    t.kind,
    t.idempotencyKey,
    t.inputHash,
    t.orderId,
    t.effectiveDate,
    t.period,
    t.reversesId,
    t.postedAt,
  );
}

export function pushLedgerEntry(out: SqlValue[], e: NewLedgerEntry): void {
  out.push(
    e.id,
    e.transactionId,
    e.vendorId,
    e.partnerId,
    e.programId,
    e.account,
    e.amountMinor,
    e.currency,
    e.period,
    e.component,
    e.ruleId,
    e.ruleVersion,
    e.lineId,
    e.baseMinor,
    e.rate,
    e.effectiveRate,
    e.tier,
    e.multiplier,
    e.budgetPool,
    e.explanation,
  );
}

/**
 * What order intake reads and writes, always within one vendor (the caller's vendor, resolved by the use
 * case): the idempotency key, the references an order points at, the facts its accruals read, and the
 * inserts of the order, its lines and their ledger transactions. Prepared statements on SQLite; one
 * statement per insert (all rows at once) on both stores.
 */
export function orderIntakeRepository(db: Kysely<Database>, store: SqlStore) {
  const q = sqlRunner(db, store);
  return {
    runner: q,
    savepoint: (name: string) => q.run(`savepoint ${name}`, []),
    release: (name: string) => q.run(`release savepoint ${name}`, []),
    rollbackTo: (name: string) => q.run(`rollback to savepoint ${name}`, []),

    async vendorById(id: string) {
      const rows = await q.all<{ id: string; slug: string; name: string; currency: string }>(
        'select id, slug, name, currency from vendors where id = ?',
        [id],
      );
      return rows[0];
    },
    async byKey(vendorId: string, source: string, externalId: string) {
      const rows = await q.all<{ id: string; inputHash: string | null }>(
        'select id, input_hash as "inputHash" from orders where vendor_id = ? and source = ? and external_id = ?',
        [vendorId, source, externalId],
      );
      return rows[0];
    },
    async customer(vendorId: string, id: string) {
      const rows = await q.all<{
        id: string;
        name: string;
        domain: string | null;
        country: string;
        region: string;
        segment: string;
      }>('select id, name, domain, country, region, segment from customers where vendor_id = ? and id = ?', [
        vendorId,
        id,
      ]);
      return rows[0];
    },
    /** The vendor's products among `ids` (kept in memory once read: a product row never changes). */
    async products(vendorId: string, ids: readonly string[]): Promise<ProductFacts[]> {
      const known = productCacheOf(store);
      const found: ProductFacts[] = [];
      const missing: string[] = [];
      for (const id of ids) {
        const hit = known.get(id);
        if (hit && hit.vendorId === vendorId) found.push(hit);
        else missing.push(id);
      }
      if (missing.length === 0) return found;
      const rows = await q.all<ProductFacts>(
        `select id, vendor_id as "vendorId", family, currency, licensing, solution from products
         where vendor_id = ? and id in (${placeholders(missing.length)})`,
        [vendorId, ...missing],
      );
      if (known.size + rows.length > MAX_CACHED_PRODUCTS) known.clear();
      for (const row of rows) {
        known.set(row.id, row);
        found.push(row);
      }
      return found;
    },
    /** Partners among `ids` enrolled (not terminated) with the vendor. */
    enrolledPartners(vendorId: string, ids: readonly string[]) {
      if (ids.length === 0) return Promise.resolve([]);
      return q.all<{ id: string; kind: string }>(
        `select distinct p.id, p.kind from partners p join enrolments e on e.partner_id = p.id
         where e.vendor_id = ? and e.status != 'terminated' and p.id in (${placeholders(ids.length)})`,
        [vendorId, ...ids],
      );
    },
    async supplies(vendorId: string, distributorId: string, resellerId: string): Promise<boolean> {
      const rows = await q.all<{ one: number }>(
        'select 1 as "one" from supply_relationships where vendor_id = ? and distributor_id = ? and reseller_id = ?',
        [vendorId, distributorId, resellerId],
      );
      return rows.length > 0;
    },
    /** The vendor's published program versions with their program code. */
    publishedVersions(vendorId: string) {
      return q.all<PublishedVersionRow>(
        `select v.id, v.program_id as "programId", p.code, v.effective_from as "effectiveFrom",
           v.effective_to as "effectiveTo"
         from program_versions v join programs p on p.vendor_id = v.vendor_id and p.id = v.program_id
         where v.vendor_id = ? and v.status = 'published' order by v.id`,
        [vendorId],
      );
    },
    async versionDefinition(versionId: string) {
      const rows = await q.all<{ definition: string }>(
        'select definition from program_versions where id = ?',
        [versionId],
      );
      return rows[0]?.definition;
    },
    /** For each line: its customer, product, and the quantity not yet returned. */
    async returnable(vendorId: string, lineIds: readonly string[]) {
      if (lineIds.length === 0) return [];
      const rows = await q.all<{
        id: string;
        customerId: string;
        productId: string;
        remaining: number | string;
        currency: string;
        fxRate: string | null;
        fxRateDay: string | null;
        fxRateSource: string | null;
        leftOriginalMinor: number | string | null;
        leftConvertedMinor: number | string;
      }>(
        `select l.id, l.customer_id as "customerId", l.product_id as "productId",
           l.quantity + coalesce((select sum(r.quantity) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "remaining",
           coalesce(l.original_currency, l.currency) as "currency", l.fx_rate as "fxRate",
           l.fx_rate_day as "fxRateDay", l.fx_rate_source as "fxRateSource",
           l.original_amount_minor + coalesce((select sum(r.original_amount_minor) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "leftOriginalMinor",
           l.amount_minor + coalesce((select sum(r.amount_minor) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "leftConvertedMinor"
         from order_lines l
         where l.vendor_id = ? and l.quantity > 0 and l.id in (${placeholders(lineIds.length)})`,
        [vendorId, vendorId, vendorId, vendorId, ...lineIds],
      );
      return rows.map((r) => ({ ...r, remaining: Number(r.remaining) }));
    },
    async insert(order: NewOrder, lines: readonly NewOrderLine[]): Promise<void> {
      const o: SqlValue[] = [];
      pushOrder(o, order);
      await q.insertRows('orders', ORDER_COLUMNS, o);
      const l: SqlValue[] = [];
      for (const line of lines) pushOrderLine(l, line);
      await q.insertRows('order_lines', ORDER_LINE_COLUMNS, l);
    },

    // Facts for accrual: the enrolment in a program, the tier held on a day, earlier purchases.
    /**
     * The partner's enrolment in the program (the first row, as there may be several) and its tier records
     * among `tierCodes` (the tier held on a day is core's `tierHeldOn`), in one query; undefined when the
     * partner is not enrolled.
     */
    async enrolmentWithTiers(programId: string, partnerId: string, tierCodes: readonly string[]) {
      const rows = await q.all<{
        exclusive: number;
        kind: string;
        country: string;
        region: string;
        tierCode: string | null;
        validFrom: string | null;
        validTo: string | null;
      }>(
        `select e.exclusive, p.kind, p.country, p.region, m.tier_code as "tierCode", m.valid_from as "validFrom",
           m.valid_to as "validTo"
         from (select exclusive, vendor_id, partner_id, program_id from enrolments
           where program_id = ? and partner_id = ? limit 1) e
         join partners p on p.id = e.partner_id
         left join memberships m on m.vendor_id = e.vendor_id and m.program_id = e.program_id
           and m.partner_id = e.partner_id
           and ${tierCodes.length > 0 ? `m.tier_code in (${placeholders(tierCodes.length)})` : '1 = 0'}`,
        [programId, partnerId, ...tierCodes],
      );
      const first = rows[0];
      if (!first) return undefined;
      return {
        enrolment: {
          exclusive: first.exclusive,
          kind: first.kind,
          country: first.country,
          region: first.region,
        },
        tiers: rows.flatMap((r) =>
          r.tierCode === null || r.validFrom === null
            ? []
            : [{ tierCode: r.tierCode, validFrom: r.validFrom, validTo: r.validTo }],
        ),
      };
    },
    /** Did the customer buy any of `families` (all when empty) from the vendor in [from, before), other than `exceptOrder`? */
    async boughtBefore(
      vendorId: string,
      customerId: string,
      families: readonly string[],
      from: string,
      before: string,
      exceptOrder: string,
    ): Promise<boolean> {
      const byFamily = families.length > 0 ? ` and l.family in (${placeholders(families.length)})` : '';
      // With an index on customers' lines, those lines are found directly. Without one, the vendor's
      // orders of the window are walked by date (a third as many rows as its lines), then their lines.
      const text = (await hasCustomerIndex(db, store))
        ? `select l.id from order_lines l
           where l.vendor_id = ? and l.customer_id = ? and l.order_date >= ? and l.order_date < ? and l.quantity > 0
             and l.order_id != ?${byFamily} limit 1`
        : `select l.id from orders o join order_lines l on l.vendor_id = o.vendor_id and l.order_id = o.id
           where o.vendor_id = ? and o.customer_id = ? and o.order_date >= ? and o.order_date < ? and l.quantity > 0
             and o.id != ?${byFamily} limit 1`;
      const rows = await q.all<{ id: string }>(text, [
        vendorId,
        customerId,
        from,
        before,
        exceptOrder,
        ...families,
      ]);
      return rows.length > 0;
    },
    /**
     * The idempotency keys among `keys` that the vendor's ledger already holds (by the vendor's key: on
     * PostgreSQL the key is unique per vendor, and a look-up without the vendor reads every transaction;
     * on SQLite the vendor is tested as `keyVendor` does, so the key on the idempotency key alone serves).
     */
    async existingLedgerKeys(vendorId: string, keys: readonly string[]): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await q.all<{ key: string }>(
        `select idempotency_key as "key" from ledger_transactions
         where ${keyVendorColumn(store.capabilities.kind === 'sqlite', 'vendor_id')} = ?
           and idempotency_key in (${placeholders(keys.length)})`,
        [vendorId, ...keys],
      );
      return new Set(rows.map((r) => r.key));
    },
    /** The order stored under a key (the loser of a race on the key reads the winner's). */
    orderByKey(vendorId: string, source: string, externalId: string) {
      return db
        .selectFrom('orders')
        .select(['id', 'inputHash'])
        .where('vendorId', '=', vendorId)
        .where('source', '=', source)
        .where('externalId', '=', externalId)
        .executeTakeFirst();
    },
    /** A direct order held for routing under a key (not booked yet, or booked through a partner). */
    routedOrderByKey(vendorId: string, source: string, externalId: string) {
      return db
        .selectFrom('routedOrders')
        .select(['id', 'inputHash', 'status', 'orderId', 'decision', 'reason', 'sentence', 'coverageStatus'])
        .where('vendorId', '=', vendorId)
        .where('source', '=', source)
        .where('externalId', '=', externalId)
        .executeTakeFirst();
    },
    /** Appends a batch: transactions, then the rules its postings name (if absent), postings, entries. */
    async appendLedger(batch: LedgerBatch): Promise<void> {
      await appendLedgerBatch(q, batch);
    },
  };
}
export type OrderIntakeRepository = ReturnType<typeof orderIntakeRepository>;
