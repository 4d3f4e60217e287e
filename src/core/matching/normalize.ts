/**
 * Company names and domains reduced to what identifies a company. Pure and deterministic.
 * The rules are listed in README.md (this folder); each change is recorded in `notes` so a match can be
 * explained.
 */
import { CONJUNCTIONS, foldText, STOP_WORDS, tokenize } from './fold.js';
import type { FoldFlags } from './fold.js';
import { stripLegalForms } from './legal-forms.js';
import type { RemovedLegalForm } from './legal-forms.js';
import { list, message, optional, type Message } from '../messages/message.js';

export interface NormalizedName {
  /** The name as given. */
  original: string;
  /** Canonical words joined by one space: normalising `text` again gives the same `text` and `keys`. */
  text: string;
  /** Canonical words: folded, legal forms and fillers removed, abbreviations expanded. */
  tokens: readonly string[];
  /** The words as compared (today the canonical words themselves; umlaut spellings meet in similarity.ts). */
  keys: readonly string[];
  /** The legal form(s) removed, as listed in the table ("GmbH & Co. KG"), or null. */
  legalForm: string | null;
  /** The removed legal form(s) as spelling keys ("gmbh", "sarl"): equal for "S.A.R.L." and "SARL". */
  legalFormKey: string | null;
  /** Countries whose legal form that is. */
  legalFormCountries: readonly string[];
  /** What normalisation changed, in words a channel manager can read. */
  notes: readonly string[];
  /**
   * The same notes as messages (`notes[i]` is the English text of `noteMessages[i]`), when normalised to
   * explain a match; otherwise empty (normalising for a search builds no messages).
   */
  noteMessages: readonly Message[];
}

/** No messages (what is not explained): shared, so normalising and comparing allocate nothing for it. */
export const NO_MESSAGES: readonly Message[] = Object.freeze([]);

/**
 * Common abbreviations and their full words, both ways: every spelling maps to one canonical word.
 * Canonical words are never legal forms, stop words or single letters (normalisation stays idempotent).
 */
const ABBREVIATION_GROUPS: readonly (readonly string[])[] = [
  ['international', 'intl', 'int', 'internat', 'internationale', 'internacional', 'internazionale'],
  ['technologies', 'technology', 'tech', 'techs', 'techn', 'technol'],
  ['services', 'service', 'svcs', 'svc', 'svs', 'servs', 'serv'],
  ['manufacturing', 'mfg', 'manuf', 'mfr', 'mfrs', 'manufacturers', 'manufacturer'],
  ['associates', 'assoc', 'assocs', 'asso'],
  ['association', 'assn', 'assoc.n'],
  ['brothers', 'bros', 'bro'],
  ['department', 'dept', 'dpt'],
  ['university', 'univ', 'uni'],
  ['national', 'natl', 'nat', 'nationale'],
  ['group', 'grp', 'gruppe', 'groupe', 'grupo', 'gruppo', 'groep'],
  ['holdings', 'holding', 'hldgs', 'hldg', 'hold', 'hldngs'],
  ['systems', 'system', 'sys', 'syst'],
  ['management', 'mgmt', 'mgt', 'mngmt'],
  ['coop', 'cooperative', 'cooperatives', 'cooperativa', 'cooperative society'],
  ['center', 'centre', 'ctr', 'cntr', 'centro', 'zentrum'],
  ['laboratories', 'laboratory', 'labs', 'lab', 'labo', 'laboratoires', 'laboratorios'],
  ['engineering', 'eng', 'engg', 'engr'],
  ['industries', 'industry', 'inds', 'indus', 'industrie', 'industrial', 'ind'],
  ['solutions', 'solution', 'sols', 'soln', 'solns'],
  ['communications', 'communication', 'comms', 'comm', 'commun'],
  ['pharmaceuticals', 'pharmaceutical', 'pharma', 'pharm', 'pharmaceutique', 'pharmazeutika'],
  ['products', 'product', 'prods', 'prod'],
  ['distribution', 'distrib', 'dist', 'distr'],
  ['electric', 'electrical', 'elec', 'elect', 'electrics'],
  ['electronics', 'electronic', 'electr'],
  ['chemicals', 'chemical', 'chem', 'chems'],
  ['financial', 'finl', 'fin'],
  ['investments', 'investment', 'invest', 'inv', 'invt'],
  ['insurance', 'ins', 'insur'],
  ['american', 'amer', 'amern'],
  ['general', 'gen', 'genl'],
  ['saint', 'st', 'ste', 'sankt', 'san', 'santa', 'sainte'],
  ['mount', 'mt', 'mont'],
  ['fort', 'ft'],
  [
    'telecommunications',
    'telecom',
    'telecoms',
    'telecomm',
    'telekom',
    'telecomunicaciones',
    'telecomunicacoes',
  ],
  ['transport', 'transportation', 'transp', 'trans'],
  ['logistics', 'logistic', 'logistik', 'logistique', 'logistica'],
  ['construction', 'constr', 'const', 'constructions'],
  ['development', 'dev', 'devel', 'developments'],
  ['enterprises', 'enterprise', 'ent', 'ents', 'entpr'],
  ['partners', 'partner', 'ptnrs', 'prtnrs'],
  ['consulting', 'consultants', 'consultant', 'cons', 'consult', 'consultancy'],
  ['software', 'sw', 'softw'],
  ['hospital', 'hosp'],
  ['medical', 'med'],
  ['equipment', 'equip', 'eqpt'],
  ['supply', 'supplies', 'suppl', 'sply'],
  ['resources', 'resource', 'res', 'rsrcs'],
  ['realty', 'rlty'],
  ['properties', 'property', 'props', 'prop', 'ppty'],
  ['automotive', 'auto', 'automobile', 'automobiles', 'autos'],
  ['bank', 'bk', 'banque', 'banco', 'banca'],
  ['trust', 'tr', 'trst'],
  ['north', 'n', 'nth'],
  ['south', 's', 'sth'],
  ['east', 'e'],
  ['west', 'w'],
];
const ABBREVIATIONS = new Map<string, string>();
for (const [canonical, ...variants] of ABBREVIATION_GROUPS) {
  for (const v of variants)
    if (!v.includes(' ') && !v.includes('.')) ABBREVIATIONS.set(v, canonical as string);
}
const SPELLINGS = new Map<string, string[]>();
for (const [canonical, ...variants] of ABBREVIATION_GROUPS)
  SPELLINGS.set(
    canonical as string,
    variants.filter((v) => v.length >= 5 && !v.includes(' ') && !v.includes('.')),
  );

