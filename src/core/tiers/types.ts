import type { Money } from '../money/money.js';
import type { Ppm } from '../money/rate.js';
import type { ProductFamily } from '../model/catalog.js';
import type { PartnerKind } from '../model/partners.js';
import type { CertificationKind } from '../model/people.js';
import type { LicensingModel } from '../programs/conditions.js';
import type { IsoDate } from '../programs/types.js';

/**
 * Amounts per product family, in minor units of the program currency, indexed like PRODUCT_FAMILIES
 * (servers, storage, networking, data-protection, services, software): a plain number array or a
 * Float64Array of length 6. Index order is fixed so the engine reads it without hashing.
 */
export type FamilyAmounts = ArrayLike<number>;

/**
 * Certification counts, indexed by `certificationIndex(kind, family)`: 4 kinds (sales, technical,
 * services, any) x 7 families (PRODUCT_FAMILIES, any) = 28 slots.
 */
export type CertificationCounts = ArrayLike<number>;

export interface CertificationFacts {
  /** Distinct people holding an active certification of the slot's kind and family. */
  readonly people: CertificationCounts;
  /**
   * Company certifications: distinct (kind, family) pairs the company holds, i.e. at least one of its
   * people holds an active certification of that kind in that family. A slot counts the pairs matching it.
   */
  readonly company: CertificationCounts;
}

/** One person's certification, as the app layer reads it from the database. */
export interface PersonCertification {
  readonly personId: string;
  readonly kind: CertificationKind;
  /** A product family; other values count only toward "any family". */
  readonly family: string;
  readonly earnedOn: IsoDate;
  /** Active while earnedOn <= asOf < expiresOn. */
  readonly expiresOn: IsoDate;
}

/**
 * A part of the revenue carrying line, order or customer attributes that qualifying multipliers may test
 * (licensing model, new business...). Slices are a breakdown of `revenueByFamily`: the rest of a
 * family's revenue is treated as lines that only know their family.
 */
export interface RevenueSlice {
  readonly family: ProductFamily;
  readonly amountMinor: number;
  readonly licensing?: LicensingModel;
  /** Solution area code of the slice's products. */
  readonly solution?: string;
  readonly newBusiness?: boolean;
}

/** What the engine knows of one partner over the qualification window ending at asOf. */
export interface PartnerTierFacts {
  readonly partnerId: string;
  readonly country: string;
  readonly kind: PartnerKind;
  /** Sells this vendor's hardware exclusively (exclusivity multiplier). */
  readonly exclusive: boolean;
  /** Revenue over the window by family; services revenue is the `services` slot. */
  readonly revenueByFamily: FamilyAmounts;
  readonly revenueSlices?: readonly RevenueSlice[];
  readonly certifications: CertificationFacts;
  /** Further partner facts a multiplier condition may test (absent = the leaf is false). */
  readonly deliversServices?: boolean;
  readonly growth?: Ppm;
}

export type CountMeasure = 'companyCertifications' | 'certifiedPeople';
export type MoneyMeasure = 'revenue' | 'servicesRevenue';
export type Measure = MoneyMeasure | 'credits' | CountMeasure;

/** One measure of one path: the program's target against the partner's measured value. */
export interface MeasureCheck {
  readonly measure: Measure;
  /** For counts: the family and kind the requirement names (null = any). */
  readonly family: ProductFamily | null;
  readonly kind: CertificationKind | null;
  /** Money in minor units of the program currency (qualifying amounts), credits, or a count. */
  readonly target: number;
  readonly actual: number;
  readonly met: boolean;
}

export interface PathResult {
  /** Index in the requirement block of the zone. */
  readonly index: number;
  readonly name: string;
  readonly met: boolean;
  readonly checks: readonly MeasureCheck[];
}

export interface TierResult {
  readonly tier: string;
  readonly rank: number;
  /** False when the tier has no requirement block for the partner's zone (it cannot be reached there). */
  readonly available: boolean;
  readonly met: boolean;
  readonly paths: readonly PathResult[];
}

