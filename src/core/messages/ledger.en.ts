/** What a ledger posting says: the rule's sentence on a line, and a close's true-up of it. */
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
