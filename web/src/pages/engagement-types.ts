/** The rules-of-engagement API's answers (src/server/routes/engagement.ts), as the app reads them. */

export interface Coverage {
  readonly customerId: string;
  readonly customerName: string;
  readonly country: string;
  readonly region: string;
  readonly status: string;
  readonly since: string | null;
  /** Last channel-exclusive day (inclusive). */
  readonly through: string | null;
  readonly sentence: string;
  readonly lastPartnerId?: string | null;
  readonly lastPartnerName?: string | null;
  readonly lastChannelDate?: string | null;
  readonly namedAccountId?: string | null;
  readonly yourLastPurchase?: string | null;
}

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

export interface CoverageDetail extends Coverage {
  readonly history: readonly CoverageEvent[];
  readonly sellers?: readonly Seller[];
  readonly routedOrders?: readonly CoverageRoutedOrder[];
}

export interface NamedAccount {
  readonly id: string;
  readonly name: string;
  readonly domain: string | null;
  readonly country: string;
  readonly status: string;
  readonly source: string;
  readonly note: string | null;
  readonly addedBy: string;
  readonly addedAt: string;
  readonly removedBy: string | null;
  readonly removedAt: string | null;
  readonly removalReason: string | null;
  readonly matches: readonly { customerId: string; customerName: string; score: number }[];
}

export interface NamedAccounts {
  readonly items: readonly NamedAccount[];
  readonly active: number;
  readonly maxCount: number | null;
}

export interface RoutedOrder {
  readonly id: string;
  readonly vendorId: string;
  readonly source: string;
  readonly externalId: string;
  readonly customerId: string;
  readonly customerName: string;
  readonly region: string;
  readonly orderDate: string;
  readonly totalMinor: number;
  readonly currency: string;
  readonly coverageStatus: string;
  readonly reason: string;
  readonly sentence: string;
  readonly status: string;
  readonly orderId: string | null;
  readonly bookedPartnerId: string | null;
  readonly bookedPartnerName: string | null;
  readonly createdAt: string;
}

export interface OfferLine {
  readonly productId: string;
  readonly quantity: number;
  readonly unitPriceMinor: number;
}

export interface Offer {
  readonly id: string;
  readonly routedOrderId: string;
  readonly vendorId: string;
  readonly vendorName: string;
  readonly partnerId: string;
  readonly partnerName?: string;
  readonly rank: number;
  readonly status: string;
  readonly offeredAt: string;
  readonly deadline: string;
  readonly answeredAt: string | null;
  readonly declineReason: string | null;
  readonly customerId: string;
  readonly customerName: string;
  readonly orderDate: string;
  readonly totalMinor: number;
  readonly currency: string;
  readonly lines: readonly OfferLine[];
  readonly why: string;
  readonly orderId: string | null;
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
