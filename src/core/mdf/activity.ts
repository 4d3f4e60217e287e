import { addDuration } from '../programs/dates.js';
import type { IsoDate, MarketingFundsPolicy } from '../programs/types.js';

/**
 * A market development activity's life: a partner proposes it (what, when, how much, what it expects to
 * bring), the vendor pre-approves it in full or in part or refuses it with a reason, the partner runs it
 * and claims what it spent with the proof its type requires, before the claim deadline, and the vendor
 * approves the claim (paid from the fund, at most the pre-approved amount) or rejects it with a reason
 * (the partner may claim again until the deadline). A pre-approved activity never claimed lapses at the
 * deadline; a partner may withdraw its proposal until a claim is paid.
 */
export const ACTIVITY_STATUSES = [
  'proposed',
  'preapproved',
  'refused',
  'claimed',
  'claim-rejected',
  'paid',
  'withdrawn',
  'lapsed',
] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

export const ACTIVITY_ACTIONS = [
  'preapprove',
  'refuse',
  'claim',
  'approve',
  'reject',
  'withdraw',
  'lapse',
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** The program's MDF rules an activity is checked against (its `marketingFunds` section). */
export type MdfRules = Pick<MarketingFundsPolicy, 'activityTypes' | 'claimWithin'>;

export interface ActivityFacts {
  readonly status: ActivityStatus;
  readonly type: string;
  readonly startsOn: IsoDate;
  readonly endsOn: IsoDate;
  readonly requestedMinor: number;
  readonly preapprovedMinor: number | null;
  /** The amount of the claim under review (status claimed). */
  readonly claimedMinor: number | null;
}

export type ActivityRequest =
  | { readonly action: 'preapprove'; readonly amountMinor: number; readonly availableMinor: number }
  | { readonly action: 'refuse'; readonly reason: string }
  | {
      readonly action: 'claim';
      readonly amountMinor: number;
      /** The kinds of the files attached. */
      readonly proofKinds: readonly string[];
    }
  | { readonly action: 'approve'; readonly amountMinor: number }
  | { readonly action: 'reject'; readonly reason: string }
  | { readonly action: 'withdraw' }
  | { readonly action: 'lapse' };

/** Why an action is refused: a code the surfaces translate and the fields it concerns. */
export interface ActivityProblem {
  readonly code:
    | 'wrong-status'
    | 'not-positive'
    | 'over-requested'
    | 'over-available'
    | 'over-preapproved'
    | 'over-claimed'
    | 'before-end'
    | 'after-deadline'
    | 'not-yet-due'
    | 'missing-proof'
    | 'reason-required';
  readonly field: string;
  readonly params: Readonly<Record<string, string | number>>;
}

export type ActivityDecision =
  | { readonly ok: true; readonly status: ActivityStatus; readonly amountMinor: number | null }
  | { readonly ok: false; readonly problems: readonly ActivityProblem[] };

const FROM: Record<ActivityAction, readonly ActivityStatus[]> = {
  preapprove: ['proposed'],
  refuse: ['proposed'],
  claim: ['preapproved', 'claim-rejected'],
  approve: ['claimed'],
  reject: ['claimed'],
  withdraw: ['proposed', 'preapproved', 'claim-rejected'],
  lapse: ['preapproved', 'claim-rejected'],
};

/** The last day a claim is taken: the activity's end plus the program's claim window. */
export function claimDeadline(rules: MdfRules, endsOn: IsoDate): IsoDate {
  return addDuration(endsOn, rules.claimWithin);
}

/** The proof kinds a claim of this type still lacks. */
export function missingProof(rules: MdfRules, type: string, given: readonly string[]): string[] {
  const required = rules.activityTypes.find((t) => t.code === type)?.proof ?? [];
  const have = new Set(given);
  return required.filter((k) => !have.has(k));
}

/**
 * Decides an action on an activity on day `today`: the next status and the amount it fixes (pre-approved,
 * claimed or paid), or every problem with the field it concerns.
 */
export function decideActivity(
  rules: MdfRules,
  a: ActivityFacts,
  request: ActivityRequest,
  today: IsoDate,
): ActivityDecision {
  const problems: ActivityProblem[] = [];
  const allowed = FROM[request.action];
  if (!allowed.includes(a.status))
    return {
      ok: false,
      problems: [
        {
          code: 'wrong-status',
          field: 'status',
          params: { status: a.status, action: request.action, allowed: allowed.join(', ') },
        },
      ],
    };
  const deadline = claimDeadline(rules, a.endsOn);
  const positive = (amount: number) => {
    if (!Number.isSafeInteger(amount) || amount <= 0)
      problems.push({ code: 'not-positive', field: 'amountMinor', params: { amountMinor: amount } });
  };
  const reason = (text: string) => {
    if (text.trim() === '') problems.push({ code: 'reason-required', field: 'reason', params: {} });
  };
  switch (request.action) {
    case 'preapprove':
      positive(request.amountMinor);
      if (request.amountMinor > a.requestedMinor)
        problems.push({
          code: 'over-requested',
          field: 'amountMinor',
          params: { amountMinor: request.amountMinor, requestedMinor: a.requestedMinor },
        });
      if (request.amountMinor > request.availableMinor)
        problems.push({
          code: 'over-available',
          field: 'amountMinor',
          params: { amountMinor: request.amountMinor, availableMinor: request.availableMinor },
        });
      return done(problems, 'preapproved', request.amountMinor);
    case 'refuse':
      reason(request.reason);
      return done(problems, 'refused', null);
    case 'claim': {
      positive(request.amountMinor);
      const preapproved = a.preapprovedMinor ?? 0;
      if (request.amountMinor > preapproved)
        problems.push({
          code: 'over-preapproved',
          field: 'amountMinor',
          params: { amountMinor: request.amountMinor, preapprovedMinor: preapproved },
        });
      if (today < a.endsOn)
        problems.push({ code: 'before-end', field: 'activity', params: { endsOn: a.endsOn } });
      if (today > deadline)
        problems.push({ code: 'after-deadline', field: 'activity', params: { deadline } });
      const missing = missingProof(rules, a.type, request.proofKinds);
      if (missing.length)
        problems.push({ code: 'missing-proof', field: 'files', params: { missing: missing.join(', ') } });
      return done(problems, 'claimed', request.amountMinor);
    }
    case 'approve': {
      positive(request.amountMinor);
      const claimed = a.claimedMinor ?? 0;
      if (request.amountMinor > claimed)
        problems.push({
          code: 'over-claimed',
          field: 'amountMinor',
          params: { amountMinor: request.amountMinor, claimedMinor: claimed },
        });
      return done(problems, 'paid', request.amountMinor);
    }
    case 'reject':
      reason(request.reason);
      return done(problems, 'claim-rejected', null);
    case 'withdraw':
      return done(problems, 'withdrawn', null);
    case 'lapse':
      if (today <= deadline) problems.push({ code: 'not-yet-due', field: 'activity', params: { deadline } });
      return done(problems, 'lapsed', null);
  }
}

function done(
  problems: readonly ActivityProblem[],
  status: ActivityStatus,
  amountMinor: number | null,
): ActivityDecision {
  return problems.length ? { ok: false, problems } : { ok: true, status, amountMinor };
}
