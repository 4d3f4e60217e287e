/**
 * Text folding and tokenisation shared by the legal-form table and name normalisation: case folded,
 * compatibility-decomposed (NFKD), diacritics stripped, a few letters expanded (ß -> ss, æ -> ae,
 * ø -> o, ł -> l), Cyrillic and Greek transliterated to Latin, conjunctions and connecting particles
 * dropped, runs of single letters joined ("B.N.P." -> "bnp").
 */

/** What folding changed, for the explanation of a match. */
export interface FoldFlags {
  accents: boolean;
  transliterated: boolean;
}

const CYRILLIC: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  ђ: 'dj',
  џ: 'dz',
  ѕ: 'dz',
  ќ: 'k',
  ѓ: 'g',
};
const GREEK: Record<string, string> = {
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};
/** Letters that NFKD does not decompose into a base letter plus a mark. */
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ŀ: 'l',
  ħ: 'h',
  ŧ: 't',
  ŋ: 'ng',
  ĸ: 'k',
  ſ: 's',
  '’': "'",
  '‘': "'",
  '`': "'",
  '´': "'",
  ʼ: "'",
  '＆': '&',
};
const MARK = /\p{M}/u;

/** Lower-cased, decomposed, accent-free and transliterated text; punctuation is kept for the tokenizer. */
export function foldText(input: string, flags?: FoldFlags): string {
  const lower = input.toLowerCase();
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(lower)) return lower;
  let out = '';
  for (const ch of lower) {
    const code = ch.charCodeAt(0);
    if (code < 128) {
      out += ch;
      continue;
    }
    const direct = CYRILLIC[ch] ?? GREEK[ch];
    if (direct !== undefined) {
      out += direct;
      if (flags) flags.transliterated = true;
      continue;
    }
    const special = SPECIAL[ch];
    if (special !== undefined) {
      out += special;
      if (flags && special !== "'" && special !== '&') flags.accents = true;
      continue;
    }
    for (const c of ch.normalize('NFKD').toLowerCase()) {
      if (c.charCodeAt(0) < 128) {
        out += c;
        continue;
      }
      if (MARK.test(c)) {
        if (flags) flags.accents = true;
        continue;
      }
      const lc = c.toLowerCase();
      const t = CYRILLIC[lc] ?? GREEK[lc] ?? SPECIAL[lc];
      if (t !== undefined) {
        out += t;
        if (flags) flags.transliterated = true;
      } else out += lc;
    }
  }
  return out;
}

/** Words that join parts of a name and carry no identity: "&", "and", "und", "et", "y"... */
export const CONJUNCTIONS: ReadonlySet<string> = new Set([
  '&',
  '+',
  'and',
  'und',
  'et',
  'y',
  'e',
  'og',
  'och',
  've',
]);
/** Particles and articles dropped anywhere in a name ("Bank of America", "Banco de Sabadell"). */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  'the',
  'of',
  'for',
  'de',
  'del',
  'della',
  'dei',
  'degli',
  'des',
  'du',
  'di',
  'da',
  'do',
  'dos',
  'das',
  'der',
  'die',
  'den',
  'dem',
  'le',
  'la',
  'les',
  'l',
  'el',
  'il',
  'lo',
  'los',
  'las',
  'al',
  'fur',
  'pour',
  'het',
  'een',
]);
/** Conjunctions that are also single letters ("y", "e") count only between two longer words ("A.E.G." keeps its E). */
const INNER_ONLY: ReadonlySet<string> = new Set(['y', 'e']);

const TOKEN = /[\p{L}\p{N}]+|&|\+/gu;

/**
 * Folded text cut into words. "AT&T" and "P&G" stay one word; "co-op" becomes "coop"; "l'Oréal" loses its
 * elided article; other apostrophes are dropped ("McDonald's" -> "mcdonalds"). Conjunctions and stop words
 * are dropped (unless nothing else would be left), and runs of single letters are joined.
 */
export function tokenize(folded: string): string[] {
  let s = folded;
  if (s.includes('&'))
    s = s.replace(/(^|[^\p{L}\p{N}])(\p{L}{1,2})&(\p{L}{1,2})(?![\p{L}\p{N}])/gu, '$1$2$3');
  if (s.includes("'")) s = s.replace(/(^|[^\p{L}\p{N}])([ldj])'(?=\p{L})/gu, '$1$2 ').replace(/'/g, '');
  let words: string[] = s.match(TOKEN) ?? [];
  // Dropping words can bring single letters together and joining them can make a stop word ("L A"):
  // repeat until nothing changes, so that tokenising the result again gives the same words.
  for (;;) {
    const next = joinSingles(mergeCoop(dropFillers(words)));
    if (next.length === words.length && next.every((w, i) => w === words[i])) return next;
    words = next;
  }
}

/** "co-op", "co op" -> "coop". */
function mergeCoop(words: string[]): string[] {
  const i = words.indexOf('co');
  if (i < 0 || words[i + 1] !== 'op') return words;
  return [...words.slice(0, i), 'coop', ...words.slice(i + 2)];
}

function dropFillers(raw: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i] as string;
    if (STOP_WORDS.has(t)) continue;
    if (
      CONJUNCTIONS.has(t) &&
      (!INNER_ONLY.has(t) || ((raw[i - 1]?.length ?? 0) > 1 && (raw[i + 1]?.length ?? 0) > 1))
    )
      continue;
    kept.push(t);
  }
  return kept.length > 0 ? kept : raw.filter((t) => t !== '&' && t !== '+');
}

/** "b n p paribas" -> "bnp paribas": a run of two or more one-letter words is one word. */
export function joinSingles(words: string[]): string[] {
  let hasRun = false;
  for (let i = 1; i < words.length; i++) {
    if ((words[i] as string).length === 1 && (words[i - 1] as string).length === 1) {
      hasRun = true;
      break;
    }
  }
  if (!hasRun) return words;
  const out: string[] = [];
  let run = '';
  for (const w of words) {
    if (w.length === 1 && /\p{L}|\p{N}/u.test(w)) run += w;
    else {
      if (run) out.push(run);
      run = '';
      out.push(w);
    }
  }
  if (run) out.push(run);
  return out;
}
