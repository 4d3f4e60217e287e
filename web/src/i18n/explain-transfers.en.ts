/**
 * What the server writes for people (area "transfers"), in English: a copy of src/core/messages/transfers.en.ts,
 * which the API's messages name. Do not edit: change that file and run `npm run api:types` (a test fails
 * while this copy is out of date); translate in explain-transfers.fr.ts.
 */
export default {
  tier: 'holds {{held}} on {{day}}, promised {{promised}}',
  noTier: 'holds no tier on {{day}}, promised {{promised}}',
  rate: '{{family}}: earns {{target}} in the target, {{source}} in the source',
  carried: 'carried from {{program}} {{from}} on {{day}}{{grandfathered}}',
  carriedFloor: '{{tier}} (the floor: no tier recorded)',
  carriedGrandfathered: '; grandfathered until {{day}}',
  notCarried: {
    tierAbove: 'already holds {{held}} in {{program}}, above the mapped {{mapped}}: kept',
    tierSame: 'already holds {{held}} in {{program}}, the mapped tier: kept as it is',
    status:
      '{{status}} is an invitation-only status of {{program}}: the target grants its own under its limits and sponsors',
    certificationNotSold: '{{code}} ({{family}}): {{vendor}} does not sell {{family}}',
    certificationHeld: '{{code}} ({{family}}): already held with {{vendor}}',
    dealPending:
      "{{what}}: awaits {{source}}'s decision; a decision {{target}} has not taken is not carried (it stays with {{source}})",
    dealCurrency:
      '{{what}}: in {{currency}}, {{program}} counts in {{programCurrency}}; not carried (it keeps its protection with {{source}})',
    dealFamilies:
      '{{what}}: {{target}} does not sell {{families}}; not carried (it keeps its protection with {{source}})',
    dealNoCustomer:
      '{{what}}: {{target}} has no customer matching it (by domain, or by name and country); not carried (it keeps its protection with {{source}})',
    dealClaimed:
      '{{what}}: {{target}} already protects {{customer}} in these families and region for another registration; not carried',
    offer:
      "{{what}}: an offer is {{source}}'s own direct order; {{target}} has no order to offer, so it stays with {{source}} until answered or lapsed",
    registration: 'registration {{id}} ({{customer}}, {{status}}{{protected}})',
    protectedUntil: ', protected until {{day}}',
    routedOffer: 'offer {{id}} of routed order {{order}} (answer before {{deadline}})',
  },
} as const;
