import type { Kysely } from 'kysely';
import { advanceRun, exclusiveUntil, type ChannelRun } from '../../core/engagement/coverage.js';
import { historyEvent } from '../../core/engagement/history.js';
import { addDays } from '../../core/programs/dates.js';
import type { Duration } from '../../core/programs/types.js';
import type { IdGenerator } from '../../core/shared/ids.js';
import type { Store } from '../../db/connection.js';
import { engagementRepository } from '../../db/repositories/engagement-repository.js';
import {
  orderIntakeRepository,
  type PublishedVersionRow,
} from '../../db/repositories/order-intake-repository.js';
import type {
  AccountCoverageTable,
  ChannelSalesTable,
  CoverageEventsTable,
  Database,
} from '../../db/schema.js';
import { compiledVersion } from '../incentives/post-accruals.js';

/** A stored order as coverage sees it: who sold, to whom, when, which families (sold lines only). */
export interface OrderForCoverage {
  id: string;
  vendorId: string;
  customerId: string;
  resellerId: string | null;
  distributorId: string | null;
  orderDate: string;
  /** Families of the lines with a positive quantity (a return buys nothing). */
  families: readonly string[];
}

/** The channel-exclusive window of the vendor's program in force on a day (the first that has one). */
export async function coverageWindowOn(
  trx: Kysely<Database>,
  store: Store,
  published: readonly PublishedVersionRow[],
  day: string,
): Promise<Duration | null> {
  const v = published.find((p) => p.effectiveFrom <= day && day <= p.effectiveTo);
  if (!v) return null;
  const compiled = await compiledVersion(
    { versionDefinition: (id) => orderIntakeRepository(trx, store).versionDefinition(id) },
    v,
  );
  return compiled.program.coverage.channelExclusiveWindow;
}

/**
 * Keeps "who sold to whom" and the accounts' coverage in step with orders just stored, in the caller's
 * transaction: one upsert per (customer, partner, role, family), one per account, and a history event
 * when a channel run starts. Never reads history: each order moves the rows forward by itself.
 */
export async function keepCoverage(
  trx: Kysely<Database>,
  store: Store,
  ids: IdGenerator,
  now: string,
  published: readonly PublishedVersionRow[],
  orders: readonly OrderForCoverage[],
): Promise<void> {
  const channel = orders.filter((o) => (o.resellerId || o.distributorId) && o.families.length > 0);
  if (channel.length === 0) return;
  const windows = new Map<string, Duration | null>();
  const windowOn = async (day: string) => {
    if (!windows.has(day)) windows.set(day, await coverageWindowOn(trx, store, published, day));
    return windows.get(day) ?? null;
  };

  const sales = new Map<string, ChannelSalesTable>();
  const add = (o: OrderForCoverage, partnerId: string, role: string, family: string) => {
    const key = `${o.customerId}\u0000${partnerId}\u0000${role}\u0000${family}`;
    const row = sales.get(key);
    if (!row) {
      sales.set(key, {
        vendorId: o.vendorId,
        customerId: o.customerId,
        partnerId,
        role,
        family,
        firstOrderDate: o.orderDate,
        lastOrderDate: o.orderDate,
        lastOrderId: o.id,
        ordersCount: 1,
      });
      return;
    }
    if (o.orderDate < row.firstOrderDate) row.firstOrderDate = o.orderDate;
    // The last purchase day's greatest order id, as a rebuild from the lines keeps it.
    if (o.orderDate > row.lastOrderDate || (o.orderDate === row.lastOrderDate && o.id > row.lastOrderId)) {
      row.lastOrderDate = o.orderDate;
      row.lastOrderId = o.id;
    }
    row.ordersCount++;
  };
  for (const o of channel)
    for (const f of o.families) {
      if (o.resellerId) add(o, o.resellerId, 'reseller', f);
      if (o.distributorId) add(o, o.distributorId, 'distributor', f);
    }
  const repo = engagementRepository(trx, store);
  await repo.upsertChannelSales([...sales.values()]);

  // Coverage follows resellers' sales (the partner that sold to the account), in date order per account.
  const resold = channel.filter((o) => o.resellerId).sort((a, b) => (a.orderDate < b.orderDate ? -1 : 1));
  if (resold.length === 0) return;
  const vendorId = (resold[0] as OrderForCoverage).vendorId;
  const customers = [...new Set(resold.map((o) => o.customerId))];
  const current = new Map((await repo.coverageOf(vendorId, customers)).map((r) => [r.customerId, r]));
  const runs = new Map<string, ChannelRun | null>(
    customers.map((c) => {
      const r = current.get(c);
      return [
        c,
        r
          ? {
              since: r.channelSince,
              lastDate: r.lastChannelDate,
              until: r.channelUntil,
              lastPartnerId: r.lastPartnerId,
              lastOrderId: r.lastOrderId,
            }
          : null,
      ];
    }),
  );
  const events: CoverageEventsTable[] = [];
  for (const o of resold) {
    const window = await windowOn(o.orderDate);
    if (!window) continue;
    const before = runs.get(o.customerId) ?? null;
    const { run, started } = advanceRun(
      before,
      { date: o.orderDate, partnerId: o.resellerId as string, orderId: o.id },
      window,
    );
    runs.set(o.customerId, run);
    if (started)
      events.push({
        id: ids.next('coverageEvent'),
        vendorId,
        customerId: o.customerId,
        onDay: o.orderDate,
        kind: 'channel-exclusive',
        partnerId: o.resellerId,
        orderId: o.id,
        namedAccountId: null,
        sentence: (before
          ? historyEvent('exclusiveAgain', {
              day: o.orderDate,
              orderId: o.id,
              ended: addDays(before.until, -1),
            })
          : historyEvent('exclusiveFrom', {
              day: o.orderDate,
              orderId: o.id,
              through: addDays(exclusiveUntil(o.orderDate, window), -1),
            })
        ).sentence,
        createdAt: now,
      });
  }
  const rows: AccountCoverageTable[] = [];
  for (const [customerId, run] of runs) {
    if (!run) continue;
    rows.push({
      vendorId,
      customerId,
      channelSince: run.since,
      lastChannelDate: run.lastDate,
      channelUntil: run.until,
      lastPartnerId: run.lastPartnerId,
      lastOrderId: run.lastOrderId,
      updatedAt: now,
    });
  }
  await repo.upsertCoverage(rows);
  if (events.length > 0) await repo.insertCoverageEvents(events);
}
