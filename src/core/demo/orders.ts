import type { Region, Segment } from '../model/geography.js';
import { SEGMENTS } from '../model/geography.js';
import type { ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { Channel, Order, OrderLine } from '../model/orders.js';
import type { Partner } from '../model/partners.js';
import type { FiscalCalendar } from './calendar.js';
import { isoDate, parseIsoDate } from './calendar.js';
import type { CustomerTable } from './customers.js';
import { COUNTRY_TABLE } from './geo.js';
import { demoIdsOf } from './fast-ids.js';
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
import type { DemoVendorInput, OrderBatch } from './types.js';

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
  calendar: FiscalCalendar;
  lines: number;
  createdAt: Date;
  partners: PartnerWorld;
  customers: CustomerTable;
  products: ProductWorld;
}

/** Each vendor's order dates: its own fiscal year when it has one, else the world's, day by day. */
function vendorDates(vendor: DemoVendorInput, calendar: FiscalCalendar): string[] {
  if (vendor.fiscalYear === undefined) return calendar.dates;
  const start = parseIsoDate(vendor.fiscalYear.start);
  const end = parseIsoDate(vendor.fiscalYear.end);
  const out: string[] = [];
  for (let d = 0; d < calendar.days; d++) out.push(isoDate(Math.min(end, start + d * 86_400_000)));
  return out;
}

