import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderEnglish } from '../messages/message.js';
import { formatMoney } from '../money/money.js';
import { addDays, formatDuration } from '../programs/dates.js';
import { ROUTING_STEPS, type Duration, type RoutingStep } from '../programs/types.js';
import { advanceRun, coverageOn, durationMessage, type ChannelRun, type Coverage } from './coverage.js';
import { historyEvent, historyMessage } from './history.js';
import {
  acceptanceRate,
  decideRouting,
  type CandidateFacts,
  type DirectOrderFacts,
  type RoutingDecision,
  type RoutingPolicy,
} from './routing.js';

// One seed, so a run in CI checks the same generated facts as the last run here.
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261206) });

// ---------------------------------------------------------------------------------------------------
// The sentences as the API wrote them before they were messages (the English must not change).

function oldCoverageSentence(
  facts: { named: { name: string } | null; run: ChannelRun | null },
  asOf: string,
  window: Duration,
  partnerName: (id: string) => string,
): string {
  const w = formatDuration(window);
  if (facts.named) return `direct-named: the vendor serves it directly (listed as "${facts.named.name}")`;
  const run = facts.run;
  if (run && run.since <= asOf && asOf < run.until) {
    const through = addDays(run.until, -1);
    return `channel-exclusive since ${run.since}: last bought through ${partnerName(run.lastPartnerId)} on ${run.lastDate} (order ${run.lastOrderId}); channel-only through ${through} (window ${w})`;
  }
  if (run && asOf >= run.until)
    return `open: the last purchase through a partner was on ${run.lastDate}, more than ${w} before ${asOf} (channel-only through ${addDays(run.until, -1)})`;
  return `open: no purchase through a partner within ${w} before ${asOf}`;
}

