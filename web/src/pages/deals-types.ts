/**
 * Deal registrations as the API returns them (src/server/routes/deals.ts): aliases of the types generated
 * from the OpenAPI document (web/src/api/schema.d.ts).
 */
import type { BodyOf, ResponseOf, Schema } from '../api/types';

export type Deal = Schema<'DealRegistration'>;
export type DealCustomer = Deal['customer'];
export type DealLine = Deal['lines'][number];

/** One registration with its history; for the vendor's reviewers, its conflicts and later ones. */
export type DealDetail = Schema<'DealRegistrationDetail'>;
/** A conflict the matcher found, with what it matched (`other`) and the evidence. */
export type DealConflict = NonNullable<DealDetail['conflicts']>[number];
export type DealEvent = DealDetail['history'][number];

/** What a conflict matched: another registration, one of the vendor's customers, or a direct account. */
export type DealConflictOther = NonNullable<DealConflict['other']>;
/** A customer of the vendor, or a direct (named) account: a name and what else is known. */
export type OtherParty = Schema<'ConflictParty'>;
export type OtherRegistration = Exclude<DealConflictOther, OtherParty>;

/** A field the matcher compared: its own score 0..1, and a sentence (absent outside the reviewer's regions). */
export type DealEvidence = Schema<'ConflictEvidence'>;

export type SubmitResult = ResponseOf<'/api/deals', 'post', 201>;
export type SubmitOutcome = SubmitResult['outcome'];

export type DealHint = ResponseOf<'/api/deals/check', 'post'>;
export type DealReason = ResponseOf<'/api/deals/reasons'>['items'][number];
export type BulkReviewResult = ResponseOf<'/api/deals/review', 'post'>;
export type DealFlag = Schema<'DealFlag'>;

/**
 * The registration body as the form builds it: what PUT /api/deals/{id} takes (POST /api/deals takes the
 * same with the program, the submit flag and an optional reference), generated from the API's schemas.
 */
export type RegistrationBody = BodyOf<'/api/deals/{dealId}', 'put'>;