export function* orderBatches(ctx: OrderContext, batchSize: number): Generator<OrderBatch> {
  const { vendors, calendar, partners: pw, customers: ct, products: pr } = ctx;
  const rng = streamFor(ctx.seed, 'orders');
  const nextOrderId = demoIdsOf(ctx.namespace, 'order');
  const nextLineId = demoIdsOf(ctx.namespace, 'orderLine');
  const V = vendors.length;
  const P = pw.P;
  const maxLines = Math.max(1, Math.floor(batchSize));
  const createdAtMs = ctx.createdAt.getTime();

  // Precomputed tables, so the per-line work is a few random numbers and one binary search.
  const linesPerDay = apportion(ctx.lines, calendar.weights);
  const vendorCum = cumulative(vendorShares(vendors));
  const lineCountCum = cumulative(LINE_COUNT_WEIGHTS);
  const sellerAlias = pw.sellers.map((s) => aliasTable(weightsOf(s.cum)));
  const directAlias = ct.direct.map((d) => aliasTable(weightsOf(d.cum)));
  const productAlias = pr.byVendor.map((b) => aliasTable(weightsOf(b.cum)));
  const serviceProductAlias = pr.byVendor.map((b) => aliasTable(weightsOf(b.cumServices)));
  const dates = vendors.map((v) => vendorDates(v, calendar));
  const vendorIds = vendors.map((v) => v.id);
  const currencies = vendors.map((v) => v.currency);
  const codes = vendors.map((v) => vendorCode(v.slug));
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
  const ringLine: string[] = new Array<string>(RING).fill('');
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
  const ringP = Math.min(1, RING / ((ctx.lines * RETURN_WINDOW_DAYS) / calendar.days));
  const channels: Channel[] = ['direct', 'partner', 'distributor'];

  // Rows of one batch share one createdAt Date (treat it as immutable): an allocation per order is wasted.
  let createdAt = new Date(createdAtMs);
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

  let orders: Order[] = [];
  let lines: OrderLine[] = [];

  for (let day = 0; day < calendar.days; day++) {
    let budget = linesPerDay[day] as number;
    while (budget > 0) {
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
          if (lines.length + 1 > maxLines && lines.length > 0) {
            yield { orders, lines };
            orders = [];
            lines = [];
            createdAt = new Date(createdAtMs);
          }
          const v = ringVendor[slot] as number;
          const row = ringRow[slot] as number;
          const k = ct.company[row] as number;
          const c = ct.companyCountry[k] as number;
          const seller = ringSeller[slot] as number;
          const dist = ringDist[slot] as number;
          const product = ringProduct[slot] as number;
          const sold = ringQty[slot] as number;
          const unit = ringUnit[slot] as number;
          const qty = -(rng.next() < 0.6 ? sold : 1 + Math.floor(rng.next() * sold));
          const amount = (qty * unit) | 0;
          rmaCounter[v] = (rmaCounter[v] as number) + 1;
          const orderId = nextOrderId();
          const orderDate = dates[v]?.[day] as string;
          const resellerId = seller >= 0 ? (partnerIds[seller] as string) : null;
          const distributorId = dist >= 0 ? (partnerIds[dist] as string) : null;
          const customerId = ct.ids[row] as string;
          orders.push({
            id: orderId,
            vendorId: vendorIds[v] as string,
            source: 'erp',
            externalId: `${codes[v]}-RMA-${10_000_000 + (rmaCounter[v] as number)}`,
            customerId,
            endUserName: ct.companyName[k] as string,
            channel: channels[ringChannel[slot] as number] as Channel,
            resellerId,
            distributorId,
            orderDate,
            currency: currencies[v] as string,
            country: countries[c] as string,
            region: regions[c] as Region,
            segment: segments[ct.companySegment[k] as number] as Segment,
            totalMinor: amount,
            createdAt,
          });
          lines.push({
            id: nextLineId(),
            orderId,
            vendorId: vendorIds[v] as string,
            lineNo: 1,
            productId: productIds[product] as string,
            family: families[pr.family[product] as number] as ProductFamily,
            quantity: qty,
            unitPriceMinor: unit,
            amountMinor: amount,
            currency: currencies[v] as string,
            resellerId,
            distributorId,
            customerId,
            orderDate,
            returnsLineId: ringLine[slot] as string,
          });
          budget -= 1;
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
      if (lines.length + n > maxLines && lines.length > 0) {
        yield { orders, lines };
        orders = [];
        lines = [];
        createdAt = new Date(createdAtMs);
      }

      const k = ct.company[row] as number;
      const c = ct.companyCountry[k] as number;
      const segIdx = ct.companySegment[k] as number;
      const companyName = ct.companyName[k] as string;
      const orderId = nextOrderId();
      const orderDate = dates[v]?.[day] as string;
      const resellerId = seller >= 0 ? (partnerIds[seller] as string) : null;
      const distributorId = dist >= 0 ? (partnerIds[dist] as string) : null;
      const customerId = ct.ids[row] as string;
      const vendorId = vendorIds[v] as string;
      const currency = currencies[v] as string;
      let source: string;
      let externalId: string;
      if (dist >= 0) {
        const key = v * P + dist;
        posCounter[key] = (posCounter[key] as number) + 1;
        source = posSources[dist] as string;
        externalId = `POS-${codes[v]}-${10_000_000 + (posCounter[key] as number)}`;
      } else {
        erpCounter[v] = (erpCounter[v] as number) + 1;
        source = 'erp';
        externalId = `${codes[v]}-SO-${100_000_000 + (erpCounter[v] as number)}`;
      }
      const order: Order = {
        id: orderId,
        vendorId,
        source,
        externalId,
        customerId,
        endUserName: seller >= 0 ? typedName(row, companyName) : companyName,
        channel: channels[effectiveChannel] as Channel,
        resellerId,
        distributorId,
        orderDate,
        currency,
        country: countries[c] as string,
        region: regions[c] as Region,
        segment: segments[segIdx] as Segment,
        totalMinor: 0,
        createdAt,
      };
      orders.push(order);

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
        const lineId = nextLineId();
        lines.push({
          id: lineId,
          orderId,
          vendorId,
          lineNo: j + 1,
          productId: productIds[product] as string,
          family: families[fi] as ProductFamily,
          quantity: qty,
          unitPriceMinor: unit,
          amountMinor: amount,
          currency,
          resellerId,
          distributorId,
          customerId,
          orderDate,
          returnsLineId: null,
        });
        if (ringP >= 1 || rng.next() < ringP) {
          const slot = ringNext;
          ringNext = (ringNext + 1) % RING;
          if (ringSize < RING) ringSize++;
          ringLine[slot] = lineId;
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
      order.totalMinor = total;
      budget -= n;
    }
  }
  if (lines.length > 0) yield { orders, lines };
}
