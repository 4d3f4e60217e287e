/**
 * The legal-form table compiled for lookup: every spelling of legal-forms-data.ts folded and tokenised
 * like a name, then keyed by its words written together ("S.A.R.L.", "SARL", "S.a r.l." -> "sarl";
 * "GmbH & Co. KG" -> "gmbhcokg"), so a name's last (or first) words are compared whatever their dots,
 * spaces, case or accents.
 */
import { foldText, tokenize } from './fold.js';
import { GENERIC_LEGAL_FORM_ROWS, LEGAL_FORM_ROWS } from './legal-forms-data.js';

export interface LegalForm {
  /** The spelling shown in explanations (the first one listed). */
  form: string;
  /** Countries where the spelling is a legal form (XX = written so everywhere). */
  countries: readonly string[];
  /** Also written before the name ("OOO Romashka"). */
  prefix: boolean;
}

export interface RemovedLegalForm {
  form: string;
  /** The spelling key: the form's words written together ("sarl"). */
  key: string;
  countries: readonly string[];
  position: 'start' | 'end';
}

interface CompiledTable {
  byKey: Map<string, LegalForm>;
  /** Spellings in a script written without spaces (株式会社), matched inside the first or last word. */
  attached: { key: string; form: LegalForm }[];
  maxWords: number;
}

let compiled: CompiledTable | null = null;

function table(): CompiledTable {
  if (compiled) return compiled;
  const byKey = new Map<string, LegalForm>();
  let maxWords = 1;
  for (const [country, abbreviations, names, flags] of [...LEGAL_FORM_ROWS, ...GENERIC_LEGAL_FORM_ROWS]) {
    for (const spelling of [...abbreviations.split('|'), ...names.split('|')]) {
      const words = tokenize(foldText(spelling));
      if (words.length === 0) continue;
      const key = words.join('');
      maxWords = Math.max(maxWords, words.length + 1);
      const known = byKey.get(key);
      if (!known) byKey.set(key, { form: spelling, countries: [country], prefix: flags === 'prefix' });
      else
        byKey.set(key, {
          form: known.form,
          countries: known.countries.includes(country) ? known.countries : [...known.countries, country],
          prefix: known.prefix || flags === 'prefix',
        });
    }
  }
  const attached: CompiledTable['attached'] = [];
  for (const [key, form] of byKey) if (/[^\p{Script=Latin}\p{N}]/u.test(key)) attached.push({ key, form });
  compiled = { byKey, attached, maxWords };
  return compiled;
}

/** The legal form written as these words together, if any ("s", "a" -> S.A.). */
export function legalFormOf(words: readonly string[]): LegalForm | null {
  return table().byKey.get(words.join('')) ?? null;
}

/** Every compiled spelling key of a country's forms (for tests and variant generators). */
export function legalFormSpellings(country?: string): { spelling: string; countries: readonly string[] }[] {
  const out: { spelling: string; countries: readonly string[] }[] = [];
  for (const [c, abbreviations, names] of [...LEGAL_FORM_ROWS, ...GENERIC_LEGAL_FORM_ROWS]) {
    if (country && c !== country) continue;
    for (const spelling of [...abbreviations.split('|'), ...names.split('|')])
      out.push({ spelling, countries: [c] });
  }
  return out;
}

/**
 * Removes legal forms at the end of the words (repeatedly: "GmbH & Co. KG", "Ltd. Sti.") and, for forms
 * written before names, at the start, as long as a word of the name remains. Longest spelling first.
 */
export function stripLegalForms(words: readonly string[]): { words: string[]; removed: RemovedLegalForm[] } {
  const { byKey, attached, maxWords } = table();
  let w = [...words];
  const removed: RemovedLegalForm[] = [];
  for (let changed = true; changed && w.length > 1;) {
    changed = false;
    // End of the name: the longest spelling wins.
    let cut = 0;
    let found: LegalForm | null = null;
    let suffix = '';
    for (let k = 1; k <= Math.min(maxWords, w.length - 1); k++) {
      suffix = (w[w.length - k] as string) + suffix;
      const form = byKey.get(suffix);
      if (form) {
        cut = k;
        found = form;
      }
    }
    if (found) {
      removed.push({
        form: found.form,
        key: w.slice(w.length - cut).join(''),
        countries: found.countries,
        position: 'end',
      });
      w = w.slice(0, w.length - cut);
      changed = true;
    }
    if (w.length <= 1) break;
    // Start of the name, only for forms written so.
    cut = 0;
    found = null;
    let prefix = '';
    for (let k = 1; k <= Math.min(maxWords, w.length - 1); k++) {
      prefix += w[k - 1] as string;
      const form = byKey.get(prefix);
      if (form?.prefix) {
        cut = k;
        found = form;
      }
    }
    if (found) {
      removed.push({
        form: found.form,
        key: w.slice(0, cut).join(''),
        countries: found.countries,
        position: 'start',
      });
      w = w.slice(cut);
      changed = true;
    }
  }
  // Scripts without spaces: "トヨタ自動車株式会社".
  if (attached.length > 0 && w.length > 0) {
    for (let changed = true; changed;) {
      changed = false;
      const last = w[w.length - 1] as string;
      const first = w[0] as string;
      for (const { key, form } of attached) {
        if (last.length > key.length && last.endsWith(key)) {
          w[w.length - 1] = last.slice(0, last.length - key.length);
          removed.push({ form: form.form, key, countries: form.countries, position: 'end' });
          changed = true;
          break;
        }
        if (first.length > key.length && first.startsWith(key)) {
          w[0] = first.slice(key.length);
          removed.push({ form: form.form, key, countries: form.countries, position: 'start' });
          changed = true;
          break;
        }
      }
    }
  }
  return { words: w, removed };
}
