import type { Kysely } from 'kysely';
import type { SqlStore, Store } from '../connection.js';
import type { Database } from '../schema.js';
import {
  hasCustomerIndex,
  appendLedgerBatch,
  heldConnectionDb,
  ORDER_COLUMNS,
  ORDER_LINE_COLUMNS,
  sqlRunner,
  type LedgerBatch,
  type SqlValue,
} from './order-intake-repository.js';
import { pushAll } from '../arrays.js';
import { placeholders } from '../insert-text.js';
import { withConnectionSettings } from '../sqlite/held-pragmas.js';

/** Most values one `in (...)` list carries. */
const IN_LIST = 900;

async function inChunks<T, R>(
  values: readonly T[],
  query: (chunk: readonly T[]) => Promise<R[]>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += IN_LIST) pushAll(out, await query(values.slice(i, i + IN_LIST)));
  return out;
}

/**
 * What a bulk order import reads and writes, within one vendor: the vendor's reference data once per
 * import, the chunk's customers, earlier purchases and returned lines in a few queries per chunk, and
 * multi-row inserts of orders, lines and ledger rows (flat value arrays in the *_COLUMNS order).
 * Runs on the import's transaction.
 */
/** The currency a sold line was invoiced in and the rate it was converted at (a return reuses it). */
export interface LineRate {
  currency: string;
  fxRate: string | null;
  fxRateDay: string | null;
  fxRateSource: string | null;
  /** What is left of the sale after its returns, invoiced (null: not converted) and converted. */
  leftOriginalMinor: number | string | null;
  leftConvertedMinor: number | string;
}

export function orderImportRepository(db: Kysely<Database>, store: SqlStore) {
  const q = sqlRunner(db, store);
  return {
    vendorProducts(vendorId: string) {
      return q.all<{
        id: string;
        family: string;
        currency: string;
        licensing: string | null;
        solution: string | null;
      }>('select id, family, currency, licensing, solution from products where vendor_id = ?', [vendorId]);
    },
    /** Partners enrolled (not terminated) with the vendor, with their kind. */
    enrolledPartners(vendorId: string) {
      return q.all<{ id: string; kind: string }>(
        `select distinct p.id, p.kind from partners p join enrolments e on e.partner_id = p.id
         where e.vendor_id = ? and e.status != 'terminated'`,
        [vendorId],
      );
    },
    supplies(vendorId: string) {
      return q.all<{ distributorId: string; resellerId: string }>(
        'select distributor_id as "distributorId", reseller_id as "resellerId" from supply_relationships where vendor_id = ?',
        [vendorId],
      );
    },
    /** Every enrolment in these programs, with the partner facts accrual reads. */
    programEnrolments(programIds: readonly string[]) {
      return inChunks(programIds, (ids) =>
        q.all<{
          programId: string;
          partnerId: string;
          exclusive: number;
          kind: string;
          country: string;
          region: string;
        }>(
          `select e.program_id as "programId", e.partner_id as "partnerId", e.exclusive, p.kind, p.country, p.region
           from enrolments e join partners p on p.id = e.partner_id where e.program_id in (${placeholders(ids.length)})`,
          [...ids],
        ),
      );
    },
    /** Every membership record of these programs (tiers and statuses), newest first per partner. */
    memberships(programIds: readonly string[]) {
      return inChunks(programIds, (ids) =>
        q.all<{
          programId: string;
          partnerId: string;
          tierCode: string;
          validFrom: string;
          validTo: string | null;
        }>(
          `select program_id as "programId", partner_id as "partnerId", tier_code as "tierCode",
             valid_from as "validFrom", valid_to as "validTo"
           from memberships where program_id in (${placeholders(ids.length)})
           order by program_id, partner_id, valid_from desc`,
          [...ids],
        ),
      );
    },
    customers(vendorId: string, ids: readonly string[]) {
      return inChunks(ids, (chunk) =>
        q.all<{ id: string; name: string; country: string; region: string; segment: string }>(
          `select id, name, country, region, segment from customers where vendor_id = ? and id in (${placeholders(chunk.length)})`,
          [vendorId, ...chunk],
        ),
      );
    },
    /** Orders of the vendor already stored under these keys of one source. */
    existingOrders(vendorId: string, source: string, externalIds: readonly string[]) {
      return inChunks(externalIds, (chunk) =>
        q.all<{ externalId: string; id: string; inputHash: string | null }>(
          `select external_id as "externalId", id, input_hash as "inputHash" from orders
           where vendor_id = ? and source = ? and external_id in (${placeholders(chunk.length)})`,
          [vendorId, source, ...chunk],
        ),
      );
    },
    /** The customers' purchases (positive lines) from the vendor on or after `from`: day and family. */
    purchases(vendorId: string, customerIds: readonly string[], from: string) {
      return inChunks(customerIds, (chunk) =>
        q.all<{ customerId: string; orderDate: string; family: string }>(
          `select customer_id as "customerId", order_date as "orderDate", family from order_lines
           where vendor_id = ? and customer_id in (${placeholders(chunk.length)}) and order_date >= ? and quantity > 0`,
          [vendorId, ...chunk, from],
        ),
      );
    },
    /** Whether an index finds a customer's lines: then per-chunk purchase queries are cheap. */
    hasCustomerIndex: () => hasCustomerIndex(db, store),
    /** Every purchase (positive line) of the vendor's customers on or after `from`, streamed to `each`. */
    async eachPurchase(
      vendorId: string,
      from: string,
      each: (customerId: string, orderDate: string, family: string) => void,
    ): Promise<void> {
      const text =
        'select customer_id, order_date, family from order_lines where vendor_id = ? and order_date >= ? and quantity > 0';
      // Streamed as arrays on SQLite: a large vendor has millions of lines, never held as objects at once.
      await store.bulk.eachRow(db, text, [vendorId, from], (row) =>
        each(row[0] as string, row[1] as string, row[2] as string),
      );
    },
    /** Lines that returns name by id: customer, product and the quantity not yet returned. */
    returnableByIds(vendorId: string, lineIds: readonly string[]) {
      return inChunks(lineIds, (chunk) =>
        q.all<{ id: string; customerId: string; productId: string; remaining: number | string } & LineRate>(
          `select l.id, l.customer_id as "customerId", l.product_id as "productId",
             l.quantity + coalesce((select sum(r.quantity) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "remaining",
             coalesce(l.original_currency, l.currency) as "currency", l.fx_rate as "fxRate",
             l.fx_rate_day as "fxRateDay", l.fx_rate_source as "fxRateSource",
             l.original_amount_minor + coalesce((select sum(r.original_amount_minor) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "leftOriginalMinor",
             l.amount_minor + coalesce((select sum(r.amount_minor) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "leftConvertedMinor"
           from order_lines l where l.vendor_id = ? and l.quantity > 0 and l.id in (${placeholders(chunk.length)})`,
          [vendorId, vendorId, vendorId, vendorId, ...chunk],
        ),
      );
    },
    /** Lines of orders of one source, by external id and line number, as returns name them. */
    returnableByOrder(vendorId: string, source: string, externalIds: readonly string[]) {
      return inChunks(externalIds, (chunk) =>
        q.all<
          {
            externalId: string;
            lineNo: number;
            id: string;
            customerId: string;
            productId: string;
            remaining: number | string;
          } & LineRate
        >(
          `select o.external_id as "externalId", l.line_no as "lineNo", l.id, l.customer_id as "customerId",
             l.product_id as "productId",
             l.quantity + coalesce((select sum(r.quantity) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "remaining",
             coalesce(l.original_currency, l.currency) as "currency", l.fx_rate as "fxRate",
             l.fx_rate_day as "fxRateDay", l.fx_rate_source as "fxRateSource",
             l.original_amount_minor + coalesce((select sum(r.original_amount_minor) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "leftOriginalMinor",
             l.amount_minor + coalesce((select sum(r.amount_minor) from order_lines r where r.vendor_id = ? and r.returns_line_id = l.id), 0) as "leftConvertedMinor"
           from orders o join order_lines l on l.vendor_id = o.vendor_id and l.order_id = o.id
           where o.vendor_id = ? and o.source = ? and o.external_id in (${placeholders(chunk.length)}) and l.quantity > 0`,
          [vendorId, vendorId, vendorId, vendorId, source, ...chunk],
        ),
      );
    },
    insertOrders: (values: readonly SqlValue[]) => q.insertRows('orders', ORDER_COLUMNS, values),
    insertLines: (values: readonly SqlValue[]) => q.insertRows('order_lines', ORDER_LINE_COLUMNS, values),
    appendLedger: (batch: LedgerBatch) => appendLedgerBatch(q, batch),
    /** Direct orders routed to a partner under these keys (they keep the key, booked or still offered). */
    routedKeys: (vendorId: string, source: string, externalIds: readonly string[]) =>
      db
        .selectFrom('routedOrders')
        .select(['id', 'externalId', 'inputHash'])
        .where('vendorId', '=', vendorId)
        .where('source', '=', source)
        .where('externalId', 'in', [...externalIds])
        .where('reason', 'in', ['channel-exclusive', 'below-threshold'])
        .execute(),
  };
}
export type OrderImportRepository = ReturnType<typeof orderImportRepository>;