/** The longer spellings (5+ letters) a canonical word stands for ("telecommunications" -> "telecom", ...). */
export function spellingsOf(canonical: string): readonly string[] {
  return SPELLINGS.get(canonical) ?? NONE;
}
const NONE: readonly string[] = [];

const ALL_SPELLINGS = new Map<string, string[]>();
for (const [canonical, ...variants] of ABBREVIATION_GROUPS)
  ALL_SPELLINGS.set(
    canonical as string,
    variants.filter((v) => !v.includes(' ') && !v.includes('.')),
  );

/** Every spelling a canonical word stands for, short ones too ("solutions" -> "sols", "solution", ...). */
export function allSpellingsOf(canonical: string): readonly string[] {
  return ALL_SPELLINGS.get(canonical) ?? NONE;
}

/** Whether a word is the canonical word of an abbreviation group. */
export function isCanonical(word: string): boolean {
  return SPELLINGS.has(word);
}

// Single letters stay as written: "N" is as often an initial as "North".
for (const k of ['n', 's', 'e', 'w']) ABBREVIATIONS.delete(k);

/** Canonical word for a spelling ("intl" -> "international"), or the word itself. */
export function canonicalWord(word: string): string {
  return ABBREVIATIONS.get(word) ?? word;
}

/** German umlaut spellings and plain vowels meet: "mueller", "müller" (-> "muller"), "muller" -> "muller". */
export function umlautKey(word: string): string {
  return word.includes('e') ? word.replace(/([aou])e+/g, '$1') : word;
}

/**
 * A spelling key where German umlaut spellings and the usual differences between transliterations meet:
 * kh/h ("Хорват" -> "khorvat" ~ "Horvath"), th/t, ph/f, w/v, ks/x, y/i, and double letters.
 */
export function spellingKey(word: string): string {
  let key = spellingKeys.get(word);
  if (key !== undefined) return key;
  if (spellingKeys.size >= 200_000) spellingKeys.clear();
  key = computeSpellingKey(word);
  spellingKeys.set(word, key);
  return key;
}
/** A bounded memo (a pure cache: same answer with or without it). */
const spellingKeys = new Map<string, string>();

