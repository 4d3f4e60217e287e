/**
 * Deal-registration display rules, pure: the states (src/core/deals/lifecycle.ts), what each side may do
 * in a state, the protection countdown, the review SLA timer, and where a problem's error belongs in the
 * registration form. The API decides every request; these helpers only decide what the app shows and offers.
 */
import type { Tone } from './settlement';

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

/** The vendor's queue by default: registrations waiting for a decision. */
export const REVIEW_QUEUE_STATUSES = 'submitted,under-review,info-requested';

export const SEGMENTS = ['enterprise', 'commercial', 'small-business', 'public-sector'] as const;

/** The product families the API knows (src/core/model/catalog.ts); the vendor may sell fewer. */
export const PRODUCT_FAMILIES = ['servers', 'storage', 'networking', 'data-protection', 'services'] as const;

/** Protection shown as urgent under this many days. */
export const URGENT_DAYS = 14;

export function dealTone(status: string): Tone {
  switch (status) {
    case 'approved':
    case 'extended':
    case 'won':
      return 'ok';
    case 'submitted':
    case 'under-review':
      return 'info';
    case 'info-requested':
      return 'warn';
    case 'rejected':
    case 'expired':
      return 'bad';
    default:
      return 'neutral';
  }
}

export function statusLabel(status: string): string {
  switch (status) {
    case 'under-review':
      return 'under review';
    case 'info-requested':
      return 'information requested';
    default:
      return status;
  }
}

/** What the partner may do with its registration in `status` (lifecycle.ts, side "partner"). */
export function partnerActions(status: string): {
  edit: boolean;
  submit: boolean;
  extend: boolean;
  withdraw: boolean;
  lose: boolean;
} {
  const active = ['submitted', 'under-review', 'info-requested', 'approved', 'extended'].includes(status);
  return {
    edit: status === 'draft' || status === 'info-requested',
    submit: status === 'draft' || status === 'info-requested',
    extend: status === 'approved' || status === 'extended',
    withdraw: status === 'draft' || active,
    lose: active,
  };
}

export type ReviewAction =
  'start-review' | 'request-info' | 'approve' | 'reject' | 'grant-extension' | 'refuse-extension';

/** What the vendor's reviewer may do with a registration in `status` (lifecycle.ts, side "vendor"). */
export function reviewActions(status: string, extensionRequested: boolean): ReviewAction[] {
  const out: ReviewAction[] = [];
  if (status === 'submitted') out.push('start-review');
  if (status === 'submitted' || status === 'under-review') out.push('approve', 'request-info');
  if (status === 'submitted' || status === 'under-review' || status === 'info-requested') out.push('reject');
  if ((status === 'approved' || status === 'extended') && extensionRequested)
    out.push('grant-extension', 'refuse-extension');
  return out;
}

export const REVIEW_ACTION_LABELS: Record<ReviewAction, string> = {
  'start-review': 'Start review',
  'request-info': 'Request information',
  approve: 'Approve',
  reject: 'Reject',
  'grant-extension': 'Grant extension',
  'refuse-extension': 'Refuse extension',
};

/** Whether the action needs a reason code (and text) from the program's list. */
export function needsReason(action: ReviewAction): boolean {
  return action === 'reject' || action === 'refuse-extension';
}

/** Whether the action needs a text the partner reads. */
export function needsText(action: ReviewAction): boolean {
  return action === 'reject' || action === 'refuse-extension' || action === 'request-info';
}

/** "protected 23 more days", "protected through today (last day)", or null when not protecting. */
export function protectionText(daysLeft: number | null): string | null {
  if (daysLeft === null || daysLeft < 0) return null;
  if (daysLeft === 0) return 'protected through today (last day)';
  return `protected ${daysLeft} more day${daysLeft === 1 ? '' : 's'}`;
}

export function protectionUrgent(daysLeft: number | null): boolean {
  return daysLeft !== null && daysLeft >= 0 && daysLeft < URGENT_DAYS;
}

/** "3 d 4 h", "2 h 10 min", "35 min", "less than a minute": a duration in whole minutes, rounded down. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return 'less than a minute';
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** The review SLA at `now`: "due in 2 h 10 min" or "overdue by 35 min" (overdue at the due instant). */
export function slaTimer(dueAt: string | null, now: number): { text: string; overdue: boolean } | null {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return null;
  const left = due - now;
  return left > 0
    ? { text: `due in ${formatDuration(left)}`, overdue: false }
    : { text: `overdue by ${formatDuration(left)}`, overdue: true };
}

/** Whether the review clock runs in this state. */
export function awaitingReview(status: string): boolean {
  return status === 'submitted' || status === 'under-review';
}

/**
 * An instant in the person's time zone: "Mar 5, 2027, 3:10 PM UTC" (the browser's locale and zone unless
 * given). The ISO instant stays in the element's dateTime and title.
 */
export function formatLocalTime(iso: string, locale?: string, timeZone?: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZoneName: 'short',
    ...(timeZone ? { timeZone } : {}),
  }).format(new Date(t));
}

/**
 * A problem's error location as a form field key: "body.customer.name" -> "customer.name",
 * "body.lines/2/amountMinor" or "body.lines.2.amountMinor" -> "lines.2.amountMinor".
 */
export function fieldKey(location: string): string {
  return location
    .replace(/^(body|request)[./]?/, '')
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.')
    .replace(/^\.+/, '')
    .replace(/\.amount$/, '.amountMinor');
}

/** Today (UTC) plus `days`, as YYYY-MM-DD. */
export function isoDayPlus(now: number, days: number): string {
  return new Date(now + days * 86_400_000).toISOString().slice(0, 10);
}

/** A score 0..1 as a percentage to one decimal: 0.934 -> "93.4%", 0.996 -> "99.6%", 1 -> "100%". */
export function scorePercent(score: number): string {
  if (!Number.isFinite(score)) return String(score);
  return `${Math.round(score * 1000) / 10}%`;
}

/** Only the fields an evidence entry must have (the API types it as unknown). */
export function readEvidence(e: unknown): { field: string; score: number; detail: string } | null {
  if (typeof e !== 'object' || e === null) return null;
  const r = e as Record<string, unknown>;
  return {
    field: typeof r.field === 'string' ? r.field : '?',
    score: typeof r.score === 'number' ? r.score : Number.NaN,
    detail: typeof r.detail === 'string' ? r.detail : '',
  };
}

export const FLAG_RULE_LABELS: Record<string, string> = {
  'customer-mismatch': 'An order names a registration of another customer',
  'sold-by-other': 'The registered customer was sold by another partner',
  'many-unsold': 'Many registered customers the partner never sells to',
};

export const CONFLICT_KIND_LABELS: Record<string, string> = {
  registration: 'Another registration',
  customer: 'A customer of the vendor',
  'named-account': 'A direct (named) account of the vendor',
};
