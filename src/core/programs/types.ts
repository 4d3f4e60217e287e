import type { Money } from '../money/money.js';
import type { Ppm } from '../money/rate.js';
import type { ProductFamily } from '../model/catalog.js';
import type { Region, Segment } from '../model/geography.js';
import type { CertificationKind } from '../model/people.js';
import type { ConditionNode } from './conditions.js';

/**
 * The normalised, fully typed form of a program file. Field names and list order mirror the file, so a
 * path into this object (`tiers[2].requirements[0].paths[1].revenue`) is also a path into the YAML.
 * Money is integer minor units + currency, rates and factors are integer ppm, dates are ISO strings
 * (YYYY-MM-DD), absent optional values are `null` (never `undefined`).
 */

/** An ISO date, YYYY-MM-DD. */
export type IsoDate = string;

/** A calendar duration: ISO 8601 `P1Y`, `P90D` or `{ months: 12 }` in the file, normalised to months + days. */
export interface Duration {
  readonly months: number;
  readonly days: number;
}

/** A month and day of the year, "MM-DD" in the file. */
export interface MonthDay {
  readonly month: number;
  readonly day: number;
}

export interface DateRange {
  readonly from: IsoDate;
  /** Inclusive last day; null = open-ended. */
  readonly to: IsoDate | null;
}

export const PERIOD_GRANULARITIES = ['month', 'quarter'] as const;
export type PeriodGranularity = (typeof PERIOD_GRANULARITIES)[number];

export interface VendorRef {
  readonly slug: string;
  readonly name: string;
  readonly currency: string;
}

export interface Zone {
  readonly code: string;
  readonly name: string;
  /** ISO 3166-1 alpha-2 codes listed explicitly. */
  readonly countries: readonly string[];
  /** Whole sales regions: every country of the region not listed explicitly in another zone. */
  readonly regions: readonly Region[];
}

/** Measures a tier path may require; also the scope of qualifying-credit multipliers. */
export const REQUIREMENT_MEASURES = ['revenue', 'servicesRevenue', 'credits'] as const;
export type RequirementMeasure = (typeof REQUIREMENT_MEASURES)[number];

export interface CountRequirement {
  readonly count: number;
  /** null = any family. */
  readonly family: ProductFamily | null;
  /** null = any kind. */
  readonly kind: CertificationKind | null;
}

export interface QualificationPath {
  readonly name: string | null;
  readonly revenue: Money | null;
  readonly servicesRevenue: Money | null;
  /** Qualifying credits (revenue x applicable multipliers, see `qualification.creditValue`). */
  readonly credits: number | null;
  readonly companyCertifications: readonly CountRequirement[];
  readonly certifiedPeople: readonly CountRequirement[];
}

export interface TierRequirement {
  /** Zone codes these paths apply to. */
  readonly zones: readonly string[];
  /** Meeting every measure of any one path qualifies. */
  readonly paths: readonly QualificationPath[];
}

export interface Tier {
  readonly code: string;
  readonly name: string;
  /** Empty for the floor tier (the first one). */
  readonly requirements: readonly TierRequirement[];
}

export const DOWNGRADE_POLICIES = ['at-audit', 'immediately'] as const;
export type DowngradePolicy = (typeof DOWNGRADE_POLICIES)[number];

export interface QualificationPolicy {
  /** The trailing window the measures cover. */
  readonly window: Duration;
  readonly reevaluate: 'daily';
  /** The yearly audit, when downgrades take effect under `at-audit`. */
  readonly auditDate: MonthDay;
  readonly downgrade: DowngradePolicy;
  /** A tier reached (or matched) is kept at least this long; null = no grandfathering. */
  readonly grandfathering: Duration | null;
  /** What one qualifying credit is worth, for programs measured in credits; null = no credits. */
  readonly creditValue: Money | null;
}

export interface InvitationStatus {
  readonly code: string;
  readonly name: string;
  readonly invitationOnly: boolean;
  readonly baseTier: string;
  readonly duration: Duration;
  readonly requiresExecutiveSponsor: boolean;
  readonly renewable: boolean;
  readonly maxGrants: number | null;
}

export interface QualifyingMultiplier {
  readonly code: string;
  readonly name: string;
  readonly factor: Ppm;
  readonly scope: readonly RequirementMeasure[];
  readonly condition: ConditionNode | null;
}