/**
 * Runs `work` in one transaction set up for a bulk write. On SQLite it holds the one connection first, so
 * no other transaction is open, then raises the page cache for the duration (random inserts into the
 * order and ledger indexes would otherwise re-read pages the small default cache let go) and, when
 * `checkedReferences` says the caller has verified every reference it writes (as the order import does:
 * customers, products, partners, programs and returned lines are all read first), skips the per-row
 * foreign-key look-ups, as the bulk loader does; its temporary storage is memory meanwhile (statement
 * journals, below). All are restored before the connection is released.
 * On a main-thread SQLite connection `work` receives the held connection's handle (heldConnectionDb).
 * On PostgreSQL it is a plain transaction.
 */
export async function inBulkTransaction<R>(
  store: SqlStore & Pick<Store, 'db'>,
  options: { checkedReferences: boolean },
  work: (trx: Kysely<Database>) => Promise<R>,
): Promise<R> {
  if (store.capabilities.kind !== 'sqlite') return store.db.transaction().execute(work);
  return withConnectionSettings(
    store.db,
    [
      ['cache_size', -262144],
      // Each multi-row insert first copies every page it changes to a statement journal (to undo the
      // statement alone if it fails midway), a temporary file once past 64 KiB: 75 KB written per line
      // imported (7.5 GB for the bench's 100,000 lines), read back only on a failure. With temporary
      // storage in memory the import writes 3.5 KB a line (the WAL and its checkpoints), a few % faster.
      ['temp_store', 2],
      ...(options.checkedReferences ? [['foreign_keys', 0] as const] : []),
    ],
    // The work runs on the held connection (as group commit's units do): its Kysely queries reuse
    // prepared statements instead of preparing each anew, and repositories may run kept texts.
    (conn) => conn.transaction().execute((trx) => work(heldConnectionDb(store) ?? trx)),
  );
}
