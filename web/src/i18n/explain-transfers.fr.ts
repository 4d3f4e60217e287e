import type { TranslationOf } from './catalogue';
import type en from './explain-transfers.en';

/** The server's sentences in French (area transfers; the English is generated from src/core/messages/transfers.en.ts). */
export default {
  tier: 'détient {{held}} le {{day}}, alors que {{promised}} était promis',
  noTier: 'ne détient aucun niveau le {{day}}, alors que {{promised}} était promis',
  rate: '{{family}} : gagne {{target}} dans la cible, {{source}} dans la source',
} satisfies TranslationOf<typeof en>;
