/** Response shapes of the API (see src/server/routes/*.ts). */

export interface Partner {
  readonly id: string;
  readonly name: string;
  readonly kind: string;
  readonly country: string;
  readonly region: string;
  readonly domain: string | null;
  readonly createdAt: string;
}

export interface Enrolment {
  readonly id: string;
  readonly vendorId: string;
  readonly programId: string;
  readonly partnerNumber: string;
  readonly status: string;
  readonly exclusive: boolean;
  readonly enrolledAt: string;
}

export interface PartnerDetail extends Partner {
  readonly enrolments: readonly Enrolment[];
}

export interface Customer {
  readonly id: string;
  readonly vendorId: string;
  readonly name: string;
  readonly domain: string | null;
  readonly country: string;
  readonly region: string;
  readonly segment: string;
  readonly addressLine: string | null;
  readonly city: string | null;
  readonly postalCode: string | null;
  readonly createdAt: string;
}

export interface Order {
  readonly id: string;
  readonly vendorId: string;
  readonly source: string;
  readonly externalId: string;
  readonly customerId: string;
  readonly endUserName: string;
  readonly channel: string;
  readonly resellerId: string | null;
  readonly distributorId: string | null;
  readonly orderDate: string;
  readonly currency: string;
  readonly country: string;
  readonly region: string;
  readonly segment: string;
  readonly totalMinor: number;
  readonly createdAt: string;
}

export interface OrderLine {
  readonly id: string;
  readonly orderId: string;
  readonly lineNo: number;
  readonly productId: string;
  readonly family: string;
  readonly quantity: number;
  readonly unitPriceMinor: number;
  readonly amountMinor: number;
  readonly currency: string;
  readonly returnsLineId: string | null;
}

export interface OrderDetail extends Order {
  readonly lines: readonly OrderLine[];
}

export interface Product {
  readonly id: string;
  readonly vendorId: string;
  readonly sku: string;
  readonly name: string;
  readonly family: string;
  readonly listPriceMinor: number;
  readonly currency: string;
  readonly createdAt: string;
}

export interface ProgramTier {
  readonly code: string;
  readonly name: string;
  readonly rank: number;
  readonly invitationOnly: boolean;
}

export interface ProgramVersion {
  readonly id: string;
  readonly version: string;
  readonly status: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string;
  readonly sourceHash: string;
  readonly publishedAt: string | null;
  readonly tiers: readonly ProgramTier[];
  readonly definition: unknown;
}

export interface ProgramDetail {
  readonly id: string;
  readonly vendorId: string;
  readonly code: string;
  readonly name: string;
  readonly createdAt: string;
  readonly versions: readonly ProgramVersion[];
}

export interface Health {
  readonly status: 'ok' | 'degraded';
  readonly database: { readonly kind: string; readonly location: string; readonly reachable: boolean };
  readonly schema: { readonly version: string | null; readonly latest: string; readonly upToDate: boolean };
}

/** A time-boxed tier or status record (GET /api/programs/{id}/memberships, progress). */
export interface Membership {
  readonly id: string;
  readonly partnerId: string;
  /** A tier code, or an invitation-only status code. */
  readonly code: string;
  readonly validFrom: string;
  readonly validTo: string | null;
  readonly source: string;
  readonly reason: string;
  readonly grandfatheredUntil: string | null;
  readonly sponsor: string | null;
}

export interface MembershipList {
  readonly program: { readonly id: string; readonly code: string };
  readonly asOf: string;
  readonly items: readonly Membership[];
}

export type Measure = 'revenue' | 'servicesRevenue' | 'credits' | 'companyCertifications' | 'certifiedPeople';

export interface RequirementProgress {
  readonly measure: Measure | string;
  readonly family: string | null;
  readonly kind: string | null;
  readonly target: number;
  readonly current: number;
  readonly gap: number;
  readonly met: boolean;
  readonly withPending?: { readonly current: number; readonly gap: number; readonly met: boolean };
}

export interface PathProgress {
  readonly index: number;
  readonly name: string;
  readonly met: boolean;
  readonly metWithPending?: boolean;
  readonly requirements: readonly RequirementProgress[];
}

export interface TierProgress {
  readonly tier: string;
  readonly rank: number;
  readonly available: boolean;
  readonly paths: readonly PathProgress[];
}

export interface TierMeasures {
  readonly currency: string;
  readonly rawRevenueMinor: number;
  readonly rawServicesRevenueMinor: number;
  readonly revenueMinor: number;
  readonly servicesRevenueMinor: number;
  readonly credits: number | null;
  readonly multipliers: readonly string[];
}

export interface ServiceDelivery {
  readonly mayDeliver: boolean;
  readonly mode: 'deliver' | 'resell';
  readonly servicesCertifiedPeople: number;
  readonly families: readonly string[];
  readonly components: readonly {
    readonly code: string;
    readonly delivery: string;
    readonly eligible: boolean;
  }[];
  readonly reason: string;
}

/** GET /api/partners/{id}/progress. */
export interface PartnerProgress {
  readonly partnerId: string;
  readonly program: { readonly id: string; readonly code: string; readonly version: string };
  readonly asOf: string;
  readonly tier: Membership | null;
  readonly statuses: readonly Membership[];
  readonly history: readonly Membership[];
  readonly evaluation: {
    readonly partnerId: string;
    readonly asOf: string;
    readonly zone: string | null;
    readonly currentTier: string;
    readonly targets: readonly TierProgress[];
    readonly measures: TierMeasures;
    readonly withPending?: { readonly tier: string; readonly measures: TierMeasures };
  };
  readonly serviceDelivery: ServiceDelivery;
}
