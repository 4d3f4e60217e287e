import type { TranslationOf } from './catalogue';
import type en from './explain-settlement.en';

/** What settlement entries say, in French (area settlement; the English is generated from src/core/messages/settlement.en.ts). */
export default {
  carried:
    'Reporté du relevé {{statementId}} ({{period}}) : {{amount}} était sous le minimum de paiement et n’a pas été payé.',
  payout: 'Paiement du relevé {{statementId}} ({{period}}{{sequence}}) : {{amount}}{{reference}}.',
  payoutConverted:
    'Paiement du relevé {{statementId}} ({{period}}{{sequence}}) : {{amount}} au taux de {{rate}} = {{converted}}{{rounding}}, taux du {{rateDay}} ({{basis}}){{reference}}.',
  conversionOut:
    'Conversion du relevé {{statementId}} : {{amount}} au taux de {{rate}} = {{converted}}{{rounding}}, sortie de {{from}}.',
  conversionIn:
    'Conversion du relevé {{statementId}} : ses lignes converties une à une, {{lines}}, depuis {{amount}} au taux de {{rate}}.',
  conversionRounding:
    'Arrondi de la conversion du relevé {{statementId}} : total converti {{converted}} moins lignes converties {{lines}} = {{rounding}}.',
  roundingClause: ' (arrondi {{rounding}})',
  basisPayoutDay: 'le jour du paiement',
  basisPeriodAverage: 'la moyenne de {{days}} jours du {{firstDay}} au {{lastDay}}',
  sequence: ' no {{sequence}}',
  reference: ', référence {{reference}}',
  disputeAccepted:
    'Contestation {{disputeId}} acceptée{{reason}} : {{amount}} sur la ligne {{lineNo}} du relevé {{statementId}} ({{kind}}, {{component}}{{orderLine}}). Le partenaire a écrit : {{said}}',
  reason: ' ({{reason}})',
  orderLine: ', ligne de commande {{orderLineId}}',
  mdfClaimPaid:
    'Demande de remboursement FDM de l’activité {{activityId}} ({{title}}) payée : {{amount}} sur le fonds {{fund}}, demande {{claimSeq}}.',
  mdfExpired:
    'FDM acquis en {{period}} ({{component}}) expirés inutilisés le {{day}} : {{amount}} repris du fonds.',
} satisfies TranslationOf<typeof en>;
