import { sql, type Kysely } from 'kysely';
import { addDuration } from '../../core/programs/dates.js';
import type { Duration, ProgramDefinition } from '../../core/programs/types.js';
import { engagementRepository } from '../../db/repositories/engagement-repository.js';
import type { AccountCoverageTable, CoverageEventsTable, Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';

/** Accounts written per call of the coverage upsert. */
const COVERAGE_BATCH = 5_000;

export interface RebuildSummary {
  vendors: number;
  channelSales: number;
  accounts: number;
  seconds: number;
}

/**
 * Recomputes "who sold to whom" (`channel_sales`) and each account's channel run (`account_coverage`)
 * from the stored order lines, for one vendor or every vendor, in one transaction. For stores filled
 * without `keepCoverage` (the demo's bulk load); afterwards each order keeps them in step by itself.
 *
 * - channel_sales: one `insert ... select ... group by` per role from the lines with a reseller
 *   (role reseller) or a distributor (role distributor) and a positive quantity; `last_order_id` is an
 *   order of the partner to the customer on its last purchase day (the greatest id among them);
 * - account_coverage: per customer, from its reseller rows: since its first channel purchase, last =
 *   its latest, until = latest + the channel-exclusive window of the vendor's published program in force
 *   on that day; last partner and order those of the row with the latest date. The run is taken to be
 *   unbroken (the stored history is shorter than the window; a gap longer than the window would start a
 *   later run, which `keepCoverage` records when orders arrive one by one).
 *
 * The vendor's existing rows are replaced. An account without history gets its first event (channel-exclusive
 * since its first purchase on record); history is append-only, so a second rebuild adds none.
 */
export async function rebuildCoverage(ctx: AppContext, vendorId?: string): Promise<RebuildSummary> {
  const started = performance.now();
  const vendors =
    vendorId !== undefined
      ? [vendorId]
      : (await ctx.store.db.selectFrom('vendors').select('id').orderBy('id').execute()).map((v) => v.id);
  let channelSales = 0;
  let accounts = 0;
  const now = ctx.clock.now().toISOString();
  await ctx.store.db.transaction().execute(async (trx) => {
    for (const v of vendors) {
      const r = await rebuildVendor(trx, ctx, v, now);
      channelSales += r.channelSales;
      accounts += r.accounts;
    }
  });
  return { vendors: vendors.length, channelSales, accounts, seconds: (performance.now() - started) / 1000 };
}

async function rebuildVendor(
  trx: Kysely<Database>,
  ctx: AppContext,
  vendorId: string,
  now: string,
): Promise<{ channelSales: number; accounts: number }> {
  // One rebuild of a vendor at a time: the vendor's rotation counter row is locked first (on PostgreSQL
  // a second rebuild waits for the first to commit, then replaces its rows; SQLite writes one at a time).
  await trx
    .insertInto('routingCounters')
    .values({ vendorId, counter: 0 })
    .onConflict((oc) =>
      oc.column('vendorId').doUpdateSet((eb) => ({ counter: eb.ref('routingCounters.counter') })),
    )
    .execute();
  await trx.deleteFrom('accountCoverage').where('vendorId', '=', vendorId).execute();
  await trx.deleteFrom('channelSales').where('vendorId', '=', vendorId).execute();
  for (const role of ['reseller', 'distributor'] as const) {
    const partner = sql.ref(role === 'reseller' ? 'reseller_id' : 'distributor_id');
    const orderPartner = sql.ref(role === 'reseller' ? 'o.reseller_id' : 'o.distributor_id');
    await sql`
      insert into channel_sales (vendor_id, customer_id, partner_id, role, family, first_order_date,
        last_order_date, last_order_id, orders_count)
      select g.vendor_id, g.customer_id, g.partner_id, ${sql.lit(role)}, g.family, g.first_date, g.last_date,
        (select max(o.id) from orders o
          where o.vendor_id = g.vendor_id and o.customer_id = g.customer_id and o.order_date = g.last_date
            and ${orderPartner} = g.partner_id),
        g.n
      from (
        select vendor_id, customer_id, ${partner} as partner_id, family, min(order_date) as first_date,
          max(order_date) as last_date, count(distinct order_id) as n
        from order_lines
        where vendor_id = ${vendorId} and ${partner} is not null and quantity > 0
        group by vendor_id, customer_id, ${partner}, family
      ) g`.execute(trx);
  }
  const counted = await trx
    .selectFrom('channelSales')
    .select(sql<number | string>`count(*)`.as('n'))
    .where('vendorId', '=', vendorId)
    .executeTakeFirst();

  // The windows of the vendor's published versions (the program in force on an account's last day).
  const versions = (
    await trx
      .selectFrom('programVersions')
      .select(['effectiveFrom', 'effectiveTo', 'definition'])
      .where('vendorId', '=', vendorId)
      .where('status', '=', 'published')
      .orderBy('effectiveFrom')
      .execute()
  ).map((v) => ({
    from: v.effectiveFrom,
    to: v.effectiveTo,
    window: (JSON.parse(v.definition) as ProgramDefinition).coverage?.channelExclusiveWindow ?? null,
  }));
  const windowOn = (day: string): Duration | null =>
    versions.find((v) => v.from <= day && day <= v.to)?.window ?? versions.at(-1)?.window ?? null;

  // Per customer: the first purchase of its reseller rows, and the row with the latest one.
  const runs = await sql<{
    customerId: string;
    since: string;
    lastDate: string;
    partnerId: string;
    orderId: string;
  }>`
    select customer_id, since, last_order_date as last_date, partner_id, last_order_id as order_id
    from (
      select customer_id, partner_id, last_order_date, last_order_id,
        min(first_order_date) over (partition by customer_id) as since,
        row_number() over (partition by customer_id
          order by last_order_date desc, last_order_id desc, partner_id desc) as rn
      from channel_sales
      where vendor_id = ${vendorId} and role = 'reseller'
    ) t
    where rn = 1
    order by customer_id`.execute(trx);
  const repo = engagementRepository(trx, ctx.store);
  // The history's first line of each account that has none yet (events are append-only: a second
  // rebuild adds nothing to an account whose history started).
  const started = new Set(
    (
      await trx
        .selectFrom('coverageEvents')
        .select('customerId')
        .where('vendorId', '=', vendorId)
        .where('kind', '=', 'channel-exclusive')
        .execute()
    ).map((e) => e.customerId),
  );
  let events: CoverageEventsTable[] = [];
  let batch: AccountCoverageTable[] = [];
  let accounts = 0;
  for (const r of runs.rows) {
    const window = windowOn(r.lastDate);
    if (!window) continue;
    if (!started.has(r.customerId))
      events.push({
        id: ctx.ids.next('coverageEvent'),
        vendorId,
        customerId: r.customerId,
        onDay: r.since,
        kind: 'channel-exclusive',
        partnerId: null,
        orderId: null,
        namedAccountId: null,
        sentence: `channel-exclusive from ${r.since}: its first purchase through a partner on record (computed from the stored orders)`,
        createdAt: now,
      });
    batch.push({
      vendorId,
      customerId: r.customerId,
      channelSince: r.since,
      lastChannelDate: r.lastDate,
      channelUntil: addDuration(r.lastDate, window),
      lastPartnerId: r.partnerId,
      lastOrderId: r.orderId,
      updatedAt: now,
    });
    if (batch.length >= COVERAGE_BATCH) {
      await repo.upsertCoverage(batch);
      await repo.insertCoverageEvents(events);
      accounts += batch.length;
      batch = [];
      events = [];
    }
  }
  if (batch.length > 0) await repo.upsertCoverage(batch);
  if (events.length > 0) await repo.insertCoverageEvents(events);
  accounts += batch.length;
  return { channelSales: Number(counted?.n ?? 0), accounts };
}

/**
 * The vendors whose orders through partners are not in "who sold to whom" yet (a store upgraded from
 * before migration 0015): each is rebuilt once, as a background job (`trellis serve` asks at start).
 */
export async function vendorsMissingCoverage(ctx: AppContext): Promise<string[]> {
  const vendors = await ctx.store.db.selectFrom('vendors').select('id').orderBy('id').execute();
  const missing: string[] = [];
  for (const v of vendors) {
    const known = await ctx.store.db
      .selectFrom('channelSales')
      .select('vendorId')
      .where('vendorId', '=', v.id)
      .limit(1)
      .executeTakeFirst();
    if (known) continue;
    const sold = await ctx.store.db
      .selectFrom('orders')
      .select('id')
      .where('resellerId', 'is not', null)
      .where('vendorId', '=', v.id)
      .limit(1)
      .executeTakeFirst();
    if (sold) missing.push(v.id);
  }
  return missing;
}
