export type {
  HeldTier,
  NotCarried,
  NotCarriedKind,
  OpenDeal,
  OpenItem,
  PartnerCarry,
  SourceCertification,
  SplitOptions,
  SplitPartnerFacts,
  TierMap,
} from './split-plan.js';
export {
  certificationKey,
  checkDay,
  familiesSold,
  notCarriedItem,
  planPartnerCarry,
  PROTECTED_DEAL_STATUSES,
  resolveTierMap,
} from './split-plan.js';
export type { Difference, FamilyRates, PartnerCheck, RatePartner } from './continuity.js';
export { benefitRates, checkPartner, compileForRates, orderedFamilies } from './continuity.js';
