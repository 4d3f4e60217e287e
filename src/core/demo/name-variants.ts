/**
 * How partners type an end customer's name: usually exactly, often not. Deal-registration conflict
 * matching is tested against these variants, so each kind does exactly what its name says.
 */
import type { Random } from '../shared/random.js';

export const NAME_VARIANT_KINDS = [
  'exact',
  /** The legal suffix spelled another way: "Inc." -> "Incorporated", "Ltd" -> "Limited". */
  'suffix-change',
  /** The legal suffix left out: "Acme Inc." -> "Acme". */
  'suffix-drop',
  /** One word abbreviated or expanded: "International" <-> "Intl", "Technologies" <-> "Tech". */
  'abbreviation',
  /** "&" <-> "and". */
  'ampersand',
  /** The two words of a two-word name (legal suffix aside) swapped: "Harbor Logistics" -> "Logistics Harbor". */
  'word-order',
  /** Upper, lower or title case. */
  'case',
  /** One letter substituted, dropped, doubled or swapped with its neighbour. */
  'typo',
  /** Extra spaces: doubled between two words, or leading/trailing. */
  'whitespace',
] as const;
export type NameVariantKind = (typeof NAME_VARIANT_KINDS)[number];

/** Spellings of the same legal form; a name's suffix may be replaced by any other of its group. */
export const LEGAL_SUFFIX_GROUPS: readonly (readonly string[])[] = [
  ['Inc.', 'Inc', 'Incorporated'],
  ['Corp.', 'Corp', 'Corporation'],
  ['Co.', 'Co', 'Company'],
  ['Ltd', 'Ltd.', 'Limited'],
  ['LLC', 'L.L.C.'],
  ['LLP', 'L.L.P.'],
  ['plc', 'PLC', 'Public Limited Company'],
  ['GmbH & Co. KG', 'GmbH & Co KG'],
  ['GmbH'],
  ['AG'],
  ['KG'],
  ['DAC'],
  ['SAS', 'S.A.S.'],
  ['SA', 'S.A.'],
  ['SARL', 'S.A.R.L.', 'S.a r.l.'],
  ['B.V.', 'BV'],
  ['N.V.', 'NV'],
  ['S.L.', 'SL'],
  ['Lda.', 'Lda'],
  ['S.r.l.', 'Srl', 'S.R.L.'],
  ['S.p.A.', 'SpA'],
  ['AB'],
  ['AS'],
  ['A/S'],
  ['ApS'],
  ['Oy'],
  ['Sp. z o.o.', 'Sp. z.o.o.'],
  ['s.r.o.', 'sro'],
  ['a.s.', 'A.S.'],
  ['Kft.', 'Kft'],
  ['Zrt.', 'Zrt'],
  ['Ltd. Sti.', 'Ltd Sti'],
  ['FZE'],
  ['FZ-LLC', 'FZ LLC'],
  ['(Pty) Ltd', 'Pty Ltd', 'Pty. Ltd.', 'Proprietary Limited'],
  ['S.A.E.', 'SAE'],
  ['S.A. de C.V.', 'SA de CV'],
  ['S. de R.L. de C.V.', 'S de RL de CV'],
  ['Ltda.', 'Ltda', 'Limitada'],
  ['S.A.C.', 'SAC'],
  ['K.K.', 'KK', 'Kabushiki Kaisha'],
  ['Co., Ltd.', 'Co. Ltd.', 'Co., Ltd', 'Company Limited'],
  ['Pvt. Ltd.', 'Pvt Ltd', 'Private Limited'],
  ['Pte. Ltd.', 'Pte Ltd', 'Pte. Limited'],
  ['Sdn. Bhd.', 'Sdn Bhd'],
  ['Berhad', 'Bhd'],
  ['PCL', 'Public Company Limited'],
  ['Tbk', 'Tbk.'],
  ['JSC', 'J.S.C.'],
];

interface SuffixEntry {
  lower: string;
  group: readonly string[];
}

