/**
 * The server's sentences in the person's language: the API sends a sentence's English text and its
 * `Message` (a key into the `explain` catalogue and typed parameters); this renders the message with the
 * reader's texts and formats (money, rates, days), nested clauses first. An unknown key (a server newer
 * than the app) falls back to the English text.
 */
import type { Schema } from '../api/types';
import { formatDay } from './format';
import { formatMoney, formatPpmFactor, formatPpmPercent } from './money';
import type { Translate } from './standing';

export type Message = Schema<'Message'>;
type MessageValue = Message['params'][string];

/** A parameter as the person reads it. */
function valueText(t: Translate, locale: string, v: MessageValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return new Intl.NumberFormat(locale).format(v);
  if ('money' in v) return formatMoney(v.money.amountMinor, v.money.currency, locale);
  if ('percent' in v) return formatPpmPercent(v.percent, locale);
  if ('factor' in v) return formatPpmFactor(v.factor, locale);
  if ('day' in v) return formatDay(v.day, locale);
  if ('list' in v) return v.list.join(', ');
  if ('decimal' in v) {
    const format = new Intl.NumberFormat(locale, {
      minimumFractionDigits: v.digits,
      maximumFractionDigits: v.digits,
    });
    // An exact decimal comes as text: Intl formats a numeric string exactly (no float in between).
    return typeof v.decimal === 'string'
      ? (format.format as (value: string) => string)(v.decimal)
      : format.format(v.decimal);
  }
  return messageText(t, locale, v.message) ?? '';
}

/** The message in the person's language, or null when the app has no text for its key. */
export function messageText(t: Translate, locale: string, m: Message): string | null {
  const dot = m.key.indexOf('.');
  const key = `explain-${m.key.slice(0, dot)}.${m.key.slice(dot + 1)}`;
  const values: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(m.params)) {
    const text = valueText(t, locale, v);
    values[name] = text;
    if (name === 'count' && typeof v === 'number') values.count = v;
  }
  const text = t(key, { ...values, defaultValue: '\u0000' });
  return text === '\u0000' || text === key ? null : text;
}

/** What to show for a sentence the server wrote: its message translated, else its English text. */
export function explained(
  t: Translate,
  locale: string,
  sentence: { readonly text: string; readonly message?: Message | null | undefined },
): string {
  return (sentence.message && messageText(t, locale, sentence.message)) ?? sentence.text;
}
