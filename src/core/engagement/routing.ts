import { formatMoney, type Money } from '../money/money.js';
import { addDuration } from '../programs/dates.js';
import type { Duration, IsoDate, RoutingStep } from '../programs/types.js';
import type { Coverage } from './coverage.js';

/**
 * The rules of engagement for a direct order (src/core/engagement/README.md, "Routing"). Pure: the use
 * case loads the facts (coverage, the candidate partners and their figures, the rotation counter) and
 * applies the decision.
 *
 * 1. A return stays direct (it follows the order it returns).
 * 2. A direct-named account's order stays direct.
 * 3. A channel-exclusive account's order is offered to its incumbents (partners that sold to it within
 *    the window), best first by the program's criteria, then to the other candidates.
 * 4. An open account's order below the threshold is offered to the candidates in the criteria's order.
 * 5. An open account's order at or above the threshold stays direct.
 * Equals on every criterion take turns: the decision's rotation number picks where the turn starts.
 */
export interface RoutingPolicy {
  threshold: Money;
  order: readonly RoutingStep[];
  maxCandidates: number;
  maxOpenOffers: number | null;
  channelExclusiveWindow: Duration;
}

/** What is known of a partner that may take the order (the use case keeps only enrolled sellers). */
export interface CandidateFacts {
  partnerId: string;
  name: string;
  /** Tier held on the order day: its code, name and rank (higher = better); null when none. */
  tier: { code: string; name: string; rank: number } | null;
  zone: string | null;
  /** Product families the partner holds a valid certification in on the order day. */
  certifiedFamilies: readonly string[];
  openOffers: number;
  /** Offers accepted, and accepted + declined + lapsed. */
  accepted: number;
  answered: number;
}

export interface DirectOrderFacts {
  orderDate: IsoDate;
  total: Money;
  families: readonly string[];
  customerName: string;
  customerZone: string | null;
  coverage: Coverage;
  /** Any line returns an earlier line. */
  isReturn: boolean;
  /** Partners that sold to this customer through the channel: their last purchase (any family). */
  lastSold: ReadonlyMap<string, IsoDate>;
}

export const ROUTING_REASONS = [
  'return',
  'direct-named',
  'channel-exclusive',
  'below-threshold',
  'at-or-above-threshold',
  'no-candidate',
] as const;
export type RoutingReason = (typeof ROUTING_REASONS)[number];

export interface RankedCandidate {
  partnerId: string;
  name: string;
  /** 1 = offered first. */
  rank: number;
  /** Sold to the customer within the exclusivity window (offered before anyone else). */
  incumbent: boolean;
  /** Each criterion's value, as a sentence fragment, in the program's order. */
  values: Partial<Record<RoutingStep, string>>;
  /** The sort keys (higher is better): incumbency, then one per criterion. Kept so a decision can be replayed. */
  keys: number[];
  /** Position among the candidates tied with the best (by partner id), or null when not tied with it. */
  tiePosition: number | null;
}

export interface RoutingDecision {
  outcome: 'direct' | 'route';
  reason: RoutingReason;
  sentence: string;
  criteria: readonly RoutingStep[];
  candidates: RankedCandidate[];
  /** Partners considered (the enrolled sellers), and those left out for being at capacity. */
  considered: number;
  atCapacity: number;
  rotation: { counter: number; tied: number; start: number } | null;
}

/** Criteria after `round-robin` are not used (the program check refuses them anyway). */
export function effectiveCriteria(order: readonly RoutingStep[]): RoutingStep[] {
  const rr = order.indexOf('round-robin');
  return (rr >= 0 ? order.slice(0, rr) : order).filter((s) => s !== 'round-robin');
}

const dayNumber = (d: IsoDate) => Math.floor(Date.parse(`${d}T00:00:00Z`) / 86_400_000);

/** Acceptance rate with one accepted and one declined counted in advance, so a newcomer ranks mid-way. */
export function acceptanceRate(accepted: number, answered: number): number {
  return (accepted + 1) / (answered + 2);
}

function keyOf(step: RoutingStep, c: CandidateFacts, order: DirectOrderFacts): number {
  switch (step) {
    case 'incumbent-reseller': {
      const last = order.lastSold.get(c.partnerId);
      return last ? dayNumber(last) : 0;
    }
    case 'highest-tier':
      return c.tier ? c.tier.rank + 1 : 0;
    case 'same-zone':
      return c.zone !== null && c.zone === order.customerZone ? 1 : 0;
    case 'family-competency': {
      // How many of the families ordered it is certified in (counted without a list per candidate).
      let held = 0;
      for (const f of order.families) if (c.certifiedFamilies.includes(f)) held++;
      return held;
    }
    case 'capacity':
      return -c.openOffers;
    case 'acceptance-rate':
      return Math.round(acceptanceRate(c.accepted, c.answered) * 10_000);
    case 'round-robin':
      return 0;
  }
}

