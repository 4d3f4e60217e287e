/**
 * The English text of every sentence the server writes for people (see `message.ts`). Placeholders are
 * `{{name}}`; an optional clause is a parameter holding another message (or an empty text), so each
 * language orders the whole sentence itself. Plurals: `key_one` / `key_other` with a `count` parameter.
 * One file per area (`<area>.en.ts`, listed below). Edit there, then run `npm run api:types` (it copies
 * each area to the web app as `web/src/i18n/explain-<area>.en.ts`) and translate the new texts in
 * `web/src/i18n/explain-<area>.fr.ts`.
 */
import agreements from './agreements.en.js';
import close from './close.en.js';
import engagement from './engagement.en.js';
import ledger from './ledger.en.js';
import matching from './matching.en.js';
import settlement from './settlement.en.js';
import tiers from './tiers.en.js';
import transfers from './transfers.en.js';

export const EXPLAIN_EN = {
  agreements,
  close,
  engagement,
  ledger,
  matching,
  settlement,
  tiers,
  transfers,
} as const;

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K extends `${infer B}_${'one' | 'other'}` ? B : K}`
    : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** The key of a sentence in the catalogue ('ledger.rule'). */
export type ExplainKey = Paths<typeof EXPLAIN_EN>;
