import type { ProductFamily } from './catalog.js';
import type { Region, Segment } from './geography.js';

/** How an order reached the vendor. */
export const CHANNELS = ['direct', 'partner', 'distributor'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Order {
  id: string;
  vendorId: string;
  /** The system the order came from (e.g. 'erp', 'pos:<distributor>'); with externalId, the idempotency key. */
  source: string;
  externalId: string;
  customerId: string;
  /** The end-user name as the partner entered it (may be a variant of the customer's name). */
  endUserName: string;
  channel: Channel;
  resellerId: string | null;
  distributorId: string | null;
  orderDate: string;
  currency: string;
  country: string;
  region: Region;
  segment: Segment;
  totalMinor: number;
  createdAt: Date;
}

export interface OrderLine {
  id: string;
  orderId: string;
  vendorId: string;
  lineNo: number;
  productId: string;
  family: ProductFamily;
  /** Negative on a return. */
  quantity: number;
  unitPriceMinor: number;
  /** quantity x unit price, negative on a return. */
  amountMinor: number;
  currency: string;
  /** Denormalised from the order so engines can read lines alone. */
  resellerId: string | null;
  distributorId: string | null;
  customerId: string;
  orderDate: string;
  /** For a return or credit note: the line it returns. */
  returnsLineId: string | null;
}
