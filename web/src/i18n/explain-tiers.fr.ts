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
} satisfies TranslationOf<typeof en>;
