/**
 * What the server writes for people (area "settlement"), in English: a copy of src/core/messages/settlement.en.ts,
 * which the API's messages name. Do not edit: change that file and run `npm run api:types` (a test fails
 * while this copy is out of date); translate in explain-settlement.fr.ts.
 */
export default {
  carried:
    'Carried from statement {{statementId}} ({{period}}): {{amount}} was below the minimum payout and was not paid.',
  payout: 'Payout of statement {{statementId}} ({{period}}{{sequence}}): {{amount}}{{reference}}.',
  payoutConverted:
    'Payout of statement {{statementId}} ({{period}}{{sequence}}): {{amount}} at {{rate}} = {{converted}}{{rounding}}, rate of {{rateDay}} ({{basis}}){{reference}}.',
  conversionOut:
    'Conversion of statement {{statementId}}: {{amount}} at {{rate}} = {{converted}}{{rounding}}, out of {{from}}.',
  conversionIn:
    'Conversion of statement {{statementId}}: its lines converted one by one, {{lines}}, from {{amount}} at {{rate}}.',
  conversionRounding:
    'Rounding of the conversion of statement {{statementId}}: {{converted}} converted total minus {{lines}} converted lines = {{rounding}}.',
  roundingClause: ' (rounding {{rounding}})',
  basisPayoutDay: 'the payout day',
  basisPeriodAverage: 'the average of {{days}} days from {{firstDay}} to {{lastDay}}',
  sequence: ' #{{sequence}}',
  reference: ', reference {{reference}}',
  disputeAccepted:
    'Dispute {{disputeId}} accepted{{reason}}: {{amount}} on line {{lineNo}} of statement {{statementId}} ({{kind}}, {{component}}{{orderLine}}). The partner said: {{said}}',
  reason: ' ({{reason}})',
  orderLine: ', order line {{orderLineId}}',
  mdfClaimPaid:
    'MDF claim of activity {{activityId}} ({{title}}) paid: {{amount}} from the {{fund}} fund, claim {{claimSeq}}.',
  mdfExpired:
    'Earned MDF of {{period}} ({{component}}) expired unused on {{day}}: {{amount}} returned from the fund.',
} as const;
