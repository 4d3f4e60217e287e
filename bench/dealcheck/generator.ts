/**
 * The dealcheck bench's own generator of end customers and submissions, with ground truth. Independent of
 * the matcher (it imports nothing from src/core/matching) and of the demo generator.
 *
 * Customers are built from bench-local word lists (words.ts): surnames, places, invented brand words and
 * industry words, in ten name patterns, with a legal form of their country (85%), a domain (70%), a city,
 * a postal code and a street. Words are chosen so that no two differ by a single edit (otherwise two
 * distinct customers would be "variants" of each other under the documented typo rule).
 *
 * Submissions: half are variants of registered customers, each made by one or two documented variant
 * rules (VARIANT_RULES); half are new customers, of which half are look-alikes of a registered customer
 * (an industry word substituted, or one distinctive word replaced: "Acme Logistics" vs "Acme Robotics").
 * A new customer never has the same words as a registered one, nor its words plus or minus one word, nor
 * its distinctive words (surnames, places, brands) with industry words only added or only left out.
 */
import type { Random } from '../../src/core/shared/random.js';
import {
  COUNTRY_FORMS,
  COUNTRY_WEIGHTS,
  ENDINGS,
  INDUSTRIES,
  PLACES,
  SURNAMES,
  SYLLABLES,
  TLD,
} from './words.js';

export type WordKind = 'S' | 'P' | 'C' | 'I';

export interface Customer {
  id: string;
  words: string[];
  kinds: WordKind[];
  /** Two surnames joined by "&" ("Hansen & Berg"). */
  amp: boolean;
  country: string;
  /** Legal form, "^" first when written before the name. */
  form: string | null;
  domain: string | null;
  city: string;
  postalCode: string;
  street: string;
  cyrillic: boolean;
}

export interface Party {
  name: string;
  domain?: string | null;
  country?: string | null;
  addressLine?: string | null;
  city?: string | null;
  postalCode?: string | null;
}

export interface Submission {
  party: Party;
  /** The registered customer's id when the submission is a variant of it, else null. */
  truth: string | null;
  rules: string[];
  lookAlike: boolean;
}

export const VARIANT_RULES = [
  'legal-form-changed',
  'legal-form-dropped',
  'legal-form-added',
  'abbreviation',
  'initials',
  'word-order',
  'typo',
  'accents',
  'transliteration',
  'ampersand',
  'leading-the',
  'punctuation',
  'other-domain',
] as const;
export type VariantRule = (typeof VARIANT_RULES)[number];

export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/ø/g, 'o')
    .replace(/ł/g, 'l')
    .replace(/ı/g, 'i')
    .toLowerCase();
}

function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // transposition
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

/** Keeps words no kept word is within one edit of (deletion neighbourhood over the folded words). */
class DistinctWords {
  private readonly neighbourhood = new Map<string, string[]>();
  private readonly kept = new Set<string>();

  accept(word: string): boolean {
    const f = fold(word).replace(/[^a-z0-9 ]/g, '');
    if (f.length < 4 || this.kept.has(f)) return false;
    const keys = [f];
    for (let i = 0; i < f.length; i++) keys.push(f.slice(0, i) + f.slice(i + 1));
    for (const k of keys)
      for (const other of this.neighbourhood.get(k) ?? []) if (withinOneEdit(f, other)) return false;
    this.kept.add(f);
    for (const k of keys) {
      const list = this.neighbourhood.get(k);
      if (list) list.push(f);
      else this.neighbourhood.set(k, [f]);
    }
    return true;
  }
}

export interface Vocabulary {
  surnames: string[];
  places: string[];
  coined: string[];
  industries: (readonly [string, string?])[];
}

