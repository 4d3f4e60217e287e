/** Response shapes of the API (see src/server/routes/*.ts). */
import type { Problem } from '../lib/api';

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
  /** Software: perpetual, term, subscription or saas; null for hardware and services. */
  readonly licensing: string | null;
  /** The vendor's solution area code, if any. */
  readonly solution: string | null;
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
  /** Each multiplier that applied: factor (ppm), the measures it scales and the raw amount it applied to. */
  readonly multiplierDetails?: readonly {
    readonly code: string;
    readonly name: string;
    readonly factor: number;
    readonly scope: readonly string[];
    readonly baseMinor: number;
  }[];
}

/** A reseller's purchases through a vendor acting as a distributor, and the share credited of them. */
export interface CrossCredit {
  readonly distributorId: string;
  readonly distributorName: string;
  readonly throughVendor: string;
  readonly agreement: { readonly code: string; readonly name: string } | null;
  readonly share: number;
  readonly amountMinor: number;
  readonly creditedMinor: number;
  readonly sentence: string;
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
  /** Purchases through a vendor acting as a distributor (e.g. VMware bought through Dell). */
  readonly crossCredit?: readonly CrossCredit[];
}

/** GET /api/statements, /api/statements/{id} (src/server/routes/settlement.ts). */
export interface Statement {
  readonly id: string;
  readonly vendorId: string;
  readonly partnerId: string;
  readonly programId: string;
  readonly period: string;
  /** 1 for the period; 2, 3... for supplements after a re-close. */
  readonly sequence: number;
  readonly currency: string;
  readonly status: string;
  readonly lines: number;
  readonly earnedMinor: number;
  readonly clawbackMinor: number;
  readonly adjustmentMinor: number;
  readonly carriedInMinor: number;
  readonly totalMinor: number;
  readonly closeId: string | null;
  readonly closeOn: string;
  readonly payOn: string;
  readonly overdue: boolean;
  readonly createdAt: string;
  readonly issuedAt: string | null;
  readonly approvedAt: string | null;
  readonly paidAt: string | null;
  readonly paidMinor: number | null;
  readonly paymentReference: string | null;
}

/** GET /api/statements/{id}/lines. Amounts: positive = owed to the partner. Rates in ppm. */
export interface StatementLine {
  readonly id: string;
  readonly lineNo: number;
  readonly kind: string;
  readonly period: string;
  readonly orderId: string | null;
  readonly orderLineId: string | null;
  readonly orderDate: string | null;
  readonly family: string | null;
  readonly component: string;
  readonly ruleId: string;
  readonly ruleVersion: string;
  readonly tier: string;
  readonly baseMinor: number;
  readonly rate: number;
  readonly effectiveRate: number;
  readonly multiplier: number;
  readonly budgetPool: string | null;
  readonly amountMinor: number;
  readonly currency: string;
  readonly explanation: string;
}

export interface Dispute {
  readonly id: string;
  readonly vendorId: string;
  readonly partnerId: string;
  readonly programId: string;
  readonly statementId: string;
  readonly statementLineId: string;
  readonly status: string;
  readonly reason: string;
  readonly requestedMinor: number;
  readonly currency: string;
  readonly resolution: string | null;
  readonly resolvedMinor: number | null;
  readonly openedBy: string;
  readonly openedAt: string;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
}

export interface CloseComponent {
  readonly component: string;
  /** Per-line accruals of the period after the close. */
  readonly lineMinor: number;
  /** Close items: cross-sell, growth, line-based close components, caps, minimums. */
  readonly closeMinor: number;
  readonly totalMinor: number;
  /** What this close posted for the component. */
  readonly trueUpMinor: number;
}

/** POST /api/closes. */
export interface CloseResult {
  readonly closeId: string | null;
  readonly dryRun: boolean;
  readonly programId: string;
  readonly program: string;
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly currency: string;
  readonly lines: number;
  readonly partners: number;
  readonly transactions: number;
  readonly entries: number;
  readonly netMinor: number;
  readonly totalMinor: number;
  readonly statements: number;
  readonly components: readonly CloseComponent[];
  readonly reconciled: boolean;
  readonly closeItems: readonly {
    readonly partnerId: string;
    readonly component: string;
    readonly type: string;
    readonly amountMinor: number;
    readonly explanation: string;
  }[];
}

/** GET /api/closes, /api/closes/{id}. */
export interface CloseRecord {
  readonly id: string;
  readonly vendorId: string;
  readonly programId: string;
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly currency: string;
  readonly lines: number;
  readonly partners: number;
  readonly transactions: number;
  readonly entries: number;
  readonly netMinor: number;
  readonly totalMinor: number;
  readonly statements: number;
  readonly closedBy: string | null;
  readonly closedAt: string;
  readonly components: readonly CloseComponent[];
}

export interface EarningsComponent {
  readonly component: string;
  readonly accruedMinor: number;
  readonly closeMinor: number;
  readonly projectedMinor: number;
  readonly entries: number;
}

export interface EarningsPeriod {
  readonly programId: string;
  readonly period: string;
  readonly currency: string;
  readonly earnedMinor: number;
  readonly paidMinor: number;
  readonly projectedMinor: number;
  readonly closed: boolean;
  readonly components: readonly EarningsComponent[];
}

/** GET /api/partners/{id}/earnings. */
export interface PartnerEarnings {
  readonly partnerId: string;
  readonly periods: readonly EarningsPeriod[];
  readonly status: 'none' | 'provisional' | 'closed';
}

export interface BudgetPool {
  readonly code: string;
  readonly name: string;
  readonly currency: string;
  readonly amountMinor: number;
  readonly accruedMinor: number;
  readonly paidMinor: number;
  readonly remainingMinor: number;
  readonly usedPpm: number;
  readonly onExhausted: string;
  readonly exhausted: boolean;
  readonly overrunMinor: number;
  readonly components: readonly string[];
}

/** GET /api/programs/{id}/budget-pools. */
export interface BudgetPools {
  readonly programId: string;
  readonly version: string;
  readonly pools: readonly BudgetPool[];
}

/** GET /api/jobs/{id}: a background job (a close, an import, an evaluation) and where it stands. */
export interface Job<R = unknown> {
  readonly id: string;
  readonly kind: 'close' | 'import-orders' | 'evaluation' | 'daily';
  readonly status: 'queued' | 'running' | 'succeeded' | 'failed';
  readonly progress: { readonly phase: string | null; readonly done: number; readonly total: number };
  /** What it was asked to do (a close: `{ program, period, dryRun }`). */
  readonly input: unknown;
  readonly result: R | null;
  readonly error: Problem | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}