function computeSpellingKey(word: string): string {
  return umlautKey(word)
    .replace(/kh|ch(?=[^aeiouy]|$)/g, 'h')
    .replace(/th/g, 't')
    .replace(/ph/g, 'f')
    .replace(/w/g, 'v')
    .replace(/ks/g, 'x')
    .replace(/y/g, 'i')
    .replace(/(.)\1+/g, '$1');
}

const LEADING_ARTICLES: ReadonlySet<string> = new Set([
  'the',
  'le',
  'la',
  'les',
  'l',
  'die',
  'der',
  'das',
  'el',
  'il',
  'lo',
  'los',
  'las',
  'de',
  'het',
]);

export function normalizeName(name: string, country?: string | null, explain = false): NormalizedName {
  let n = normalizeOnce(name, country, explain);
  // A name made of little but articles, conjunctions and legal forms ("the y et", "Co. Ltd Co-op") can
  // change again when its text is read again: read it until it is stable, so normalising is idempotent.
  for (
    let i = 0;
    i < 3 && n.tokens.some((t) => STOP_WORDS.has(t) || CONJUNCTIONS.has(t) || t === 'co');
    i++
  ) {
    const again = normalizeOnce(n.text, country, explain);
    if (again.text === n.text && again.keys.join(' ') === n.keys.join(' ')) break;
    const notes = [...n.notes];
    const noteMessages = explain ? [...n.noteMessages] : null;
    again.notes.forEach((x, i) => {
      if (n.notes.includes(x)) return;
      notes.push(x);
      noteMessages?.push(again.noteMessages[i] as Message);
    });
    n = { ...again, original: name, notes, noteMessages: noteMessages ?? NO_MESSAGES };
  }
  return n;
}

function normalizeOnce(name: string, country: string | null | undefined, explain: boolean): NormalizedName {
  const flags: FoldFlags = { accents: false, transliterated: false };
  const folded = foldText(name, flags);
  const notes: string[] = [];
  const noteMessages: Message[] | null = explain ? [] : null;
  const first = folded.match(/[\p{L}\p{N}]+/u)?.[0];
  let words = tokenize(folded);
  // A leading word read as an article is the name itself when nothing but a legal form follows it
  // ("LAS Inc.", "The Co."): kept, so the name is never reduced to nothing.
  if (first && words[0] !== first) {
    // Only legal forms left (a placeholder word in front lets the strip remove them all).
    const rest = stripLegalForms(['\u0000', ...words]).words;
    if (rest.length === 1) words = [first, ...words];
  }
  if (first && LEADING_ARTICLES.has(first) && words[0] !== first) {
    notes.push(`leading "${first}" dropped`);
    noteMessages?.push(message('matching.note.leadingDropped', { word: first }));
  }
  const { words: bare, removed } = stripLegalForms(words);
  const tokens: string[] = [];
  const expanded: string[] = [];
  let current = bare;
  // Expanding an abbreviation can complete a legal form ("Société Co-op" -> "societe cooperative"):
  // strip and expand until nothing changes, so that normalising the text again changes nothing.
  for (let round = 0; round < 4; round++) {
    tokens.length = 0;
    let changed = false;
    for (const w of current) {
      const c = canonicalWord(w);
      if (c !== w) {
        expanded.push(`${w} -> ${c}`);
        changed = true;
      }
      tokens.push(c);
    }
    if (!changed) break;
    const again = stripLegalForms(tokens);
    if (again.removed.length === 0) break;
    removed.push(...again.removed);
    current = again.words;
  }
  const legalForm =
    removed.length > 0
      ? removed
          .map((r) => r.form)
          .reverse()
          .join(' ')
      : null;
  const countries = removed.length > 0 ? (removed[0] as RemovedLegalForm).countries : [];
  if (legalForm) {
    const foreign = country && !countries.includes(country.toUpperCase()) && !countries.includes('XX');
    notes.push(`legal form ${legalForm} removed${foreign ? ` (a form of ${countries.join('/')})` : ''}`);
    noteMessages?.push(
      message('matching.note.legalFormRemoved', {
        form: legalForm,
        foreign: optional(
          foreign ? message('matching.note.formOf', { countries: countries.join('/') }) : null,
        ),
      }),
    );
  }
  if (expanded.length > 0) {
    notes.push(`abbreviation ${expanded.join(', ')}`);
    noteMessages?.push(message('matching.note.abbreviation', { expanded: list(expanded) }));
  }
  const keys = tokens;
  if (/[äöü]/i.test(name)) {
    notes.push('umlaut folded');
    noteMessages?.push(message('matching.note.umlautFolded'));
  }
  if (flags.transliterated) {
    notes.push('transliterated');
    noteMessages?.push(message('matching.note.transliterated'));
  } else if (flags.accents) {
    notes.push('accents removed');
    noteMessages?.push(message('matching.note.accentsRemoved'));
  }
  return {
    original: name,
    text: tokens.join(' '),
    tokens,
    keys,
    legalForm,
    legalFormKey: removed.length > 0 ? removed.map((r) => r.key).join('+') : null,
    legalFormCountries: countries,
    notes,
    noteMessages: noteMessages ?? NO_MESSAGES,
  };
}

