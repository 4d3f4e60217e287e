import type { Region, Segment } from '../model/geography.js';
import { SEGMENTS } from '../model/geography.js';
import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { Channel, Order, OrderLine } from '../model/orders.js';
import type { Partner } from '../model/partners.js';
import type { HistoryCalendar } from './calendar.js';
import type { CustomerTable } from './customers.js';
import { COUNTRY_TABLE } from './geo.js';
import { demoIdAt } from './fast-ids.js';
import { randomVariantName } from './name-variants.js';
import type { PartnerWorld } from './partners.js';
import { KIND_SERVICE_PROVIDER, vendorCode, vendorShares } from './partners.js';
import type { ProductWorld } from './products.js';
import { FAMILY_PROFILES } from './products.js';
import type { AliasTable } from './random-tools.js';
import {
  aliasTable,
  apportion,
  cumulative,
  pickAlias,
  pickCumulative,
  streamFor,
  weightsOf,
} from './random-tools.js';
import type { DemoVendorInput, FlatOrderBatch, FlatOrderSelection, FlatValue, OrderBatch } from './types.js';
import { FLAT_LINE_FIELDS, FLAT_ORDER_FIELDS } from './types.js';

/** Share of orders per channel: direct, through a partner, distributor sell-out (POS). */
export const CHANNEL_SHARES = { direct: 0.15, partner: 0.55, distributor: 0.3 } as const;
/** Relative frequency of 1..10 lines on an order (mean ~4, as in B2B hardware orders). */
const LINE_COUNT_WEIGHTS = [0.16, 0.17, 0.16, 0.14, 0.11, 0.09, 0.07, 0.05, 0.03, 0.02];
/** Chance that the next order is a return of an earlier line (about 2% of lines end up returns). */
const RETURN_ORDER_P = 0.0755;
/** Recent lines kept as return candidates (a bounded sample spanning about the last 60 days). */
const RING = 1 << 17;
/** Tries to find a returnable line in the ring before giving up on a return. */
const RETURN_TRIES = 4;
const RETURN_WINDOW_DAYS = 60;
/** Quantity multiplier per segment (in SEGMENTS order) and direct discount per segment. */
const SEGMENT_QTY = [2, 1, 0.6, 1.4];
const DIRECT_DISCOUNT = [0.18, 0.08, 0.02, 0.15];
/** Share of partner-typed end-user names that are exact. */
const EXACT_NAMES = 0.6;

export function averageLinesPerOrder(): number {
  let total = 0;
  let sum = 0;
  LINE_COUNT_WEIGHTS.forEach((w, i) => {
    total += w;
    sum += w * (i + 1);
  });
  return sum / total;
}

/** The expected number of orders for a number of lines (returns are one-line orders). */
export function estimateOrders(lines: number): number {
  const perOrder = (1 - RETURN_ORDER_P) * averageLinesPerOrder() + RETURN_ORDER_P;
  return Math.round(lines / perOrder);
}

export interface OrderContext {
  seed: number;
  namespace: string;
  vendors: readonly DemoVendorInput[];
  calendar: HistoryCalendar;
  plan: OrderPlan;
  createdAt: Date;
  partners: PartnerWorld;
  customers: CustomerTable;
  products: ProductWorld;
}

/**
 * How many lines each day gets and which vendors sell on it. Exactly `recentLines` fall in the last twelve
 * months (from calendar.recentFrom); older days get lines in proportion to their weight, so the history
 * keeps the calendar's growth. A vendor sells from its `sellsFrom` day (its first program version): before
 * it, the day's volume is only the other vendors' share (no vendor's volume jumps when another arrives).
 */
export interface OrderPlan {
  linesPerDay: Int32Array;
  /** Every line of the world. */
  lines: number;
  /** The lines of the last twelve months. */
  recentLines: number;
  /** Per day: cumulative vendor shares over the vendors selling that day (0 for the others). */
  vendorCum: Float64Array[];
}

