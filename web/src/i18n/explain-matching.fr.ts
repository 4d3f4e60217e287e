import type { TranslationOf } from './catalogue';
import type en from './explain-matching.en';

/**
 * What the matcher says about two parties, in French (area matching; the English is generated from
 * src/core/messages/matching.en.ts). Scores arrive as texts with two decimals.
 */
export default {
  name: 'nom : « {{a}} » ~ « {{b}} »{{notes}} {{score}}{{initials}}',
  notes: ' ({{notes}})',
  and: '{{first}}, {{rest}}',
  initialsOnly: ' (initiales seules{{shared}} : au plus {{cap}})',
  sharedInitials: ', partagées par {{shared}} clients connus{{sameFormAndCountry}}',
  sameFormAndCountry: ' ; même forme juridique et même pays',
  domainOnBoth: 'domaine : {{domain}} des deux côtés',
  domainsDiffer: 'domaine : {{a}} contre {{b}} (différents ; ce n’est pas un indice contraire)',
  countriesDiffer: 'pays : {{a}} contre {{b}} (score × 0,8)',
  countryOnBoth: 'pays : {{country}} des deux côtés',
  address: 'adresse : {{parts}}',
  part: {
    postalCodeOnBoth: 'code postal {{postalCode}} des deux côtés',
    postalCodesDiffer: 'codes postaux différents',
    cityOnBoth: 'ville {{city}} des deux côtés',
    citiesDiffer: 'villes différentes',
    street: 'rue {{score}}',
  },
  note: {
    leadingDropped: 'article initial « {{word}} » retiré',
    legalFormRemoved: 'forme juridique {{form}} retirée{{foreign}}',
    formOf: ' (forme en usage en {{countries}})',
    abbreviation: 'abréviation développée : {{expanded}}',
    umlautFolded: 'tréma (umlaut) normalisé',
    transliterated: 'translittéré',
    accentsRemoved: 'accents supprimés',
    spelling: 'graphie « {{a}} » ~ « {{b}} »',
    initial: 'initiale « {{a}} » ~ « {{b}} »',
    typo: 'faute de frappe « {{a}} » ~ « {{b}} »',
    initials: 'initiales « {{initials}} » ~ « {{words}} »',
    together: 'mots attachés « {{a}} » ~ « {{b}} »',
    togetherSame: 'mots attachés « {{words}} »',
    trigrams: 'trigrammes {{score}}',
    text: '{{text}}',
  },
  notNetNew:
    'pas un nouveau client : le client a acheté {{family}} le {{orderDate}} (commande {{orderId}}), dans la période d’antériorité commençant le {{since}}',
  holdsClaim: 'détient la réservation du client {{claimKey}} ({{family}}, {{region}})',
} satisfies TranslationOf<typeof en>;
