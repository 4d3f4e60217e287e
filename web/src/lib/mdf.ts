/**
 * Market development funds in the app (GET /api/mdf/…, docs/marketing-funds.md): what each status looks
 * like and which steps the page offers in it. Pure; the API decides every step (the page only offers
 * what it would take).
 */

export type MdfStatus =
  'proposed' | 'preapproved' | 'refused' | 'claimed' | 'claim-rejected' | 'paid' | 'withdrawn' | 'lapsed';

export const MDF_STATUSES: readonly MdfStatus[] = [
  'proposed',
  'preapproved',
  'claimed',
  'claim-rejected',
  'paid',
  'refused',
  'withdrawn',
  'lapsed',
];

/** The catalogue key of a status's name (`mdf.status.*`). */
export function statusKey(status: string): string {
  return `mdf.status.${status.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase())}`;
}

export function statusTone(status: string): 'ok' | 'warn' | 'bad' | 'neutral' | 'info' {
  switch (status) {
    case 'paid':
      return 'ok';
    case 'preapproved':
      return 'info';
    case 'proposed':
    case 'claimed':
      return 'warn';
    case 'refused':
    case 'claim-rejected':
    case 'lapsed':
      return 'bad';
    default:
      return 'neutral';
  }
}

export interface ActivityFacts {
  readonly status: string;
  readonly endsOn: string;
  readonly claimDeadline: string;
}

/**
 * What the partner may do with its activity on `today`: claim once the activity has ended and until its
 * deadline (when pre-approved, or after a rejected claim), withdraw until a claim is under review or paid.
 */
export function partnerSteps(a: ActivityFacts, today: string) {
  const claimable = a.status === 'preapproved' || a.status === 'claim-rejected';
  return {
    claim: claimable && today >= a.endsOn && today <= a.claimDeadline,
    claimNotYet: claimable && today < a.endsOn,
    claimTooLate: claimable && today > a.claimDeadline,
    withdraw: a.status === 'proposed' || claimable,
  };
}

/** What the vendor may decide: a proposal (pre-approve or refuse), a claim (approve or reject). */
export function vendorSteps(a: { readonly status: string }) {
  return { proposal: a.status === 'proposed', claim: a.status === 'claimed' };
}

/** The proof kinds still missing from the files chosen for a claim. */
export function missingKinds(required: readonly string[], chosen: readonly { kind: string }[]): string[] {
  const have = new Set(chosen.map((f) => f.kind));
  return required.filter((k) => !have.has(k));
}

/** Funds that expire within `days` of `today`, soonest first, as the funds card warns of them. */
export function expiringWithin(
  expiring: readonly { on: string; amountMinor: number }[],
  today: string,
  days: number,
): { on: string; amountMinor: number }[] {
  const limit = addDays(today, days);
  return expiring.filter((e) => e.amountMinor > 0 && e.on <= limit);
}

/** Today in UTC as an ISO day (what the server's deadlines are written in). */
export function todayUtc(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
