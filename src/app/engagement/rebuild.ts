import type { Kysely } from 'kysely';
import { historyEvent } from '../../core/engagement/history.js';
import { addDuration } from '../../core/programs/dates.js';
import type { Duration, ProgramDefinition } from '../../core/programs/types.js';
import { engagementRepository } from '../../db/repositories/engagement-repository.js';
import { engagementUpkeepRepository } from '../../db/repositories/engagement-upkeep-repository.js';
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
    vendorId !== undefined ? [vendorId] : await engagementUpkeepRepository(ctx.store.db).vendorIds();
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
  const upkeep = engagementUpkeepRepository(trx);
  await upkeep.lockRotation(vendorId);
  await upkeep.clearCoverage(vendorId);
  for (const role of ['reseller', 'distributor'] as const)
    await upkeep.insertChannelSalesFromLines(vendorId, role);
  const counted = await upkeep.countChannelSales(vendorId);

  // The windows of the vendor's published versions (the program in force on an account's last day).
  const versions = (await upkeep.publishedVersionsEarliestFirst(vendorId)).map((v) => ({
    from: v.effectiveFrom,
    to: v.effectiveTo,
    window: (JSON.parse(v.definition) as ProgramDefinition).coverage?.channelExclusiveWindow ?? null,
  }));
  const windowOn = (day: string): Duration | null =>
    versions.find((v) => v.from <= day && day <= v.to)?.window ?? versions.at(-1)?.window ?? null;

  // Per customer: the first purchase of its reseller rows, and the row with the latest one.
  const runs = await upkeep.resellerRuns(vendorId);
  const repo = engagementRepository(trx, ctx.store);
  // The history's first line of each account that has none yet (events are append-only: a second
  // rebuild adds nothing to an account whose history started).
  const started = new Set(await upkeep.customersWithEvent(vendorId, 'channel-exclusive'));
  let events: CoverageEventsTable[] = [];
  let batch: AccountCoverageTable[] = [];
  let accounts = 0;
  for (const r of runs) {
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
        sentence: historyEvent('exclusiveOnRecord', { day: r.since }).sentence,
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
  return { channelSales: counted, accounts };
}

/**
 * The vendors whose orders through partners are not in "who sold to whom" yet (a store upgraded from
 * before migration 0015): each is rebuilt once, as a background job (`trellis serve` asks at start).
 */
export async function vendorsMissingCoverage(ctx: AppContext): Promise<string[]> {
  const upkeep = engagementUpkeepRepository(ctx.store.db);
  const missing: string[] = [];
  for (const vendorId of await upkeep.vendorIds()) {
    if (await upkeep.hasChannelSales(vendorId)) continue;
    if (await upkeep.hasResoldOrder(vendorId)) missing.push(vendorId);
  }
  return missing;
}
