/**
 * What the server writes for people (area "ledger"), in English: a copy of src/core/messages/ledger.en.ts,
 * which the API's messages name. Do not edit: change that file and run `npm run api:types` (a test fails
 * while this copy is out of date); translate in explain-ledger.fr.ts.
 */
export default {
  rule: '{{name}}: {{rate}} of {{base}}{{detail}}{{multiplier}} = {{amount}} on {{what}}{{on}}.{{limited}}',
  ruleConverted:
    '{{name}}: {{original}} at {{fx}} = {{base}}; {{rate}}{{detail}}{{multiplier}} = {{amount}} on {{what}}{{on}}.{{limited}}',
  detail: ' ({{detail}})',
  registration: ' ({{family}}; registration approved and protecting this customer)',
  multiplier: ' {{factor}} ({{codes}})',
  line: 'line {{lineId}}',
  return: 'return {{lineId}}',
  ofDay: ' of {{day}}',
  limited:
    ' Clawback limited to {{limit}}, what was paid and not yet clawed back for the returned line (computed {{computed}}).',
  closePosted: 'Posted at the close of {{period}}: {{rule}}',
  closeReversed:
    'Reversed at the close of {{period}}: the {{held}} accrued for {{component}} on line {{lineId}} is no longer due ({{tier}}).',
  closeTrueUp:
    'True-up at the close of {{period}}: {{held}} accrued, {{due}} due, {{posted}} posted. {{rule}}',
} as const;
