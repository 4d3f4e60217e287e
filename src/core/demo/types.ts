import type { ProductFamily, Product } from '../model/catalog.js';
import type { Customer } from '../model/customers.js';
import type { Order, OrderLine } from '../model/orders.js';
import type { Enrolment, Partner, SupplyRelationship } from '../model/partners.js';
import type { Certification, Person, RoleGrant } from '../model/people.js';
import type { LegacyProgramInput, LegacyTierRow } from './legacy-tiers.js';

export type DemoScale = 'small' | 'medium' | 'large';
export const DEMO_SCALES_LIST: readonly DemoScale[] = ['small', 'medium', 'large'];

/**
 * Target sizes per scale. Partners, customers and order lines are generated exactly; `orderLines` counts
 * the last twelve months (to the world's `now`), older history comes on top (DemoCounts.orderLines).
 */
export const DEMO_SCALES: Readonly<
  Record<DemoScale, { readonly partners: number; readonly customers: number; readonly orderLines: number }>
> = {
  small: { partners: 200, customers: 5_000, orderLines: 50_000 },
  medium: { partners: 5_000, customers: 100_000, orderLines: 1_000_000 },
  large: { partners: 20_000, customers: 500_000, orderLines: 10_000_000 },
};

export interface DemoVendorInput {
  id: string;
  slug: string;
  name: string;
  currency: string;
  programId: string;
  families: ProductFamily[];
  /** Relative size of the vendor's business (order lines, single-vendor partners and customers). Default: its number of families. */
  share?: number;
  /** The first day the vendor sells (its first program version's start); default: the world's first day. */
  sellsFrom?: string;
}

export interface DemoWorldOptions {
  scale: DemoScale;
  seed: number;
  vendors: DemoVendorInput[];
  /**
   * The program years orders are spread over (ISO dates, both included; contiguous, in order), from the
   * first program's start: the last one holds `now`. Their seasonality shapes each year's days.
   */
  years: readonly { start: string; end: string }[];
  /** "Now" for the world (ISO date): the last order day, the end of the last twelve months the scale counts, and the reference date for certifications. */
  now: string;
  /**
   * From this day on, older history is kept fuller (at least STORY_KEPT of the grown volume): the demo's
   * story events (the 2021 Dell-VMware agreement to its 2024 termination) need partners' sales around
   * their dates. Default: none.
   */
  storyFrom?: string;
  /** Every row's createdAt except orders' (an order is created on its day). */
  createdAt: Date;
  /** Override the scale's targets (e.g. tiny worlds in tests). */
  sizes?: Partial<{ partners: number; customers: number; orderLines: number }>;
  /** Id namespace (base-32 characters); default derived from the seed. */
  namespace?: string;
}

export interface DemoCounts {
  partners: number;
  enrolments: number;
  supplyRelationships: number;
  people: number;
  roleGrants: number;
  certifications: number;
  products: number;
  /** Exact. */
  customers: number;
  /** An estimate (within a few percent): the generator stops at exactly `orderLines`, not at an order count. */
  orders: number;
  /** Exact, returns included: every line from the first program year to now. */
  orderLines: number;
  /** Exact: the lines of the last twelve months (the scale's target). */
  recentOrderLines: number;
  /** The first day of the last twelve months. */
  recentFrom: string;
}

export interface OrderBatch {
  orders: Order[];
  lines: OrderLine[];
}

/** One value of a flat row: text, a number, or null. */
export type FlatValue = string | number | null;

/**
 * The fields of an order in a flat batch, in this order (`createdAt` as ISO-8601 text). Bulk loaders bind
 * them as they are, so a flat row needs no object, no Date and no per-field accessor.
 */
export const FLAT_ORDER_FIELDS = [
  'id',
  'vendorId',
  'source',
  'externalId',
  'customerId',
  'endUserName',
  'channel',
  'resellerId',
  'distributorId',
  'orderDate',
  'currency',
  'country',
  'region',
  'segment',
  'totalMinor',
  'createdAt',
] as const satisfies readonly (keyof Order)[];
export type FlatOrderFields = typeof FLAT_ORDER_FIELDS;

/** The fields of an order line in a flat batch, in this order. */
export const FLAT_LINE_FIELDS = [
  'id',
  'orderId',
  'vendorId',
  'lineNo',
  'productId',
  'family',
  'quantity',
  'unitPriceMinor',
  'amountMinor',
  'currency',
  'resellerId',
  'distributorId',
  'customerId',
  'orderDate',
  'returnsLineId',
] as const satisfies readonly (keyof OrderLine)[];
export type FlatLineFields = typeof FLAT_LINE_FIELDS;

/**
 * Orders and lines as flat rows: `orders` holds `orderCount` rows of FLAT_ORDER_FIELDS.length values,
 * `lines` holds `lineCount` rows of FLAT_LINE_FIELDS.length values.
 */
export interface FlatOrderBatch {
  orders: FlatValue[];
  orderCount: number;
  lines: FlatValue[];
  lineCount: number;
}

/**
 * Which rows a flat order stream materialises. The stream is the same whatever is asked (the same random
 * draws are made); only the rows asked for are built. `fromLine`/`toLine` bound the lines by their
 * position in the whole stream (0-based, end excluded), so two consumers can share the lines.
 */
export interface FlatOrderSelection {
  orders: boolean;
  lines: boolean;
  fromLine?: number;
  toLine?: number;
}

export interface DemoWorld {
  readonly options: DemoWorldOptions;
  /** The id namespace derived from the seed (ids look like `ptn_<namespace><counter>`). */
  readonly namespace: string;
  // Small collections (generated once, on first use; the arrays returned are copies).
  partners(): Partner[];
  enrolments(): Enrolment[];
  supplyRelationships(): SupplyRelationship[];
  people(): Person[];
  roleGrants(): RoleGrant[];
  certifications(): Certification[];
  products(): Product[];
  /** Customers in batches of `batchSize`, regenerated on each call (same rows every time). */
  customers(batchSize: number): Iterable<Customer[]>;
  /**
   * Orders in date order with their lines, regenerated on each call. A batch holds whole orders and at
   * most `batchSize` lines (unless one order alone has more, i.e. batchSize < 8).
   */
  orders(batchSize: number): Iterable<OrderBatch>;
  /**
   * The same orders and lines as {@link orders}, as flat rows, building only the rows `select` asks for
   * (each batch holds whole orders and at most `batchSize` lines of the stream, asked for or not).
   */
  orderRows(batchSize: number, select: FlatOrderSelection): Iterable<FlatOrderBatch>;
  counts(): DemoCounts;
  /**
   * The tiers the partners of a merged program held in its legacy programs (the status-match input),
   * drawn from the seed and consistent with each partner's size.
   */
  legacyTiers(programId: string, programs: readonly LegacyProgramInput[]): LegacyTierRow[];
}
