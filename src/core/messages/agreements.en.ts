/** What an agreement between vendors says: a funder's share of a cross-vendor solution reward, a notice of termination. */
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