/** Suffixes by their last word (lower case), longest first, so "Co., Ltd." wins over "Ltd.". */
const SUFFIXES_BY_LAST_WORD = new Map<string, SuffixEntry[]>();
for (const group of LEGAL_SUFFIX_GROUPS) {
  for (const text of group) {
    const lower = text.toLowerCase();
    const last = lower.slice(lower.lastIndexOf(' ') + 1);
    const list = SUFFIXES_BY_LAST_WORD.get(last) ?? [];
    list.push({ lower, group });
    list.sort((a, b) => b.lower.length - a.lower.length);
    SUFFIXES_BY_LAST_WORD.set(last, list);
  }
}

/** A name split into its body and its legal suffix ('' if none); `separator` is what joined them. */
export interface SplitName {
  body: string;
  separator: string;
  suffix: string;
  /** All spellings of the suffix's legal form (empty if none). */
  group: readonly string[];
}

/** Splits a trailing legal suffix off a name (case-insensitive; the body keeps at least one word). */
export function splitLegalSuffix(name: string): SplitName {
  const trimmed = name.trimEnd();
  const lastWord = trimmed.slice(trimmed.lastIndexOf(' ') + 1).toLowerCase();
  const candidates = SUFFIXES_BY_LAST_WORD.get(lastWord);
  if (candidates !== undefined) {
    const lower = trimmed.toLowerCase();
    for (const entry of candidates) {
      if (!lower.endsWith(entry.lower)) continue;
      const cut = trimmed.length - entry.lower.length;
      let bodyEnd = cut;
      while (bodyEnd > 0 && (trimmed[bodyEnd - 1] === ' ' || trimmed[bodyEnd - 1] === ',')) bodyEnd--;
      if (bodyEnd === cut || bodyEnd === 0) continue; // no separator, or nothing before the suffix
      return {
        body: trimmed.slice(0, bodyEnd),
        separator: trimmed.slice(bodyEnd, cut),
        suffix: trimmed.slice(cut),
        group: entry.group,
      };
    }
  }
  return { body: trimmed, separator: '', suffix: '', group: [] };
}

/** Abbreviations partners use; each pair reads both ways. */
export const ABBREVIATIONS: readonly (readonly [string, string])[] = [
  ['International', 'Intl'],
  ['Technologies', 'Tech'],
  ['Technology', 'Tech'],
  ['Manufacturing', 'Mfg'],
  ['Services', 'Svcs'],
  ['Systems', 'Sys'],
  ['Brothers', 'Bros'],
  ['Associates', 'Assoc'],
  ['Laboratories', 'Labs'],
  ['Industries', 'Inds'],
  ['Holdings', 'Hldgs'],
  ['Management', 'Mgmt'],
  ['Engineering', 'Eng'],
  ['Insurance', 'Ins'],
  ['National', 'Natl'],
  ['University', 'Univ'],
  ['Department', 'Dept'],
  ['Saint', 'St'],
  ['Mountain', 'Mtn'],
  ['Distribution', 'Dist'],
  ['Pharmaceuticals', 'Pharma'],
  ['Financial', 'Finl'],
  ['Communications', 'Comms'],
  ['Solutions', 'Soln'],
  ['Group', 'Grp'],
];

const ABBREVIATION_OF = new Map<string, string>();
for (const [long, short] of ABBREVIATIONS) {
  if (!ABBREVIATION_OF.has(long)) ABBREVIATION_OF.set(long, short);
  if (!ABBREVIATION_OF.has(short)) ABBREVIATION_OF.set(short, long);
}

function joinName(body: string, split: SplitName): string {
  return split.suffix === '' ? body : body + split.separator + split.suffix;
}

/** Which variant kinds can change this name (always includes 'exact', 'case', 'typo', 'whitespace'). */
export function applicableVariantKinds(name: string): NameVariantKind[] {
  return kindsFor(name, splitLegalSuffix(name));
}

