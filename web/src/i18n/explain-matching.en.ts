/**
 * What the server writes for people (area "matching"), in English: a copy of src/core/messages/matching.en.ts,
 * which the API's messages name. Do not edit: change that file and run `npm run api:types` (a test fails
 * while this copy is out of date); translate in explain-matching.fr.ts.
 */
export default {
  name: "name: '{{a}}' ~ '{{b}}'{{notes}} {{score}}{{initials}}",
  notes: ' ({{notes}})',
  and: '{{first}}, {{rest}}',
  initialsOnly: ' (initials only{{shared}}: at most {{cap}})',
  sharedInitials: ', shared by {{shared}} known customers{{sameFormAndCountry}}',
  sameFormAndCountry: '; same legal form and country',
  domainOnBoth: 'domain: {{domain}} on both',
  domainsDiffer: 'domain: {{a}} vs {{b}} (differ; not evidence against)',
  countriesDiffer: 'country: {{a}} vs {{b}} (score x0.8)',
  countryOnBoth: 'country: {{country}} on both',
  address: 'address: {{parts}}',
  part: {
    postalCodeOnBoth: 'postal code {{postalCode}} on both',
    postalCodesDiffer: 'postal codes differ',
    cityOnBoth: 'city {{city}} on both',
    citiesDiffer: 'cities differ',
    street: 'street {{score}}',
  },
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
    text: '{{text}}',
  },
  notNetNew:
    'not net-new: the customer bought {{family}} on {{orderDate}} (order {{orderId}}), within the look-back from {{since}}',
  holdsClaim: 'holds the claim on customer {{claimKey}} ({{family}}, {{region}})',
} as const;
