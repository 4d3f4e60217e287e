/**
 * What the server writes for people (area "agreements"), in English: a copy of src/core/messages/agreements.en.ts,
 * which the API's messages name. Do not edit: change that file and run `npm run api:types` (a test fails
 * while this copy is out of date); translate in explain-agreements.fr.ts.
 */
export default {
  solutionReward:
    'Cross-vendor solution reward under {{agreement}} ({{code}}): {{points}} on a solution completed on {{completedOn}} from {{yours}} and a qualifying purchase from another party to the agreement within {{window}}. {{funder}} funds {{shareWhole}}.{{shareCents}}% of the reward: {{amount}}.',
  noLineOfYours: 'no line of yours',
  yours_one: 'your {{families}} (line {{lines}}; {{amount}})',
  yours_other: 'your {{families}} (lines {{lines}}; {{amount}})',
  months_one: '{{count}} month',
  months_other: '{{count}} months',
  days_one: '{{count}} day',
  days_other: '{{count}} days',
  monthsAndDays: '{{months}} and {{days}}',
  published: '{{name}} published: in force from {{from}}{{to}} between {{parties}}.',
  publishedTo: ' to {{day}}',
  and: '{{a}} and {{b}}',
  notice:
    '{{party}} gave notice of termination on {{noticeDate}} ({{reason}}); the agreement ends on {{effectiveDate}}: no cross-vendor accrual counts from that day.',
  reason: {
    changeOfControl: 'change of control',
    convenience: 'convenience',
    breach: 'breach',
    mutual: 'mutual',
  },
} as const;
