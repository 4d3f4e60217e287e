/**
 * The rules-of-engagement API's answers (src/server/routes/engagement.ts): aliases of the types generated
 * from the OpenAPI document (web/src/api/schema.d.ts), and the few shapes nested in a coverage answer.
 */
import type { Schema } from '../api/types';

export type Coverage = Schema<'Coverage'>;
export type CoverageDetail = Schema<'CoverageDetail'>;
export type NamedAccount = Schema<'NamedAccount'>;
export type RoutedOrder = Schema<'RoutedOrder'>;
export type Offer = Schema<'Offer'>;

export interface CoverageEvent {
  readonly onDay: string;
  readonly kind: string;
  readonly sentence: string;
  readonly partnerId?: string | null;
  readonly orderId?: string | null;
}

export interface Seller {
  readonly partnerId: string;
  readonly partnerName: string;
  readonly role: string;
  readonly family: string;
  readonly firstOrderDate: string;
  readonly lastOrderDate: string;
  readonly lastOrderId: string;
  readonly ordersCount: number;
}

export interface CoverageRoutedOrder {
  readonly id: string;
  readonly orderDate: string;
  readonly totalMinor: number;
  readonly currency: string;
  readonly reason: string;
  readonly status: string;
}

export interface NamedAccounts {
  readonly items: readonly NamedAccount[];
  readonly active: number;
  readonly maxCount: number | null;
}

/** A routed order with its recorded decision (typed by the API since the decision got a schema). */
export type RoutedOrderDetail = Schema<'RoutedOrderDetail'>;
export type RoutingDecision = Schema<'RoutingDecision'>;