export function buildVocabulary(rnd: Random, coinedCount: number): Vocabulary {
  const distinct = new DistinctWords();
  const industries = INDUSTRIES.filter(([w]) => distinct.accept(w));
  const surnames = SURNAMES.filter((w) => distinct.accept(w));
  const places = PLACES.filter((w) => distinct.accept(w));
  const coined: string[] = [];
  for (let tries = 0; coined.length < coinedCount && tries < coinedCount * 20; tries++) {
    const n = rnd.chance(0.5) ? 2 : 3;
    let w = '';
    for (let i = 0; i < n; i++) w += rnd.pick(SYLLABLES);
    w += rnd.pick(ENDINGS);
    if (w.length < 6 || w.length > 12) continue;
    const word = w[0]!.toUpperCase() + w.slice(1);
    if (distinct.accept(word)) coined.push(word);
  }
  return { surnames, places, coined, industries };
}

function pickWeighted(rnd: Random, items: readonly (readonly [string, number])[]): string {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rnd.next() * total;
  for (const [v, w] of items) if ((x -= w) < 0) return v;
  return items[0]![0];
}

const PATTERNS: readonly (readonly [string, number])[] = [
  ['S I', 8],
  ['S I I', 8],
  ['C I', 15],
  ['C', 4],
  ['P I I', 10],
  ['S & S', 5],
  ['S & S I', 5],
  ['S P I', 20],
  ['C P', 5],
  ['P C I', 10],
  ['C I I', 10],
];

export function customerKey(words: readonly string[]): string {
  return words
    .map((w) => fold(w))
    .sort()
    .join(' ');
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function minusOne(words: readonly string[]): string[] {
  if (words.length < 2) return [];
  return words.map((_, i) => customerKey(words.filter((__, j) => j !== i)));
}

export class CustomerGenerator {
  private readonly keys = new Set<string>();
  private readonly minusOneHashes = new Set<number>();
  /** Distinctive words (surnames, places, brands) -> registered customers' words. */
  private readonly byDistinctive = new Map<number, string[][]>();
  private next = 0;

  constructor(
    private readonly rnd: Random,
    private readonly vocab: Vocabulary,
  ) {}

  private word(kind: WordKind): string {
    const v = this.vocab;
    if (kind === 'S') return this.rnd.pick(v.surnames);
    if (kind === 'P') return this.rnd.pick(v.places);
    if (kind === 'C') return this.rnd.pick(v.coined);
    return this.rnd.pick(v.industries)[0];
  }

  private fresh(): { words: string[]; kinds: WordKind[]; amp: boolean } {
    for (;;) {
      const pattern = pickWeighted(this.rnd, PATTERNS).split(' ');
      const amp = pattern.includes('&');
      const kinds = pattern.filter((p) => p !== '&') as WordKind[];
      const words = kinds.map((k) => this.word(k));
      if (new Set(words.map(fold)).size !== words.length) continue;
      return { words, kinds, amp };
    }
  }

  private dress(words: string[], kinds: WordKind[], amp: boolean): Customer {
    const rnd = this.rnd;
    const country = pickWeighted(rnd, COUNTRY_WEIGHTS);
    const forms = COUNTRY_FORMS[country] ?? ['Ltd'];
    const slug = fold(words.join(''))
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 30);
    return {
      id: `c${this.next++}`,
      words,
      kinds,
      amp,
      country,
      form: rnd.chance(0.85) ? rnd.pick(forms) : null,
      domain: rnd.chance(0.7) ? `${slug}.${TLD[country] ?? 'com'}` : null,
      city: rnd.pick(this.vocab.places),
      postalCode: String(rnd.int(10000, 99999)),
      street: `${rnd.pick(this.vocab.surnames)} ${rnd.pick(['Street', 'Road', 'Avenue', 'Straße', 'Rue', 'Via', 'Calle'])} ${rnd.int(1, 300)}`,
      cyrillic: ['RU', 'UA', 'BG'].includes(country) && kinds.every((k) => k !== 'I') && rnd.chance(0.5),
    };
  }

  private remember(words: readonly string[], kinds: readonly WordKind[]): void {
    this.keys.add(customerKey(words));
    for (const k of minusOne(words)) this.minusOneHashes.add(hash(k));
    const h = hash(customerKey(words.filter((_, i) => kinds[i] !== 'I')));
    const list = this.byDistinctive.get(h);
    if (list) list.push([...words]);
    else this.byDistinctive.set(h, [[...words]]);
  }

  /** A registered customer whose words no other registered customer has. */
  registered(): Customer {
    for (;;) {
      const { words, kinds, amp } = this.fresh();
      if (this.keys.has(customerKey(words))) continue;
      this.remember(words, kinds);
      return this.dress(words, kinds, amp);
    }
  }

  /** Whether a customer with these words would be new: not the words of, nor one word off, a registered one. */
  isNew(words: readonly string[], kinds: readonly WordKind[]): boolean {
    const key = customerKey(words);
    if (this.keys.has(key) || this.minusOneHashes.has(hash(key))) return false;
    if (minusOne(words).some((k) => this.keys.has(k))) return false;
    // Nor the same distinctive words with industry words only added or only left out.
    const folded = new Set(words.map(fold));
    for (const other of this.byDistinctive.get(hash(customerKey(words.filter((_, i) => kinds[i] !== 'I')))) ??
      []) {
      const o = new Set(other.map(fold));
      if ([...folded].every((w) => o.has(w)) || [...o].every((w) => folded.has(w))) return false;
    }
    return true;
  }

  /** A new customer; a look-alike shares words with `like`. */
  newCustomer(like: Customer | null): { customer: Customer; lookAlike: boolean } {
    for (let tries = 0; tries < 50; tries++) {
      let words: string[];
      let kinds: WordKind[];
      let amp = false;
      if (like && tries < 25) {
        words = [...like.words];
        kinds = [...like.kinds];
        amp = like.amp;
        const i = this.rnd.int(0, words.length - 1);
        words[i] = this.word(kinds[i] as WordKind);
      } else ({ words, kinds, amp } = this.fresh());
      if (new Set(words.map(fold)).size !== words.length || !this.isNew(words, kinds)) continue;
      return { customer: this.dress(words, kinds, amp), lookAlike: Boolean(like && tries < 25) };
    }
    return this.newCustomer(null);
  }
}