export function orderPlan(
  vendors: readonly DemoVendorInput[],
  calendar: HistoryCalendar,
  recentLines: number,
): OrderPlan {
  const shares = vendorShares(vendors);
  const totalShare = shares.reduce((a, b) => a + b, 0);
  const tables = new Map<string, Float64Array>();
  const vendorCum: Float64Array[] = [];
  const weights = new Float64Array(calendar.days);
  for (let d = 0; d < calendar.days; d++) {
    const date = calendar.dates[d] as string;
    const active = vendors.map((v, i) => (v.sellsFrom === undefined || v.sellsFrom <= date ? shares[i] : 0));
    const key = active.join(',');
    let cum = tables.get(key);
    if (cum === undefined) {
      cum = cumulative(active as number[]);
      tables.set(key, cum);
    }
    vendorCum.push(cum);
    weights[d] = ((calendar.weights[d] as number) * (cum[cum.length - 1] ?? 0)) / totalShare;
  }
  const from = calendar.recentFrom;
  let recentWeight = 0;
  let olderWeight = 0;
  for (let d = 0; d < calendar.days; d++) {
    if (d >= from) recentWeight += weights[d] as number;
    else olderWeight += weights[d] as number;
  }
  if (recentLines > 0 && recentWeight <= 0)
    throw new RangeError('no vendor sells in the last twelve months of the demo world');
  const olderLines = recentWeight > 0 ? Math.round((recentLines * olderWeight) / recentWeight) : 0;
  const recent = apportion(recentLines, weights.subarray(from));
  const older = apportion(olderLines, weights.subarray(0, from));
  const linesPerDay = new Int32Array(calendar.days);
  linesPerDay.set(older, 0);
  linesPerDay.set(recent, from);
  return { linesPerDay, lines: olderLines + recentLines, recentLines, vendorCum };
}

/**
 * The orders of the world in date order with their lines, as objects: the rows of
 * {@link orderRowBatches} with everything selected, batch by batch.
 */
export function* orderBatches(ctx: OrderContext, batchSize: number): Generator<OrderBatch> {
  const select = { orders: true, lines: true };
  for (const flat of orderRowBatches(ctx, batchSize, select)) {
    // Orders of one day share one createdAt Date (treat it as immutable): an allocation per order is wasted.
    let createdAtText = '';
    let createdAt = new Date(0);
    const orders: Order[] = new Array<Order>(flat.orderCount);
    const o = flat.orders;
    for (let i = 0, k = 0; i < flat.orderCount; i++, k += ORDER_WIDTH) {
      if (o[k + 15] !== createdAtText) {
        createdAtText = o[k + 15] as string;
        createdAt = new Date(createdAtText);
      }
      orders[i] = {
        id: o[k] as string,
        vendorId: o[k + 1] as string,
        source: o[k + 2] as string,
        externalId: o[k + 3] as string,
        customerId: o[k + 4] as string,
        endUserName: o[k + 5] as string,
        channel: o[k + 6] as Channel,
        resellerId: o[k + 7] as string | null,
        distributorId: o[k + 8] as string | null,
        orderDate: o[k + 9] as string,
        currency: o[k + 10] as string,
        country: o[k + 11] as string,
        region: o[k + 12] as Region,
        segment: o[k + 13] as Segment,
        totalMinor: o[k + 14] as number,
        createdAt,
      };
    }
    const lines: OrderLine[] = new Array<OrderLine>(flat.lineCount);
    const l = flat.lines;
    for (let i = 0, k = 0; i < flat.lineCount; i++, k += LINE_WIDTH) {
      lines[i] = {
        id: l[k] as string,
        orderId: l[k + 1] as string,
        vendorId: l[k + 2] as string,
        lineNo: l[k + 3] as number,
        productId: l[k + 4] as string,
        family: l[k + 5] as ProductFamily,
        quantity: l[k + 6] as number,
        unitPriceMinor: l[k + 7] as number,
        amountMinor: l[k + 8] as number,
        currency: l[k + 9] as string,
        resellerId: l[k + 10] as string | null,
        distributorId: l[k + 11] as string | null,
        customerId: l[k + 12] as string,
        orderDate: l[k + 13] as string,
        returnsLineId: l[k + 14] as string | null,
      };
    }
    yield { orders, lines };
  }
}

const ORDER_WIDTH = FLAT_ORDER_FIELDS.length;
const LINE_WIDTH = FLAT_LINE_FIELDS.length;

