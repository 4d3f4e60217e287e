/**
 * The life of a deal registration: its states, who may move it where, and what a state means for the
 * protection it gives. Pure: the use cases in src/app/deals apply these decisions in one transaction,
 * with a conditional update on the row's state so two requests never both move it.
 */
import { isReviewOverdue } from './policy.js';

export const DEAL_STATUSES = [
  'draft',
  'submitted',
  'under-review',
  'info-requested',
  'approved',
  'extended',
  'rejected',
  'expired',
  'won',
  'lost',
  'withdrawn',
] as const;
export type DealStatus = (typeof DEAL_STATUSES)[number];

/** States that hold the registration's claim on its customer: a later registration conflicts with it. */
export const ACTIVE_STATUSES: readonly DealStatus[] = [
  'submitted',
  'under-review',
  'info-requested',
  'approved',
  'extended',
];
/** States awaiting the vendor's review (their SLA clock runs). */
export const AWAITING_REVIEW: readonly DealStatus[] = ['submitted', 'under-review'];
/** States in which the registration protects its customer, until `protectedUntil`. */
export const PROTECTING: readonly DealStatus[] = ['approved', 'extended'];
/** Final states. */
export const FINAL_STATUSES: readonly DealStatus[] = ['rejected', 'expired', 'won', 'lost', 'withdrawn'];

export const DEAL_ACTIONS = [
  'create',
  'edit',
  'submit',
  'start-review',
  'request-info',
  'approve',
  'reject',
  'request-extension',
  'grant-extension',
  'refuse-extension',
  'expire',
  'win',
  'lose',
  'withdraw',
  'escalate',
] as const;
export type DealAction = (typeof DEAL_ACTIONS)[number];

export type DealSide = 'partner' | 'vendor' | 'system';

interface Transition {
  readonly from: readonly DealStatus[];
  /** null = the state does not change (an extension request, an escalation). */
  readonly to: DealStatus | null;
  readonly by: readonly DealSide[];
}

const TRANSITIONS: Record<Exclude<DealAction, 'create'>, Transition> = {
  edit: { from: ['draft', 'info-requested'], to: null, by: ['partner'] },
  submit: { from: ['draft', 'info-requested'], to: 'submitted', by: ['partner'] },
  'start-review': { from: ['submitted'], to: 'under-review', by: ['vendor'] },
  'request-info': { from: ['submitted', 'under-review'], to: 'info-requested', by: ['vendor'] },
  approve: { from: ['submitted', 'under-review'], to: 'approved', by: ['vendor', 'system'] },
  reject: { from: ['submitted', 'under-review', 'info-requested'], to: 'rejected', by: ['vendor', 'system'] },
  'request-extension': { from: ['approved', 'extended'], to: null, by: ['partner'] },
  'grant-extension': { from: ['approved', 'extended'], to: 'extended', by: ['vendor'] },
  'refuse-extension': { from: ['approved', 'extended'], to: null, by: ['vendor'] },
  expire: { from: ['approved', 'extended'], to: 'expired', by: ['system'] },
  win: { from: ['approved', 'extended'], to: 'won', by: ['system', 'vendor'] },
  lose: {
    from: ['submitted', 'under-review', 'info-requested', 'approved', 'extended'],
    to: 'lost',
    by: ['partner', 'vendor'],
  },
  withdraw: {
    from: ['draft', 'submitted', 'under-review', 'info-requested', 'approved', 'extended'],
    to: 'withdrawn',
    by: ['partner'],
  },
  escalate: { from: ['submitted', 'under-review'], to: null, by: ['system'] },
};

export type TransitionCheck =
  { ok: true; to: DealStatus; from: readonly DealStatus[] } | { ok: false; reason: string };

/** Whether `side` may take `action` on a registration in `status`, and the state it leads to. */
export function transition(
  status: DealStatus,
  action: Exclude<DealAction, 'create'>,
  side: DealSide,
): TransitionCheck {
  const t = TRANSITIONS[action];
  if (!t.by.includes(side))
    return {
      ok: false,
      reason: `${side === 'partner' ? 'a partner' : 'the vendor'} cannot ${action} a registration`,
    };
  if (!t.from.includes(status))
    return {
      ok: false,
      reason: `a registration that is ${status} cannot be ${PAST[action]} (only when ${t.from.join(', ')})`,
    };
  return { ok: true, to: t.to ?? status, from: t.from };
}

const PAST: Record<Exclude<DealAction, 'create'>, string> = {
  edit: 'edited',
  submit: 'submitted',
  'start-review': 'taken into review',
  'request-info': 'sent back for more information',
  approve: 'approved',
  reject: 'rejected',
  'request-extension': 'extended on request',
  'grant-extension': 'extended',
  'refuse-extension': 'refused an extension',
  expire: 'expired',
  win: 'won',
  lose: 'lost',
  withdraw: 'withdrawn',
  escalate: 'escalated',
};

export function isDealStatus(s: string): s is DealStatus {
  return (DEAL_STATUSES as readonly string[]).includes(s);
}

/**
 * The state as of `today` (UTC date): an approved or extended registration whose last protected day has
 * passed is expired, whether or not the sweep has recorded it yet.
 */
export function effectiveStatus(
  status: DealStatus,
  protectedUntil: string | null,
  today: string,
): DealStatus {
  if (PROTECTING.includes(status) && protectedUntil !== null && today > protectedUntil) return 'expired';
  return status;
}

/**
 * Whether the registration protected its customer on `day` (an order date), whatever has happened to it
 * since: from the day it was approved through its last protected day, or through the day it was withdrawn
 * or lost if that came first. Expired and won registrations keep the days they protected.
 */
export function protectsOn(
  approvedOn: string | null,
  protectedUntil: string | null,
  status: DealStatus,
  closedAt: string | null,
  day: string,
): boolean {
  if (approvedOn === null || protectedUntil === null) return false;
  const closedOn = closedAt?.slice(0, 10) ?? null;
  const end =
    (status === 'withdrawn' || status === 'lost') && closedOn !== null && closedOn < protectedUntil
      ? closedOn
      : protectedUntil;
  return day >= approvedOn && day <= end;
}

/** Whether the review SLA is breached at `now` (ISO instant): still awaiting review past its due time. */
export function slaBreached(status: DealStatus, reviewDueAt: string | null, now: string): boolean {
  return (
    AWAITING_REVIEW.includes(status) &&
    reviewDueAt !== null &&
    isReviewOverdue(new Date(reviewDueAt), new Date(now))
  );
}
