import type { TranslationOf } from './catalogue';
import type en from './explain-close.en';

/** What a period close says, in French (area close; the English is generated from src/core/messages/close.en.ts). */
export default {
  rate: '{{rate}} de {{base}}{{detail}}{{multiplier}}',
  periodRevenue: '{{tier}}, chiffre d’affaires de la période',
  registeredRevenue: '{{tier}}, chiffre d’affaires de la période sur les affaires enregistrées',
  qualifyingRevenue: 'leur chiffre d’affaires éligible',
  component: '{{name}} : {{rate}} = {{amount}} pour {{period}}.{{capped}}',
  capped: ' Plafonné à {{cap}} par partenaire et par période : réduit de {{cut}} à {{amount}}.',
  minimumReversal:
    '{{name}} : le chiffre d’affaires éligible de {{qualifying}} est inférieur au minimum de {{minimum}} ; les {{accrued}} provisionnés sur {{period}} sont annulés.',
  capAdjustment:
    '{{name}} : les {{accrued}} provisionnés sur {{period}} sont ramenés au plafond de {{cap}} par partenaire et par période.',
  crossSell_one:
    '{{name}} : {{count}} client a acheté {{need}} sur {{period}} ; {{rate}} = {{amount}}.{{capped}}',
  crossSell_other:
    '{{name}} : {{count}} clients ont acheté {{need}} sur {{period}} ; {{rate}} = {{amount}}.{{capped}}',
  families: '{{min}} familles ou plus',
  familiesIncluding: '{{min}} familles ou plus dont {{combinations}}',
  or: '{{first}} ou {{second}}',
  growth:
    '{{name}} : chiffre d’affaires de {{revenue}} sur {{period}} contre {{prior}} ({{comparedWith}}), une croissance d’environ {{growth}} supérieure à {{above}} ; {{rate}} = {{amount}}.{{capped}}',
  closeOf: 'Clôture de {{period}} : {{then}}',
  reclose:
    'Nouvelle clôture de {{period}} : {{held}} avaient été passés pour {{component}}, {{expected}} sont dus, {{diff}} passés.{{then}}',
  then: ' {{then}}',
} satisfies TranslationOf<typeof en>;
