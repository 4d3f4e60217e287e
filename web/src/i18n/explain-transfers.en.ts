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
} as const;
