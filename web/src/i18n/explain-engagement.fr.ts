import type { TranslationOf } from './catalogue';
import type en from './explain-engagement.en';

/**
 * The server's sentences in French (area engagement: coverage, routing decisions, offers; the English is
 * generated from src/core/messages/engagement.en.ts).
 */
export default {
  coverage: {
    directNamed: 'compte direct nommé : le fournisseur le sert en direct (inscrit sous « {{name}} »)',
    channelExclusive:
      'exclusif au réseau depuis le {{since}} : dernier achat par {{partner}} le {{lastDate}} (commande {{orderId}}) ; réservé au réseau jusqu’au {{through}} (fenêtre de {{window}})',
    openLapsed:
      'ouvert : le dernier achat par un partenaire date du {{lastDate}}, plus de {{window}} avant le {{asOf}} (réservé au réseau jusqu’au {{through}})',
    openNone: 'ouvert : aucun achat par un partenaire dans la fenêtre de {{window}} précédant le {{asOf}}',
    yoursExclusive:
      'exclusif au réseau jusqu’au {{through}} : vous avez vendu à {{customer}}, dernière fois le {{lastDate}}, donc les commandes directes du fournisseur pour ce compte sont proposées à ses partenaires',
    yoursEnded:
      'votre dernière vente à {{customer}} date du {{lastDate}} ; l’exclusivité du compte qui en découlait a pris fin le {{through}}',
    openFrom: 'ouvert depuis le {{day}} : aucun achat par un partenaire depuis le {{lastDate}}',
  },
  history: {
    exclusiveFrom:
      'exclusif au réseau depuis le {{day}} : premier achat par un partenaire (commande {{orderId}}), réservé au réseau jusqu’au {{through}} sauf nouvel achat',
    exclusiveAgain:
      'de nouveau exclusif au réseau depuis le {{day}} : achat par un partenaire (commande {{orderId}}) après la fin de la période précédente le {{ended}}',
    exclusiveOnRecord:
      'exclusif au réseau depuis le {{day}} : son premier achat par un partenaire enregistré (calculé à partir des commandes enregistrées)',
    named:
      'compte direct nommé depuis le {{day}} : inscrit sous « {{name}} » par {{actor}} (rapproché avec un score de {{score}})',
    unnamed:
      'n’est plus un compte direct nommé depuis le {{day}} : « {{name}} » retiré de la liste ({{reason}})',
  },
  duration: {
    iso: '{{years}}{{months}}{{days}}',
    years_one: '{{count}} an',
    years_other: '{{count}} ans',
    months_one: '{{count}} mois',
    months_other: '{{count}} mois',
    days_one: '{{count}} jour',
    days_other: '{{count}} jours',
    then: ', {{part}}',
    last: ' et {{part}}',
  },
  list: {
    comma: '{{item}}, {{rest}}',
    commaLast: '{{item}} et {{rest}}',
    semicolon: '{{item}} ; {{rest}}',
  },
  criterion: {
    'incumbent-reseller': 'revendeur en place',
    'highest-tier': 'niveau le plus élevé',
    'same-zone': 'même zone',
    'family-competency': 'compétence sur la famille',
    capacity: 'capacité',
    'acceptance-rate': 'taux d’acceptation',
    'round-robin': 'tour de rôle',
  },
  routing: {
    return: 'reste en direct : un retour suit la commande qu’il retourne',
    directNamed: 'reste en direct : {{customer}} est un {{coverage}}',
    atOrAboveThreshold:
      'reste en direct : {{amount}} atteint ou dépasse le seuil d’orientation de {{threshold}}, et {{customer}} est {{coverage}}',
    noCandidate_one:
      'reste en direct : aucun partenaire ne peut la prendre ({{count}} examiné{{atCapacity}})',
    noCandidate_other:
      'reste en direct : aucun partenaire ne peut la prendre ({{count}} examinés{{atCapacity}})',
    atCapacity_one: ', dont {{count}} à sa limite d’offres ouvertes',
    atCapacity_other: ', dont {{count}} à leur limite d’offres ouvertes',
    offeredIncumbent:
      'proposée à {{partner}} : {{customer}} est {{coverage}}, sa commande n’est donc pas passée en direct ; {{partner}} est son partenaire en place. {{why}}',
    offeredNoIncumbent:
      'proposée à {{partner}} : {{customer}} est {{coverage}}, sa commande n’est donc pas passée en direct ; aucun partenaire en place ne peut la prendre. {{why}}',
    offeredBelowThreshold:
      'proposée à {{partner}} : {{amount}} est sous le seuil d’orientation de {{threshold}} et {{customer}} est {{coverage}}. {{why}}',
    tied_one:
      '{{partner}} et {{count}} autre partenaire sont à égalité sur {{criteria}} ; c’est au tour de {{partner}} (rotation {{counter}} sur {{tied}})',
    tied_other:
      '{{partner}} et {{count}} autres partenaires sont à égalité sur {{criteria}} ; c’est au tour de {{partner}} (rotation {{counter}} sur {{tied}})',
    everyCriterion: 'tous les critères',
    ranksFirst: '{{partner}} arrive en tête sur {{criteria}} : {{values}}',
    onlyCandidate: '{{partner}} est le seul candidat',
    bookedDirect: '{{sentence}} Aucun candidat ne l’a acceptée : passée en direct le {{day}}.',
  },
  value: {
    soldTo: 'a vendu à {{customer}} par le réseau, dernière fois le {{day}}',
    neverSold: 'n’a jamais vendu à {{customer}}',
    tier: '{{tier}} (rang {{rank}})',
    noTier: 'aucun niveau',
    sameZone: 'zone {{zone}}, celle du client',
    otherZone: 'zone {{zone}} (celle du client : {{customerZone}})',
    none: 'aucune',
    certified_one: 'certifié pour {{held}} sur {{count}} famille commandée{{which}}',
    certified_other: 'certifié pour {{held}} des {{count}} familles commandées{{which}}',
    which: ' ({{families}})',
    openOffers_one: '{{count}} offre ouverte{{limit}}',
    openOffers_other: '{{count}} offres ouvertes{{limit}}',
    limit: ' (limite {{limit}})',
    noAnswer: 'n’a encore répondu à aucune offre (compté à 50 %)',
    accepted_one: 'a accepté {{accepted}} offre sur {{count}} traitée ({{rate}} % avec l’a priori)',
    accepted_other: 'a accepté {{accepted}} des {{count}} offres traitées ({{rate}} % avec l’a priori)',
    roundRobin: 'passe à tour de rôle avec ses égaux',
  },
  offer: {
    incumbent:
      '{{customer}} a acheté par votre intermédiaire dans la fenêtre du programme : le fournisseur ne lui vend pas en direct. {{facts}}',
    channelOnly:
      '{{customer}} est réservé au réseau et sa commande directe va au réseau de revendeurs. {{facts}}',
    belowThreshold:
      'Une commande directe sous le seuil d’orientation du programme va au réseau de revendeurs ; votre classement : {{facts}}',
  },
} satisfies TranslationOf<typeof en>;
