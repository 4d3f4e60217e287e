import type { Kysely } from 'kysely';
import type { SqlStore } from '../connection.js';
import type {
  AccountCoverageTable,
  ChannelSalesTable,
  CoverageEventsTable,
  Database,
  RoutedOrdersTable,
} from '../schema.js';
import { sqlRunner, type SqlValue } from './order-intake-repository.js';
import { pushAll } from '../arrays.js';

/** Rows per multi-row upsert (one statement text per row count, prepared once on SQLite). */
const ROWS_PER_UPSERT = 64;

const SALES_COLUMNS = [
  'vendor_id',
  'customer_id',
  'partner_id',
  'role',
  'family',
  'first_order_date',
  'last_order_date',
  'last_order_id',
  'orders_count',
] as const;

const COVERAGE_COLUMNS = [
  'vendor_id',
  'customer_id',
  'channel_since',
  'last_channel_date',
  'channel_until',
  'last_partner_id',
  'last_order_id',
  'updated_at',
] as const;

/** The routed order's columns, in the order `insertRouted` binds them (one prepared statement). */
const ROUTED_COLUMNS = [
  'id',
  'vendor_id',
  'program_id',
  'source',
  'external_id',
  'input_hash',
  'input',
  'customer_id',
  'region',
  'order_date',
  'total_minor',
  'currency',
  'coverage_status',
  'reason',
  'sentence',
  'decision',
  'status',
  'order_id',
  'booked_partner_id',
  'booked_at',
  'created_by',
  'created_at',
  'updated_at',
  'version',
] as const;
const INSERT_ROUTED = `insert into routed_orders (${ROUTED_COLUMNS.join(', ')}) values (${ROUTED_COLUMNS.map(() => '?').join(', ')})`;

const texts = new Map<string, string>();

/** Customers per coverage read on PostgreSQL. */
const COVERAGE_IN_LIST = 5_000;

/**
 * The relation "who sold to whom" and each account's channel run, kept in step with orders by upserts
 * that only move forward (first purchase earlier, last purchase later), so two transactions writing the
 * same account at once on PostgreSQL leave the same rows as one after the other.
 */