/** Mail providers and hosts whose domain says nothing about the company behind an address. */
export const GENERIC_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'hotmail.de',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'yahoo.de',
  'yahoo.co.jp',
  'ymail.com',
  'aol.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'proton.me',
  'protonmail.com',
  'gmx.de',
  'gmx.net',
  'gmx.com',
  'web.de',
  't-online.de',
  'freenet.de',
  'orange.fr',
  'wanadoo.fr',
  'free.fr',
  'laposte.net',
  'sfr.fr',
  'libero.it',
  'virgilio.it',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'rambler.ru',
  'qq.com',
  '163.com',
  '126.com',
  'naver.com',
  'daum.net',
  'zoho.com',
  'mail.com',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'onet.pl',
  'interia.pl',
  'bigpond.com',
  'rediffmail.com',
  'uol.com.br',
  'bol.com.br',
  'terra.com.br',
  'btinternet.com',
  'sky.com',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'tutanota.com',
  'fastmail.com',
  'hey.com',
  'example.com',
  'linkedin.com',
  'facebook.com',
  'sharepoint.com',
  'github.io',
  'wixsite.com',
  'wordpress.com',
  'blogspot.com',
]);

/** Second-level labels under which companies register ("co.uk", "com.au"). */
const SECOND_LEVEL = new Set([
  'co',
  'com',
  'net',
  'org',
  'gov',
  'edu',
  'ac',
  'or',
  'ne',
  'go',
  'gob',
  'ltd',
  'plc',
  'nic',
  'biz',
  'info',
]);

/**
 * The registrable domain of a domain, e-mail address or URL, lower-cased, without scheme, `www.`, port or
 * path ("https://www.Siemens.de/en" -> "siemens.de", "jane@mail.acme.co.uk" -> "acme.co.uk"); null when
 * there is none or it is a generic mail provider (no evidence about the company).
 */
export function normalizeDomain(input: string | null | undefined): string | null {
  if (!input) return null;
  let s = input.trim().toLowerCase();
  const at = s.lastIndexOf('@');
  if (at >= 0) s = s.slice(at + 1);
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  s = s.replace(/[/?#:].*$/, '').replace(/\.+$/, '');
  const labels = s.split('.').filter((l) => l.length > 0);
  if (labels.length < 2 || labels.some((l) => !/^[\p{L}\p{N}-]+$/u.test(l))) return null;
  const tld = labels[labels.length - 1] as string;
  const sld = labels[labels.length - 2] as string;
  const take = labels.length >= 3 && tld.length === 2 && SECOND_LEVEL.has(sld) ? 3 : 2;
  const domain = labels.slice(-take).join('.');
  return GENERIC_DOMAINS.has(domain) ? null : domain;
}

/** Postal codes compared without spaces, dashes and case ("SW1A 1AA" = "sw1a1aa"). */
export function normalizePostalCode(code: string | null | undefined): string | null {
  if (!code) return null;
  const s = code.toLowerCase().replace(/[^a-z0-9]/g, '');
  return s.length > 0 ? s : null;
}

const STREET_WORDS: Record<string, string> = {
  street: 'st',
  str: 'st',
  strasse: 'st',
  strase: 'st',
  road: 'rd',
  avenue: 'ave',
  av: 'ave',
  avenida: 'ave',
  boulevard: 'blvd',
  bd: 'blvd',
  drive: 'dr',
  lane: 'ln',
  place: 'pl',
  platz: 'pl',
  square: 'sq',
  rue: 'r',
  via: 'v',
  suite: 'ste',
  floor: 'fl',
  building: 'bldg',
};

/** Address or city words, folded, street words abbreviated one way ("Straße" -> "st"). */
export function addressWords(text: string | null | undefined): string[] {
  if (!text) return [];
  const folded = foldText(text).replace(/strasse\b|straße\b/g, ' strasse');
  return (folded.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => STREET_WORDS[w] ?? w);
}
