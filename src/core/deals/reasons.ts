import type { DealRegistrationPolicy } from '../programs/types.js';

/**
 * Why a deal registration is rejected: the built-in reason codes, each with the label a partner reads.
 * A program may add its own (`dealRegistration.rejectionReasons`, kebab-case codes with a label, never
 * one of these codes); `rejectionReasonsOf` gives a program's full list, built-in first.
 */
export const REJECTION_REASONS = {
  'duplicate-registration': 'An earlier registration covers this customer',
  'direct-account': 'The vendor serves this customer directly',
  'not-net-new': 'The customer already buys these families from the vendor',
  'below-minimum': 'The deal is below the minimum deal size',
  'outside-enrolment': "The customer or a family is outside the partner's enrolment or zone",
  'incomplete-information': 'The registration lacks information the review needs',
  'customer-not-qualified': 'The customer is not a qualified opportunity',
  'expected-close-past': 'The expected close date is in the past',
  other: "Other (see the reviewer's text)",
} as const;

export type BuiltInRejectionReason = keyof typeof REJECTION_REASONS;

export const BUILT_IN_REJECTION_CODES = Object.keys(REJECTION_REASONS) as readonly BuiltInRejectionReason[];

export interface RejectionReason {
  readonly code: string;
  readonly label: string;
  /** True for the built-in codes, false for the program's own. */
  readonly builtIn: boolean;
}

export function isBuiltInRejectionReason(code: string): code is BuiltInRejectionReason {
  return Object.hasOwn(REJECTION_REASONS, code);
}

/** The reason codes a program's reviewers may use: the built-in list, then the program's additions in file order. */
export function rejectionReasonsOf(
  policy: Pick<DealRegistrationPolicy, 'rejectionReasons'>,
): RejectionReason[] {
  return [
    ...BUILT_IN_REJECTION_CODES.map((code) => ({ code, label: REJECTION_REASONS[code], builtIn: true })),
    ...policy.rejectionReasons.map((r) => ({ code: r.code, label: r.label, builtIn: false })),
  ];
}
