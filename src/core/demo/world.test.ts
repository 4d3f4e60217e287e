import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Customer } from '../model/customers.js';
import type { Order, OrderLine } from '../model/orders.js';
import { sequentialIds } from '../shared/ids.js';
import { addDays, fiscalCalendar, lastTwelveMonthsFrom } from './calendar.js';
import { demoIds } from './fast-ids.js';
import { demoSignIns } from './sign-ins.js';
import type { DemoWorld, DemoWorldOptions, FlatValue } from './types.js';
import { DEMO_SCALES, FLAT_LINE_FIELDS, FLAT_ORDER_FIELDS } from './types.js';
import { createDemoWorld } from './world.js';

const OPTIONS: DemoWorldOptions = {
  scale: 'small',
  seed: 2017,
  vendors: [
    {
      id: 'vnd_dell',
      slug: 'dell',
      name: 'Dell',
      currency: 'USD',
      programId: 'prg_dell',
      families: ['servers', 'storage', 'networking', 'data-protection', 'services'],
    },
    {
      id: 'vnd_vmware',
      slug: 'vmware',
      name: 'VMware',
      currency: 'USD',
      programId: 'prg_vmware',
      families: ['software', 'services'],
      sellsFrom: '2021-01-30',
    },
  ],
  // Dell's fiscal years FY18..FY27 (programs/dell-emc-fy*.yaml); the world runs to a fixed "now".
  years: [
    ['2017-02-01', '2018-02-02'],
    ['2018-02-03', '2019-02-01'],
    ['2019-02-02', '2020-01-31'],
    ['2020-02-01', '2021-01-29'],
    ['2021-01-30', '2022-01-28'],
    ['2022-01-29', '2023-02-03'],
    ['2023-02-04', '2024-02-02'],
    ['2024-02-03', '2025-01-31'],
    ['2025-02-01', '2026-01-30'],
    ['2026-01-31', '2027-01-29'],
  ].map(([start, end]) => ({ start: start as string, end: end as string })),
  now: '2026-12-03',
  storyFrom: '2021-08-01',
  createdAt: new Date('2017-01-01T00:00:00Z'),
};
const NOW = OPTIONS.now;
const RECENT_FROM = lastTwelveMonthsFrom(NOW);

/** A hash of everything a world produces (small collections, customers, orders). */
function hashWorld(world: DemoWorld, customerBatch = 1000, orderBatch = 5000): string {
  const h = createHash('sha256');
  h.update(JSON.stringify([world.partners(), world.enrolments(), world.supplyRelationships()]));
  h.update(JSON.stringify([world.people(), world.roleGrants(), world.certifications(), world.products()]));
  for (const batch of world.customers(customerBatch)) for (const c of batch) h.update(JSON.stringify(c));
  // Orders and lines hashed apart, so the hash does not depend on where batches split.
  const lineHash = createHash('sha256');
  for (const batch of world.orders(orderBatch)) {
    for (const o of batch.orders) h.update(JSON.stringify(o));
    for (const l of batch.lines) lineHash.update(JSON.stringify(l));
  }
  return `${h.digest('hex')}/${lineHash.digest('hex')}`;
}

