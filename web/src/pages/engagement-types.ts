/**
 * The rules-of-engagement API's answers (src/server/routes/engagement.ts): aliases of the types generated
 * from the OpenAPI document (web/src/api/schema.d.ts); a routed order's recorded decision is still typed
 * loosely by the API, so it is read defensively here.
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

export interface OfferLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPriceMinor: number;
}

export interface RankedCandidate {
  readonly partnerId: string;
  readonly name: string;
  readonly rank: number;
  readonly incumbent: boolean;
  readonly values: Readonly<Record<string, string>>;
  readonly keys?: readonly number[];
  readonly tiePosition: number | null;
}

/** The recorded decision (the API types it loosely: every field is read defensively). */
export interface RoutingDecision {
  readonly outcome?: 'direct' | 'route';
  readonly reason?: string;
  readonly sentence?: string;
  readonly criteria?: readonly string[];
  readonly candidates?: readonly RankedCandidate[];
  readonly considered?: number;
  readonly atCapacity?: number;
  readonly rotation?: { counter: number; tied: number; start: number } | null;
  readonly coverage?: { status: string; since: string | null; through: string | null; sentence: string };
}

export interface RoutedOrderDetail extends RoutedOrder {
  readonly programId: string;
  readonly bookedAt: string | null;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly version: number;
  readonly input: { readonly lines?: readonly OfferLine[] } | null;
  readonly decision: RoutingDecision | null;
  readonly offers: readonly Offer[];
}
