import type { TranslationOf } from './catalogue';
import type en from './explain-tiers.en';

/** The server's sentences in French (area tiers; the English is generated from src/core/messages/tiers.en.ts). */
export default {
  mayDeliver_one:
    '{{count}} personne détient une certification services active en {{families}} : le partenaire peut réaliser les services lui-même',
  mayDeliver_other:
    '{{count}} personnes détiennent une certification services active en {{families}} : le partenaire peut réaliser les services lui-même',
  mustResell:
    'personne ne détient de certification services active en {{families}} : le partenaire doit revendre les services du fournisseur',
  crossCreditNone:
    '{{amount}} achetés via {{distributor}} (canal de {{vendor}}) ne donnent aucun crédit de qualification : aucun accord en vigueur aux dates des commandes ne crédite le canal de {{vendor}} dans ce programme.',
  crossCredit:
    '{{amount}} achetés via {{distributor}} (canal de {{vendor}}) comptent pour {{share}} au titre de {{agreement}} : {{credited}} crédités.',
  unknownCurrent:
    'le niveau actuel « {{current}} » n’est pas un niveau de ce programme ; le niveau évalué {{target}} s’applique',
  stillQualifies: 'remplit toujours les conditions de {{target}}',
  upgrade:
    'remplit les conditions de {{target}} (au-dessus de {{current}}) ; les promotions s’appliquent immédiatement',
  hold: 'évalué {{target}}, en dessous de {{current}} : {{why}}',
  holdProtected: '{{protection}} ; pas de rétrogradation avant le {{first}}',
  grandfathered: 'maintenu par droits acquis ({{source}}) jusqu’au {{until}}',
  keptUntil: 'un niveau est conservé au moins jusqu’au {{kept}} (détenu depuis le {{since}})',
  holdAudit: 'les rétrogradations attendent l’audit annuel ({{next}})',
  downgradeAudit:
    'ne remplit plus les conditions de {{current}} ; rétrogradé à {{target}} lors de l’audit annuel',
  downgrade:
    'ne remplit plus les conditions de {{current}} ; rétrogradé à {{target}} (les rétrogradations s’appliquent immédiatement)',
  earnedBy: 'obtenu par {{path}}',
  entryTier: 'niveau d’entrée',
  noStatusMatch: '{{program}} n’a pas de correspondance de statut',
  noLegacyMatched: 'aucune adhésion d’un ancien programme n’a pu être mise en correspondance',
  statusMatched:
    '{{program}} {{legacyTier}} correspond à {{tier}}{{others}} ; maintenu par droits acquis jusqu’au {{until}}',
  statusMatchedOthers: ', le plus élevé des niveaux mis en correspondance (aussi : {{others}})',
} satisfies TranslationOf<typeof en>;