function kindsFor(name: string, split: SplitName): NameVariantKind[] {
  const kinds: NameVariantKind[] = ['exact'];
  if (split.group.length > 1) kinds.push('suffix-change');
  if (split.suffix !== '') kinds.push('suffix-drop');
  // One pass over the body's words (plain loops: this runs for a million orders).
  const body = split.body;
  let words = 0;
  let first = '';
  let second = '';
  let abbreviation = false;
  let ampersand = false;
  let start = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body.charCodeAt(i) !== 32) continue;
    if (i > start) {
      const w = body.slice(start, i);
      words++;
      if (words === 1) first = w;
      else if (words === 2) second = w;
      if (!abbreviation && ABBREVIATION_OF.has(w)) abbreviation = true;
      if (!ampersand && (w === '&' || (w.length === 3 && w.toLowerCase() === 'and'))) ampersand = true;
    }
    start = i + 1;
  }
  if (abbreviation) kinds.push('abbreviation');
  if (ampersand) kinds.push('ampersand');
  if (words === 2 && first !== second) kinds.push('word-order');
  let letters = false;
  let run = 0;
  let longRun = false;
  for (let i = 0; i < name.length && !longRun; i++) {
    const c = name.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) {
      letters = true;
      run++;
      if (run >= 4) longRun = true;
    } else run = 0;
  }
  if (letters) kinds.push('case');
  if (longRun) kinds.push('typo');
  if (name.trim() !== '') kinds.push('whitespace');
  return kinds;
}

const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function neighbourKey(rng: Random, ch: string): string {
  const lower = ch.toLowerCase();
  for (const row of KEYBOARD_ROWS) {
    const i = row.indexOf(lower);
    if (i < 0) continue;
    const options: string[] = [];
    if (i > 0) options.push(row[i - 1] as string);
    if (i < row.length - 1) options.push(row[i + 1] as string);
    const out = rng.pick(options);
    return ch === lower ? out : out.toUpperCase();
  }
  return ch === 'x' ? 'z' : 'x';
}

function typo(name: string, rng: Random): string {
  // Positions inside a word of 4+ letters, not its first letter (people rarely get that wrong).
  const positions: number[] = [];
  const re = /[a-z]{4,}/gi;
  for (let m = re.exec(name); m !== null; m = re.exec(name)) {
    for (let i = m.index + 1; i < m.index + m[0].length; i++) positions.push(i);
  }
  if (positions.length === 0) return name;
  const i = rng.pick(positions);
  const ch = name[i] as string;
  const op = rng.int(0, 3);
  if (op === 0) return name.slice(0, i) + neighbourKey(rng, ch) + name.slice(i + 1);
  if (op === 1) return name.slice(0, i) + name.slice(i + 1);
  if (op === 2) return name.slice(0, i) + ch + name.slice(i);
  // Swap with the previous letter; when they are equal, substitute instead.
  const prev = name[i - 1] as string;
  if (prev.toLowerCase() === ch.toLowerCase())
    return name.slice(0, i) + neighbourKey(rng, ch) + name.slice(i + 1);
  return name.slice(0, i - 1) + ch + prev + name.slice(i + 1);
}

function titleCase(name: string): string {
  let out = '';
  let atStart = true;
  for (let i = 0; i < name.length; i++) {
    const ch = name[i] as string;
    out += atStart ? ch.toUpperCase() : ch.toLowerCase();
    atStart = ch === ' ' || ch === '-';
  }
  return out;
}

/**
 * The name as a partner might type it, changed in the way `kind` says. When the kind does not apply
 * (e.g. 'word-order' on a three-word name) the name comes back unchanged; see {@link applicableVariantKinds}.
 */
export function nameVariant(name: string, kind: NameVariantKind, rng: Random): string {
  return variantWith(name, kind, rng, null);
}

