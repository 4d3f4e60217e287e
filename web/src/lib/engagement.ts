/**
 * The rules of engagement, the app's side: labels and tones for coverage, routing and offers, the offer
 * deadline countdown and the inbox order. Pure; the API decides everything (src/core/engagement).
 */
import { formatDuration } from './deals';
import { humanize } from './format';

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral' | 'info';

export const COVERAGE_STATUSES = ['direct-named', 'channel-exclusive', 'open'] as const;

export const COVERAGE_LABELS: Record<string, string> = {
  'direct-named': 'Direct-named',
  'channel-exclusive': 'Channel-exclusive',
  open: 'Open',
};

export function coverageTone(status: string): Tone {
  return status === 'direct-named' ? 'info' : status === 'channel-exclusive' ? 'ok' : 'neutral';
}

export const ROUTING_STATUSES = ['direct', 'offered', 'booked-partner', 'booked-direct'] as const;

export const ROUTING_STATUS_LABELS: Record<string, string> = {
  direct: 'Direct',
  offered: 'Offered',
  'booked-partner': 'Booked through a partner',
  'booked-direct': 'Booked direct',
};

export function routingStatusTone(status: string): Tone {
  return status === 'offered' ? 'warn' : status === 'booked-partner' ? 'ok' : 'neutral';
}

export const ROUTING_REASONS = [
  'return',
  'direct-named',
  'channel-exclusive',
  'below-threshold',
  'at-or-above-threshold',
  'no-candidate',
] as const;

export const ROUTING_REASON_LABELS: Record<string, string> = {
  return: 'A return',
  'direct-named': 'Direct-named account',
  'channel-exclusive': 'Channel-exclusive account',
  'below-threshold': 'Below the routing threshold',
  'at-or-above-threshold': 'At or above the routing threshold',
  'no-candidate': 'No partner could take it',
};

export const CRITERION_LABELS: Record<string, string> = {
  'incumbent-reseller': 'Incumbent reseller',
  'highest-tier': 'Highest tier',
  'same-zone': 'Same zone',
  'family-competency': 'Family competency',
  capacity: 'Capacity',
  'acceptance-rate': 'Acceptance rate',
  'round-robin': 'Round robin',
};

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'lapsed'] as const;

export function offerTone(status: string): Tone {
  return status === 'open'
    ? 'warn'
    : status === 'accepted'
      ? 'ok'
      : status === 'declined'
        ? 'bad'
        : 'neutral';
}

export const labelOf = (labels: Record<string, string>, code: string): string =>
  labels[code] ?? humanize(code);

/** The offer's countdown at `now`: "12 h 5 min left", urgent under two hours, "past its deadline" after. */
export function deadlineCountdown(
  deadline: string,
  now: number,
): { text: string; urgent: boolean; past: boolean } | null {
  const due = Date.parse(deadline);
  if (Number.isNaN(due)) return null;
  const left = due - now;
  if (left <= 0) return { text: 'past its deadline', urgent: true, past: true };
  return { text: `${formatDuration(left)} left`, urgent: left < 2 * 3_600_000, past: false };
}

/** The inbox order: open offers first, soonest deadline first; then the answered ones, newest first. */
export function inboxOrder<T extends { status: string; deadline: string; offeredAt: string; id: string }>(
  offers: readonly T[],
): T[] {
  const open = offers
    .filter((o) => o.status === 'open')
    .sort((a, b) => a.deadline.localeCompare(b.deadline) || a.id.localeCompare(b.id));
  const answered = offers
    .filter((o) => o.status !== 'open')
    .sort((a, b) => b.offeredAt.localeCompare(a.offeredAt) || a.id.localeCompare(b.id));
  return [...open, ...answered];
}

/** "rotation 7: 3 partners tied with the best take turns; this time from the 2nd" (or null). */
export function rotationText(rotation: { counter: number; tied: number; start: number } | null): string {
  if (!rotation) return 'No rotation: the order did not go to the reseller network.';
  if (rotation.tied <= 1)
    return `Rotation counter ${rotation.counter}: no partner was tied with the best, so no turns were taken.`;
  return `Rotation counter ${rotation.counter}: ${rotation.tied} partners tied with the best take turns; this decision started at tie position ${rotation.start + 1} of ${rotation.tied}.`;
}
