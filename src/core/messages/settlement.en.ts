/** What settlement entries say: an amount carried to the next statement, a payout, an accepted dispute. */
export default {
  carried:
    'Carried from statement {{statementId}} ({{period}}): {{amount}} was below the minimum payout and was not paid.',
  payout: 'Payout of statement {{statementId}} ({{period}}{{sequence}}): {{amount}}{{reference}}.',
  sequence: ' #{{sequence}}',
  reference: ', reference {{reference}}',
  disputeAccepted:
    'Dispute {{disputeId}} accepted{{reason}}: {{amount}} on line {{lineNo}} of statement {{statementId}} ({{kind}}, {{component}}{{orderLine}}). The partner said: {{said}}',
  reason: ' ({{reason}})',
  orderLine: ', order line {{orderLineId}}',
} as const;
