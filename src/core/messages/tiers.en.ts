/** What a partner's standing says: whether it may deliver the vendor's services, and what it bought through another vendor's channel. */
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
} as const;
