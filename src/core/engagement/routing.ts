import {
  day,
  list,
  message,
  money,
  optional,
  renderEnglish,
  type Message,
  type MessageValue,
} from '../messages/message.js';
import type { Money } from '../money/money.js';
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
  /** The same values as messages (absent from decisions recorded before messages existed). */
  valueMessages?: Partial<Record<RoutingStep, Message>>;
  /** The sort keys (higher is better): incumbency, then one per criterion. Kept so a decision can be replayed. */
  keys: number[];
  /** Position among the candidates tied with the best (by partner id), or null when not tied with it. */
  tiePosition: number | null;
}

export interface RoutingDecision {
  outcome: 'direct' | 'route';
  reason: RoutingReason;
  sentence: string;
  /** The sentence as a message (absent from decisions recorded before messages existed). */
  sentenceMessage?: Message;
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
): Message {
  switch (step) {
    case 'incumbent-reseller': {
      const last = order.lastSold.get(c.partnerId);
      return last
        ? message('engagement.value.soldTo', { customer: order.customerName, day: day(last) })
        : message('engagement.value.neverSold', { customer: order.customerName });
    }
    case 'highest-tier':
      return c.tier
        ? message('engagement.value.tier', { tier: c.tier.name, rank: c.tier.rank + 1 })
        : message('engagement.value.noTier');
    case 'same-zone':
      return c.zone !== null && c.zone === order.customerZone
        ? message('engagement.value.sameZone', { zone: c.zone })
        : message('engagement.value.otherZone', {
            zone: c.zone ?? { message: message('engagement.value.none') },
            customerZone: order.customerZone ?? { message: message('engagement.value.none') },
          });
    case 'family-competency': {
      const held = order.families.filter((f) => c.certifiedFamilies.includes(f));
      return message('engagement.value.certified', {
        held: held.length,
        count: order.families.length,
        which: optional(held.length > 0 ? message('engagement.value.which', { families: list(held) }) : null),
      });
    }
    case 'capacity':
      return message('engagement.value.openOffers', {
        count: c.openOffers,
        limit: optional(
          policy.maxOpenOffers !== null
            ? message('engagement.value.limit', { limit: policy.maxOpenOffers })
            : null,
        ),
      });
    case 'acceptance-rate':
      return c.answered === 0
        ? message('engagement.value.noAnswer')
        : message('engagement.value.accepted', {
            accepted: c.accepted,
            count: c.answered,
            rate: Math.round(acceptanceRate(c.accepted, c.answered) * 100),
          });
    case 'round-robin':
      return message('engagement.value.roundRobin');
  }
}

/** Clauses joined ("a, b, c" or "a; b; c"), each language choosing its separators. */
export function joined(items: readonly MessageValue[], how: 'comma' | 'semicolon'): MessageValue {
  if (items.length === 0) return '';
  let out = items[items.length - 1] as MessageValue;
  for (let i = items.length - 2; i >= 0; i--) {
    const key =
      how === 'semicolon'
        ? 'engagement.list.semicolon'
        : i === items.length - 2
          ? 'engagement.list.commaLast'
          : 'engagement.list.comma';
    out = { message: message(key, { item: items[i] as MessageValue, rest: out }) };
  }
  return out;
}

/** The criteria by name, in the program's order ("highest-tier, same-zone"). */
function criteriaNames(criteria: readonly RoutingStep[]): MessageValue {
  return joined(
    criteria.map((s) => ({ message: message(`engagement.criterion.${s}`) })),
    'comma',
  );
}

