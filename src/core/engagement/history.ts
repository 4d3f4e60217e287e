import { EXPLAIN_EN } from '../messages/en.js';
import {
  day,
  decimal,
  message,
  renderEnglish,
  type Message,
  type MessageValue,
} from '../messages/message.js';

/**
 * The sentences of an account's coverage history (the events that changed its coverage). They are stored
 * as English text, so an event's message is read back from its text: each template, with the parameters
 * that are days, is matched against it, and a message is kept only when it renders the text exactly. An
 * event whose text matches no template (written by an older version) keeps its text only.
 */
const HISTORY = EXPLAIN_EN.engagement.history;
type HistoryKey = keyof typeof HISTORY;

/** The parameters of each event that are days (the others are plain text: names, ids, a typed reason). */
const DAYS: Record<HistoryKey, readonly string[]> = {
  exclusiveFrom: ['day', 'through'],
  exclusiveAgain: ['day', 'ended'],
  exclusiveOnRecord: ['day'],
  named: ['day'],
  unnamed: ['day'],
};

/** An event's sentence as a message, and its English text (what the event stores). */
export function historyEvent(
  key: HistoryKey,
  params: Readonly<Record<string, string>>,
): { message: Message; sentence: string } {
  const values: Record<string, MessageValue> = {};
  for (const [name, v] of Object.entries(params)) {
    const score = name === 'score' ? /^\d+\.(\d+)$/.exec(v) : null;
    // A matching score ("0.93") is a number the reader's locale writes ("0,93").
    values[name] = DAYS[key].includes(name) ? day(v) : score ? decimal(Number(v), score[1]?.length ?? 0) : v;
  }
  const m = message(`engagement.history.${key}`, values);
  return { message: m, sentence: renderEnglish(m) };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const PATTERNS = (Object.keys(HISTORY) as HistoryKey[]).map((key) => {
  const names: string[] = [];
  const source = HISTORY[key]
    .split(/(\{\{[A-Za-z0-9_]+\}\})/)
    .map((part) => {
      const p = /^\{\{([A-Za-z0-9_]+)\}\}$/.exec(part);
      if (!p) return escape(part);
      names.push(p[1] as string);
      return DAYS[key].includes(p[1] as string) ? '(\\d{4}-\\d{2}-\\d{2})' : '(.*)';
    })
    .join('');
  return { key, names, pattern: new RegExp(`^${source}$`, 's') };
});

/** A stored event's sentence as a message, or null when no template renders it exactly. */
export function historyMessage(sentence: string): Message | null {
  for (const { key, names, pattern } of PATTERNS) {
    const found = pattern.exec(sentence);
    if (!found) continue;
    const params: Record<string, string> = {};
    names.forEach((n, i) => (params[n] = found[i + 1] as string));
    const event = historyEvent(key, params);
    if (event.sentence === sentence) return event.message;
  }
  return null;
}
