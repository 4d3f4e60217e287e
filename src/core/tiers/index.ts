export type * from './types.js';
export { compileTierEvaluator } from './evaluator.js';
export {
  CERTIFICATION_SLOTS,
  certificationIndex,
  deriveCertificationFacts,
  noCertifications,
} from './certifications.js';
export type {
  CurrentMembership,
  DecideTierChangeInput,
  MembershipSource,
  TierAction,
  TierDecision,
} from './membership.js';
export { decideTierChange, isAuditDay, nextAuditDate } from './membership.js';
export type { LegacyMembership, StatusMatchCandidate, StatusMatchResult } from './status-match.js';
export { statusMatch } from './status-match.js';
export type { InvitationCheck, InvitationRequest, StatusGrant } from './invitations.js';
export { checkInvitation, lastDayOf } from './invitations.js';
export type { ServiceDeliveryDecision } from './service-delivery.js';
export { SERVICE_DELIVERY_MIN_PEOPLE, serviceDelivery } from './service-delivery.js';
export type {
  MembershipChange,
  MembershipPlan,
  SlotPlan,
  SlotRecord,
  StoredMembership,
} from './membership-plan.js';
export { inForceOnSomeDay, overlaps, planMemberships, planSlotRecord } from './membership-plan.js';
