/** Amounts typed by a person (lib/money.ts parseMoneyInput): why one is refused, and what to type. */
export default {
  input: {
    unknownCurrency: 'Amounts in {{currency}} cannot be entered here.',
    empty: 'No amount.',
    signed: 'The amount cannot have a sign.',
    notAmount: '“{{input}}” is not an amount.',
    mixedGroups: '“{{input}}” mixes group separators.',
    ambiguous: '“{{input}}” is ambiguous.',
    decimalOnce: '“{{mark}}” is the decimal separator here; it can appear only once.',
    ambiguousMark: '“{{input}}” is ambiguous: is “{{mark}}” a decimal point or a thousands separator?',
    badGroups: '“{{input}}” has thousands groups that are not of three digits.',
    noDecimals: '{{currency}} has no decimals.',
    tooManyDecimals: '“{{input}}” has {{decimals}} decimals; {{currency}} has {{exponent}}.',
    tooLarge: '“{{input}}” is too large.',
    hint_one: 'Enter an amount in {{currency}} like {{example}} (at most {{count}} decimal).',
    hint_other: 'Enter an amount in {{currency}} like {{example}} (at most {{count}} decimals).',
  },
} as const;
