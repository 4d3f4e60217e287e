/**
 * What the server writes for people (area "close"), in English: a copy of src/core/messages/close.en.ts,
 * which the API's messages name. Do not edit: change that file and run `npm run api:types` (a test fails
 * while this copy is out of date); translate in explain-close.fr.ts.
 */
export default {
  rate: '{{rate}} of {{base}}{{detail}}{{multiplier}}',
  periodRevenue: '{{tier}}, period revenue',
  registeredRevenue: '{{tier}}, period revenue of registered deals',
  qualifyingRevenue: 'their qualifying revenue',
  component: '{{name}}: {{rate}} = {{amount}} for {{period}}.{{capped}}',
  capped: ' Capped at {{cap}} per partner and period: reduced by {{cut}} to {{amount}}.',
  minimumReversal:
    '{{name}}: qualifying revenue {{qualifying}} is below the minimum {{minimum}}; the {{accrued}} accrued in {{period}} is reversed.',
  capAdjustment:
    '{{name}}: {{accrued}} accrued in {{period}} is reduced to the cap of {{cap}} per partner and period.',
  crossSell_one:
    '{{name}}: {{count}} customer(s) bought {{need}} in {{period}}; {{rate}} = {{amount}}.{{capped}}',
  crossSell_other:
    '{{name}}: {{count}} customer(s) bought {{need}} in {{period}}; {{rate}} = {{amount}}.{{capped}}',
  families: '{{min}}+ families',
  familiesIncluding: '{{min}}+ families including {{combinations}}',
  or: '{{first}} or {{second}}',
  growth:
    '{{name}}: revenue {{revenue}} in {{period}} against {{prior}} ({{comparedWith}}), growth about {{growth}} is above {{above}}; {{rate}} = {{amount}}.{{capped}}',
  closeOf: 'Close of {{period}}: {{then}}',
  reclose:
    'Re-close of {{period}}: {{held}} was posted for {{component}}, {{expected}} is due, {{diff}} posted.{{then}}',
  then: ' {{then}}',
} as const;
