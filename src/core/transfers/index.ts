export type {
  HeldTier,
  NotCarried,
  NotCarriedKind,
  OpenItem,
  PartnerCarry,
  SourceCertification,
  SplitOptions,
  SplitPartnerFacts,
  TierMap,
} from './split-plan.js';
export { certificationKey, checkDay, familiesSold, planPartnerCarry, resolveTierMap } from './split-plan.js';
export type { Difference, FamilyRates, PartnerCheck, RatePartner } from './continuity.js';
export { benefitRates, checkPartner, compileForRates, orderedFamilies } from './continuity.js';
