import type { TranslationOf } from './catalogue';
import type en from './money.en';

export default {
  input: {
    unknownCurrency: 'Les montants en {{currency}} ne peuvent pas être saisis ici.',
    empty: 'Aucun montant.',
    signed: 'Le montant ne peut pas avoir de signe.',
    notAmount: '« {{input}} » n’est pas un montant.',
    mixedGroups: '« {{input}} » mélange plusieurs séparateurs de milliers.',
    ambiguous: '« {{input}} » est ambigu.',
    decimalOnce: '« {{mark}} » est ici le séparateur décimal ; il ne peut figurer qu’une fois.',
    ambiguousMark:
      '« {{input}} » est ambigu : « {{mark}} » est-il une virgule décimale ou un séparateur de milliers ?',
    badGroups: '« {{input}} » a des groupes de milliers qui ne sont pas de trois chiffres.',
    noDecimals: 'Le {{currency}} n’a pas de décimales.',
    tooManyDecimals: '« {{input}} » a {{decimals}} décimales ; le {{currency}} en a {{exponent}}.',
    tooLarge: '« {{input}} » est trop grand.',
    hint_one: 'Saisissez un montant en {{currency}} comme {{example}} ({{count}} décimale au plus).',
    hint_other: 'Saisissez un montant en {{currency}} comme {{example}} ({{count}} décimales au plus).',
  },
} satisfies TranslationOf<typeof en>;
