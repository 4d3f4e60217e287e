/** Deal registrations as the API returns them (src/server/routes/deals.ts). */

export interface DealCustomer {
  readonly name: string;
  readonly domain: string | null;
  readonly addressLine: string | null;
  readonly city: string | null;
  readonly postalCode: string | null;
  readonly country: string;
  readonly region: string;
  readonly segment: string;
}

export interface DealLine {
  readonly lineNo: number;
  readonly family: string;
  readonly amountMinor: number;
  readonly productId: string | null;
  readonly quantity: number | null;
  readonly description: string | null;
}

export interface Deal {
  readonly id: string;
  readonly vendorId: string;
  readonly programId: string;
  readonly partnerId: string;
  readonly ownerPersonId: string | null;
  readonly status: string;
  readonly customer: DealCustomer;
  readonly currency: string;
  readonly totalMinor: number;
  readonly lines: readonly DealLine[];
  readonly expectedCloseDate: string;
  readonly description: string;
  readonly externalRef: string | null;
  readonly submittedAt: string | null;
  /** When the vendor must have reviewed it (the program's SLA). */
  readonly reviewDueAt: string | null;
  readonly approvedOn: string | null;
  /** Last protected day (inclusive, UTC). */
  readonly protectedUntil: string | null;
  readonly protectionDaysLeft: number | null;
  readonly extensionsGranted: number;
  readonly extensionRequestedAt: string | null;
  readonly reasonCode: string | null;
  readonly reasonText: string | null;
  readonly wonOrderId: string | null;
  readonly closedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  // The vendor's view only.
  readonly customerId?: string | null;
  readonly slaBreached?: boolean;
  readonly slaBreachedAt?: string | null;
  readonly escalated?: boolean;
  readonly decidedBy?: string | null;
  readonly decidedAt?: string | null;
  readonly sequence?: number | null;
}

export interface DealEvent {
  /** UTC instant. */
  readonly at: string;
  readonly action: string;
  readonly fromStatus: string | null;
  readonly toStatus: string;
  /** partner, vendor or system. */
  readonly by: string;
  readonly actorType?: string;
  readonly actorId?: string | null;
  readonly reasonCode: string | null;
  readonly note: string | null;
}

export interface DealEvidence {
  readonly field: string;
  /** 0..1 */
  readonly score: number;
  readonly detail: string;
}

/** What a conflict matched: another registration, one of the vendor's customers, or a direct account. */
export type OtherRegistration = Deal & { readonly partnerName?: string | null };

/** A customer of the vendor, or a direct (named) account: a name and what else is known. */
export interface OtherParty {
  readonly id?: string;
  readonly name: string;
  readonly domain?: string | null;
  readonly country?: string;
  readonly region?: string;
  readonly segment?: string;
  readonly addressLine?: string | null;
  readonly city?: string | null;
  readonly postalCode?: string | null;
}

export type DealConflictOther = OtherRegistration | OtherParty;

export interface DealConflict {
  readonly id: string;
  /** registration, customer or named-account. */
  readonly kind: string;
  readonly otherId: string;
  readonly score: number;
  /** match or possible. */
  readonly decision: string;
  /** open, confirmed or dismissed. */
  readonly status: string;
  readonly evidence: readonly unknown[];
  readonly other: DealConflictOther | null;
}

export interface DealDetail extends Deal {
  readonly history: readonly DealEvent[];
  readonly partnerName?: string | null;
  /** The vendor's reviewers only. */
  readonly conflicts?: readonly DealConflict[];
  /** The vendor's reviewers only: later registrations that ran into this one. */
  readonly laterConflicts?: readonly {
    readonly id: string;
    readonly registrationId: string;
    readonly score: number;
    readonly decision: string;
    readonly status: string;
    readonly evidence: readonly unknown[];
    readonly other: DealConflictOther | null;
  }[];
}

export type SubmitOutcome = 'draft' | 'submitted' | 'conflict';

export interface SubmitResult {
  readonly outcome: SubmitOutcome;
  readonly deal: Deal;
}

export interface DealHint {
  readonly hint: 'clear' | 'may-be-covered' | 'yours';
  readonly yourRegistrationId: string | null;
  readonly checksLeftToday: number;
}

export interface DealReason {
  readonly code: string;
  readonly label: string;
  readonly builtIn: boolean;
}

export interface BulkReviewResult {
  readonly done: number;
  readonly failed: number;
  readonly results: readonly {
    readonly id: string;
    readonly ok: boolean;
    readonly status?: string;
    readonly error?: string;
  }[];
}

export interface DealFlag {
  readonly id: string;
  readonly vendorId: string;
  readonly partnerId: string;
  readonly registrationId: string | null;
  readonly orderId: string | null;
  /** customer-mismatch, sold-by-other or many-unsold. */
  readonly rule: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly status: string;
  readonly resolution: string | null;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  readonly createdAt: string;
}

/** The registration body (POST /api/deals, PUT /api/deals/{id}). */
export interface RegistrationBody {
  readonly customer: {
    readonly name: string;
    readonly domain: string | null;
    readonly addressLine: string | null;
    readonly city: string | null;
    readonly postalCode: string | null;
    readonly country: string;
    readonly segment: string;
  };
  readonly currency: string;
  readonly lines: readonly { readonly family: string; readonly amountMinor: number }[];
  readonly expectedCloseDate: string;
  readonly description: string;
}