function oldValue(step: RoutingStep, c: CandidateFacts, order: DirectOrderFacts, policy: RoutingPolicy) {
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

function oldRoutingSentence(d: RoutingDecision, order: DirectOrderFacts, policy: RoutingPolicy): string {
  const amount = formatMoney(order.total);
  const threshold = formatMoney(policy.threshold);
  const cov = order.coverage.sentence;
  switch (d.reason) {
    case 'return':
      return 'stays direct: a return follows the order it returns';
    case 'direct-named':
      return `stays direct: ${order.customerName} is ${cov}`;
    case 'at-or-above-threshold':
      return `stays direct: ${amount} is at or above the routing threshold of ${threshold}, and ${order.customerName} is ${cov}`;
    case 'no-candidate':
      return `stays direct: no partner can take it (${d.considered} considered${d.atCapacity > 0 ? `, ${d.atCapacity} at their limit of open offers` : ''})`;
    default:
  }
  const criteria = d.criteria;
  const first = d.candidates[0] as RoutingDecision['candidates'][number];
  const g = d.rotation?.tied ?? 1;
  const counter = d.rotation?.counter ?? 0;
  const why =
    g > 1
      ? `${first.name} and ${g - 1} other${g === 2 ? '' : 's'} are equal on ${criteria.length > 0 ? criteria.join(', ') : 'every criterion'}; it is ${first.name}'s turn (rotation ${counter} of ${g})`
      : criteria.length > 0
        ? `${first.name} ranks first on ${criteria.join(', ')}: ${criteria.map((s) => first.values[s]).join('; ')}`
        : `${first.name} is the only candidate`;
  return d.reason === 'channel-exclusive'
    ? first.incumbent
      ? `offered to ${first.name}: ${order.customerName} is ${cov}, so its order is not booked direct; ${first.name} is its incumbent partner. ${why}`
      : `offered to ${first.name}: ${order.customerName} is ${cov}, so its order is not booked direct; no incumbent can take it. ${why}`
    : `offered to ${first.name}: ${amount} is below the routing threshold of ${threshold} and ${order.customerName} is ${cov}. ${why}`;
}

// ---------------------------------------------------------------------------------------------------

const dayArb = fc.integer({ min: 0, max: 3_650 }).map((n) => addDays('2015-01-01', n));
const windowArb: fc.Arbitrary<Duration> = fc
  .record({ months: fc.integer({ min: 0, max: 48 }), days: fc.integer({ min: 0, max: 60 }) })
  .filter((w) => w.months > 0 || w.days > 0);

describe('engagement sentences as messages: the English is what the API has always written', () => {
  it('writes a window as its ISO 8601 form', () => {
    for (const w of [
      { months: 36, days: 0 },
      { months: 18, days: 0 },
      { months: 6, days: 0 },
      { months: 0, days: 90 },
      { months: 13, days: 1 },
    ])
      expect(renderEnglish(durationMessage(w))).toBe(formatDuration(w));
  });

  it('coverage', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ date: dayArb, partnerId: fc.constantFrom('ptn_a', 'ptn_b') }), {
          maxLength: 5,
        }),
        windowArb,
        dayArb,
        fc.option(fc.constantFrom('Northwind', 'Orchid "Analytics"'), { nil: null }),
        (purchases, window, asOf, named) => {
          let run: ChannelRun | null = null;
          purchases.forEach((p, i) => {
            run = advanceRun(run, { ...p, orderId: `ord_${i}` }, window).run;
          });
          const facts = { named: named ? { namedAccountId: 'dna_1', name: named } : null, run };
          const name = (id: string) => `Partner ${id}`;
          const c = coverageOn(facts, asOf, window, name);
          expect(c.sentence).toBe(oldCoverageSentence(facts, asOf, window, name));
          expect(renderEnglish(c.sentenceMessage as never)).toBe(c.sentence);
        },
      ),
      { numRuns: 500 },
    );
  });

  const FAMILIES = ['storage', 'servers', 'software'] as const;
  const ZONES = ['emea', 'na', null] as const;
  const DAYS = ['2016-01-15', '2017-02-28', '2019-06-01'] as const;
  const EXCLUSIVE = coverageOn(
    {
      named: null,
      run: {
        since: '2016-01-15',
        lastDate: '2017-02-28',
        until: '2020-02-28',
        lastPartnerId: 'ptn_01',
        lastOrderId: 'ord_1',
      },
    },
    '2018-01-01',
    { months: 36, days: 0 },
  );
  const OPEN = coverageOn({ named: null, run: null }, '2018-01-01', { months: 36, days: 0 });
  const NAMED = coverageOn({ named: { namedAccountId: 'dna_1', name: 'Orchid' }, run: null }, '2018-01-01', {
    months: 36,
    days: 0,
  });
  const OLD: Coverage = { status: 'open', since: null, through: null, sentence: 'open: no purchase' };
  const candidateArb = (id: string): fc.Arbitrary<CandidateFacts> =>
    fc
      .record({
        partnerId: fc.constant(id),
        name: fc.constant(`Partner ${id}`),
        tier: fc.option(
          fc.integer({ min: 0, max: 2 }).map((rank) => ({ code: `t${rank}`, name: `Tier ${rank}`, rank })),
          { nil: null },
        ),
        zone: fc.constantFrom(...ZONES),
        certifiedFamilies: fc.subarray([...FAMILIES]),
        openOffers: fc.integer({ min: 0, max: 3 }),
        accepted: fc.integer({ min: 0, max: 3 }),
        answered: fc.integer({ min: 0, max: 3 }),
      })
      .map((c) => ({ ...c, answered: Math.max(c.answered, c.accepted) }));
  const worldArb = fc
    .integer({ min: 0, max: 5 })
    .chain((n) =>
      fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(`ptn_${String(i).padStart(2, '0')}`))),
    )
    .chain((pool) =>
      fc.record({
        pool: fc.constant(pool as CandidateFacts[]),
        policy: fc.record({
          threshold: fc
            .integer({ min: 1, max: 100_000_000 })
            .map((amountMinor) => ({ amountMinor, currency: 'USD' })),
          order: fc.shuffledSubarray([...ROUTING_STEPS] as RoutingStep[]),
          maxCandidates: fc.integer({ min: 1, max: 4 }),
          maxOpenOffers: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
          channelExclusiveWindow: fc.constant({ months: 36, days: 0 }),
        }),
        order: fc.record({
          orderDate: fc.constantFrom(...DAYS),
          total: fc
            .integer({ min: 0, max: 200_000_000 })
            .map((amountMinor) => ({ amountMinor, currency: 'USD' })),
          families: fc.subarray([...FAMILIES], { minLength: 1 }),
          customerName: fc.constant('Orchid Analytics Inc'),
          customerZone: fc.constantFrom(...ZONES),
          coverage: fc.constantFrom(OPEN, EXCLUSIVE, NAMED, OLD),
          isReturn: fc.boolean(),
          lastSold: fc
            .array(
              fc.tuple(
                fc.constantFrom(...pool.map((p) => p.partnerId), 'ptn_gone'),
                fc.constantFrom(...DAYS),
              ),
            )
            .map((pairs) => new Map(pairs)),
        }),
        counter: fc.nat({ max: 1_000 }),
      }),
    );

  it('routing decisions and each candidate’s values', () => {
    fc.assert(
      fc.property(worldArb, ({ pool, policy, order, counter }) => {
        const d = decideRouting(order, policy, pool, counter);
        expect(d.sentence).toBe(oldRoutingSentence(d, order, policy));
        expect(renderEnglish(d.sentenceMessage as never)).toBe(d.sentence);
        for (const c of d.candidates) {
          const facts = pool.find((p) => p.partnerId === c.partnerId) as CandidateFacts;
          for (const step of d.criteria) {
            expect(c.values[step]).toBe(oldValue(step, facts, order, policy));
            expect(renderEnglish(c.valueMessages?.[step] as never)).toBe(c.values[step]);
          }
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('coverage history events', () => {
  it('read their message back from the stored text, and none from a text no template renders', () => {
    const events = [
      historyEvent('exclusiveFrom', { day: '2017-06-01', orderId: 'ord_1', through: '2020-05-31' }),
      historyEvent('exclusiveAgain', { day: '2021-01-04', orderId: 'ord_2', ended: '2020-05-31' }),
      historyEvent('exclusiveOnRecord', { day: '2016-02-29' }),
      historyEvent('named', { day: '2026-12-01', name: 'Northwind "Global"', actor: 'usr_1', score: '0.93' }),
      historyEvent('unnamed', { day: '2026-12-02', name: 'Northwind', reason: 'sold (to a partner) again' }),
    ];
    expect(events[0]?.sentence).toBe(
      'channel-exclusive from 2017-06-01: first bought through a partner (order ord_1), channel-only through 2020-05-31 unless bought again',
    );
    expect(events[3]?.sentence).toBe(
      'direct-named from 2026-12-01: listed as "Northwind "Global"" by usr_1 (matched with score 0.93)',
    );
    for (const e of events) expect(historyMessage(e.sentence)).toEqual(e.message);
    expect(historyMessage('channel-exclusive from yesterday: something else')).toBeNull();
  });
});