/**
 * The orders of the world in date order with their lines, as flat rows (FLAT_ORDER_FIELDS and
 * FLAT_LINE_FIELDS), building only the rows `select` asks for. Every call makes the same random draws in
 * the same order, so the rows do not depend on the selection; a batch holds whole orders and at most
 * `batchSize` lines of the stream (unless one order alone has more).
 */
export function* orderRowBatches(
  ctx: OrderContext,
  batchSize: number,
  select: FlatOrderSelection,
): Generator<FlatOrderBatch> {
  const { vendors, calendar, partners: pw, customers: ct, products: pr } = ctx;
  const rng = streamFor(ctx.seed, 'orders');
  const orderIdAt = demoIdAt(ctx.namespace, 'order');
  const lineIdAt = demoIdAt(ctx.namespace, 'orderLine');
  // A second cache for return lines, which point back up to 60 days (not to the current id block).
  const returnedIdAt = demoIdAt(ctx.namespace, 'orderLine');
  const V = vendors.length;
  const P = pw.P;
  const maxLines = Math.max(1, Math.floor(batchSize));
  const wantOrders = select.orders;
  const wantLines = select.lines;
  const fromLine = wantLines ? Math.max(0, select.fromLine ?? 0) : Infinity;
  const toLine = wantLines ? (select.toLine ?? Infinity) : -Infinity;
  const { linesPerDay, lines: totalLines, vendorCum: dayVendorCum } = ctx.plan;
  // Without orders, the stream can stop after the last line asked for.
  const stopAfter = wantOrders ? Infinity : Math.max(0, Math.min(toLine, totalLines));

  // Precomputed tables, so the per-line work is a few random numbers and one binary search.
  const lineCountCum = cumulative(LINE_COUNT_WEIGHTS);
  const sellerAlias = pw.sellers.map((s) => aliasTable(weightsOf(s.cum)));
  const directAlias = ct.direct.map((d) => aliasTable(weightsOf(d.cum)));
  const productAlias = pr.byVendor.map((b) => aliasTable(weightsOf(b.cum)));
  const serviceProductAlias = pr.byVendor.map((b) => aliasTable(weightsOf(b.cumServices)));
  const dates = calendar.dates;
  // Each order's creation time is its day's midnight (UTC): one string per day.
  const createdAtOf = dates.map((d) => `${d}T00:00:00.000Z`);
  const vendorIds = vendors.map((v) => v.id);
  const currencies = vendors.map((v) => v.currency);
  const codes = vendors.map((v) => vendorCode(v.slug));
  const erpPrefix = codes.map((c) => `${c}-SO-`);
  const rmaPrefix = codes.map((c) => `${c}-RMA-`);
  const posPrefix = codes.map((c) => `POS-${c}-`);
  const partnerIds = pw.partners.map((p: Partner) => p.id);
  const posSources = pw.partners.map((p: Partner) => `pos:${p.id}`);
  const productIds = pr.products.map((p) => p.id);
  const families: ProductFamily[] = [...PRODUCT_FAMILIES];
  const logQ = new Float64Array(families.length * 4);
  const qtyMax = new Int32Array(families.length);
  families.forEach((f, fi) => {
    const profile = FAMILY_PROFILES[f];
    qtyMax[fi] = profile.qtyMax;
    for (let s = 0; s < 4; s++) {
      const mean = profile.qtyMean * (SEGMENT_QTY[s] as number);
      logQ[fi * 4 + s] = mean <= 1 ? -Infinity : Math.log(1 - 1 / mean);
    }
  });
  const regions: Region[] = COUNTRY_TABLE.regions.slice();
  const countries: string[] = COUNTRY_TABLE.codes.slice();
  const segments: Segment[] = SEGMENTS.slice();
  const erpCounter = new Int32Array(V);
  const rmaCounter = new Int32Array(V);
  const posCounter = new Int32Array(V * P);

  // Return candidates: a ring of recent lines, sampled so that it spans about RETURN_WINDOW_DAYS.
  const ringLine = new Int32Array(RING);
  const ringVendor = new Uint8Array(RING);
  const ringRow = new Int32Array(RING);
  const ringSeller = new Int32Array(RING);
  const ringDist = new Int32Array(RING);
  const ringChannel = new Uint8Array(RING);
  const ringProduct = new Int32Array(RING);
  const ringQty = new Int32Array(RING);
  const ringUnit = new Int32Array(RING);
  const ringDay = new Int32Array(RING).fill(-1);
  let ringNext = 0;
  let ringSize = 0;
  // Sampled at the busiest density (the last twelve months), the ring spans at least the return window.
  const ringP = Math.min(1, RING / ((ctx.plan.recentLines * RETURN_WINDOW_DAYS) / 365));
  const channels: Channel[] = ['direct', 'partner', 'distributor'];

  // How partners typed each customer's name: exact most of the time, else one of two habitual variants
  // per customer record, made on first use (far fewer strings than a fresh variant per order).
  const variants: (string | undefined)[] = new Array<string | undefined>(ct.rows * 2).fill(undefined);
  function typedName(row: number, name: string): string {
    const u = rng.next();
    if (u < EXACT_NAMES) return name;
    const slot = row * 2 + (u < EXACT_NAMES + (1 - EXACT_NAMES) * 0.6 ? 0 : 1);
    let v = variants[slot];
    if (v === undefined) {
      v = randomVariantName(name, rng, 0);
      variants[slot] = v;
    }
    return v;
  }

  // Rows go into arrays sized for a whole batch up front: growing them value by value costs more (up to
  // a size V8 still allocates as a plain array; bigger batches grow theirs).
  const orderCapacity = wantOrders ? Math.min(maxLines * ORDER_WIDTH, 1 << 15) : 0;
  const lineCapacity = wantLines ? Math.min(maxLines * LINE_WIDTH, 1 << 15) : 0;
  let orders: FlatValue[] = new Array<FlatValue>(orderCapacity);
  let lines: FlatValue[] = new Array<FlatValue>(lineCapacity);
  let oi = 0; // next free slot in orders
  let li = 0; // next free slot in lines
  let batchLines = 0; // lines of the stream in this batch, built or not
  let orderN = 0; // orders made so far (the n-th order has id orderIdAt(n))
  let lineN = 0; // lines made so far

  const flush = (): FlatOrderBatch => {
    orders.length = oi;
    lines.length = li;
    const batch = { orders, orderCount: oi / ORDER_WIDTH, lines, lineCount: li / LINE_WIDTH };
    orders = new Array<FlatValue>(orderCapacity);
    lines = new Array<FlatValue>(lineCapacity);
    oi = 0;
    li = 0;
    batchLines = 0;
    return batch;
  };

  for (let day = 0; day < calendar.days && lineN < stopAfter; day++) {
    let budget = linesPerDay[day] as number;
    const vendorCum = dayVendorCum[day] as Float64Array;
    const orderDate = dates[day] as string;
    const createdAtIso = createdAtOf[day] as string;
    while (budget > 0 && lineN < stopAfter) {
      // A return of an earlier line: same customer and route, ERP source, negative quantity.
      if (ringSize > 0 && rng.next() < RETURN_ORDER_P) {
        let slot = -1;
        for (let t = 0; t < RETURN_TRIES && slot < 0; t++) {
          const s = Math.floor(rng.next() * ringSize);
          const from = ringDay[s] as number;
          if (from >= 0 && from < day) slot = s;
        }
        if (slot >= 0) {
          ringDay[slot] = -1;
          if (batchLines + 1 > maxLines && batchLines > 0) {
            if (oi > 0 || li > 0) yield flush();
            else batchLines = 0;
          }
          const v = ringVendor[slot] as number;
          const row = ringRow[slot] as number;
          const sold = ringQty[slot] as number;
          const unit = ringUnit[slot] as number;
          const qty = -(rng.next() < 0.6 ? sold : 1 + Math.floor(rng.next() * sold));
          const amount = (qty * unit) | 0;
          rmaCounter[v] = (rmaCounter[v] as number) + 1;
          orderN++;
          const lineIndex = lineN++;
          batchLines++;
          budget -= 1;
          const lineWanted = lineIndex >= fromLine && lineIndex < toLine;
          if (!wantOrders && !lineWanted) continue;
          const k = ct.company[row] as number;
          const seller = ringSeller[slot] as number;
          const dist = ringDist[slot] as number;
          const orderId = orderIdAt(orderN);
          const resellerId = seller >= 0 ? (partnerIds[seller] as string) : null;
          const distributorId = dist >= 0 ? (partnerIds[dist] as string) : null;
          const customerId = ct.ids[row] as string;
          const vendorId = vendorIds[v] as string;
          const currency = currencies[v] as string;
          if (wantOrders) {
            const c = ct.companyCountry[k] as number;
            orders[oi++] = orderId;
            orders[oi++] = vendorId;
            orders[oi++] = 'erp';
            orders[oi++] = (rmaPrefix[v] as string) + (10_000_000 + (rmaCounter[v] as number));
            orders[oi++] = customerId;
            orders[oi++] = ct.companyName[k] as string;
            orders[oi++] = channels[ringChannel[slot] as number] as Channel;
            orders[oi++] = resellerId;
            orders[oi++] = distributorId;
            orders[oi++] = orderDate;
            orders[oi++] = currency;
            orders[oi++] = countries[c] as string;
            orders[oi++] = regions[c] as Region;
            orders[oi++] = segments[ct.companySegment[k] as number] as Segment;
            orders[oi++] = amount;
            orders[oi++] = createdAtIso;
          }
          if (lineWanted) {
            const product = ringProduct[slot] as number;
            lines[li++] = lineIdAt(lineN);
            lines[li++] = orderId;
            lines[li++] = vendorId;
            lines[li++] = 1;
            lines[li++] = productIds[product] as string;
            lines[li++] = families[pr.family[product] as number] as ProductFamily;
            lines[li++] = qty;
            lines[li++] = unit;
            lines[li++] = amount;
            lines[li++] = currency;
            lines[li++] = resellerId;
            lines[li++] = distributorId;
            lines[li++] = customerId;
            lines[li++] = orderDate;
            lines[li++] = returnedIdAt(ringLine[slot] as number);
          }
          continue;
        }
      }

      const v = pickCumulative(vendorCum, rng.next());
      let n = pickCumulative(lineCountCum, rng.next()) + 1;
      if (n > budget) n = budget;
      const u = rng.next();
      const channel =
        u < CHANNEL_SHARES.direct ? 0 : u < CHANNEL_SHARES.direct + CHANNEL_SHARES.partner ? 1 : 2;
      let seller = -1;
      let dist = -1;
      let row: number;
      let discount: number;
      const sellers = pw.sellers[v];
      if (channel === 0 || sellers === undefined || sellers.items.length === 0) {
        const direct = ct.direct[v];
        if (direct === undefined || direct.items.length === 0)
          throw new Error(`vendor ${vendorIds[v]} has no customers`);
        row = direct.items[pickAlias(directAlias[v] as AliasTable, rng.next())] as number;
        discount = DIRECT_DISCOUNT[ct.companySegment[ct.company[row] as number] as number] as number;
      } else {
        seller = sellers.items[pickAlias(sellerAlias[v] as AliasTable, rng.next())] as number;
        const key = v * P + seller;
        const from = ct.byPartnerStart[key] as number;
        const to = ct.byPartnerStart[key + 1] as number;
        row = ct.byPartnerRows[pickCumulative(ct.byPartnerCum, rng.next(), from, to)] as number;
        discount = pw.discount[key] as number;
        if (channel === 2) {
          const s0 = pw.supplyStart[key] as number;
          const s1 = pw.supplyStart[key + 1] as number;
          if (s1 > s0) {
            dist = pw.supplyDistributors[s1 - s0 === 1 || rng.next() < 0.7 ? s0 : s0 + 1] as number;
          }
        }
      }
      const effectiveChannel = dist >= 0 ? 2 : seller >= 0 ? 1 : 0;
      if (batchLines + n > maxLines && batchLines > 0) {
        if (oi > 0 || li > 0) yield flush();
        else batchLines = 0;
      }

      const k = ct.company[row] as number;
      const segIdx = ct.companySegment[k] as number;
      const companyName = ct.companyName[k] as string;
      orderN++;
      const firstLine = lineN;
      const anyLine = firstLine + n > fromLine && firstLine < toLine;
      const orderId = wantOrders || anyLine ? orderIdAt(orderN) : '';
      const resellerId = seller >= 0 ? (partnerIds[seller] as string) : null;
      const distributorId = dist >= 0 ? (partnerIds[dist] as string) : null;
      const customerId = ct.ids[row] as string;
      const vendorId = vendorIds[v] as string;
      const currency = currencies[v] as string;
      let source: string;
      let externalNo: number;
      let externalPrefix: string;
      if (dist >= 0) {
        const key = v * P + dist;
        posCounter[key] = (posCounter[key] as number) + 1;
        source = posSources[dist] as string;
        externalPrefix = posPrefix[v] as string;
        externalNo = 10_000_000 + (posCounter[key] as number);
      } else {
        erpCounter[v] = (erpCounter[v] as number) + 1;
        source = 'erp';
        externalPrefix = erpPrefix[v] as string;
        externalNo = 100_000_000 + (erpCounter[v] as number);
      }
      // Drawn for every partner order, built or not: the random stream must not depend on the selection.
      const endUserName = seller >= 0 ? typedName(row, companyName) : companyName;
      const orderSlot = oi;
      if (wantOrders) {
        const c = ct.companyCountry[k] as number;
        orders[oi++] = orderId;
        orders[oi++] = vendorId;
        orders[oi++] = source;
        orders[oi++] = externalPrefix + externalNo;
        orders[oi++] = customerId;
        orders[oi++] = endUserName;
        orders[oi++] = channels[effectiveChannel] as Channel;
        orders[oi++] = resellerId;
        orders[oi++] = distributorId;
        orders[oi++] = orderDate;
        orders[oi++] = currency;
        orders[oi++] = countries[c] as string;
        orders[oi++] = regions[c] as Region;
        orders[oi++] = segments[segIdx] as Segment;
        orders[oi++] = 0;
        orders[oi++] = createdAtIso;
      }

      const catalog = pr.byVendor[v];
      if (catalog === undefined || catalog.items.length === 0)
        throw new Error(`vendor ${vendorId} has no products`);
      const alias = (
        seller >= 0 && pw.kind[seller] === KIND_SERVICE_PROVIDER ? serviceProductAlias[v] : productAlias[v]
      ) as AliasTable;
      let total = 0;
      for (let j = 0; j < n; j++) {
        const product = catalog.items[pickAlias(alias, rng.next())] as number;
        const fi = pr.family[product] as number;
        let qty = (1 + Math.log(1 - rng.next()) / (logQ[fi * 4 + segIdx] as number)) | 0;
        if (qty > (qtyMax[fi] as number)) qty = qtyMax[fi] as number;
        let d = discount + (rng.next() - 0.5) * 0.06;
        if (d < 0) d = 0;
        else if (d > 0.3) d = 0.3;
        // Integer arithmetic keeps these small integers (no boxed doubles): a list price is at most
        // $500k and a line at most a few $100M, well within int32.
        const unit = ((pr.listPrice[product] as number) * (1 - d) + 0.5) | 0;
        const amount = (qty * unit) | 0;
        total += amount;
        const lineIndex = lineN++;
        if (lineIndex >= fromLine && lineIndex < toLine) {
          lines[li++] = lineIdAt(lineN);
          lines[li++] = orderId;
          lines[li++] = vendorId;
          lines[li++] = j + 1;
          lines[li++] = productIds[product] as string;
          lines[li++] = families[fi] as ProductFamily;
          lines[li++] = qty;
          lines[li++] = unit;
          lines[li++] = amount;
          lines[li++] = currency;
          lines[li++] = resellerId;
          lines[li++] = distributorId;
          lines[li++] = customerId;
          lines[li++] = orderDate;
          lines[li++] = null;
        }
        if (ringP >= 1 || rng.next() < ringP) {
          const slot = ringNext;
          ringNext = (ringNext + 1) % RING;
          if (ringSize < RING) ringSize++;
          ringLine[slot] = lineN;
          ringVendor[slot] = v;
          ringRow[slot] = row;
          ringSeller[slot] = seller;
          ringDist[slot] = dist;
          ringChannel[slot] = effectiveChannel;
          ringProduct[slot] = product;
          ringQty[slot] = qty;
          ringUnit[slot] = unit;
          ringDay[slot] = day;
        }
      }
      if (wantOrders) orders[orderSlot + 14] = total;
      batchLines += n;
      budget -= n;
    }
  }
  if (oi > 0 || li > 0) yield flush();
}
