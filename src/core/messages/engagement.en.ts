/**
 * What the rules of engagement say: an account's coverage, a direct order's routing decision (with each
 * candidate's value on each criterion) and why an offer went to a partner. Names, zones, tier names and
 * families are the data's own; criteria are translated.
 */
export default {
  coverage: {
    directNamed: 'direct-named: the vendor serves it directly (listed as "{{name}}")',
    channelExclusive:
      'channel-exclusive since {{since}}: last bought through {{partner}} on {{lastDate}} (order {{orderId}}); channel-only through {{through}} (window {{window}})',
    openLapsed:
      'open: the last purchase through a partner was on {{lastDate}}, more than {{window}} before {{asOf}} (channel-only through {{through}})',
    openNone: 'open: no purchase through a partner within {{window}} before {{asOf}}',
    yoursExclusive:
      "channel-exclusive through {{through}}: you sold to {{customer}}, last on {{lastDate}}, so the vendor's direct orders for it are offered to its partners",
    yoursEnded:
      "your last sale to {{customer}} was on {{lastDate}}; the account's exclusivity from it ended on {{through}}",
    openFrom: 'open from {{day}}: no purchase through a partner since {{lastDate}}',
  },
  /** An account's history: the events that changed its coverage (stored as their English text). */
  history: {
    exclusiveFrom:
      'channel-exclusive from {{day}}: first bought through a partner (order {{orderId}}), channel-only through {{through}} unless bought again',
    exclusiveAgain:
      'channel-exclusive again from {{day}}: bought through a partner (order {{orderId}}) after the previous run ended on {{ended}}',
    exclusiveOnRecord:
      'channel-exclusive from {{day}}: its first purchase through a partner on record (computed from the stored orders)',
    named: 'direct-named from {{day}}: listed as "{{name}}" by {{actor}} (matched with score {{score}})',
    unnamed: 'no longer direct-named from {{day}}: "{{name}}" removed from the list ({{reason}})',
  },
  /** A window (ISO 8601 in English: P3Y, P1Y6M, P90D): its parts, each after the one before. */
  duration: {
    iso: 'P{{years}}{{months}}{{days}}',
    years_one: '{{count}}Y',
    years_other: '{{count}}Y',
    months_one: '{{count}}M',
    months_other: '{{count}}M',
    days_one: '{{count}}D',
    days_other: '{{count}}D',
    then: '{{part}}',
    last: '{{part}}',
  },
  /** A list of clauses: each item then the rest (`last` before the final item). */
  list: {
    comma: '{{item}}, {{rest}}',
    commaLast: '{{item}}, {{rest}}',
    semicolon: '{{item}}; {{rest}}',
  },
  criterion: {
    'incumbent-reseller': 'incumbent-reseller',
    'highest-tier': 'highest-tier',
    'same-zone': 'same-zone',
    'family-competency': 'family-competency',
    capacity: 'capacity',
    'acceptance-rate': 'acceptance-rate',
    'round-robin': 'round-robin',
  },
  routing: {
    return: 'stays direct: a return follows the order it returns',
    directNamed: 'stays direct: {{customer}} is {{coverage}}',
    atOrAboveThreshold:
      'stays direct: {{amount}} is at or above the routing threshold of {{threshold}}, and {{customer}} is {{coverage}}',
    noCandidate_one: 'stays direct: no partner can take it ({{count}} considered{{atCapacity}})',
    noCandidate_other: 'stays direct: no partner can take it ({{count}} considered{{atCapacity}})',
    atCapacity_one: ', {{count}} at their limit of open offers',
    atCapacity_other: ', {{count}} at their limit of open offers',
    offeredIncumbent:
      'offered to {{partner}}: {{customer}} is {{coverage}}, so its order is not booked direct; {{partner}} is its incumbent partner. {{why}}',
    offeredNoIncumbent:
      'offered to {{partner}}: {{customer}} is {{coverage}}, so its order is not booked direct; no incumbent can take it. {{why}}',
    offeredBelowThreshold:
      'offered to {{partner}}: {{amount}} is below the routing threshold of {{threshold}} and {{customer}} is {{coverage}}. {{why}}',
    tied_one:
      "{{partner}} and {{count}} other are equal on {{criteria}}; it is {{partner}}'s turn (rotation {{counter}} of {{tied}})",
    tied_other:
      "{{partner}} and {{count}} others are equal on {{criteria}}; it is {{partner}}'s turn (rotation {{counter}} of {{tied}})",
    everyCriterion: 'every criterion',
    ranksFirst: '{{partner}} ranks first on {{criteria}}: {{values}}',
    onlyCandidate: '{{partner}} is the only candidate',
    bookedDirect: '{{sentence}} No candidate accepted it: booked direct on {{day}}.',
  },
  /** A candidate's value on a criterion. */
  value: {
    soldTo: 'sold to {{customer}} through the channel, last on {{day}}',
    neverSold: 'never sold to {{customer}}',
    tier: '{{tier}} (rank {{rank}})',
    noTier: 'no tier held',
    sameZone: "zone {{zone}}, the customer's",
    otherZone: "zone {{zone}} (the customer's: {{customerZone}})",
    none: 'none',
    certified_one: 'certified in {{held}} of {{count}} families ordered{{which}}',
    certified_other: 'certified in {{held}} of {{count}} families ordered{{which}}',
    which: ' ({{families}})',
    openOffers_one: '{{count}} open offer{{limit}}',
    openOffers_other: '{{count}} open offers{{limit}}',
    limit: ' (limit {{limit}})',
    noAnswer: 'no offer answered yet (counted as 50%)',
    accepted_one: 'accepted {{accepted}} of {{count}} offers answered ({{rate}}% with the prior)',
    accepted_other: 'accepted {{accepted}} of {{count}} offers answered ({{rate}}% with the prior)',
    roundRobin: 'takes turns with its equals',
  },
  /** Why an offer went to a partner, from its own figures. */
  offer: {
    incumbent:
      "{{customer}} bought through you within the program's window: the vendor does not sell to it direct. {{facts}}",
    channelOnly: '{{customer}} is channel-only and its direct order goes to the reseller network. {{facts}}',
    belowThreshold:
      "A direct order below the program's routing threshold goes to the reseller network; you rank on: {{facts}}",
  },
} as const;
