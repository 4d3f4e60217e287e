/**
 * What the matcher says about two parties (why a registration conflicts with another, a customer or a direct
 * account): one sentence per field compared, with the normalisation notes and address parts as nested
 * clauses. Scores are texts with two decimals, as the evidence has always shown them.
 */
export default {
  name: "name: '{{a}}' ~ '{{b}}'{{notes}} {{score}}{{initials}}",
  notes: ' ({{notes}})',
  /** Two clauses of a list, the rest after the first: notes and address parts. */
  and: '{{first}}, {{rest}}',
  initialsOnly: ' (initials only{{shared}}: at most {{cap}})',
  sharedInitials: ', shared by {{shared}} known customers{{sameFormAndCountry}}',
  sameFormAndCountry: '; same legal form and country',
  domainOnBoth: 'domain: {{domain}} on both',
  domainsDiffer: 'domain: {{a}} vs {{b}} (differ; not evidence against)',
  countriesDiffer: 'country: {{a}} vs {{b}} (score x0.8)',
  countryOnBoth: 'country: {{country}} on both',
  address: 'address: {{parts}}',
  /** A part of the address comparison. */
  part: {
    postalCodeOnBoth: 'postal code {{postalCode}} on both',
    postalCodesDiffer: 'postal codes differ',
    cityOnBoth: 'city {{city}} on both',
    citiesDiffer: 'cities differ',
    street: 'street {{score}}',
  },
  /** What normalisation changed in a name, and how two names' words were paired. */
  note: {
    leadingDropped: 'leading "{{word}}" dropped',
    legalFormRemoved: 'legal form {{form}} removed{{foreign}}',
    formOf: ' (a form of {{countries}})',
    abbreviation: 'abbreviation {{expanded}}',
    umlautFolded: 'umlaut folded',
    transliterated: 'transliterated',
    accentsRemoved: 'accents removed',
    spelling: "spelling '{{a}}' ~ '{{b}}'",
    initial: "initial '{{a}}' ~ '{{b}}'",
    typo: "typo '{{a}}' ~ '{{b}}'",
    initials: "initials '{{initials}}' ~ '{{words}}'",
    together: "words written together '{{a}}' ~ '{{b}}'",
    togetherSame: "words written together '{{words}}'",
    trigrams: 'trigrams {{score}}',
    /** A note the app has no sentence for (written by an older matcher). */
    text: '{{text}}',
  },
  /** Evidence the registration flow adds to a conflict. */
  notNetNew:
    'not net-new: the customer bought {{family}} on {{orderDate}} (order {{orderId}}), within the look-back from {{since}}',
  holdsClaim: 'holds the claim on customer {{claimKey}} ({{family}}, {{region}})',
} as const;
