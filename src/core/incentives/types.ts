import type { Message } from '../messages/message.js';
import type { Ppm } from '../money/rate.js';
import type { ProductFamily } from '../model/catalog.js';
import type { Region, Segment } from '../model/geography.js';
import type { Channel } from '../model/orders.js';
import type { PartnerKind } from '../model/partners.js';
import type { LeafResult, LicensingModel } from '../programs/conditions.js';
import type { ComponentKind, IsoDate, Settlement } from '../programs/types.js';

/**
 * Types of the pure incentive engine. Amounts are integer minor units of the program currency (the
 * caller converts other currencies first), rates and multipliers are integer ppm.
 */

/** Which stored version of a program the engine was compiled from. */
export interface IncentiveVersionInfo {
  /** The stored version number (e.g. from `trellis program publish`); null when compiling a file. */
  readonly version: number | null;
}

/**
 * The facts of a line other than the ones the columnar batch carries in columns (tier, exclusive,
 * new business, family, amount). Few distinct values in practice: the batch takes them as a small table.
 * Absent facts make every condition leaf on them false (see `compileCondition`).
 */
export interface LineContext {
  readonly channel?: Channel | null;
  readonly registeredDeal?: boolean | null;
  /** The line's product: its licensing model (null for hardware) and solution area (null when none). */
  readonly licensing?: LicensingModel | null;
  readonly solution?: string | null;
  readonly orderCountry?: string | null;
  readonly orderRegion?: Region | null;
  readonly orderSegment?: Segment | null;
  readonly customerCountry?: string | null;
  readonly customerSegment?: Segment | null;
  readonly partnerKind?: PartnerKind | null;
  readonly partnerStatus?: string | null;
  readonly partnerZone?: string | null;
  readonly partnerCountry?: string | null;
  readonly partnerRegion?: Region | null;
  /** The partner delivers the vendor's services itself (trained and certified). */
  readonly deliversServices?: boolean | null;
  /** Year-over-year growth of the partner's revenue, ppm, if a condition reads it. */
  readonly partnerGrowth?: Ppm | null;
}

/** Everything the engine needs to know about a line besides the line itself. */
export interface LineFacts extends LineContext {
  /** The partner's tier at the order date (a tier code of the program). */
  readonly tier: string;
  /** The partner sells the vendor's hardware exclusively. */
  readonly exclusive: boolean;
  /** The customer bought nothing from the vendor within the look-back window (computed by the caller). */
  readonly newBusiness: boolean;
}

/** One order line as the engine reads it. */
export interface IncentiveLine {
  readonly lineId: string;
  readonly partnerId: string;
  readonly customerId: string;
  readonly orderDate: IsoDate;
  readonly family: ProductFamily;
  /** Minor units of the program currency; negative on a return. */
  readonly amountMinor: number;
  readonly quantity?: number | null;
  readonly orderTotalMinor?: number | null;
  readonly facts: LineFacts;
  /**
   * On a return of a line the partner was already credited for: the most each accrual component may claw
   * back (positive minor units, by component code; a component not listed claws back nothing). The
   * caller computes it from the ledger (what was credited and kept for the returned line, less earlier
   * returns). Absent or null = no limit (a return inside the period of its sale, or never credited).
   */
  readonly clawbackLimitMinor?: Readonly<Record<string, number>> | null;
}

export interface Explanation {
  /** One sentence a partner can read (English). */
  readonly text: string;
  /** The same sentence as a message the app translates (`core/messages`), where one is written. */
  readonly message?: Message;
  /** The condition trace, when the component has a condition. */
  readonly condition: readonly LeafResult[];
}

/** What every computed amount keeps: the rule and version, base, rate, tier, multiplier. */
export interface ProposalCommon {
  /** Component code. */
  readonly component: string;
  readonly kind: ComponentKind;
  /** `<program code>/<component code>` */
  readonly ruleId: string;
  /** `<program code>@<program version>` plus `#<stored version>` when known. */
  readonly ruleVersion: string;
  readonly partnerId: string;
  readonly budgetPool: string | null;
  /** The amount the rate applies to (minor units). */
  readonly baseMinor: number;
  /** Rate of the component (ppm), before the multiplier. */
  readonly rate: Ppm;
  /** The tier the rate was read for. */
  readonly tier: string;
  /** Product of the payout multipliers applied (ppm, 1 000 000 = none). */
  readonly multiplier: Ppm;
  /** Codes of the payout-multiplier components applied. */
  readonly multipliers: readonly string[];
  /** multiplyFactors(rate, multiplier): the rate actually applied (ppm, half-even at 1 ppm). */
  readonly effectiveRate: Ppm;
  /** applyRate(baseMinor, effectiveRate), unless a cap reduced it (see CloseProposal.capped). */
  readonly amountMinor: number;
  readonly explanation: Explanation;
}