describe('createDemoWorld (small)', () => {
  let world: DemoWorld;
  let customers: Customer[];
  let orders: Order[];
  let lines: OrderLine[];
  let batchSizes: number[];

  beforeAll(() => {
    world = createDemoWorld(OPTIONS);
    customers = [...world.customers(1000)].flat();
    orders = [];
    lines = [];
    batchSizes = [];
    for (const batch of world.orders(5000)) {
      orders.push(...batch.orders);
      lines.push(...batch.lines);
      batchSizes.push(batch.lines.length);
      // Each batch holds whole orders: every line's order is in the same batch.
      const ids = new Set(batch.orders.map((o) => o.id));
      expect(batch.lines.every((l) => ids.has(l.orderId))).toBe(true);
    }
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const a = hashWorld(createDemoWorld(OPTIONS));
    const b = hashWorld(createDemoWorld(OPTIONS), 777, 3333);
    const c = hashWorld(createDemoWorld({ ...OPTIONS, seed: OPTIONS.seed + 1 }));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('makes exactly the world it made before (golden hashes: change them only when the world is meant to change)', () => {
    expect(hashWorld(createDemoWorld(OPTIONS))).toBe(
      '731059ba4ba2792266f834fd169a63b2b2d6bee2fb1a6a45d6419fe081d50ae8/' +
        '81a100c382a69eefa483089d837c5e8ee55842e21c9ea910d7398f47cacc0611',
    );
  });

  it('streams the same orders and lines as flat rows, whatever part is asked for', () => {
    const rowsOf = (values: FlatValue[], width: number) => {
      const out: FlatValue[][] = [];
      for (let k = 0; k < values.length; k += width) out.push(values.slice(k, k + width));
      return out;
    };
    const orderRows = orders.map((o) =>
      FLAT_ORDER_FIELDS.map((f) => (f === 'createdAt' ? o.createdAt.toISOString() : o[f])),
    );
    const lineRows = lines.map((l) => FLAT_LINE_FIELDS.map((f) => l[f]));
    const collect = (select: Parameters<DemoWorld['orderRows']>[1], batch = 5000) => {
      const o: FlatValue[][] = [];
      const l: FlatValue[][] = [];
      for (const b of world.orderRows(batch, select)) {
        expect(b.orders).toHaveLength(b.orderCount * FLAT_ORDER_FIELDS.length);
        expect(b.lines).toHaveLength(b.lineCount * FLAT_LINE_FIELDS.length);
        o.push(...rowsOf(b.orders, FLAT_ORDER_FIELDS.length));
        l.push(...rowsOf(b.lines, FLAT_LINE_FIELDS.length));
      }
      return { o, l };
    };
    const all = collect({ orders: true, lines: true });
    expect(all.o).toEqual(orderRows);
    expect(all.l).toEqual(lineRows);
    // Two consumers sharing the stream (the demo's two threads): orders and a tail of lines, then the head.
    const split = 31_337;
    const tail = collect({ orders: true, lines: true, fromLine: split }, 777);
    const head = collect({ orders: false, lines: true, toLine: split }, 10_000);
    expect(tail.o).toEqual(orderRows);
    expect([...head.l, ...tail.l]).toEqual(lineRows);
    expect(collect({ orders: true, lines: false }).l).toEqual([]);
  });

  it('does not depend on the order collections are asked for', () => {
    const a = createDemoWorld(OPTIONS);
    const firstOrders = [...a.orders(10_000)][0]?.orders.slice(0, 50);
    const b = createDemoWorld(OPTIONS);
    b.products();
    b.people();
    expect(a.partners()).toEqual(b.partners());
    expect([...b.orders(10_000)][0]?.orders.slice(0, 50)).toEqual(firstOrders);
  });

  it('hits the scale targets', () => {
    const target = DEMO_SCALES.small;
    const counts = world.counts();
    expect(world.partners()).toHaveLength(target.partners);
    expect(customers).toHaveLength(target.customers);
    // The scale counts the last twelve months exactly; older history comes on top.
    expect(RECENT_FROM).toBe('2025-12-04');
    expect(lines.filter((l) => l.orderDate >= RECENT_FROM)).toHaveLength(target.orderLines);
    expect(counts).toMatchObject({
      partners: target.partners,
      customers: target.customers,
      recentOrderLines: target.orderLines,
      recentFrom: RECENT_FROM,
      orderLines: lines.length,
    });
    expect(lines.length).toBeGreaterThan(target.orderLines * 1.8);
    expect(lines.length).toBeLessThan(target.orderLines * 3);
    expect(Math.abs(orders.length - counts.orders) / orders.length).toBeLessThan(0.1);
    expect(counts.people).toBe(world.people().length);
    expect(counts.certifications).toBe(world.certifications().length);
  });

  it('keeps batches within the batch size', () => {
    expect(Math.max(...batchSizes)).toBeLessThanOrEqual(5000);
    expect(batchSizes.slice(0, -1).every((n) => n > 4990)).toBe(true);
  });

  it('makes ids unique, deterministic and time-ordered', () => {
    const ids = [...orders.map((o) => o.id), ...lines.map((l) => l.id), ...customers.map((c) => c.id)];
    expect(new Set(ids).size).toBe(ids.length);
    let unordered = 0;
    for (let i = 1; i < orders.length; i++) {
      const a = orders[i - 1] as Order;
      const b = orders[i] as Order;
      if (!(a.id < b.id) || (a.vendorId === b.vendorId && a.orderDate > b.orderDate)) unordered++;
    }
    expect(unordered).toBe(0);
    expect(world.partners()[0]?.id).toBe(`ptn_${world.namespace}00000001`);
  });

  it('makes the same ids as sequentialIds', () => {
    const fast = demoIds('k3f9');
    const slow = sequentialIds('k3f9');
    const differ: string[] = [];
    for (let i = 0; i < 70_000; i++) {
      const a = fast.next('orderLine');
      if (a !== slow.next('orderLine')) differ.push(a);
      if (i % 7 === 0 && fast.next('order') !== slow.next('order')) differ.push(`order ${i}`);
    }
    expect(differ).toEqual([]);
    expect(fast.peek('orderLine')).toBe(70_000);
  });

  it('denormalises order fields onto lines, and totals add up', () => {
    // Problems are collected and asserted once: an expect per line would dominate the run time.
    const problems: string[] = [];
    const byId = new Map(orders.map((o) => [o.id, o]));
    const sums = new Map<string, number>();
    const currencies = new Map(OPTIONS.vendors.map((v) => [v.id, v.currency]));
    for (const l of lines) {
      const o = byId.get(l.orderId);
      if (o === undefined) {
        problems.push(`${l.id}: no order`);
        continue;
      }
      if (
        l.vendorId !== o.vendorId ||
        l.currency !== o.currency ||
        l.customerId !== o.customerId ||
        l.orderDate !== o.orderDate ||
        l.resellerId !== o.resellerId ||
        l.distributorId !== o.distributorId
      ) {
        problems.push(`${l.id}: differs from its order`);
      }
      if (l.currency !== currencies.get(l.vendorId)) problems.push(`${l.id}: currency`);
      if (l.amountMinor !== l.quantity * l.unitPriceMinor) problems.push(`${l.id}: amount`);
      if (!Number.isInteger(l.unitPriceMinor) || l.unitPriceMinor <= 0) problems.push(`${l.id}: unit price`);
      sums.set(o.id, (sums.get(o.id) ?? 0) + l.amountMinor);
    }
    for (const o of orders) if (o.totalMinor !== sums.get(o.id)) problems.push(`${o.id}: total`);
    expect(problems.slice(0, 10)).toEqual([]);
    const perOrder = new Map<string, number>();
    for (const l of lines) perOrder.set(l.orderId, (perOrder.get(l.orderId) ?? 0) + 1);
    expect(Math.max(...perOrder.values())).toBeLessThanOrEqual(10);
    expect(lines.length / orders.length).toBeGreaterThan(2.5);
    expect(lines.length / orders.length).toBeLessThan(4.5);
  });

  it('prices lines at 0-30% off list', () => {
    const list = new Map(world.products().map((p) => [p.id, p]));
    const problems: string[] = [];
    for (const l of lines) {
      const p = list.get(l.productId);
      if (p === undefined || p.vendorId !== l.vendorId || p.family !== l.family) {
        problems.push(`${l.id}: product`);
        continue;
      }
      const off = 1 - l.unitPriceMinor / p.listPriceMinor;
      if (off < -0.0001 || off > 0.3001) problems.push(`${l.id}: ${off} off`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('mixes channels, with sell-out through a distributor that supplies the reseller', () => {
    const supplies = new Set(
      world.supplyRelationships().map((s) => `${s.vendorId}/${s.distributorId}/${s.resellerId}`),
    );
    const partners = new Map(world.partners().map((p) => [p.id, p]));
    const returnOrders = new Set(lines.filter((l) => l.returnsLineId !== null).map((l) => l.orderId));
    const share = (c: string): number => orders.filter((o) => o.channel === c).length / orders.length;
    expect(share('direct')).toBeGreaterThan(0.1);
    expect(share('direct')).toBeLessThan(0.2);
    expect(share('distributor')).toBeGreaterThan(0.25);
    expect(share('distributor')).toBeLessThan(0.35);
    const externalIds = new Set<string>();
    const problems: string[] = [];
    for (const o of orders) {
      const key = `${o.vendorId}/${o.source}/${o.externalId}`;
      if (externalIds.has(key)) problems.push(`${o.id}: duplicate external id`);
      externalIds.add(key);
      if (o.channel === 'direct') {
        if (o.resellerId !== null || o.distributorId !== null || o.source !== 'erp')
          problems.push(`${o.id}: direct`);
      } else if (o.channel === 'partner') {
        if (o.resellerId === null || o.distributorId !== null) problems.push(`${o.id}: partner`);
        if (partners.get(o.resellerId ?? '')?.kind === 'distributor') problems.push(`${o.id}: reseller kind`);
      } else {
        if (o.resellerId === null) problems.push(`${o.id}: sell-out without reseller`);
        if (partners.get(o.distributorId ?? '')?.kind !== 'distributor')
          problems.push(`${o.id}: distributor kind`);
        if (!supplies.has(`${o.vendorId}/${o.distributorId}/${o.resellerId}`))
          problems.push(`${o.id}: not supplied`);
        const source = returnOrders.has(o.id) ? 'erp' : `pos:${o.distributorId}`;
        if (o.source !== source) problems.push(`${o.id}: source ${o.source}`);
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
  });

  it('returns earlier lines of the same customer and route, never more than was sold', () => {
    const byId = new Map(lines.map((l) => [l.id, l]));
    const orderOf = new Map(orders.map((o) => [o.id, o]));
    const returned = new Map<string, number>();
    const returns = lines.filter((l) => l.returnsLineId !== null);
    expect(returns.length / lines.length).toBeGreaterThan(0.01);
    expect(returns.length / lines.length).toBeLessThan(0.03);
    for (const r of returns) {
      const original = byId.get(r.returnsLineId ?? '');
      expect(original).toBeDefined();
      if (original === undefined) continue;
      expect(original.returnsLineId).toBeNull();
      expect(original.quantity).toBeGreaterThan(0);
      expect(r.quantity).toBeLessThan(0);
      expect(r.amountMinor).toBeLessThan(0);
      expect([
        r.customerId,
        r.resellerId,
        r.distributorId,
        r.productId,
        r.unitPriceMinor,
        r.vendorId,
      ]).toEqual([
        original.customerId,
        original.resellerId,
        original.distributorId,
        original.productId,
        original.unitPriceMinor,
        original.vendorId,
      ]);
      expect(r.orderDate > original.orderDate).toBe(true);
      expect(orderOf.get(r.orderId)?.source).toBe('erp');
      const total = (returned.get(original.id) ?? 0) - r.quantity;
      expect(total).toBeLessThanOrEqual(original.quantity);
      returned.set(original.id, total);
    }
  });

  it('spreads each program year with quarter-end and Q4 peaks', () => {
    // The last whole program year (Dell FY26).
    const calendar = fiscalCalendar('2025-02-01', '2026-01-30');
    const dayOf = new Map(calendar.dates.map((d, i) => [d, i]));
    const perQuarter = [0, 0, 0, 0];
    let lastWeeks = 0;
    let firstWeeks = 0;
    const year = lines.filter((l) => dayOf.has(l.orderDate));
    expect(year.length).toBeGreaterThan(20_000);
    for (const l of year) {
      const day = dayOf.get(l.orderDate);
      const q = calendar.quarter[day ?? 0] as number;
      perQuarter[q] = (perQuarter[q] as number) + 1;
      const inQuarter = (day ?? 0) % 91;
      if (inQuarter >= 77 && (day ?? 0) < 364) lastWeeks++;
      if (inQuarter < 14) firstWeeks++;
    }
    expect(perQuarter[3]).toBeGreaterThan(perQuarter[0] as number);
    expect(perQuarter[3]).toBe(Math.max(...perQuarter));
    expect(lastWeeks).toBeGreaterThan(firstWeeks * 1.5);
  });

  it('runs from the 2017 merge to now, never after, growing year over year', () => {
    const dates = lines.map((l) => l.orderDate).sort();
    expect(dates[0]).toBe('2017-02-01');
    expect(dates.at(-1)).toBe(NOW);
    expect(orders.every((o) => o.orderDate <= NOW && o.orderDate >= '2017-02-01')).toBe(true);
    // Every program year has orders; the year before the last twelve months is 80-95% of them.
    for (const y of OPTIONS.years)
      expect(
        lines.some((l) => l.orderDate >= y.start && l.orderDate <= y.end),
        y.start,
      ).toBe(true);
    const yearBefore = lines.filter(
      (l) => l.orderDate >= lastTwelveMonthsFrom(addDays(RECENT_FROM, -1)) && l.orderDate < RECENT_FROM,
    ).length;
    expect(yearBefore / DEMO_SCALES.small.orderLines).toBeGreaterThan(0.8);
    expect(yearBefore / DEMO_SCALES.small.orderLines).toBeLessThan(0.95);
    // Three years back (the coverage window) still has sales; the story's years are kept fuller than 2018.
    const between = (from: string, to: string) =>
      lines.filter((l) => l.orderDate >= from && l.orderDate <= to).length;
    expect(between('2023-12-04', '2024-12-03')).toBeGreaterThan(2_000);
    expect(between('2022-01-29', '2023-02-03')).toBeGreaterThan(between('2018-02-03', '2019-02-01') * 3);
  });

  it('a vendor sells only from its first program version', () => {
    const vmware = orders.filter((o) => o.vendorId === 'vnd_vmware');
    expect(vmware.length).toBeGreaterThan(1000);
    expect(vmware.every((o) => o.orderDate >= '2021-01-30')).toBe(true);
    expect(vmware.some((o) => o.orderDate <= '2021-03-01')).toBe(true);
  });

  it('holds shared partners selling Dell hardware and VMware software to the same company within 90 days around the 2021 agreement, and VMware sales through distributors', () => {
    const customerCompany = new Map(customers.map((c) => [c.id, c.name]));
    const DAY = 86_400_000;
    const dellSales = new Map<string, number[]>();
    for (const l of lines)
      if (
        l.vendorId === 'vnd_dell' &&
        (l.family === 'servers' || l.family === 'storage') &&
        l.resellerId &&
        l.quantity > 0 &&
        l.orderDate >= '2021-11-01' &&
        l.orderDate <= '2024-01-25'
      ) {
        const key = `${l.resellerId}|${customerCompany.get(l.customerId) ?? ''}`;
        dellSales.set(key, [...(dellSales.get(key) ?? []), Date.parse(l.orderDate)]);
      }
    const combined = new Set<string>();
    for (const l of lines) {
      if (l.vendorId !== 'vnd_vmware' || l.family !== 'software' || !l.resellerId || l.quantity <= 0)
        continue;
      const key = `${l.resellerId}|${customerCompany.get(l.customerId) ?? ''}`;
      const t = Date.parse(l.orderDate);
      if ((dellSales.get(key) ?? []).some((d) => Math.abs(d - t) <= 90 * DAY)) combined.add(key);
    }
    expect(combined.size).toBeGreaterThanOrEqual(20);
    const throughDistributor = orders.filter(
      (o) =>
        o.vendorId === 'vnd_vmware' &&
        o.channel === 'distributor' &&
        o.orderDate >= '2021-11-01' &&
        o.orderDate <= '2024-01-25',
    );
    expect(throughDistributor.length).toBeGreaterThan(50);
  });

  it('is another world on another date (deterministic for a seed and a date)', () => {
    const other = createDemoWorld({ ...OPTIONS, now: '2026-06-30', sizes: { orderLines: 3000 } });
    const same = createDemoWorld({ ...OPTIONS, now: '2026-06-30', sizes: { orderLines: 3000 } });
    const rows = (w: DemoWorld) => [...w.orders(1000)].flatMap((b) => b.lines);
    const a = rows(other);
    expect(rows(same)).toEqual(a);
    expect(a.at(-1)?.orderDate).toBe('2026-06-30');
    expect(a.filter((l) => l.orderDate >= lastTwelveMonthsFrom('2026-06-30'))).toHaveLength(3000);
  });

  it('shares partners between vendors and skews their size', () => {
    const enrolments = world.enrolments();
    const partners = world.partners();
    const vendorsOf = new Map<string, Set<string>>();
    for (const e of enrolments)
      vendorsOf.set(e.partnerId, (vendorsOf.get(e.partnerId) ?? new Set()).add(e.vendorId));
    const both = [...vendorsOf.values()].filter((s) => s.size === 2).length;
    expect(both / partners.length).toBeGreaterThan(0.3);
    expect(both / partners.length).toBeLessThan(0.55);
    expect(vendorsOf.size).toBe(partners.length);
    expect(partners.filter((p) => p.kind === 'distributor').length).toBeGreaterThanOrEqual(2);
    const sp = partners.filter((p) => p.kind === 'service-provider').length / partners.length;
    expect(sp).toBeGreaterThan(0.05);
    expect(sp).toBeLessThan(0.15);
    const dell = enrolments.filter((e) => e.vendorId === 'vnd_dell');
    expect(dell.every((e) => e.programId === 'prg_dell')).toBe(true);
    const exclusive = dell.filter((e) => e.exclusive).length / dell.length;
    expect(exclusive).toBeGreaterThan(0.03);
    expect(exclusive).toBeLessThan(0.2);
    expect(enrolments.filter((e) => e.vendorId === 'vnd_vmware').every((e) => !e.exclusive)).toBe(true);
    const numbers = enrolments.map((e) => `${e.vendorId}/${e.partnerNumber}`);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(new Set(partners.map((p) => p.name)).size).toBe(partners.length);
    expect(new Set(partners.map((p) => p.domain)).size).toBe(partners.length);
    for (const code of ['US', 'GB', 'DE', 'FR'])
      expect(
        partners.some((p) => p.country === code),
        code,
      ).toBe(true);

    // Revenue is skewed: the top partners sell tens of millions, the median far less.
    const revenue = new Map<string, number>();
    for (const l of lines)
      if (l.resellerId) revenue.set(l.resellerId, (revenue.get(l.resellerId) ?? 0) + l.amountMinor);
    const sorted = [...revenue.values()].sort((a, b) => b - a);
    expect(sorted[0]).toBeGreaterThan(20_000_000_00);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan((sorted[0] as number) / 20);
  });

  it('gives each seller one or two distributors of the same vendor', () => {
    const partners = new Map(world.partners().map((p) => [p.id, p]));
    const enrolled = new Set(world.enrolments().map((e) => `${e.vendorId}/${e.partnerId}`));
    const count = new Map<string, number>();
    for (const s of world.supplyRelationships()) {
      expect(partners.get(s.distributorId)?.kind).toBe('distributor');
      expect(partners.get(s.resellerId)?.kind).not.toBe('distributor');
      expect(enrolled.has(`${s.vendorId}/${s.distributorId}`)).toBe(true);
      expect(enrolled.has(`${s.vendorId}/${s.resellerId}`)).toBe(true);
      const key = `${s.vendorId}/${s.resellerId}`;
      count.set(key, (count.get(key) ?? 0) + 1);
    }
    for (const e of world.enrolments()) {
      if (partners.get(e.partnerId)?.kind === 'distributor') continue;
      const n = count.get(`${e.vendorId}/${e.partnerId}`) ?? 0;
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(2);
    }
  });

  it('gives customers one record per vendor, some shared', () => {
    const byName = new Map<string, Customer[]>();
    for (const c of customers) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
    const shared = [...byName.values()].filter((cs) => cs.length > 1);
    expect(shared.length).toBeGreaterThan(customers.length * 0.1);
    for (const cs of byName.values()) {
      expect(new Set(cs.map((c) => c.vendorId)).size).toBe(cs.length);
      expect(new Set(cs.map((c) => c.country)).size).toBe(1);
    }
    expect(customers.every((c) => c.region !== undefined && c.country.length === 2)).toBe(true);
    expect(customers.filter((c) => c.city !== null).length).toBeGreaterThan(customers.length * 0.9);
    // Orders name the customer as a partner typed it: mostly exact, often a variant.
    const names = new Map(customers.map((c) => [c.id, c.name]));
    const channel = orders.filter((o) => o.channel !== 'direct');
    const exact = channel.filter((o) => o.endUserName === names.get(o.customerId)).length / channel.length;
    expect(exact).toBeGreaterThan(0.5);
    expect(exact).toBeLessThan(0.8);
    expect(
      orders.filter((o) => o.channel === 'direct').every((o) => o.endUserName === names.get(o.customerId)),
    ).toBe(true);
    const countries = new Map(customers.map((c) => [c.id, c]));
    for (const o of orders.slice(0, 2000)) {
      const c = countries.get(o.customerId);
      expect([o.country, o.region, o.segment, o.vendorId]).toEqual([
        c?.country,
        c?.region,
        c?.segment,
        c?.vendorId,
      ]);
    }
  });

  it('gives people unique e-mails, roles and certifications', () => {
    const people = world.people();
    const emails = people.map((p) => p.email);
    expect(new Set(emails).size).toBe(emails.length);
    const grants = world.roleGrants();
    const partners = new Map(world.partners().map((p) => [p.id, p]));
    for (const p of people) {
      const domain = p.email.split('@')[1];
      if (p.partnerId !== null) expect(domain).toBe(partners.get(p.partnerId)?.domain);
      else expect(domain).toBe(`${OPTIONS.vendors.find((v) => v.id === p.vendorId)?.slug}.demo`);
      expect(grants.some((g) => g.personId === p.id)).toBe(true);
    }
    const perPartner = new Map<string, number>();
    for (const p of people)
      if (p.partnerId) perPartner.set(p.partnerId, (perPartner.get(p.partnerId) ?? 0) + 1);
    expect(perPartner.size).toBe(partners.size);
    expect(Math.min(...perPartner.values())).toBeGreaterThanOrEqual(1);
    expect(Math.max(...perPartner.values())).toBeLessThanOrEqual(5);
    const regional = grants.filter((g) => g.role === 'channel-manager').map((g) => g.regions.join(','));
    expect(regional).toEqual(['emea', 'na', 'emea', 'na']);
    for (const g of grants) {
      if (g.role === 'distributor') expect(partners.get(g.partnerId ?? '')?.kind).toBe('distributor');
    }

    const certs = world.certifications();
    const reference = NOW;
    const in60 = addDays(NOW, 60);
    expect(certs.length).toBeGreaterThan(people.length * 0.5);
    expect(certs.some((c) => c.expiresOn < reference)).toBe(true);
    expect(certs.some((c) => c.expiresOn >= reference && c.expiresOn <= in60)).toBe(true);
    for (const c of certs) {
      expect(c.earnedOn < c.expiresOn).toBe(true);
      expect(c.earnedOn <= reference).toBe(true);
      expect(people.find((p) => p.id === c.personId)?.partnerId).toBe(c.partnerId);
    }
  });

  it('lists predictable demo sign-ins that exist', () => {
    const signIns = demoSignIns(world);
    const emails = new Set(world.people().map((p) => p.email));
    for (const s of signIns) expect(emails.has(s.email), s.email).toBe(true);
    expect(signIns).toEqual(
      expect.arrayContaining([
        { email: 'admin@dell.demo', role: 'vendor-admin', vendorSlug: 'dell' },
        { email: 'channel.emea@dell.demo', role: 'channel-manager', vendorSlug: 'dell' },
        { email: 'channel.na@dell.demo', role: 'channel-manager', vendorSlug: 'dell' },
        { email: 'auditor@dell.demo', role: 'auditor', vendorSlug: 'dell' },
        { email: 'admin@vmware.demo', role: 'vendor-admin', vendorSlug: 'vmware' },
        { email: 'admin@northwind.demo', role: 'partner-admin', partnerName: 'Northwind Systems' },
        { email: 'sales@northwind.demo', role: 'partner-sales-rep', partnerName: 'Northwind Systems' },
        { email: 'admin@bluepeak.demo', role: 'partner-admin', partnerName: 'Bluepeak IT Solutions GmbH' },
        {
          email: 'sales@bluepeak.demo',
          role: 'partner-sales-rep',
          partnerName: 'Bluepeak IT Solutions GmbH',
        },
        { email: 'admin@meridian.demo', role: 'distributor', partnerName: 'Meridian Distribution Ltd' },
      ]),
    );
    // The same sign-ins for another seed.
    expect(demoSignIns(createDemoWorld({ ...OPTIONS, seed: 99 })).map((s) => s.email)).toEqual(
      signIns.map((s) => s.email),
    );
  });

  it('has a catalogue of 20-60 SKUs per family with list prices in range', () => {
    const products = world.products();
    const skus = new Set(products.map((p) => `${p.vendorId}/${p.sku}`));
    expect(skus.size).toBe(products.length);
    for (const vendor of OPTIONS.vendors) {
      for (const family of vendor.families) {
        const list = products.filter((p) => p.vendorId === vendor.id && p.family === family);
        expect(list.length).toBeGreaterThanOrEqual(20);
        expect(list.length).toBeLessThanOrEqual(60);
      }
    }
    const servers = products.filter((p) => p.family === 'servers').map((p) => p.listPriceMinor);
    expect(Math.min(...servers)).toBeGreaterThanOrEqual(2_990_00);
    expect(Math.max(...servers)).toBeLessThanOrEqual(60_000_00);
  });

  it("renews certifications back to the vendor's first day, so past years' tiers find theirs", () => {
    const certs = world.certifications();
    const dell = certs.filter((c) => c.vendorId === 'vnd_dell');
    const vmware = certs.filter((c) => c.vendorId === 'vnd_vmware');
    // Held on the 2018 year end (Dell) and never before VMware's program expires after its start.
    expect(dell.some((c) => c.earnedOn <= '2018-02-02' && c.expiresOn > '2018-02-02')).toBe(true);
    expect(vmware.every((c) => c.expiresOn >= '2021-01-30')).toBe(true);
  });
});

describe('legacy tiers (the status match of a merged program)', () => {
  const LEGACY = [
    { program: 'dell-partnerdirect', tiers: ['registered', 'preferred', 'premier', 'premier-plus'] },
    { program: 'emc-business-partner-program', tiers: ['authorized', 'silver', 'gold', 'platinum'] },
  ];

  it('gives every non-terminated partner of the program a legacy tier, deterministic for the seed', () => {
    const world = createDemoWorld(OPTIONS);
    const rows = world.legacyTiers('prg_dell', LEGACY);
    expect(createDemoWorld(OPTIONS).legacyTiers('prg_dell', LEGACY)).toEqual(rows);
    expect(createDemoWorld({ ...OPTIONS, seed: 1 }).legacyTiers('prg_dell', LEGACY)).not.toEqual(rows);
    const enrolled = world
      .enrolments()
      .filter((e) => e.programId === 'prg_dell' && e.status !== 'terminated')
      .map((e) => e.partnerId);
    expect([...new Set(rows.map((r) => r.partnerId))].sort()).toEqual([...new Set(enrolled)].sort());
    // Some partners were in both legacy programs, most in one.
    const programs = new Map<string, number>();
    for (const r of rows) programs.set(r.partnerId, (programs.get(r.partnerId) ?? 0) + 1);
    const both = [...programs.values()].filter((n) => n === 2).length;
    expect(both).toBeGreaterThan(0);
    expect(both).toBeLessThan(programs.size / 2);
  });

  it('is a realistic mix that follows each partner size: most on the entry tier, the biggest at the top', () => {
    const world = createDemoWorld(OPTIONS);
    const rows = world.legacyTiers('prg_dell', LEGACY);
    const level = (r: { legacyProgram: string; legacyTier: string }) =>
      LEGACY.find((l) => l.program === r.legacyProgram)?.tiers.indexOf(r.legacyTier) ?? -1;
    const counts = [0, 1, 2, 3].map((i) => rows.filter((r) => level(r) === i).length);
    expect(counts[0]).toBeGreaterThan(rows.length * 0.4);
    expect(counts[3]).toBeGreaterThan(0);
    expect(counts[3]).toBeLessThan(rows.length * 0.1);
    // The partners' business: the top legacy tier's partners sell more than the entry tier's on average.
    const revenue = new Map<string, number>();
    for (const batch of world.orders(5_000))
      for (const line of batch.lines)
        if (line.vendorId === 'vnd_dell' && line.resellerId)
          revenue.set(line.resellerId, (revenue.get(line.resellerId) ?? 0) + line.amountMinor);
    const mean = (l: number) => {
      const of = rows.filter((r) => level(r) === l).map((r) => revenue.get(r.partnerId) ?? 0);
      return of.reduce((a, b) => a + b, 0) / Math.max(1, of.length);
    };
    expect(mean(3)).toBeGreaterThan(mean(0) * 3);
  });
});
