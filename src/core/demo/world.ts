import type { Product } from '../model/catalog.js';
import type { Customer } from '../model/customers.js';
import type { HistoryCalendar } from './calendar.js';
import { historyCalendar } from './calendar.js';
import type { CustomerTable } from './customers.js';
import { buildCustomerTable, customerBatches } from './customers.js';
import type { OrderContext } from './orders.js';
import { estimateOrders, orderBatches, orderPlan, orderRowBatches } from './orders.js';
import type { PartnerWorld } from './partners.js';
import { generatePartners } from './partners.js';
import { legacyTierRows } from './legacy-tiers.js';
import type { PeopleWorld } from './people.js';
import { generatePeople } from './people.js';
import type { ProductWorld } from './products.js';
import { generateProducts } from './products.js';
import { demoIds } from './fast-ids.js';
import { namespaceFor } from './random-tools.js';
import type {
  DemoCounts,
  DemoVendorInput,
  DemoWorld,
  DemoWorldOptions,
  FlatOrderBatch,
  FlatOrderSelection,
  OrderBatch,
} from './types.js';
import { DEMO_SCALES } from './types.js';

const NAMESPACE = /^[0-9a-z]{1,24}$/;

/**
 * A demo world: partners, people, catalogue, customers and orders from the first program year to `now`
 * (the scale counts the last twelve months; older years are thinner), all drawn from the
 * seed (no clock, no I/O). Small collections are generated once on first use; customers and orders are
 * regenerated as a stream on each call, so memory stays bounded by the batch size and per-partner and
 * per-customer arrays.
 */
export function createDemoWorld(options: DemoWorldOptions): DemoWorld {
  if (options.vendors.length === 0) throw new RangeError('a demo world needs at least one vendor');
  if (options.vendors.length > 255) throw new RangeError('at most 255 vendors');
  for (const v of options.vendors) {
    if (v.families.length === 0) throw new RangeError(`vendor ${v.slug} sells no product family`);
  }
  const sizes = { ...DEMO_SCALES[options.scale], ...options.sizes };
  const namespace = options.namespace ?? namespaceFor(options.seed);
  if (!NAMESPACE.test(namespace)) throw new RangeError(`bad id namespace ${namespace}`);
  const calendar: HistoryCalendar = historyCalendar({
    years: options.years,
    now: options.now,
    storyFrom: options.storyFrom,
  });
  const plan = orderPlan(options.vendors, calendar, sizes.orderLines);
  const createdAt = new Date(options.createdAt.getTime());
  // One id generator for the small collections and customers (kinds never overlap with orders').
  // demoIds makes the same ids as sequentialIds(namespace), faster.
  const ids = demoIds(namespace);
  const fiscalStartMs = calendar.dayMs[0] as number;

  let partnerWorld: PartnerWorld | undefined;
  let peopleWorld: PeopleWorld | undefined;
  let productWorld: ProductWorld | undefined;
  let customerTable: CustomerTable | undefined;

  // Generation order is fixed (partners, people, products, customers) so ids never depend on call order.
  const partners = (): PartnerWorld =>
    (partnerWorld ??= generatePartners({
      seed: options.seed,
      count: sizes.partners,
      vendors: options.vendors,
      fiscalStartMs,
      createdAt,
      ids,
    }));
  const people = (): PeopleWorld =>
    (peopleWorld ??= generatePeople({
      seed: options.seed,
      vendors: options.vendors,
      partners: partners(),
      createdAt,
      referenceDate: options.now,
      historyFrom: calendar.dates[0] ?? options.now,
      ids,
    }));
  const products = (): ProductWorld => {
    people();
    return (productWorld ??= generateProducts({
      seed: options.seed,
      vendors: options.vendors,
      createdAt,
      ids,
    }));
  };
  const customers = (): CustomerTable => {
    products();
    return (customerTable ??= buildCustomerTable({
      seed: options.seed,
      count: sizes.customers,
      vendors: options.vendors,
      partners: partners(),
      ids,
    }));
  };

  const orderContext = (): OrderContext => ({
    seed: options.seed,
    namespace,
    vendors: options.vendors,
    calendar,
    plan,
    createdAt,
    partners: partners(),
    customers: customers(),
    products: products(),
  });

  return {
    options,
    namespace,
    partners: () => partners().partners.slice(),
    enrolments: () => partners().enrolments.slice(),
    supplyRelationships: () => partners().supplyRelationships.slice(),
    people: () => people().people.slice(),
    roleGrants: () => people().roleGrants.slice(),
    certifications: () => people().certifications.slice(),
    products: (): Product[] => products().products.slice(),
    customers: (batchSize: number): Iterable<Customer[]> => ({
      [Symbol.iterator]: () =>
        customerBatches({
          seed: options.seed,
          table: customers(),
          vendors: options.vendors,
          createdAt,
          batchSize,
        }),
    }),
    orders: (batchSize: number): Iterable<OrderBatch> => ({
      [Symbol.iterator]: () => orderBatches(orderContext(), batchSize),
    }),
    orderRows: (batchSize: number, select: FlatOrderSelection): Iterable<FlatOrderBatch> => ({
      [Symbol.iterator]: () => orderRowBatches(orderContext(), batchSize, { ...select }),
    }),
    legacyTiers: (programId, programs) => legacyTierRows(partners(), options.seed, programId, programs),
    counts: (): DemoCounts => {
      const pw = partners();
      const pe = people();
      return {
        partners: pw.partners.length,
        enrolments: pw.enrolments.length,
        supplyRelationships: pw.supplyRelationships.length,
        people: pe.people.length,
        roleGrants: pe.roleGrants.length,
        certifications: pe.certifications.length,
        products: products().products.length,
        customers: sizes.customers,
        orders: estimateOrders(plan.lines),
        orderLines: plan.lines,
        recentOrderLines: plan.recentLines,
        recentFrom: calendar.dates[calendar.recentFrom] ?? options.now,
      };
    },
  };
}

/**
 * How many order lines a world of these options generates in all (the scale counts the last twelve
 * months; history comes on top), without building it: for sizing a load before the vendors have ids.
 */
export function demoOrderLineCount(options: {
  vendors: readonly Pick<DemoVendorInput, 'slug' | 'families' | 'share' | 'sellsFrom'>[];
  years: DemoWorldOptions['years'];
  now: string;
  storyFrom?: string | undefined;
  recentLines: number;
}): number {
  const vendors = options.vendors.map((v) => ({
    ...v,
    id: v.slug,
    name: v.slug,
    currency: 'USD',
    programId: v.slug,
  }));
  const calendar = historyCalendar({ years: options.years, now: options.now, storyFrom: options.storyFrom });
  return orderPlan(vendors, calendar, options.recentLines).lines;
}