function valueOf(
  step: RoutingStep,
  c: CandidateFacts,
  order: DirectOrderFacts,
  policy: RoutingPolicy,
): string {
  switch (step) {
    case 'incumbent-reseller': {
      const last = order.lastSold.get(c.partnerId);
      return last
        ? `sold to ${order.customerName} through the channel, last on ${last}`
        : `never sold to ${order.customerName}`;
    }
    case 'highest-tier':
      return c.tier ? `${c.tier.name} (rank ${c.tier.rank + 1})` : 'no tier held';
    case 'same-zone':
      return c.zone !== null && c.zone === order.customerZone
        ? `zone ${c.zone}, the customer's`
        : `zone ${c.zone ?? 'none'} (the customer's: ${order.customerZone ?? 'none'})`;
    case 'family-competency': {
      const held = order.families.filter((f) => c.certifiedFamilies.includes(f));
      return `certified in ${held.length} of ${order.families.length} families ordered${held.length > 0 ? ` (${held.join(', ')})` : ''}`;
    }
    case 'capacity':
      return `${c.openOffers} open offer${c.openOffers === 1 ? '' : 's'}${policy.maxOpenOffers !== null ? ` (limit ${policy.maxOpenOffers})` : ''}`;
    case 'acceptance-rate':
      return c.answered === 0
        ? 'no offer answered yet (counted as 50%)'
        : `accepted ${c.accepted} of ${c.answered} offers answered (${Math.round(acceptanceRate(c.accepted, c.answered) * 100)}% with the prior)`;
    case 'round-robin':
      return 'takes turns with its equals';
  }
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = (b[i] ?? 0) - (a[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * The order candidates are offered in: those tied with the best take turns from `start` (by their tie
 * position), then the others by their keys (higher first), then by partner id. Used to decide and to
 * replay a recorded decision.
 */
export function offerOrder<
  T extends { partnerId: string; keys: readonly number[]; tiePosition: number | null },
>(candidates: readonly T[], rotation: { tied: number; start: number } | null): T[] {
  const tied = candidates.filter((c) => c.tiePosition !== null);
  const rest = candidates.filter((c) => c.tiePosition === null);
  const g = rotation?.tied ?? tied.length;
  const s = rotation?.start ?? 0;
  const turn = (p: number) => (p - s + g) % g;
  tied.sort((a, b) => turn(a.tiePosition ?? 0) - turn(b.tiePosition ?? 0));
  rest.sort(
    (a, b) =>
      compareKeys(a.keys, b.keys) || (a.partnerId < b.partnerId ? -1 : a.partnerId > b.partnerId ? 1 : 0),
  );
  return [...tied, ...rest];
}

/**
 * Decides where a direct order goes. `pool` is every partner that may take it; `rotationCounter` the
 * vendor's routing counter (the use case advances it after each routed decision).
 */
export function decideRouting(
  order: DirectOrderFacts,
  policy: RoutingPolicy,
  pool: readonly CandidateFacts[],
  rotationCounter: number,
): RoutingDecision {
  const criteria = effectiveCriteria(policy.order);
  const amount = formatMoney(order.total);
  const threshold = formatMoney(policy.threshold);
  const base = { criteria, candidates: [], considered: 0, atCapacity: 0, rotation: null };
  if (order.isReturn)
    return {
      ...base,
      outcome: 'direct',
      reason: 'return',
      sentence: 'stays direct: a return follows the order it returns',
    };
  if (order.coverage.status === 'direct-named')
    return {
      ...base,
      outcome: 'direct',
      reason: 'direct-named',
      sentence: `stays direct: ${order.customerName} is ${order.coverage.sentence}`,
    };
  const exclusive = order.coverage.status === 'channel-exclusive';
  if (!exclusive && order.total.amountMinor >= policy.threshold.amountMinor)
    return {
      ...base,
      outcome: 'direct',
      reason: 'at-or-above-threshold',
      sentence: `stays direct: ${amount} is at or above the routing threshold of ${threshold}, and ${order.customerName} is ${order.coverage.sentence}`,
    };

  // Candidates: everyone in the pool but those at capacity (when the program limits open offers).
  const limit = policy.maxOpenOffers;
  const useCapacity = criteria.includes('capacity') && limit !== null;
  const sorted = isSortedById(pool) ? pool : [...pool].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1));
  const n = sorted.length;
  const width = criteria.length + 1;
  const keys = new Float64Array(n * width);
  const eligible = new Uint8Array(n);
  let atCapacity = 0;
  let best = -1;
  /** Negative when row i ranks before row j (higher keys first). */
  const cmp = (i: number, j: number) => {
    const a = i * width;
    const b = j * width;
    for (let k = 0; k < width; k++) {
      const d = (keys[b + k] as number) - (keys[a + k] as number);
      if (d !== 0) return d;
    }
    return 0;
  };
  for (let i = 0; i < n; i++) {
    const c = sorted[i] as CandidateFacts;
    if (useCapacity && c.openOffers >= (limit as number)) {
      atCapacity++;
      continue;
    }
    eligible[i] = 1;
    const row = i * width;
    const last = exclusive ? order.lastSold.get(c.partnerId) : undefined;
    keys[row] =
      last !== undefined && isIncumbent(last, order.orderDate, policy.channelExclusiveWindow) ? 1 : 0;
    for (let k = 0; k < criteria.length; k++) keys[row + k + 1] = keyOf(criteria[k] as RoutingStep, c, order);
    if (best < 0 || cmp(i, best) < 0) best = i;
  }
  if (best < 0)
    return {
      ...base,
      considered: n,
      atCapacity,
      outcome: 'direct',
      reason: 'no-candidate',
      sentence: `stays direct: no partner can take it (${n} considered${atCapacity > 0 ? `, ${atCapacity} at their limit of open offers` : ''})`,
    };

  // The best's equals, in partner id order; and the best of the others, kept in a short sorted list.
  const max = policy.maxCandidates;
  const tiedIdx: number[] = [];
  const others: number[] = [];
  const rowKeys = (i: number) => Array.from(keys.subarray(i * width, i * width + width));
  for (let i = 0; i < n; i++) {
    if (!eligible[i]) continue;
    if (cmp(i, best) === 0) {
      tiedIdx.push(i);
      continue;
    }
    if (others.length === max && cmp(i, others[max - 1] as number) >= 0) continue;
    let at = others.length;
    while (at > 0 && cmp(i, others[at - 1] as number) < 0) at--;
    others.splice(at, 0, i);
    if (others.length > max) others.pop();
  }
  const g = tiedIdx.length;
  const start = rotationCounter % g;
  const picked: number[] = [];
  for (let j = 0; j < Math.min(g, max); j++) picked.push(tiedIdx[(start + j) % g] as number);
  for (const i of others) if (picked.length < max) picked.push(i);
  const tiePositionOf = new Map(tiedIdx.map((i, p) => [i, p]));
  const candidates: RankedCandidate[] = picked.map((i, r) => {
    const c = sorted[i] as CandidateFacts;
    const values: Partial<Record<RoutingStep, string>> = {};
    for (const step of criteria) values[step] = valueOf(step, c, order, policy);
    return {
      partnerId: c.partnerId,
      name: c.name,
      rank: r + 1,
      incumbent: exclusive && (keys[i * width] ?? 0) === 1,
      values,
      keys: rowKeys(i),
      tiePosition: tiePositionOf.get(i) ?? null,
    };
  });
  const first = candidates[0] as RankedCandidate;
  const why =
    g > 1
      ? `${first.name} and ${g - 1} other${g === 2 ? '' : 's'} are equal on ${criteria.length > 0 ? criteria.join(', ') : 'every criterion'}; it is ${first.name}'s turn (rotation ${rotationCounter} of ${g})`
      : criteria.length > 0
        ? `${first.name} ranks first on ${criteria.join(', ')}: ${criteria.map((s) => first.values[s]).join('; ')}`
        : `${first.name} is the only candidate`;
  const sentence = exclusive
    ? first.incumbent
      ? `offered to ${first.name}: ${order.customerName} is ${order.coverage.sentence}, so its order is not booked direct; ${first.name} is its incumbent partner. ${why}`
      : `offered to ${first.name}: ${order.customerName} is ${order.coverage.sentence}, so its order is not booked direct; no incumbent can take it. ${why}`
    : `offered to ${first.name}: ${amount} is below the routing threshold of ${threshold} and ${order.customerName} is ${order.coverage.sentence}. ${why}`;
  return {
    outcome: 'route',
    reason: exclusive ? 'channel-exclusive' : 'below-threshold',
    sentence,
    criteria,
    candidates,
    considered: n,
    atCapacity,
    rotation: { counter: rotationCounter, tied: g, start },
  };
}

/** Sold to the customer within the window that ends on the order day (the account's incumbents). */
export function isIncumbent(lastSold: IsoDate, orderDate: IsoDate, window: Duration): boolean {
  return lastSold <= orderDate && orderDate < addDuration(lastSold, window);
}

function isSortedById(pool: readonly CandidateFacts[]): boolean {
  for (let i = 1; i < pool.length; i++)
    if ((pool[i - 1] as CandidateFacts).partnerId >= (pool[i] as CandidateFacts).partnerId) return false;
  return true;
}

/** Replays a recorded decision's order from its candidates' keys and rotation: equal means it stands. */
export function replayDecision(decision: RoutingDecision): string[] {
  return offerOrder(decision.candidates, decision.rotation).map((c) => c.partnerId);
}
