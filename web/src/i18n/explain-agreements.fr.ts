import type { TranslationOf } from './catalogue';
import type en from './explain-agreements.en';

/** The server's sentences in French (area agreements; the English is generated from src/core/messages/agreements.en.ts). */
export default {
  solutionReward:
    'Récompense de solution inter-fournisseurs au titre de {{agreement}} ({{code}}) : {{points}} sur une solution complétée le {{completedOn}} à partir de {{yours}} et d’un achat éligible auprès d’une autre partie à l’accord sous {{window}}. {{funder}} finance {{shareWhole}},{{shareCents}} % de la récompense : {{amount}}.',
  noLineOfYours: 'aucune de vos lignes',
  yours_one: 'votre ligne {{lines}} ({{families}} ; {{amount}})',
  yours_other: 'vos lignes {{lines}} ({{families}} ; {{amount}})',
  months_one: '{{count}} mois',
  months_other: '{{count}} mois',
  days_one: '{{count}} jour',
  days_other: '{{count}} jours',
  monthsAndDays: '{{months}} et {{days}}',
  published: '{{name}} publié : en vigueur à partir du {{from}}{{to}} entre {{parties}}.',
  publishedTo: ' jusqu’au {{day}}',
  and: '{{a}} et {{b}}',
  notice:
    '{{party}} a donné un préavis de résiliation le {{noticeDate}} ({{reason}}) ; l’accord prend fin le {{effectiveDate}} : aucune provision inter-fournisseurs ne compte à partir de ce jour.',
  reason: {
    changeOfControl: 'changement de contrôle',
    convenience: 'convenance',
    breach: 'manquement',
    mutual: 'commun accord',
  },
} satisfies TranslationOf<typeof en>;
