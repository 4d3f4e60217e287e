/**
 * A sentence the server writes for a person (why a ledger line earns what it does, why an order was
 * offered to a partner, why a tier holds) as a **message**: a key into the catalogue of such sentences and
 * typed parameters. The API sends both the English text (for CSV, scripts and logs) and the message, which
 * the web app renders in the person's language and locale (money, rates and days formatted there). The
 * English catalogue lives in `./<area>.en.ts` (gathered in `./en.ts`); `npm run api:types` copies each to
 * `web/src/i18n/explain-<area>.en.ts`, where `explain-<area>.fr.ts` translates it.
 */
import { formatMoney, type Money } from '../money/money.js';
import { formatFactor, formatPercent, type Ppm } from '../money/rate.js';
import { EXPLAIN_EN, type ExplainKey } from './en.js';

/** A parameter: a plain text or number, or a value the reader's locale formats. */
export type MessageValue =
  | string
  | number
  | { readonly money: Money }
  | { readonly percent: Ppm }
  | { readonly factor: Ppm }
  | { readonly day: string }
  | { readonly list: readonly string[] }
  | { readonly decimal: number | string; readonly digits: number }
  | { readonly message: Message };

export interface Message {
  readonly key: ExplainKey;
  readonly params: Readonly<Record<string, MessageValue>>;
}

export function message(key: ExplainKey, params: Readonly<Record<string, MessageValue>> = {}): Message {
  return { key, params };
}

/** An optional clause: the message when there is one, else an empty text. */
export function optional(m: Message | null | undefined): MessageValue {
  return m ? { message: m } : '';
}

export const money = (amountMinor: number, currency: string): MessageValue => ({
  money: { amountMinor, currency },
});
export const percent = (ppm: Ppm): MessageValue => ({ percent: ppm });
export const factor = (ppm: Ppm): MessageValue => ({ factor: ppm });
export const day = (iso: string): MessageValue => ({ day: iso });
export const list = (items: readonly string[]): MessageValue => ({ list: items });
/**
 * A number with a fixed count of decimals (a score: 0.93), the decimal separator the reader's. An exact
 * decimal (an exchange rate of up to 22 digits) is passed as its text, so no digit goes through a float.
 */
export const decimal = (value: number | string, digits: number): MessageValue => ({ decimal: value, digits });

type Tree = { readonly [k: string]: string | Tree };

function lookup(key: string, count: number | undefined): string | undefined {
  const parts = key.split('.');
  const last = parts.pop() ?? '';
  let node: Tree | string | undefined = EXPLAIN_EN as Tree;
  for (const p of parts) node = typeof node === 'object' ? node[p] : undefined;
  if (typeof node !== 'object') return undefined;
  const plural = count === undefined ? undefined : node[`${last}_${count === 1 ? 'one' : 'other'}`];
  const text = typeof plural === 'string' ? plural : node[last];
  return typeof text === 'string' ? text : undefined;
}

/** A parameter in English (the API's text), the same formats the ledger has always written. */
export function englishValue(v: MessageValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if ('money' in v) return formatMoney(v.money);
  if ('percent' in v) return formatPercent(v.percent);
  if ('factor' in v) return formatFactor(v.factor);
  if ('day' in v) return v.day;
  if ('list' in v) return v.list.join(', ');
  if ('decimal' in v) return typeof v.decimal === 'string' ? v.decimal : v.decimal.toFixed(v.digits);
  return renderEnglish(v.message);
}

/** The message's English text: its template with each `{{param}}` replaced. */
export function renderEnglish(m: Message): string {
  const count = typeof m.params.count === 'number' ? m.params.count : undefined;
  const template = lookup(m.key, count);
  if (template === undefined) throw new Error(`no English text for message ${m.key}`);
  return template.replace(/\{\{\s*([A-Za-z0-9_]+)(?:\s*,\s*[a-z]+)?\s*\}\}/g, (_, name: string) => {
    const v = m.params[name];
    if (v === undefined) throw new Error(`message ${m.key} has no parameter ${name}`);
    return englishValue(v);
  });
}

/**
 * A stored entry's explanation (its JSON column): the English text and, for entries written since
 * messages exist, the message. Older entries have text only.
 */
export function storedExplanation(json: string): { text: string; message: Message | null } {
  const stored = JSON.parse(json) as { text?: string; message?: Message };
  return { text: stored.text ?? '', message: stored.message ?? null };
}

/** The JSON a ledger entry stores as its explanation: the English text, the message, and any extra facts. */
export function storedMessage(m: Message, extra: Readonly<Record<string, unknown>> = {}): string {
  return JSON.stringify({ text: renderEnglish(m), message: m, condition: [], ...extra });
}