export function engagementRepository(db: Kysely<Database>, store: SqlStore) {
  const q = sqlRunner(db, store);
  const sqlite = store.capabilities.kind === 'sqlite';
  const least = sqlite ? 'min' : 'least';
  const greatest = sqlite ? 'max' : 'greatest';

  const upsertText = (kind: 'sales' | 'coverage', rows: number): string => {
    const key = `${kind}/${rows}/${least}`;
    let text = texts.get(key);
    if (text !== undefined) return text;
    const columns = kind === 'sales' ? SALES_COLUMNS : COVERAGE_COLUMNS;
    const values = Array<string>(rows)
      .fill(`(${columns.map(() => '?').join(', ')})`)
      .join(', ');
    const t = kind === 'sales' ? 'channel_sales' : 'account_coverage';
    text =
      kind === 'sales'
        ? `insert into channel_sales (${columns.join(', ')}) values ${values}
           on conflict (vendor_id, customer_id, partner_id, role, family) do update set
             first_order_date = ${least}(${t}.first_order_date, excluded.first_order_date),
             last_order_id = case when excluded.last_order_date > ${t}.last_order_date
                 or (excluded.last_order_date = ${t}.last_order_date and excluded.last_order_id > ${t}.last_order_id)
               then excluded.last_order_id else ${t}.last_order_id end,
             last_order_date = ${greatest}(${t}.last_order_date, excluded.last_order_date),
             orders_count = ${t}.orders_count + excluded.orders_count`
        : `insert into account_coverage (${columns.join(', ')}) values ${values}
           on conflict (vendor_id, customer_id) do update set
             channel_since = case
               when excluded.channel_since >= ${t}.channel_until then excluded.channel_since
               when excluded.channel_until > ${t}.channel_since then ${least}(${t}.channel_since, excluded.channel_since)
               else ${t}.channel_since end,
             last_partner_id = case when excluded.last_channel_date >= ${t}.last_channel_date
               then excluded.last_partner_id else ${t}.last_partner_id end,
             last_order_id = case when excluded.last_channel_date >= ${t}.last_channel_date
               then excluded.last_order_id else ${t}.last_order_id end,
             last_channel_date = ${greatest}(${t}.last_channel_date, excluded.last_channel_date),
             channel_until = ${greatest}(${t}.channel_until, excluded.channel_until),
             updated_at = excluded.updated_at`;
    texts.set(key, text);
    return text;
  };

  const upsert = async (kind: 'sales' | 'coverage', width: number, values: SqlValue[]) => {
    // Prepared statements are kept per text (one per row count): few, short ones there.
    const per = store.capabilities.bulkInsert === 'prepared' ? ROWS_PER_UPSERT : Math.floor(60_000 / width);
    for (let i = 0; i < values.length; i += per * width) {
      const chunk = values.slice(i, i + per * width);
      await q.run(upsertText(kind, chunk.length / width), chunk);
    }
  };

  return {
    /** Rows must be unique by key within one call (the caller aggregates an import's batch). */
    async upsertChannelSales(rows: readonly ChannelSalesTable[]): Promise<void> {
      const values: SqlValue[] = [];
      for (const r of rows)
        values.push(
          r.vendorId,
          r.customerId,
          r.partnerId,
          r.role,
          r.family,
          r.firstOrderDate,
          r.lastOrderDate,
          r.lastOrderId,
          r.ordersCount,
        );
      await upsert('sales', SALES_COLUMNS.length, values);
    },
    /** Rows must be unique by account within one call. */
    async upsertCoverage(rows: readonly AccountCoverageTable[]): Promise<void> {
      const values: SqlValue[] = [];
      for (const r of rows)
        values.push(
          r.vendorId,
          r.customerId,
          r.channelSince,
          r.lastChannelDate,
          r.channelUntil,
          r.lastPartnerId,
          r.lastOrderId,
          r.updatedAt,
        );
      await upsert('coverage', COVERAGE_COLUMNS.length, values);
    },
    /** The accounts' current runs, by primary key (one vendor). */
    async coverageOf(vendorId: string, customerIds: readonly string[]): Promise<AccountCoverageTable[]> {
      const out: AccountCoverageTable[] = [];
      if (!sqlite) {
        // PostgreSQL: a round trip per customer would cost more than the rows; one query per thousands.
        for (let i = 0; i < customerIds.length; i += COVERAGE_IN_LIST)
          pushAll(
            out,
            await db
              .selectFrom('accountCoverage')
              .selectAll()
              .where('vendorId', '=', vendorId)
              .where('customerId', 'in', customerIds.slice(i, i + COVERAGE_IN_LIST))
              .execute(),
          );
        return out;
      }
      // SQLite: one prepared statement run per customer (no statement per list length).
      for (const id of customerIds) {
        const rows = await q.all<AccountCoverageTable>(
          `select vendor_id as "vendorId", customer_id as "customerId", channel_since as "channelSince",
             last_channel_date as "lastChannelDate", channel_until as "channelUntil",
             last_partner_id as "lastPartnerId", last_order_id as "lastOrderId", updated_at as "updatedAt"
           from account_coverage where vendor_id = ? and customer_id = ?`,
          [vendorId, id],
        );
        if (rows[0]) out.push(rows[0]);
      }
      return out;
    },
    async insertCoverageEvents(rows: readonly CoverageEventsTable[]): Promise<void> {
      const values: SqlValue[] = [];
      for (const e of rows)
        values.push(
          e.id,
          e.vendorId,
          e.customerId,
          e.onDay,
          e.kind,
          e.partnerId,
          e.orderId,
          e.namedAccountId,
          e.sentence,
          e.createdAt,
        );
      await q.insertRows(
        'coverage_events',
        [
          'id',
          'vendor_id',
          'customer_id',
          'on_day',
          'kind',
          'partner_id',
          'order_id',
          'named_account_id',
          'sentence',
          'created_at',
        ],
        values,
      );
    },
    /** Reseller rows of one account (its incumbents), by primary key prefix. */
    async sellersOf(vendorId: string, customerId: string) {
      return q.all<{
        partnerId: string;
        role: string;
        family: string;
        lastOrderDate: string;
        firstOrderDate: string;
      }>(
        `select partner_id as "partnerId", role, family, last_order_date as "lastOrderDate",
           first_order_date as "firstOrderDate"
         from channel_sales where vendor_id = ? and customer_id = ?`,
        [vendorId, customerId],
      );
    },
    /** The named account a customer was matched to (active ones only), if any. */
    async namedMatchOf(vendorId: string, customerId: string) {
      const rows = await q.all<{ id: string; name: string; addedAt: string }>(
        `select a.id, a.name, a.added_at as "addedAt" from direct_named_matches m
           join direct_named_accounts a on a.vendor_id = m.vendor_id and a.id = m.named_account_id
         where m.vendor_id = ? and m.customer_id = ? and a.status = 'active'
         order by m.score desc limit 1`,
        [vendorId, customerId],
      );
      return rows[0] ?? null;
    },
    async namedListVersion(vendorId: string): Promise<number> {
      const rows = await q.all<{ version: number }>(
        'select version from named_account_counts where vendor_id = ?',
        [vendorId],
      );
      return Number(rows[0]?.version ?? 0);
    },
    /** A partner's name, by id. */
    async partnerName(partnerId: string): Promise<string | null> {
      const [p] = await q.all<{ name: string }>('select name from partners where id = ?', [partnerId]);
      return p ? p.name : null;
    },
    /** The rotation moves on by one routed decision (a conditional upsert: concurrent decisions each move it). */
    async advanceRotation(vendorId: string): Promise<void> {
      await q.run(
        `insert into routing_counters (vendor_id, counter) values (?, 1)
       on conflict (vendor_id) do update set counter = routing_counters.counter + 1`,
        [vendorId],
      );
    },
    /** Records a routing decision (one prepared statement). */
    async insertRouted(row: RoutedOrdersTable): Promise<void> {
      await q.run(INSERT_ROUTED, [
        row.id,
        row.vendorId,
        row.programId,
        row.source,
        row.externalId,
        row.inputHash,
        row.input,
        row.customerId,
        row.region,
        row.orderDate,
        row.totalMinor,
        row.currency,
        row.coverageStatus,
        row.reason,
        row.sentence,
        row.decision,
        row.status,
        row.orderId,
        row.bookedPartnerId,
        row.bookedAt,
        row.createdBy,
        row.createdAt,
        row.updatedAt,
        row.version,
      ]);
    },
    /** Opens an offer to a partner and counts it against the partner's open offers. */
    async openOffer(offer: {
      id: string;
      vendorId: string;
      routedOrderId: string;
      partnerId: string;
      rank: number;
      offeredAt: string;
      deadline: string;
    }): Promise<void> {
      await q.run(
        `insert into routing_offers (id, vendor_id, routed_order_id, partner_id, rank, status, offered_at, deadline,
       answered_at, answered_by, decline_reason) values (?, ?, ?, ?, ?, 'open', ?, ?, null, null, null)`,
        [
          offer.id,
          offer.vendorId,
          offer.routedOrderId,
          offer.partnerId,
          offer.rank,
          offer.offeredAt,
          offer.deadline,
        ],
      );
      await q.run(
        `insert into routing_partner_stats (vendor_id, partner_id, open_offers, accepted, declined, lapsed)
     values (?, ?, 1, 0, 0, 0)
     on conflict (vendor_id, partner_id) do update set open_offers = routing_partner_stats.open_offers + 1`,
        [offer.vendorId, offer.partnerId],
      );
    },
    async rotation(vendorId: string): Promise<number> {
      const rows = await q.all<{ counter: number }>(
        'select counter from routing_counters where vendor_id = ?',
        [vendorId],
      );
      return Number(rows[0]?.counter ?? 0);
    },
  };
}
