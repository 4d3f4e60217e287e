/**
 * Response shapes of the API, named for the pages: aliases of the types generated from the server's
 * OpenAPI document (web/src/api/schema.d.ts, `npm run api:types`), so a server change shows up here.
 */
import type { ResponseOf, Schema } from '../api/types';

export type Partner = Schema<'Partner'>;
export type PartnerDetail = Schema<'PartnerDetail'>;
export type Enrolment = PartnerDetail['enrolments'][number];
export type Customer = Schema<'Customer'>;
export type Order = Schema<'Order'>;
export type OrderDetail = Schema<'OrderDetail'>;
export type OrderLine = OrderDetail['lines'][number];
export type Product = Schema<'Product'>;
export type ProgramDetail = Schema<'ProgramDetail'>;
export type ProgramVersion = ProgramDetail['versions'][number];
export type ProgramTier = ProgramVersion['tiers'][number];
export type Health = ResponseOf<'/api/health'>;

/** A time-boxed tier or status record (GET /api/programs/{id}/memberships, progress). */
export type Membership = Schema<'Membership'>;
export type MembershipList = ResponseOf<'/api/programs/{programId}/memberships'>;

/** GET /api/partners/{id}/progress. */
export type PartnerProgress = Schema<'PartnerProgress'>;
export type TierProgress = PartnerProgress['evaluation']['targets'][number];
export type PathProgress = TierProgress['paths'][number];
export type RequirementProgress = PathProgress['requirements'][number];
export type Measure = RequirementProgress['measure'];
export type TierMeasures = Schema<'TierMeasures'>;
/** A reseller's purchases through a vendor acting as a distributor, and the share credited of them. */
export type CrossCredit = PartnerProgress['crossCredit'][number];
export type ServiceDelivery = PartnerProgress['serviceDelivery'];

/** GET /api/statements, /api/statements/{id} (src/server/routes/settlement.ts). */
export type Statement = Schema<'Statement'>;
/** GET /api/statements/{id}/lines. Amounts: positive = owed to the partner. Rates in ppm. */
export type StatementLine = Schema<'StatementLine'>;
export type Dispute = Schema<'Dispute'>;

/** POST /api/closes (a dry run, or the result of a close job). */
export type CloseResult = Schema<'CloseResult'>;
export type CloseComponent = CloseResult['components'][number];
/** GET /api/closes, /api/closes/{id}. */
export type CloseRecord = Schema<'PeriodClose'>;

/** GET /api/partners/{id}/earnings. */
export type PartnerEarnings = ResponseOf<'/api/partners/{partnerId}/earnings'>;
export type EarningsPeriod = PartnerEarnings['periods'][number];
export type EarningsComponent = EarningsPeriod['components'][number];

/** GET /api/programs/{id}/budget-pools. */
export type BudgetPools = ResponseOf<'/api/programs/{programId}/budget-pools'>;
export type BudgetPool = BudgetPools['pools'][number];

/** GET /api/jobs/{id}: a background job (a close, an import, an evaluation) and where it stands. */
export type Job<R = unknown> = Omit<Schema<'Job'>, 'result'> & { readonly result: R | null };
