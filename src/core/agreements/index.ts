export {
  accrualWindow,
  accruesOn,
  AGREEMENT_STATUSES,
  decideNotice,
  NOTICE_REASONS,
  statusOn,
  terminationEffective,
} from './life-cycle.js';
export type { AgreementNotice, AgreementStatus, NoticeDecision, NoticeReason } from './life-cycle.js';
export { allocateFunding, BASIS_POINTS_ONE } from './funding.js';
export type { FundedPart } from './funding.js';
export {
  customerMatchKey,
  funderExplanation,
  funderMessage,
  rewardOf,
  solutionSets,
  windowMessage,
  windowText,
} from './solution-sets.js';
export type { SolutionPurchase, SolutionRewardComputed, SolutionSet } from './solution-sets.js';
