/**
 * Deal-registration display rules, pure: the states (src/core/deals/lifecycle.ts), what each side may do
 * in a state, the protection countdown, the review SLA timer, and where a problem's error belongs in the
 * registration form. The API decides every request; these helpers only decide what the app shows and offers.
 */
import type { TFunction } from 'i18next';
import { humanize } from './format';
import type { Tone } from './settlement';
import type { Translate } from './standing';

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
export type Segment = (typeof SEGMENTS)[number];

export function isSegment(value: string | null | undefined): value is Segment {
  return (SEGMENTS as readonly (string | null | undefined)[]).includes(value);
}

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

/** Whether the action needs a reason code (and text) from the program's list. */
export function needsReason(action: ReviewAction): boolean {
  return action === 'reject' || action === 'refuse-extension';
}

/** Whether the action needs a text the partner reads. */
export function needsText(action: ReviewAction): boolean {
  return action === 'reject' || action === 'refuse-extension' || action === 'request-info';
}

export function protectionUrgent(daysLeft: number | null): boolean {
  return daysLeft !== null && daysLeft >= 0 && daysLeft < URGENT_DAYS;
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

/** The abuse checks' rules (src/core/deals/README.md); their labels are in the "deals" catalogue. */
export const FLAG_RULES = ['customer-mismatch', 'sold-by-other', 'many-unsold'] as const;

// Texts in the person's language (the catalogue area "deals").

/** A registration's state as shown to people: "under review", "en cours d'examen". */
export function dealStatusText(t: TFunction, status: string): string {
  return (DEAL_STATUSES as readonly string[]).includes(status)
    ? t(`deals.status.${status as (typeof DEAL_STATUSES)[number]}`)
    : status;
}

/** A customer segment or a product family code as a label, else the code made readable. */
export function segmentText(t: TFunction, segment: string): string {
  return t(`deals.segments.${segment}`, { defaultValue: humanize(segment) });
}

export function familyText(t: TFunction, family: string): string {
  return t(`deals.families.${family}`, { defaultValue: humanize(family) });
}

/** "protected 23 more days", "protected through today (last day)", or null when not protecting. */
export function protectionText(t: Translate, daysLeft: number | null): string | null {
  if (daysLeft === null || daysLeft < 0) return null;
  if (daysLeft === 0) return t('deals.protection.lastDay');
  return t('deals.protection.daysLeft', { count: daysLeft });
}

/** "3 d 4 h", "2 h 10 min", "35 min", "less than a minute": a duration in whole minutes, rounded down. */
export function durationText(t: Translate, ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes < 1) return t('deals.duration.lessThanMinute');
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return h > 0 ? t('deals.duration.daysHours', { d, h }) : t('deals.duration.days', { d });
  if (h > 0) return m > 0 ? t('deals.duration.hoursMinutes', { h, m }) : t('deals.duration.hours', { h });
  return t('deals.duration.minutes', { m });
}

/** The review SLA at `now`: "due in 2 h 10 min" or "overdue by 35 min" (overdue at the due instant). */
export function slaTimer(
  t: Translate,
  dueAt: string | null,
  now: number,
): { text: string; overdue: boolean } | null {
  if (!dueAt) return null;
  const due = Date.parse(dueAt);
  if (Number.isNaN(due)) return null;
  const left = due - now;
  const duration = durationText(t, left);
  return left > 0
    ? { text: t('deals.sla.dueIn', { duration }), overdue: false }
    : { text: t('deals.sla.overdueBy', { duration }), overdue: true };
}

export function reviewActionText(t: TFunction, action: ReviewAction): string {
  return t(`deals.reviewActions.${action}`);
}

export function flagRuleText(t: TFunction, rule: string): string {
  return t(`deals.flags.rules.${rule}`, { defaultValue: humanize(rule) });
}

export function conflictKindText(t: TFunction, kind: string): string {
  return t(`deals.review.conflictKinds.${kind}`, { defaultValue: humanize(kind) });
}

/** A score 0..1 as a percentage to one decimal: 0.934 -> "93.4%" in English, "93,4 %" in French. */
export function scorePercent(score: number, locale: string): string {
  if (!Number.isFinite(score)) return String(score);
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(score);
}
