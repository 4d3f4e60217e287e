/**
 * The English text of every sentence the server writes for people (see `message.ts`). Placeholders are
 * `{{name}}`; an optional clause is a parameter holding another message (or an empty text), so each
 * language orders the whole sentence itself. Plurals: `key_one` / `key_other` with a `count` parameter.
 * Edit here, then run `npm run api:types` (it copies this file to the web app) and translate the new
 * texts in `web/src/i18n/explain.fr.ts`.
 */
export const EXPLAIN_EN = {
  ledger: {
    rule: '{{name}}: {{rate}} of {{base}}{{detail}}{{multiplier}} = {{amount}} on {{what}}{{on}}.{{limited}}',
    detail: ' ({{detail}})',
    registration: ' ({{family}}; registration approved and protecting this customer)',
    multiplier: ' {{factor}} ({{codes}})',
    line: 'line {{lineId}}',
    return: 'return {{lineId}}',
    ofDay: ' of {{day}}',
    limited:
      ' Clawback limited to {{limit}}, what was paid and not yet clawed back for the returned line (computed {{computed}}).',
    closePosted: 'Posted at the close of {{period}}: {{rule}}',
    closeReversed:
      'Reversed at the close of {{period}}: the {{held}} accrued for {{component}} on line {{lineId}} is no longer due ({{tier}}).',
    closeTrueUp:
      'True-up at the close of {{period}}: {{held}} accrued, {{due}} due, {{posted}} posted. {{rule}}',
  },
} as const;

type Paths<T, P extends string = ''> = {
  [K in keyof T & string]: T[K] extends string
    ? `${P}${K extends `${infer B}_${'one' | 'other'}` ? B : K}`
    : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];

/** The key of a sentence in the catalogue ('ledger.rule'). */
export type ExplainKey = Paths<typeof EXPLAIN_EN>;
