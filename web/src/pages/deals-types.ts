/**
 * Deal registrations as the API returns them (src/server/routes/deals.ts): aliases of the types generated
 * from the OpenAPI document (web/src/api/schema.d.ts).
 */
import type { ResponseOf, Schema } from '../api/types';

export type Deal = Schema<'DealRegistration'>;
export type DealCustomer = Deal['customer'];
export type DealLine = Deal['lines'][number];

type GeneratedDetail = Schema<'DealRegistrationDetail'>;
type GeneratedConflict = NonNullable<GeneratedDetail['conflicts']>[number];
type GeneratedLaterConflict = NonNullable<GeneratedDetail['laterConflicts']>[number];

/** A conflict the matcher found; what it matched (`other`) is not typed by the API yet. */
export type DealConflict = Omit<GeneratedConflict, 'other'> & { readonly other: DealConflictOther | null };

export type DealDetail = Omit<GeneratedDetail, 'conflicts' | 'laterConflicts'> & {
  /** The vendor's reviewers only. */
  readonly conflicts?: readonly DealConflict[];
  /** The vendor's reviewers only: later registrations that ran into this one. */
  readonly laterConflicts?: readonly (Omit<GeneratedLaterConflict, 'other'> & {
    readonly other: DealConflictOther | null;
  })[];
};
export type DealEvent = DealDetail['history'][number];

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

export interface DealEvidence {
  readonly field: string;
  /** 0..1 */
  readonly score: number;
  readonly detail: string;
}

export type SubmitResult = ResponseOf<'/api/deals', 'post', 201>;
export type SubmitOutcome = SubmitResult['outcome'];

export type DealHint = ResponseOf<'/api/deals/check', 'post'>;
export type DealReason = ResponseOf<'/api/deals/reasons'>['items'][number];
export type BulkReviewResult = ResponseOf<'/api/deals/review', 'post'>;
export type DealFlag = Schema<'DealFlag'>;

/** The registration body (POST /api/deals, PUT /api/deals/{id}), as the form builds it. */
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
