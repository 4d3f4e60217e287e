/**
 * What the server writes for people (area "tiers"), in English: a copy of src/core/messages/tiers.en.ts,
 * which the API's messages name. Do not edit: change that file and run `npm run api:types` (a test fails
 * while this copy is out of date); translate in explain-tiers.fr.ts.
 */
export default {
  mayDeliver_one:
    '{{count}} person(s) hold an active services certification in {{families}}: may deliver the services itself',
  mayDeliver_other:
    '{{count}} person(s) hold an active services certification in {{families}}: may deliver the services itself',
  mustResell:
    "no one holds an active services certification in {{families}}: must resell the vendor's services",
  crossCreditNone:
    "{{amount}} bought through {{distributor}} ({{vendor}}'s channel) earns no qualifying credit: no agreement in force on the order dates credits {{vendor}}'s channel in this program.",
  crossCredit:
    "{{amount}} bought through {{distributor}} ({{vendor}}'s channel) counts at {{share}} under {{agreement}}: {{credited}} credited.",
  unknownCurrent: 'current tier "{{current}}" is not a tier of this program; evaluated {{target}} applies',
  stillQualifies: 'still qualifies for {{target}}',
  upgrade: 'qualifies for {{target}} (above {{current}}); upgrades apply at once',
  hold: 'evaluated {{target}}, below {{current}}: {{why}}',
  holdProtected: '{{protection}}; no downgrade before {{first}}',
  grandfathered: 'grandfathered ({{source}}) until {{until}}',
  keptUntil: 'a tier is kept at least until {{kept}} (held since {{since}})',
  holdAudit: 'downgrades wait for the yearly audit ({{next}})',
  downgradeAudit: 'no longer qualifies for {{current}}; downgraded to {{target}} at the yearly audit',
  downgrade: 'no longer qualifies for {{current}}; downgraded to {{target}} (downgrades apply immediately)',
  earnedBy: 'earned by {{path}}',
  entryTier: 'entry tier',
  noStatusMatch: '{{program}} has no status match',
  noLegacyMatched: 'no legacy membership could be matched',
  statusMatched: '{{program}} {{legacyTier}} maps to {{tier}}{{others}}; grandfathered until {{until}}',
  statusMatchedOthers: ', the highest of the matched tiers (also: {{others}})',
} as const;
