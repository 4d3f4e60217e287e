/**
 * The rules of engagement, the app's side: labels and tones for coverage, routing and offers, the offer
 * deadline countdown and the inbox order, in the person's language (`t` from web/src/i18n). Pure; the API
 * decides everything (src/core/engagement).
 */
import { durationText } from './deals';
import { humanize } from './format';
import type { Translate } from './standing';

export type Tone = 'ok' | 'warn' | 'bad' | 'neutral' | 'info';

export const COVERAGE_STATUSES = ['direct-named', 'channel-exclusive', 'open'] as const;

export function coverageTone(status: string): Tone {
  return status === 'direct-named' ? 'info' : status === 'channel-exclusive' ? 'ok' : 'neutral';
}

export const ROUTING_STATUSES = ['direct', 'offered', 'booked-partner', 'booked-direct'] as const;

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

export const OFFER_STATUSES = ['open', 'accepted', 'declined', 'lapsed'] as const;

/** An offer's state as people read it ("declined"), from the partner's offers texts; an unknown one as it is. */
export function offerStatusText(t: Translate, status: string): string {
  return (OFFER_STATUSES as readonly string[]).includes(status)
    ? t(`deals.offers.statuses.${status}`)
    : status;
}

export function offerTone(status: string): Tone {
  return status === 'open'
    ? 'warn'
    : status === 'accepted'
      ? 'ok'
      : status === 'declined'
        ? 'bad'
        : 'neutral';
}

export const CRITERIA = [
  'incumbent-reseller',
  'highest-tier',
  'same-zone',
  'family-competency',
  'capacity',
  'acceptance-rate',
  'round-robin',
] as const;

/**
 * Every code the API knows, by group; each is named in the programs catalogue (`programs.engagement.*`),
 * product families with the settlement pages' names (`settle.family.*`).
 */
const CODES = {
  coverage: COVERAGE_STATUSES,
  routingStatus: ROUTING_STATUSES,
  routingReason: ROUTING_REASONS,
  criterion: CRITERIA,
  role: ['reseller', 'distributor'],
  family: ['servers', 'storage', 'networking', 'data-protection', 'services', 'software'],
} as const satisfies Record<string, readonly string[]>;

export type EngagementGroup = keyof typeof CODES;

/** A code of `group` in the person's language ("Booked through a partner"); an unknown one made readable. */
export function engagementLabel(t: Translate, group: EngagementGroup, code: string): string {
  if (!(CODES[group] as readonly string[]).includes(code)) return humanize(code);
  return t(group === 'family' ? `settle.family.${code}` : `programs.engagement.${group}.${code}`);
}

/** The offer's countdown at `now`: "12 h 5 min left", urgent under two hours, "past its deadline" after. */
export function deadlineCountdown(
  t: Translate,
  deadline: string,
  now: number,
): { text: string; urgent: boolean; past: boolean } | null {
  const due = Date.parse(deadline);
  if (Number.isNaN(due)) return null;
  const left = due - now;
  if (left <= 0) return { text: t('deals.offers.pastDeadline'), urgent: true, past: true };
  return {
    text: t('deals.offers.left', { duration: durationText(t, left) }),
    urgent: left < 2 * 3_600_000,
    past: false,
  };
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

/** The rotation in words: who took turns among the partners tied with the best (or that there was none). */
export function rotationText(
  t: Translate,
  rotation: { counter: number; tied: number; start: number } | null,
): string {
  if (!rotation) return t('programs.routing.noRotation');
  if (rotation.tied <= 1) return t('programs.routing.rotationNoTie', { counter: rotation.counter });
  return t('programs.routing.rotationTied', {
    counter: rotation.counter,
    count: rotation.tied,
    position: rotation.start + 1,
  });
}