/** A per-line accrual ("settlement: accrual"), proposed for the ledger to write. */
export interface AccrualProposal extends ProposalCommon {
  readonly lineId: string;
  readonly orderDate: IsoDate;
  readonly family: ProductFamily;
}

export type CloseProposalType =
  /** A close component's amount for the partner and period. */
  | 'component'
  /** Reduces what an accrual component accrued in the period to its cap (negative). */
  | 'cap-adjustment'
  /** Reverses an accrual component's period accruals when its minimum was not reached (negative). */
  | 'minimum-reversal';

export interface CloseProposal extends ProposalCommon {
  readonly type: CloseProposalType;
  readonly settlement: Settlement;
  /** Set when a cap reduced the amount: the cap and the amount before it. */
  readonly capped: { readonly capMinor: number; readonly uncappedMinor: number } | null;
}

export interface Period {
  /** A label such as "2017-Q1"; free text. */
  readonly code: string;
  readonly from: IsoDate;
  /** Inclusive last day. */
  readonly to: IsoDate;
}

/** Revenue per product family (minor units); absent families count 0. */
export type FamilyRevenue = Readonly<Partial<Record<ProductFamily, number>>>;

/** What the close needs to know about one partner for the period, beyond its lines. */
export interface PartnerPeriodFacts {
  readonly partnerId: string;
  /**
   * Partner facts at the period close, for payout-multiplier conditions on close proposals and as the
   * tier of cross-sell and growth proposals. Defaults to the facts of the partner's last line.
   */
  readonly facts?: LineFacts | null;
  /** Comparison revenue for growth accelerators, by `comparedWith`. */
  readonly comparison?: {
    readonly 'same-period-last-year'?: FamilyRevenue | null;
    readonly 'previous-period'?: FamilyRevenue | null;
  } | null;
  /**
   * What the ledger accrued per accrual component code in the period, for caps and minimums. Defaults
   * to the sum of `accrueLine` over the period's lines.
   */
  readonly accruedMinor?: Readonly<Record<string, number>> | null;
}

export interface PeriodInput {
  readonly period: Period;
  /** The period's lines (any partners; lines outside the period are ignored). */
  readonly lines: readonly IncentiveLine[];
  /** Facts per partner; partners with lines but no entry use defaults. */
  readonly partners?: readonly PartnerPeriodFacts[];
}

export interface ComponentTotal {
  readonly partnerId: string;
  readonly component: string;
  readonly accruedMinor: number;
  readonly closeMinor: number;
  readonly totalMinor: number;
}

/** A component as compiled, in stacking (priority) order. */
export interface CompiledComponentInfo {
  readonly index: number;
  readonly code: string;
  readonly name: string;
  readonly kind: ComponentKind;
  readonly priority: number;
  /** Where its amounts are settled; cross-sell and growth are always `close`. */
  readonly settlement: Settlement;
  readonly exclusiveGroup: string | null;
  readonly budgetPool: string | null;
}

/**
 * Columns of a batch of lines for `accrueBatch`. All arrays have at least `length` entries.
 * Indexes refer to the engine's `families`, `tiers`, and the contexts given to `prepare`.
 */
export interface AccrualColumns {
  readonly length: number;
  /** Integer minor units; negative on a return. */
  readonly amountMinor: Float64Array | Int32Array;
  readonly familyIndex: Uint8Array;
  readonly tierIndex: Uint8Array;
  /** 1 = new business. */
  readonly newBusiness: Uint8Array;
  /** 1 = exclusive partner. */
  readonly exclusive: Uint8Array;
  /** Index into the prepared contexts; absent = context 0. */
  readonly contextIndex?: Uint8Array | Uint16Array | Uint32Array;
  /** Row of `out` to add into; absent = row 0. */
  readonly partnerIndex?: Uint32Array | Uint16Array;
  /** Order date as days since 1970-01-01 (see `dayNumber`); absent = the `asOf` of `prepare`. */
  readonly orderDay?: Int32Array;
  /** Only read on the slow path (conditions on line.quantity / order.total). */
  readonly quantity?: Float64Array;
  readonly orderTotalMinor?: Float64Array;
}