/** The measured values, after qualifying multipliers (raw = before). */
export interface TierMeasures {
  readonly currency: string;
  readonly rawRevenueMinor: number;
  readonly rawServicesRevenueMinor: number;
  readonly revenueMinor: number;
  readonly servicesRevenueMinor: number;
  /** Whole credits (floor of qualifying credit value / creditValue); null when the program has no credits. */
  readonly credits: number | null;
  /** Codes of the qualifying multipliers that applied to some revenue. */
  readonly multipliers: readonly string[];
  /** Each multiplier that applied: its factor, the measures it scales and the raw amount it applied to. */
  readonly multiplierDetails: readonly MultiplierDetail[];
}

export interface MultiplierDetail {
  readonly code: string;
  readonly name: string;
  /** ppm (1 500 000 = x1.5). */
  readonly factor: Ppm;
  readonly scope: readonly ('revenue' | 'servicesRevenue' | 'credits')[];
  /** Minor units of the program currency the factor applied to (before it). */
  readonly baseMinor: number;
}

export interface TierEvaluation {
  readonly partnerId: string;
  readonly asOf: IsoDate;
  readonly program: { readonly code: string; readonly version: string };
  /** null: the country has no zone in the program (it cannot enrol); the tier is then the floor. */
  readonly zone: string | null;
  readonly tier: string;
  readonly rank: number;
  /** The path that qualified for `tier`; null for the floor tier. */
  readonly qualifiedBy: { readonly tier: string; readonly path: number; readonly name: string } | null;
  readonly measures: TierMeasures;
  /** Every tier above the floor, highest first. */
  readonly tiers: readonly TierResult[];
}

/** The compact result of the hot loop. */
export interface TierQualification {
  readonly rank: number;
  /** Path index inside the zone's requirement block; -1 for the floor. */
  readonly path: number;
}

export interface RequirementProgress {
  readonly measure: Measure;
  readonly family: ProductFamily | null;
  readonly kind: CertificationKind | null;
  readonly target: number;
  readonly current: number;
  /** target - current, 0 when met. In the measured (qualifying) unit. */
  readonly gap: number;
  readonly met: boolean;
  /** The same with the pending revenue added; absent without a pending deal. */
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

export interface ProgressReport {
  readonly partnerId: string;
  readonly asOf: IsoDate;
  readonly zone: string | null;
  readonly currentTier: string;
  /** The next tier, then (with `allHigher`) every tier above it; empty at the top. */
  readonly targets: readonly TierProgress[];
  readonly measures: TierMeasures;
  readonly withPending?: { readonly tier: string; readonly measures: TierMeasures };
}

export interface PendingRevenue {
  readonly revenueByFamily: FamilyAmounts;
  readonly revenueSlices?: readonly RevenueSlice[];
}

export interface TierEvaluator {
  readonly program: { readonly code: string; readonly version: string; readonly currency: string };
  /** Tier codes in rank order, floor first. */
  readonly tierCodes: readonly string[];
  zoneOf(country: string): string | null;
  /** The measured values after multipliers. */
  measure(facts: PartnerTierFacts): TierMeasures;
  /** The hot loop: the tier rank and path only, no explanation allocated. */
  qualify(facts: PartnerTierFacts): TierQualification;
  evaluate(facts: PartnerTierFacts, asOf: IsoDate): TierEvaluation;
  progress(
    facts: PartnerTierFacts,
    asOf: IsoDate,
    pending?: PendingRevenue | null,
    options?: { readonly allHigher?: boolean },
  ): ProgressReport;
}

export interface CompileTierOptions {
  /**
   * Converts a threshold written in one of the program's additional currencies to minor units of the
   * program currency. Required only when a path names such money.
   */
  readonly toProgramCurrency?: (money: Money) => number;
}