const CYR: readonly (readonly [string, string])[] = [
  ['shch', 'щ'],
  ['zh', 'ж'],
  ['kh', 'х'],
  ['ts', 'ц'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['ya', 'я'],
  ['yu', 'ю'],
  ['a', 'а'],
  ['b', 'б'],
  ['v', 'в'],
  ['w', 'в'],
  ['g', 'г'],
  ['d', 'д'],
  ['e', 'е'],
  ['z', 'з'],
  ['i', 'и'],
  ['y', 'й'],
  ['k', 'к'],
  ['c', 'к'],
  ['q', 'к'],
  ['l', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['f', 'ф'],
  ['h', 'х'],
  ['x', 'кс'],
  ['j', 'й'],
];
const CYR_FORMS: Record<string, string> = {
  OOO: 'ООО',
  AO: 'АО',
  PAO: 'ПАО',
  ZAO: 'ЗАО',
  TOV: 'ТОВ',
  EOOD: 'ЕООД',
  OOD: 'ООД',
  AD: 'АД',
  EAD: 'ЕАД',
};

/** Latin to Cyrillic as a Russian clerk would write a Latin-spelled name (bench-local). */
export function toCyrillic(word: string): string {
  let s = fold(word);
  let out = '';
  while (s.length > 0) {
    const hit = CYR.find(([l]) => s.startsWith(l));
    if (hit) {
      out += hit[1];
      s = s.slice(hit[0].length);
    } else {
      out += s[0];
      s = s.slice(1);
    }
  }
  return out.length > 0 ? out[0]!.toUpperCase() + out.slice(1) : out;
}

interface NameParts {
  words: string[];
  amp: string | null;
  form: string | null;
  prefix: boolean;
  the: boolean;
}

function render(p: NameParts): string {
  let body = p.words.join(' ');
  if (p.amp && p.words.length >= 2) body = `${p.words[0]} ${p.amp} ${p.words.slice(1).join(' ')}`;
  if (p.the) body = `The ${body}`;
  if (!p.form) return body;
  return p.prefix ? `${p.form} ${body}` : `${body} ${p.form}`;
}

function partsOf(c: Customer, cyrillic: boolean): NameParts {
  const prefix = Boolean(c.form?.startsWith('^'));
  let form = c.form ? c.form.replace(/^\^/, '') : null;
  let words = [...c.words];
  if (cyrillic) {
    words = words.map(toCyrillic);
    if (form) form = CYR_FORMS[form] ?? form;
  }
  return { words, amp: c.amp ? '&' : null, form, prefix, the: false };
}

export function customerParty(c: Customer): Party {
  return {
    name: render(partsOf(c, c.cyrillic)),
    domain: c.domain,
    country: c.country,
    addressLine: c.street,
    city: c.city,
    postalCode: c.postalCode,
  };
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function typo(rnd: Random, word: string): string {
  const i = rnd.int(1, word.length - 1);
  const op = rnd.int(0, 3);
  const letter = () => {
    for (;;) {
      const l = rnd.pick([...LETTERS]);
      if (l !== word[i]?.toLowerCase()) return l;
    }
  };
  if (op === 0) return word.slice(0, i) + letter() + word.slice(i + 1);
  if (op === 1) return word.slice(0, i) + word.slice(i + 1);
  if (op === 2) return word.slice(0, i) + letter() + word.slice(i);
  if (i + 1 < word.length && word[i] !== word[i + 1])
    return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
  return word.slice(0, i) + letter() + word.slice(i + 1);
}

/**
 * Applies one rule; returns false when it does not apply to this name (the caller picks another).
 * Each rule does what README.md (src/core/matching) lists as a variant the matcher must find.
 */
function applyRule(
  rule: VariantRule,
  rnd: Random,
  c: Customer,
  p: NameParts,
  party: Party,
  state: { cyrillic: boolean; reordered?: boolean; initials?: boolean },
): boolean {
  const forms = COUNTRY_FORMS[c.country] ?? ['Ltd'];
  switch (rule) {
    case 'legal-form-changed': {
      if (!p.form) return false;
      const pool = rnd.chance(0.6) ? forms : (COUNTRY_FORMS[pickWeighted(rnd, COUNTRY_WEIGHTS)] ?? forms);
      const f = rnd.pick(pool);
      p.prefix = f.startsWith('^');
      p.form = f.replace(/^\^/, '');
      return true;
    }
    case 'legal-form-dropped':
      if (!p.form) return false;
      p.form = null;
      return true;
    case 'legal-form-added': {
      if (p.form) return false;
      const f = rnd.pick(forms);
      p.prefix = f.startsWith('^');
      p.form = f.replace(/^\^/, '');
      return true;
    }
    case 'abbreviation': {
      const i = p.words.findIndex((w) => INDUSTRIES.some(([full, abbr]) => abbr && full === w));
      if (i < 0) return false;
      p.words[i] = INDUSTRIES.find(([full]) => full === p.words[i])?.[1] as string;
      return true;
    }
    case 'initials':
      if (p.words.length < 3 || state.cyrillic || state.reordered) return false;
      p.words = [p.words.map((w) => w[0]!.toUpperCase()).join('')];
      state.initials = true;
      p.amp = null;
      return true;
    case 'word-order': {
      if (p.words.length < 2 || state.initials) return false;
      state.reordered = true;
      const i = rnd.int(0, p.words.length - 2);
      [p.words[i], p.words[i + 1]] = [p.words[i + 1] as string, p.words[i] as string];
      return true;
    }
    case 'typo': {
      const candidates = p.words.map((w, i) => (fold(w).length >= 5 ? i : -1)).filter((i) => i >= 0);
      if (candidates.length === 0) return false;
      const i = rnd.pick(candidates);
      p.words[i] = typo(rnd, p.words[i] as string);
      return true;
    }
    case 'accents': {
      const i = p.words.findIndex((w) => /[^\x20-\x7e]/.test(w) && /\p{Script=Latin}/u.test(w));
      if (i >= 0) {
        const w = p.words[i] as string;
        p.words[i] =
          /[äöü]/.test(w) && rnd.chance(0.5)
            ? w.replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue')
            : w.normalize('NFD').replace(/\p{M}/gu, '');
        return true;
      }
      const j = p.words.findIndex((w) => /[eao]/.test(w.slice(1)));
      if (j < 0 || state.cyrillic) return false;
      const w = p.words[j] as string;
      const k = 1 + w.slice(1).search(/[eao]/);
      p.words[j] =
        w.slice(0, k) +
        ({ e: 'é', a: 'á', o: 'ó' } as Record<string, string>)[w[k] as string] +
        w.slice(k + 1);
      return true;
    }
    case 'transliteration':
      if (state.cyrillic) {
        const latin = partsOf(c, false);
        p.words = latin.words;
        p.form = p.form ? latin.form : null;
        state.cyrillic = false;
        return true;
      }
      if (!['RU', 'UA', 'BG'].includes(c.country) || c.kinds.some((k) => k === 'I')) return false;
      p.words = p.words.map(toCyrillic);
      if (p.form) p.form = CYR_FORMS[p.form] ?? p.form;
      state.cyrillic = true;
      return true;
    case 'ampersand':
      if (!p.amp) return false;
      p.amp = p.amp === '&' ? rnd.pick(['and', 'And', 'und', 'et', 'y']) : '&';
      return true;
    case 'leading-the':
      if (p.the) return false;
      p.the = true;
      return true;
    case 'punctuation': {
      const op = rnd.int(0, 4);
      if (op === 0 && p.form && /\./.test(p.form)) p.form = p.form.replace(/\./g, '');
      else if (op === 1 && p.form && !p.prefix) p.words[p.words.length - 1] += ',';
      else if (op === 2) p.words = p.words.map((w) => w.toUpperCase());
      else if (op === 3 && p.words.length >= 2)
        p.words = [p.words.slice(0, 2).join('-'), ...p.words.slice(2)];
      else p.words = p.words.map((w) => w.toLowerCase());
      return true;
    }
    case 'other-domain': {
      if (!c.domain) return false;
      const base = c.domain.split('.')[0] as string;
      party.domain = rnd.chance(0.5)
        ? `${base}.com`
        : `${base}-${rnd.pick(['group', 'global', 'hq', 'online'])}.${TLD[c.country] ?? 'com'}`;
      if (party.domain === c.domain) party.domain = `${base}-group.com`;
      return true;
    }
  }
}

/** A submission of the same customer written another way: one rule (70%) or two. */
export function variantOf(rnd: Random, c: Customer, forcedRule?: VariantRule): Submission {
  const state: { cyrillic: boolean; reordered?: boolean; initials?: boolean } = { cyrillic: c.cyrillic };
  const p = partsOf(c, c.cyrillic);
  const party: Party = { name: '', country: c.country };
  if (c.domain && rnd.chance(0.6)) party.domain = c.domain;
  const rules: string[] = [];
  const wanted = forcedRule ? 1 : rnd.chance(0.7) ? 1 : 2;
  for (let tries = 0; rules.length < wanted && tries < 40; tries++) {
    const rule = forcedRule ?? rnd.pick(VARIANT_RULES);
    if (rules.includes(rule)) continue;
    if (rule === 'other-domain') party.domain = c.domain;
    if (applyRule(rule, rnd, c, p, party, state)) rules.push(rule);
    else if (rule === 'other-domain') delete party.domain;
    if (forcedRule && rules.length === 0) break;
  }
  party.name = render(p).replace(/\s+/g, rnd.chance(0.05) ? '  ' : ' ');
  if (rnd.chance(0.4)) {
    party.city = c.city;
    party.postalCode = c.postalCode;
    if (rnd.chance(0.5)) party.addressLine = c.street;
  }
  return { party, truth: c.id, rules, lookAlike: false };
}

export function newSubmission(c: Customer, rnd: Random, lookAlike: boolean): Submission {
  const full = customerParty(c);
  const party: Party = { name: full.name, country: c.country };
  if (c.domain && rnd.chance(0.6)) party.domain = c.domain;
  if (rnd.chance(0.4)) {
    party.city = c.city;
    party.postalCode = c.postalCode;
  }
  return { party, truth: null, rules: [], lookAlike };
}
