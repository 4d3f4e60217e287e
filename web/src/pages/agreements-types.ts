/** Response shapes of the agreements API (src/server/routes/agreements.ts) and the partner home. */

export interface AgreementNotice {
  readonly noticeDate: string;
  /** The party's vendor slug. */
  readonly by: string;
  readonly reason: string;
  readonly effectiveDate: string;
  readonly note: string | null;
}

export interface AgreementParty {
  /** Null for another vendor than the caller's own (a partner: those it is not enrolled with). */
  readonly vendorId: string | null;
  readonly slug: string;
  readonly name: string;
  readonly role: string;
  /** Codes of the programs the party binds. */
  readonly programs: readonly string[];
}

/** GET /api/agreements items. */
export interface AgreementSummary {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly status: string;
  readonly asOf: string;
  readonly signed: string;
  readonly effectiveFrom: string;
  readonly effectiveTo: string | null;
  readonly term: string;
  readonly parties: readonly AgreementParty[];
  readonly notice: AgreementNotice | null;
  readonly accrualsThrough: string | null;
}

export interface AgreementClause {
  readonly allowsTermination: boolean;
  readonly description: string | null;
}

export interface AgreementReward {
  readonly id: string;
  readonly partnerId: string;
  /** The funding party. */
  readonly vendorId: string;
  readonly completedOn: string;
  readonly programId: string;
  readonly period: string;
  readonly currency: string;
  readonly shareMinor: number;
  readonly basisPoints: number;
  /** The set's whole reward: partners only. */
  readonly rewardMinor: number | null;
  readonly explanation: string;
}

/** GET /api/agreements/{id}. */
export interface AgreementDetail extends AgreementSummary {
  readonly terms: {
    readonly noticeDays: number;
    readonly changeOfControl: AgreementClause;
    readonly convenience: AgreementClause;
    readonly continuity: {
      readonly enabled: boolean;
      readonly programs: readonly string[];
      readonly crossCredit: readonly {
        readonly from: string;
        readonly to: string;
        readonly sharePpm: number;
        readonly description: string | null;
      }[];
    };
    readonly solutionReward: {
      readonly pointsPpm: number;
      readonly window: string;
      readonly requires: readonly { readonly vendor: string; readonly families: readonly string[] }[];
      readonly funding: readonly { readonly vendor: string; readonly basisPoints: number }[];
    } | null;
  };
  readonly events: readonly {
    readonly kind: string;
    readonly onDay: string;
    readonly sentence: string;
    readonly at: string;
  }[];
  readonly canGiveNotice: boolean;
  readonly yourFunding: { readonly basisPoints: number } | null;
  readonly rewards: readonly AgreementReward[];
  readonly rewardTotals: readonly {
    readonly currency: string;
    readonly totalMinor: number;
    readonly shares: number;
  }[];
}

/** GET /api/partners/{id}/home (src/server/routes/partner-home.ts). */
export interface PartnerHomeProgram {
  readonly programId: string;
  readonly code: string;
  readonly name: string;
  readonly vendorId: string;
  readonly vendorName: string;
  readonly enrolment: {
    readonly status: string;
    readonly partnerNumber: string;
    readonly enrolledAt: string;
  };
  readonly asOf: string | null;
  readonly inForceToday: boolean;
  readonly year: {
    readonly version: string;
    readonly from: string;
    readonly to: string | null;
    readonly periods: readonly { readonly code: string; readonly from: string; readonly to: string }[];
  } | null;
  readonly currentPeriod: string | null;
}

export interface PartnerHome {
  readonly partnerId: string;
  readonly partnerName: string;
  readonly today: string;
  readonly programs: readonly PartnerHomeProgram[];
}
