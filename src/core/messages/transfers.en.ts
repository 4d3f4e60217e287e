/** What a transfer's continuity check says of a partner whose standing the transfer would change. */
export default {
  tier: 'holds {{held}} on {{day}}, promised {{promised}}',
  noTier: 'holds no tier on {{day}}, promised {{promised}}',
  rate: '{{family}}: earns {{target}} in the target, {{source}} in the source',
  carried: 'carried from {{program}} {{from}} on {{day}}{{grandfathered}}',
  carriedFloor: '{{tier}} (the floor: no tier recorded)',
  carriedGrandfathered: '; grandfathered until {{day}}',
} as const;