function variantWith(name: string, kind: NameVariantKind, rng: Random, known: SplitName | null): string {
  switch (kind) {
    case 'exact':
      return name;
    case 'suffix-change': {
      const split = known ?? splitLegalSuffix(name);
      const others = split.group.filter((s) => s !== split.suffix);
      if (others.length === 0) return name;
      const sep = split.separator.includes(',') && rng.chance(0.5) ? ' ' : split.separator;
      return split.body + sep + rng.pick(others);
    }
    case 'suffix-drop': {
      const split = known ?? splitLegalSuffix(name);
      return split.suffix === '' ? name : split.body;
    }
    case 'abbreviation': {
      const split = known ?? splitLegalSuffix(name);
      const words = split.body.split(' ');
      const candidates: number[] = [];
      for (let i = 0; i < words.length; i++) if (ABBREVIATION_OF.has(words[i] as string)) candidates.push(i);
      if (candidates.length === 0) return name;
      const i = rng.pick(candidates);
      const word = words[i] as string;
      let replacement = ABBREVIATION_OF.get(word) as string;
      // Abbreviations are written with or without a dot ("Intl", "Intl.").
      if (replacement.length < word.length && rng.chance(0.3)) replacement += '.';
      words[i] = replacement;
      return joinName(words.join(' '), split);
    }
    case 'ampersand': {
      const split = known ?? splitLegalSuffix(name);
      const words = split.body.split(' ');
      const i = words.findIndex((w) => w === '&' || w.toLowerCase() === 'and');
      if (i < 0) return name;
      words[i] = words[i] === '&' ? 'and' : '&';
      return joinName(words.join(' '), split);
    }
    case 'word-order': {
      const split = known ?? splitLegalSuffix(name);
      const words = split.body.split(' ').filter((w) => w !== '');
      if (words.length !== 2 || words[0] === words[1]) return name;
      return joinName(`${words[1]} ${words[0]}`, split);
    }
    case 'case': {
      // Upper, lower or title case, whichever first differs from the name, from a random start.
      const at = rng.int(0, 2);
      for (let i = 0; i < 3; i++) {
        const which = (at + i) % 3;
        const out = which === 0 ? name.toUpperCase() : which === 1 ? name.toLowerCase() : titleCase(name);
        if (out !== name) return out;
      }
      return name;
    }
    case 'typo':
      return typo(name, rng);
    case 'whitespace': {
      const gaps: number[] = [];
      for (let i = 0; i < name.length; i++) if (name[i] === ' ') gaps.push(i);
      const op = gaps.length === 0 ? rng.int(1, 2) : rng.int(0, 2);
      if (op === 0) {
        const at = rng.pick(gaps);
        return name.slice(0, at) + '  ' + name.slice(at + 1);
      }
      return op === 1 ? name + ' ' : ' ' + name;
    }
  }
}

/** Relative frequency of each kind when a partner does not type the name exactly. */
const VARIANT_WEIGHTS: Readonly<Record<NameVariantKind, number>> = {
  exact: 0,
  'suffix-change': 6,
  'suffix-drop': 8,
  abbreviation: 4,
  ampersand: 3,
  'word-order': 1,
  case: 4,
  typo: 3,
  whitespace: 2,
};

/**
 * A realistic variant of the name: exact with probability `exactShare`, otherwise one applicable
 * variant kind picked by frequency.
 */
export function randomNameVariant(
  name: string,
  rng: Random,
  exactShare = 0.6,
): { kind: NameVariantKind; name: string } {
  if (rng.next() < exactShare) return { kind: 'exact', name };
  const split = splitLegalSuffix(name);
  const kind = pickKind(kindsFor(name, split), rng);
  return { kind, name: variantWith(name, kind, rng, split) };
}

/** {@link randomNameVariant}, the name only (the generator's hot path). */
export function randomVariantName(name: string, rng: Random, exactShare = 0.6): string {
  if (rng.next() < exactShare) return name;
  const split = splitLegalSuffix(name);
  return variantWith(name, pickKind(kindsFor(name, split), rng), rng, split);
}

function pickKind(kinds: readonly NameVariantKind[], rng: Random): NameVariantKind {
  let total = 0;
  for (const k of kinds) total += VARIANT_WEIGHTS[k];
  let target = rng.next() * total;
  for (const k of kinds) {
    target -= VARIANT_WEIGHTS[k];
    if (target < 0) return k;
  }
  return 'exact';
}