export const COMPONENT_KINDS = [
  'base-rebate',
  'new-business',
  'services-attach',
  'cross-sell',
  'growth-accelerator',
  'payout-multiplier',
  'mdf-accrual',
  'deal-registration',
] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];

export const SETTLEMENTS = ['accrual', 'close'] as const;
export type Settlement = (typeof SETTLEMENTS)[number];

export interface ComponentCaps {
  /** Most one partner may earn from the component in one period; null = uncapped. */
  readonly perPartnerPerPeriod: Money | null;
}

interface ComponentCommon {
  readonly code: string;
  readonly name: string;
  /** Stacking order: lower runs first. */
  readonly priority: number;
  /** Of the components sharing a group, only the best-paying one applies to a line. */
  readonly exclusiveGroup: string | null;
  /** Defaults to the program's effective range. */
  readonly effective: DateRange;
  readonly settlement: Settlement;
  readonly condition: ConditionNode | null;
  readonly budgetPool: string | null;
  readonly caps: ComponentCaps;
  /** Qualifying revenue a partner needs in the period before the component pays; null = from the first dollar. */
  readonly minimum: Money | null;
}

/** Rates by tier code, then by product family. */
export type RateTable = Readonly<Record<string, Readonly<Partial<Record<ProductFamily, Ppm>>>>>;

export interface BaseRebateComponent extends ComponentCommon {
  readonly kind: 'base-rebate';
  readonly rates: RateTable;
}

export interface NewBusinessComponent extends ComponentCommon {
  readonly kind: 'new-business';
  readonly points: Ppm;
  /** A customer is new if it bought none of `families` from the vendor within this window. */
  readonly lookBack: Duration;
  readonly families: readonly ProductFamily[];
}

export const SERVICE_DELIVERY = ['deliver', 'resell', 'either'] as const;
export type ServiceDelivery = (typeof SERVICE_DELIVERY)[number];

export interface ServicesAttachComponent extends ComponentCommon {
  readonly kind: 'services-attach';
  readonly points: Ppm;
  /** `deliver`: the partner must deliver the services itself; `resell`: resold vendor services; `either`. */
  readonly delivery: ServiceDelivery;
  readonly families: readonly ProductFamily[];
}

export interface CrossSellComponent extends ComponentCommon {
  readonly kind: 'cross-sell';
  readonly points: Ppm;
  /** Distinct families one customer must buy from the partner in the period. */
  readonly minFamilies: number;
  /** If not empty, the customer's families must include one of these combinations. */
  readonly combinations: readonly (readonly ProductFamily[])[];
  /** Lines that earn the points; empty = every line of a qualifying customer. */
  readonly families: readonly ProductFamily[];
}

export interface GrowthThreshold {
  /** Growth strictly above this rate... */
  readonly above: Ppm;
  /** ...earns these points (the highest threshold passed applies; not cumulative). */
  readonly points: Ppm;
}

export const GROWTH_BASES = ['period-revenue', 'incremental-revenue'] as const;
export type GrowthBase = (typeof GROWTH_BASES)[number];

export const GROWTH_COMPARISONS = ['same-period-last-year', 'previous-period'] as const;
export type GrowthComparison = (typeof GROWTH_COMPARISONS)[number];

export interface GrowthAcceleratorComponent extends ComponentCommon {
  readonly kind: 'growth-accelerator';
  readonly thresholds: readonly GrowthThreshold[];
  readonly comparedWith: GrowthComparison;
  /** What the points multiply: the whole period's revenue or only its growth over the comparison. */
  readonly base: GrowthBase;
  /** Families measured and paid on; empty = all. */
  readonly families: readonly ProductFamily[];
}

export interface PayoutMultiplierComponent extends ComponentCommon {
  readonly kind: 'payout-multiplier';
  readonly factor: Ppm;
  /** Component codes whose payout is multiplied; null = all other components. */
  readonly appliesTo: readonly string[] | null;
}

/** Earned market development funds: a share of revenue credited to the partner's MDF balance. */
export interface MdfAccrualComponent extends ComponentCommon {
  readonly kind: 'mdf-accrual';
  readonly points: Ppm;
  readonly families: readonly ProductFamily[];
  /** Unclaimed funds expire this long after the period they were earned in. */
  readonly expiresAfter: Duration;
}

/**
 * Registered-deal bonus: `points` on the lines of an order that names the partner's approved, unexpired
 * deal registration of the same customer, on the registration's families (the caller sets the line fact
 * `registeredDeal`). `dealRegistration.benefit` names the component that is the protection's worth.
 */
