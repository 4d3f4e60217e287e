import type { TranslationOf } from './catalogue';
import type en from './explain-ledger.en';

/** The server's sentences in French (area ledger; the English is generated from src/core/messages/ledger.en.ts). */
export default {
  rule: '{{name}} : {{rate}} de {{base}}{{detail}}{{multiplier}} = {{amount}} sur {{what}}{{on}}.{{limited}}',
  ruleConverted:
    '{{name}} : {{original}} au taux de {{fx}} = {{base}} ; {{rate}}{{detail}}{{multiplier}} = {{amount}} sur {{what}}{{on}}.{{limited}}',
  detail: ' ({{detail}})',
  registration: ' ({{family}} ; enregistrement approuvé qui protège ce client)',
  multiplier: ' {{factor}} ({{codes}})',
  line: 'la ligne {{lineId}}',
  return: 'le retour {{lineId}}',
  ofDay: ' du {{day}}',
  limited:
    ' Reprise limitée à {{limit}}, ce qui a été payé et pas encore repris pour la ligne retournée (calculé : {{computed}}).',
  closePosted: 'Passé à la clôture de {{period}} : {{rule}}',
  closeReversed:
    'Annulé à la clôture de {{period}} : les {{held}} provisionnés pour {{component}} sur la ligne {{lineId}} ne sont plus dus ({{tier}}).',
  closeTrueUp:
    'Régularisation à la clôture de {{period}} : {{held}} provisionnés, {{due}} dus, {{posted}} passés. {{rule}}',
} satisfies TranslationOf<typeof en>;
