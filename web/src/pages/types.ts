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
