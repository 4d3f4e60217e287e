import type { ProductFamily, Product } from '../model/catalog.js';
import type { Customer } from '../model/customers.js';
import type { Order, OrderLine } from '../model/orders.js';
import type { Enrolment, Partner, SupplyRelationship } from '../model/partners.js';
import type { Certification, Person, RoleGrant } from '../model/people.js';

export type DemoScale = 'small' | 'medium' | 'large';
export const DEMO_SCALES_LIST: readonly DemoScale[] = ['small', 'medium', 'large'];

/** Target sizes per scale. Partners, customers and order lines are generated exactly. */
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
  /**
   * The vendor's own fiscal year, when it differs from the world's: its orders are dated day by day from
   * this start instead (same seasonality curve, clamped to its end).
   */
  fiscalYear?: { start: string; end: string };
}

export interface DemoWorldOptions {
  scale: DemoScale;
  seed: number;
  vendors: DemoVendorInput[];
  /** ISO dates, both included. Orders are spread over these days. */
  fiscalYear: { start: string; end: string };
  /** "Now" for the world: every row's createdAt, and the reference date for certifications. */
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
  /** Exact, returns included. */
  orderLines: number;
}

export interface OrderBatch {
  orders: Order[];
  lines: OrderLine[];
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
  counts(): DemoCounts;
}
