export type {
  DealSizeMinimum,
  DealSizeQuery,
  ExtensionEligibility,
  MinimumProblem,
  RegistrationLine,
} from './policy.js';
export {
  canRequestExtension,
  isReviewOverdue,
  minimumDealSize,
  protectionEndsOn,
  protectionExpiresAt,
  registrationMinimumCheck,
  reviewDueAt,
  reviewSlaHours,
} from './policy.js';
export type { BuiltInRejectionReason, RejectionReason } from './reasons.js';
export * from './lifecycle.js';
export * from './benefit.js';
export * from './registration-input.js';
export {
  BUILT_IN_REJECTION_CODES,
  isBuiltInRejectionReason,
  REJECTION_REASONS,
  rejectionReasonsOf,
} from './reasons.js';
export * from './lifecycle.js';
export * from './benefit.js';
export * from './registration-input.js';