/** What a decision read of the customer's coverage: its message, or its text for a coverage without one. */
function coverageValue(coverage: Coverage): MessageValue {
  return coverage.sentenceMessage ? { message: coverage.sentenceMessage } : coverage.sentence;
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
  const amount = money(order.total.amountMinor, order.total.currency);
  const threshold = money(policy.threshold.amountMinor, policy.threshold.currency);
  const customer = order.customerName;
  const coverage = coverageValue(order.coverage);
  const base = { criteria, candidates: [], considered: 0, atCapacity: 0, rotation: null };
  const said = (m: Message) => ({ sentence: renderEnglish(m), sentenceMessage: m });
  if (order.isReturn)
    return {
      ...base,
      outcome: 'direct',
      reason: 'return',
      ...said(message('engagement.routing.return')),
    };
  if (order.coverage.status === 'direct-named')
    return {
      ...base,
      outcome: 'direct',
      reason: 'direct-named',
      ...said(message('engagement.routing.directNamed', { customer, coverage })),
    };
  const exclusive = order.coverage.status === 'channel-exclusive';
  if (!exclusive && order.total.amountMinor >= policy.threshold.amountMinor)
    return {
      ...base,
      outcome: 'direct',
      reason: 'at-or-above-threshold',
      ...said(message('engagement.routing.atOrAboveThreshold', { amount, threshold, customer, coverage })),
    };

  // Candidates: everyone in the pool but those at capacity (when the program limits open offers).
  const limit = policy.maxOpenOffers;
  const useCapacity = criteria.includes('capacity') && limit !== null;
  const sorted = sortedById(pool);
  const n = sorted.length;
  const max = policy.maxCandidates;
  // The account's incumbents within the window (few): looked up once, not once per candidate.
  const incumbentAt = new Set<number>();
  if (exclusive) {
    for (const [partnerId, last] of order.lastSold) {
      const i = positionOf(sorted, partnerId);
      if (i >= 0 && isIncumbent(last, order.orderDate, policy.channelExclusiveWindow)) incumbentAt.add(i);
    }
  }
  const keysOf = (i: number): number[] => {
    const c = sorted[i] as CandidateFacts;
    return [incumbentAt.has(i) ? 1 : 0, ...criteria.map((step) => keyOf(step, c, order))];
  };
  const selected =
    selectByComposite(sorted, criteria, order, incumbentAt, useCapacity ? (limit as number) : null, max) ??
    selectByKeys(sorted, keysOf, useCapacity ? (limit as number) : null, max);
  const { tiedIdx, others, atCapacity } = selected;
  if (tiedIdx.length === 0)
    return {
      ...base,
      considered: n,
      atCapacity,
      outcome: 'direct',
      reason: 'no-candidate',
      ...said(
        message('engagement.routing.noCandidate', {
          count: n,
          atCapacity: optional(
            atCapacity > 0 ? message('engagement.routing.atCapacity', { count: atCapacity }) : null,
          ),
        }),
      ),
    };
  const rowKeys = keysOf;
  const g = tiedIdx.length;
  const start = rotationCounter % g;
  const picked: number[] = [];
  for (let j = 0; j < Math.min(g, max); j++) picked.push(tiedIdx[(start + j) % g] as number);
  for (const i of others) if (picked.length < max) picked.push(i);
  const tiePositionOf = new Map(tiedIdx.map((i, p) => [i, p]));
  const candidates: RankedCandidate[] = picked.map((i, r) => {
    const c = sorted[i] as CandidateFacts;
    const values: Partial<Record<RoutingStep, string>> = {};
    const valueMessages: Partial<Record<RoutingStep, Message>> = {};
    for (const step of criteria) {
      const m = valueOf(step, c, order, policy);
      valueMessages[step] = m;
      values[step] = renderEnglish(m);
    }
    return {
      partnerId: c.partnerId,
      name: c.name,
      rank: r + 1,
      incumbent: incumbentAt.has(i),
      values,
      valueMessages,
      keys: rowKeys(i),
      tiePosition: tiePositionOf.get(i) ?? null,
    };
  });
  const first = candidates[0] as RankedCandidate;
  const partner = first.name;
  const firstValues = first.valueMessages ?? {};
  const why =
    g > 1
      ? message('engagement.routing.tied', {
          partner,
          count: g - 1,
          criteria:
            criteria.length > 0
              ? criteriaNames(criteria)
              : { message: message('engagement.routing.everyCriterion') },
          counter: rotationCounter,
          tied: g,
        })
      : criteria.length > 0
        ? message('engagement.routing.ranksFirst', {
            partner,
            criteria: criteriaNames(criteria),
            values: joined(
              criteria.map((s) => {
                const v = firstValues[s];
                return v ? { message: v } : (first.values[s] ?? '');
              }),
              'semicolon',
            ),
          })
        : message('engagement.routing.onlyCandidate', { partner });
  const sentence = exclusive
    ? message(
        first.incumbent ? 'engagement.routing.offeredIncumbent' : 'engagement.routing.offeredNoIncumbent',
        { partner, customer, coverage, why: { message: why } },
      )
    : message('engagement.routing.offeredBelowThreshold', {
        partner,
        amount,
        threshold,
        customer,
        coverage,
        why: { message: why },
      });
  return {
    outcome: 'route',
    reason: exclusive ? 'channel-exclusive' : 'below-threshold',
    ...said(sentence),
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

export interface Selection {
  /** The candidates tied with the best, in pool (partner id) order. */
  tiedIdx: number[];
  /** The best of the others, best first (ties by pool order), at most `max`. */
  others: number[];
  atCapacity: number;
}

/**
 * Selection on the keys compared one by one (any criteria). The reference the composite selection must
 * agree with; used when the composite would not be exact.
 */
export function selectByKeys(
  sorted: readonly CandidateFacts[],
  keysOf: (i: number) => number[],
  limit: number | null,
  max: number,
): Selection {
  const rows: (number[] | null)[] = sorted.map((c, i) =>
    limit !== null && c.openOffers >= limit ? null : keysOf(i),
  );
  const cmp = (a: readonly number[], b: readonly number[]) => {
    for (let k = 0; k < a.length; k++) {
      const d = (b[k] as number) - (a[k] as number);
      if (d !== 0) return d;
    }
    return 0;
  };
  let best: number[] | null = null;
  let atCapacity = 0;
  for (const r of rows) {
    if (!r) atCapacity++;
    else if (!best || cmp(r, best) < 0) best = r;
  }
  const tiedIdx: number[] = [];
  const others: number[] = [];
  rows.forEach((r, i) => {
    if (!r || !best) return;
    if (cmp(r, best) === 0) {
      tiedIdx.push(i);
      return;
    }
    let at = others.length;
    while (at > 0 && cmp(r, rows[others[at - 1] as number] as number[]) < 0) at--;
    if (at >= max) return;
    others.splice(at, 0, i);
    if (others.length > max) others.pop();
  });
  return { tiedIdx, others, atCapacity };
}

/**
 * The same selection on one number per candidate: each criterion's key mapped onto 0..radix-1 (order
 * kept) and the keys combined in mixed radix, most significant first, so comparing the numbers compares
 * the keys in the program's order. Null when the combination would pass 2^53 (not exact): the caller
 * then compares the keys one by one. One pass over plain numbers: a decision among 20,000 sellers reads
 * each once.
 */
export function selectByComposite(
  sorted: readonly CandidateFacts[],
  criteria: readonly RoutingStep[],
  order: DirectOrderFacts,
  incumbentAt: ReadonlySet<number>,
  limit: number | null,
  max: number,
): Selection | null {
  const n = sorted.length;
  let maxTier = 0;
  let maxOpen = 0;
  for (let i = 0; i < n; i++) {
    const c = sorted[i] as CandidateFacts;
    if (c.tier && c.tier.rank + 1 > maxTier) maxTier = c.tier.rank + 1;
    if (c.openOffers > maxOpen) maxOpen = c.openOffers;
  }
  // Incumbent-reseller: the dates of the account's sellers, ranked (0 = never sold to it).
  const soldRank = new Map<string, number>();
  [...new Set(order.lastSold.values())].sort().forEach((d, r) => soldRank.set(d, r + 1));
  const radixOf = (step: RoutingStep): number => {
    switch (step) {
      case 'incumbent-reseller':
        return soldRank.size + 1;
      case 'highest-tier':
        return maxTier + 1;
      case 'same-zone':
        return 2;
      case 'family-competency':
        return order.families.length + 1;
      case 'capacity':
        return maxOpen + 1;
      case 'acceptance-rate':
        return 10_001;
      case 'round-robin':
        return 1;
    }
  };
  const radices = criteria.map(radixOf);
  if (radices.reduce((p, r) => p * r, 2) > Number.MAX_SAFE_INTEGER) return null;
  // The account's sellers by pool position (few): no look-up per candidate.
  const soldAt = new Uint16Array(order.lastSold.size > 0 ? n : 0);
  for (const [partnerId, d] of order.lastSold) {
    const i = positionOf(sorted, partnerId);
    if (i >= 0) soldAt[i] = soldRank.get(d) ?? 0;
  }
  const zone = order.customerZone;
  const families = order.families;
  const comp = new Float64Array(n).fill(-1);
  let atCapacity = 0;
  let best = -1;
  for (let i = 0; i < n; i++) {
    const c = sorted[i] as CandidateFacts;
    if (limit !== null && c.openOffers >= limit) {
      atCapacity++;
      continue;
    }
    let v = incumbentAt.has(i) ? 1 : 0;
    for (let k = 0; k < criteria.length; k++) {
      let key = 0;
      switch (criteria[k]) {
        case 'incumbent-reseller':
          key = soldAt.length > 0 ? (soldAt[i] as number) : 0;
          break;
        case 'highest-tier':
          key = c.tier ? c.tier.rank + 1 : 0;
          break;
        case 'same-zone':
          key = c.zone !== null && c.zone === zone ? 1 : 0;
          break;
        case 'family-competency':
          for (const f of families) if (c.certifiedFamilies.includes(f)) key++;
          break;
        case 'capacity':
          key = maxOpen - c.openOffers;
          break;
        case 'acceptance-rate':
          key = Math.round(acceptanceRate(c.accepted, c.answered) * 10_000);
          break;
        default:
          key = 0;
      }
      v = v * (radices[k] as number) + key;
    }
    comp[i] = v;
    if (v > best) best = v;
  }
  const tiedIdx: number[] = [];
  const others: number[] = [];
  if (best < 0) return { tiedIdx, others, atCapacity };
  for (let i = 0; i < n; i++) {
    const v = comp[i] as number;
    if (v < 0) continue;
    if (v === best) {
      tiedIdx.push(i);
      continue;
    }
    if (others.length === max && v <= (comp[others[max - 1] as number] as number)) continue;
    let at = others.length;
    while (at > 0 && v > (comp[others[at - 1] as number] as number)) at--;
    others.splice(at, 0, i);
    if (others.length > max) others.pop();
  }
  return { tiedIdx, others, atCapacity };
}

/** The pool in partner id order; a pool already in order (the roster's) is checked once and remembered. */
const SORTED = new WeakSet<readonly CandidateFacts[]>();
function sortedById(pool: readonly CandidateFacts[]): readonly CandidateFacts[] {
  if (SORTED.has(pool)) return pool;
  let inOrder = true;
  for (let i = 1; i < pool.length && inOrder; i++)
    if ((pool[i - 1] as CandidateFacts).partnerId >= (pool[i] as CandidateFacts).partnerId) inOrder = false;
  const out = inOrder ? pool : [...pool].sort((a, b) => (a.partnerId < b.partnerId ? -1 : 1));
  SORTED.add(out);
  return out;
}
/** A partner's position in a pool sorted by id (binary search), or -1. */
function positionOf(sorted: readonly CandidateFacts[], partnerId: string): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const id = (sorted[mid] as CandidateFacts).partnerId;
    if (id === partnerId) return mid;
    if (id < partnerId) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Declares a pool already in partner id order (a roster builds its pools from sellers it sorted once), so
 * decisions on it skip the check. A caller that declares a pool out of order gets wrong decisions.
 */
export function markSortedById(pool: readonly CandidateFacts[]): void {
  SORTED.add(pool);
}

/** Replays a recorded decision's order from its candidates' keys and rotation: equal means it stands. */
export function replayDecision(decision: RoutingDecision): string[] {
  return offerOrder(decision.candidates, decision.rotation).map((c) => c.partnerId);
}