export interface DealRegistrationComponent extends ComponentCommon {
  readonly kind: 'deal-registration';
  readonly points: Ppm;
  /** Families it pays on; empty = every family. */
  readonly families: readonly ProductFamily[];
}

export type IncentiveComponent =
  | BaseRebateComponent
  | NewBusinessComponent
  | ServicesAttachComponent
  | CrossSellComponent
  | GrowthAcceleratorComponent
  | PayoutMultiplierComponent
  | MdfAccrualComponent
  | DealRegistrationComponent;

export const EXHAUSTION_POLICIES = ['stop', 'prorate', 'overrun'] as const;
/** `stop`: accruals stop when the pool is spent; `prorate`: payouts scaled down at close; `overrun`: keep paying, flag it. */
export type ExhaustionPolicy = (typeof EXHAUSTION_POLICIES)[number];

export interface BudgetPool {
  readonly code: string;
  readonly name: string;
  readonly amount: Money;
  readonly onExhausted: ExhaustionPolicy;
}

/** A kind of marketing activity partners may propose, and the proof a claim for it must attach. */
export interface MdfActivityType {
  readonly code: string;
  readonly name: string;
  /** Kinds of proof a claim must attach, each at least once (e.g. invoice, attendee-list, screenshot). */
  readonly proof: readonly string[];
}

/** A budget for proposal-based MDF: funds the vendor grants per activity, per zone and period. */
export interface MdfProposalFund {
  readonly code: string;
  readonly name: string;
  /** Zones whose partners may propose against it (empty = every zone). */
  readonly zones: readonly string[];
  /** What the fund holds for each period of `per`. */
  readonly amount: Money;
  readonly per: 'quarter' | 'year';
}

/**
 * Market development funds: how partners use earned MDF (the `mdf-accrual` components' balance) and the
 * proposal funds, through activities pre-approved, run, then claimed with proof.
 */
export interface MarketingFundsPolicy {
  readonly activityTypes: readonly MdfActivityType[];
  /** A claim is due within this time after the activity ends. */
  readonly claimWithin: Duration;
  readonly proposalFunds: readonly MdfProposalFund[];
}

export interface LegacyProgramMapping {
  readonly program: string;
  readonly name: string | null;
  /** Legacy tier code -> tier code of this program. */
  readonly tiers: Readonly<Record<string, string>>;
}

export interface StatusMatch {
  readonly effective: IsoDate;
  readonly grandfatherPeriod: Duration;
  readonly rule: 'highest';
  readonly legacyPrograms: readonly LegacyProgramMapping[];
}

export interface DealSizeRule {
  /** null = any region / segment / family; the most specific matching rule wins. */
  readonly region: Region | null;
  readonly segment: Segment | null;
  readonly family: ProductFamily | null;
  readonly minimum: Money;
}

export const CONFLICT_SCOPE_KEYS = ['account', 'family', 'region'] as const;
export type ConflictScopeKey = (typeof CONFLICT_SCOPE_KEYS)[number];

/** What a breached review SLA does: flag and escalate to the vendor, or approve automatically. */
export const SLA_BREACH_ACTIONS = ['escalate', 'auto-approve'] as const;
export type SlaBreachAction = (typeof SLA_BREACH_ACTIONS)[number];

/** A rejection reason a program adds to the built-in list (src/core/deals/reasons.ts). */
export interface RejectionReasonDefinition {
  /** kebab-case, distinct from the built-in codes. */
  readonly code: string;
  readonly label: string;
}

export interface DealRegistrationPolicy {
  readonly minimumDealSize: { readonly default: Money; readonly rules: readonly DealSizeRule[] };
  /** Days of protection from approval (see src/core/deals/README.md for the exact end). */
  readonly protectionDays: number;
  readonly extensions: { readonly days: number; readonly maxCount: number; readonly onRequest: boolean };
  readonly reviewSlaHours: {
    readonly default: number;
    readonly byRegion: Readonly<Partial<Record<Region, number>>>;
    /** What a breached review SLA does; default `escalate`. */
    readonly onBreach: SlaBreachAction;
  };
  readonly netNewOnly: boolean;
  readonly oneDealOneCustomer: boolean;
  readonly conflictScope: readonly ConflictScopeKey[];
  readonly conflictRule: 'first-to-register';
  /** Code of the `deal-registration` component that is the protection's worth; null = none. */
  readonly benefit: string | null;
  readonly conflictChecks: {
    /** Most conflict checks (submissions and live hints) one partner may run per UTC day; default 100. */
    readonly perPartnerPerDay: number;
  };
  /** Reason codes added to the built-in list; default none. */
  readonly rejectionReasons: readonly RejectionReasonDefinition[];
  readonly abuse: {
    /** A partner registering more customers it never sold to than this, within the look-back, is flagged (default 20). */
    readonly unsoldRegistrationsMax: number;
    /** The look-back window in days (default 180). */
    readonly lookbackDays: number;
  };
}

