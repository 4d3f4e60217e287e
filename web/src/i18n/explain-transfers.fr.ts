import type { TranslationOf } from './catalogue';
import type en from './explain-transfers.en';

/** The server's sentences in French (area transfers; the English is generated from src/core/messages/transfers.en.ts). */
export default {
  tier: 'détient {{held}} le {{day}}, alors que {{promised}} était promis',
  noTier: 'ne détient aucun niveau le {{day}}, alors que {{promised}} était promis',
  rate: '{{family}} : gagne {{target}} dans la cible, {{source}} dans la source',
  carried: 'repris de {{program}} {{from}} le {{day}}{{grandfathered}}',
  carriedFloor: '{{tier}} (le niveau de base : aucun niveau enregistré)',
  carriedGrandfathered: ' ; maintenu par droits acquis jusqu’au {{day}}',
  notCarried: {
    tierAbove:
      'détient déjà {{held}} dans {{program}}, au-dessus du niveau de correspondance {{mapped}} : conservé',
    tierSame: 'détient déjà {{held}} dans {{program}}, le niveau de correspondance : conservé tel quel',
    status:
      '{{status}} est un statut sur invitation de {{program}} : la cible accorde les siens, selon ses propres limites et parrains',
    certificationNotSold: '{{code}} ({{family}}) : {{vendor}} ne vend pas {{family}}',
    certificationHeld: '{{code}} ({{family}}) : déjà détenue auprès de {{vendor}}',
    dealPending:
      '{{what}} : attend la décision de {{source}} ; une décision que {{target}} n’a pas prise n’est pas reprise (l’enregistrement reste chez {{source}})',
    dealCurrency:
      '{{what}} : en {{currency}}, {{program}} compte en {{programCurrency}} ; non repris (il garde sa protection chez {{source}})',
    dealFamilies:
      '{{what}} : {{target}} ne vend pas {{families}} ; non repris (il garde sa protection chez {{source}})',
    dealNoCustomer:
      '{{what}} : {{target}} n’a aucun client correspondant (par domaine, ou par nom et pays) ; non repris (il garde sa protection chez {{source}})',
    dealClaimed:
      '{{what}} : {{target}} protège déjà {{customer}} dans ces familles et cette région pour un autre enregistrement ; non repris',
    offer:
      '{{what}} : une offre est une commande directe de {{source}} ; {{target}} n’a pas de commande à proposer, elle reste donc chez {{source}} jusqu’à sa réponse ou son expiration',
    registration: 'l’enregistrement {{id}} ({{customer}}, {{status}}{{protected}})',
    protectedUntil: ', protégé jusqu’au {{day}}',
    routedOffer: 'l’offre {{id}} de la commande routée {{order}} (réponse avant {{deadline}})',
  },
} satisfies TranslationOf<typeof en>;
