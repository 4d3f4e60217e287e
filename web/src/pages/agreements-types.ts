/**
 * Response shapes of the agreements API (src/server/routes/agreements.ts) and the partner home: aliases of
 * the types generated from the OpenAPI document (web/src/api/schema.d.ts).
 */
import type { ResponseOf, Schema } from '../api/types';

/** GET /api/agreements items. */
export type AgreementSummary = Schema<'AgreementSummary'>;
export type AgreementNotice = Schema<'AgreementNotice'>;
export type AgreementParty = AgreementSummary['parties'][number];

/** GET /api/agreements/{id}. */
export type AgreementDetail = Schema<'AgreementDetail'>;
export type AgreementClause = AgreementDetail['terms']['convenience'];
export type AgreementReward = AgreementDetail['rewards'][number];

/** GET /api/partners/{id}/home (src/server/routes/partner-home.ts). */
export type PartnerHome = ResponseOf<'/api/partners/{partnerId}/home'>;
export type PartnerHomeProgram = PartnerHome['programs'][number];