export interface NamedAccount {
  readonly name: string;
  readonly domain: string | null;
  readonly country: string;
}

/**
 * The criteria a routed direct order's candidates are ranked by, in the program's order (each one breaks
 * the ties of those before it); equals left after the last are taken in a fair rotation. `round-robin`
 * ends the list early: candidates tied on the criteria before it rotate. src/core/engagement/README.md.
 */
export const ROUTING_STEPS = [
  'incumbent-reseller',
  'highest-tier',
  'same-zone',
  'family-competency',
  'capacity',
  'acceptance-rate',
  'round-robin',
] as const;
export type RoutingStep = (typeof ROUTING_STEPS)[number];

export interface CoveragePolicy {
  /** A customer who bought through a partner within this window is channel-only. */
  readonly channelExclusiveWindow: Duration;
  readonly directNamedAccounts: {
    readonly maxCount: number | null;
    readonly accounts: readonly NamedAccount[];
  };
  readonly routing: {
    /** Direct orders below this amount from non-named accounts go to the reseller network. */
    readonly threshold: Money;
    readonly order: readonly RoutingStep[];
    /** Hours a partner has to accept or decline an offer before it goes to the next candidate. */
    readonly offerHours: number;
    /** Candidates kept per decision (offered in turn on declines and lapses). */
    readonly maxCandidates: number;
    /** Open offers a partner may hold at once (the `capacity` criterion); null = no limit. */
    readonly maxOpenOffers: number | null;
  };
}

export interface PayoutCalendarDate {
  /** "2017-Q1" or "2017-03" in program fiscal terms. */
  readonly period: string;
  readonly close: IsoDate;
  readonly pay: IsoDate;
}

export interface PayoutCalendar {
  readonly period: PeriodGranularity;
  readonly closeAfterDays: number;
  readonly payAfterDays: number;
  /** Explicit dates that override the day counts for the listed periods. */
  readonly dates: readonly PayoutCalendarDate[];
  /** Smallest amount paid out; smaller balances carry over. null = no minimum. */
  readonly minimumPayout: Money | null;
  readonly currency: string;
}

export interface ProgramDefinition {
  readonly apiVersion: 'trellis/v1';
  readonly kind: 'Program';
  readonly vendor: VendorRef;
  readonly code: string;
  readonly name: string;
  readonly version: string;
  readonly effective: DateRange;
  readonly currency: string;
  /** Other currencies money in this file may be written in (e.g. EUR thresholds for France). */
  readonly additionalCurrencies: readonly string[];
  readonly fiscalYearStart: MonthDay;
  readonly periods: PeriodGranularity;
  /** Legacy program codes merged into this one. */
  readonly supersedes: readonly string[];
  readonly zones: readonly Zone[];
  /** The zone of countries no zone lists; null = such countries cannot enrol. */
  readonly defaultZone: string | null;
  /** In rank order, lowest (the floor) first. */
  readonly tiers: readonly Tier[];
  readonly qualification: QualificationPolicy;
  readonly statuses: readonly InvitationStatus[];
  readonly qualifyingMultipliers: readonly QualifyingMultiplier[];
  readonly components: readonly IncentiveComponent[];
  readonly budgetPools: readonly BudgetPool[];
  readonly statusMatch: StatusMatch | null;
  readonly dealRegistration: DealRegistrationPolicy;
  readonly coverage: CoveragePolicy;
  readonly payouts: PayoutCalendar;
  /** Null: the program runs no MDF activities (earned MDF, if any, cannot be claimed). */
  readonly marketingFunds: MarketingFundsPolicy | null;
  /** Null: orders and payouts are in the program's currency only. */
  readonly exchange: ExchangePolicy | null;
}

