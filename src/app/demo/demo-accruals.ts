import type { Channel } from '../../core/model/orders.js';
import { fixedClock } from '../../core/shared/clock.js';
import { sequentialIds } from '../../core/shared/ids.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { BulkAccruals } from '../incentives/bulk-accruals.js';
import { demoAccrualRepository } from '../../db/repositories/demo-accrual-repository.js';
import { inBulkTransaction, orderImportRepository } from '../../db/repositories/order-import-repository.js';
import { emptyLedgerBatch, orderIntakeRepository } from '../../db/repositories/order-intake-repository.js';

/** Orders read and accrued per page. */
const PAGE_ORDERS = 500;

export interface DemoAccrualsSummary {
  /** Per vendor: the days whose orders accrued, and what was posted. */
  vendors: {
    vendorId: string;
    from: string;
    to: string;
    orders: number;
    transactions: number;
    accruedMinor: number;
  }[];
  seconds: number;
}

/**
 * Real-time accruals for the orders the demo bulk-loaded into its open periods (the bulk load writes
 * orders without the accruals each ingested order gets): each vendor's orders dated from `from` to
 * `today`, in date order, through the same builder as a CSV import (`BulkAccruals`: the ledger rows
 * `postAccruals` writes for each order posted one by one, with the tier each partner held on the order's
 * day and new business against every earlier purchase), posted at the order's day. One transaction per
 * vendor, audited. Deterministic for a seed (own id namespace).
 */
export async function accrueDemoOrders(
  ctx: AppContext,
  options: {
    seed: number;
    /** Per vendor id: the first day whose orders accrue (the first open period's start). */
    from: Record<string, string>;
    now: Date;
  },
): Promise<DemoAccrualsSummary> {
  const started = performance.now();
  const today = options.now.toISOString().slice(0, 10);
  const clock = fixedClock(options.now.toISOString());
  const ids = sequentialIds(`a${options.seed.toString(36)}`);
  const vendors: DemoAccrualsSummary['vendors'] = [];
  for (const [vendorId, from] of Object.entries(options.from).sort()) {
    if (from > today) continue;
    const result = await inBulkTransaction(ctx.store, { checkedReferences: true }, async (trx) => {
      const intake = orderIntakeRepository(trx, ctx.store);
      const imports = orderImportRepository(trx, ctx.store);
      const reads = demoAccrualRepository(trx, ctx.store);
      // Only the versions in force over the range: their look-back bounds the purchases read.
      const published = (await intake.publishedVersions(vendorId)).filter(
        (v) => v.effectiveFrom <= today && v.effectiveTo >= from,
      );
      const accruals = await BulkAccruals.prepare(intake, imports, vendorId, published);
      // Without an index to find a customer's lines, one pass over the look-back's purchases beats one
      // query per page (as the order import does).
      if (!(await imports.hasCustomerIndex())) await accruals.loadAllCustomers(imports);
      let orders = 0;
      let transactions = 0;
      let accruedMinor = 0;
      let after: { orderDate: string; id: string } | null = null;
      for (;;) {
        const page = await reads.ordersPage(vendorId, { from, to: today }, after, PAGE_ORDERS);
        const last = page.orders.at(-1);
        if (!last) break;
        after = { orderDate: last.orderDate, id: last.id };
        await accruals.loadCustomers(imports, accruals.unseen(page.orders.map((o) => o.customerId)));
        const returned = page.lines
          .filter((l) => l.returnsLineId !== null)
          .map((l) => l.returnsLineId as string);
        await accruals.loadReturnedSales(trx, [...new Set(returned)]);
        const linesOf = new Map<string, typeof page.lines>();
        for (const l of page.lines) {
          const list = linesOf.get(l.orderId);
          if (list) list.push(l);
          else linesOf.set(l.orderId, [l]);
        }
        const ledger = emptyLedgerBatch();
        for (const o of page.orders) {
          const accrued = accruals.accrue(
            ids,
            `${o.orderDate}T12:00:00.000Z`,
            { ...o, channel: o.channel as Channel, totalMinor: Number(o.totalMinor) },
            (linesOf.get(o.id) ?? []).map((l) => ({ ...l, amountMinor: Number(l.amountMinor) })),
            ledger,
          );
          orders++;
          transactions += accrued.transactions;
          accruedMinor += accrued.accruedMinor;
        }
        await imports.appendLedger(ledger);
      }
      const summary = { vendorId, from, to: today, orders, transactions, accruedMinor };
      await recordAudit(
        trx,
        { clock, ids },
        {
          actor: { kind: 'system', id: 'demo' },
          action: 'demo.accruals',
          target: { type: 'vendor', id: vendorId, vendorId, partnerId: null },
          before: null,
          after: summary,
          requestId: null,
          detail: summary,
        },
      );
      return summary;
    });
    vendors.push(result);
  }
  return { vendors, seconds: (performance.now() - started) / 1000 };
}
