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
} satisfies TranslationOf<typeof en>;