export const PAYOUT_RATES = ['payout-day', 'period-average'] as const;
export type PayoutRate = (typeof PAYOUT_RATES)[number];
export const MISSING_RATE_POLICIES = ['refuse', 'last-known'] as const;

/** Currencies orders may be in where: the zones listed and the countries listed. */
export interface OrderCurrencyRule {
  readonly zones: readonly string[];
  readonly countries: readonly string[];
  readonly currencies: readonly string[];
}

/**
 * Other currencies (issue 17): which currencies orders may be in (by zone or country of the order), the
 * rate each conversion uses, what happens when a day has no rate, and the currencies partners may be
 * paid in. Orders are converted at their day's rate (a line's converted amount is fixed when it accrues
 * in real time); payouts at the payout day's rate or the period's average.
 */
export interface ExchangePolicy {
  readonly orderCurrencies: readonly OrderCurrencyRule[];
  readonly orderRate: 'order-day';
  readonly payoutRate: PayoutRate;
  readonly missingRate:
    { readonly policy: 'refuse' } | { readonly policy: 'last-known'; readonly withinDays: number };
  /** Currencies a partner may choose to be paid in, besides `payouts.currency`. */
  readonly payoutCurrencies: readonly string[];
}

export const AGREEMENT_ROLES = ['supplier', 'distributor', 'counterparty'] as const;
export type AgreementRole = (typeof AGREEMENT_ROLES)[number];

export interface AgreementParty {
  readonly vendor: string;
  readonly name: string;
  readonly role: AgreementRole;
  /** Program codes of this party the agreement speaks of. */
  readonly programs: readonly string[];
}

/** A party's part of the funding of a cross-vendor solution reward, in basis points (10000 = all of it). */
export interface FundingShare {
  readonly vendor: string;
  readonly basisPoints: number;
}

/**
 * Cross-vendor solution reward: a partner that sells every listed vendor's families to the same customer
 * within `window` earns `points` of the solution's revenue, funded by the parties in `funding` (basis
 * points summing to exactly 10000).
 */
export interface SolutionReward {
  readonly points: Ppm;
  /** Every listed vendor must sell one of its families to the same customer through the same partner. */
  readonly requires: readonly { readonly vendor: string; readonly families: readonly ProductFamily[] }[];
  /** From the first purchase of a set: every required vendor's purchase falls before start + window. */
  readonly window: Duration;
  readonly funding: readonly FundingShare[];
}

export interface TerminationEvent {
  readonly date: IsoDate;
  /** Vendor slug of the party that terminated. */
  readonly by: string;
  readonly reason: 'change-of-control' | 'convenience' | 'breach' | 'mutual';
  /** The day the termination takes effect (after notice). */
  readonly effective: IsoDate;
  readonly note: string | null;
}

export interface AgreementDefinition {
  readonly apiVersion: 'trellis/v1';
  readonly kind: 'Agreement';
  readonly code: string;
  readonly name: string;
  readonly parties: readonly AgreementParty[];
  readonly signed: IsoDate;
  readonly effective: DateRange;
  readonly term: Duration;
  readonly termination: {
    readonly noticeDays: number;
    readonly changeOfControl: { readonly allowsTermination: boolean; readonly description: string | null };
    /** Termination for convenience (no cause): allowed or not; absent in a file = not allowed. */
    readonly convenience: { readonly allowsTermination: boolean; readonly description: string | null };
    /** Terminations recorded in the file (history); applied to the agreement's life cycle when published. */
    readonly events: readonly TerminationEvent[];
  };
  readonly provisions: {
    readonly benefitContinuity: {
      readonly enabled: boolean;
      /** Program codes whose tiers and benefits partners keep. */
      readonly programs: readonly string[];
      readonly description: string | null;
    };
    readonly crossCredit: readonly {
      /** Purchases through this vendor... */
      readonly from: string;
      /** ...count under this vendor's program... */
      readonly to: string;
      /** ...at this share (100% = full credit). */
      readonly share: Ppm;
      readonly description: string | null;
    }[];
    readonly crossVendorSolutionBonus: SolutionReward | null;
    readonly sharedPartners: {
      /** `enrolled-in-all`: every partner enrolled in all parties' programs; `listed`: only `partners`. */
      readonly scope: 'enrolled-in-all' | 'listed';
      readonly partners: readonly string[];
    };
  };
}

export type TrellisDocument = ProgramDefinition | AgreementDefinition;
