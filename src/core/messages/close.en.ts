/**
 * What a period close says: each component it computes at the close (line groups, cross-sell, growth),
 * the minimum and cap adjustments, and the entries a close or re-close posts.
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
