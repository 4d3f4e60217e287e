/**
 * How alike two parties (end customers) are: a name score from weighted, typo-tolerant, order-insensitive
 * word matching (with initials and words written together), adjusted by domain, country and address.
 * Symmetric by construction: both sides are put in one canonical order before anything is computed.
 * Rules and thresholds: README.md in this folder.
 */
import {
  addressWords,
  allSpellingsOf,
  normalizeDomain,
  normalizeName,
  normalizePostalCode,
  isCanonical,
  NO_MESSAGES,
  spellingKey,
  spellingsOf,
} from './normalize.js';
import {
  decimal,
  message,
  optional,
  renderEnglish,
  type Message,
  type MessageValue,
} from '../messages/message.js';

export interface PartyInput {
  name: string;
  domain?: string | null;
  country?: string | null;
  addressLine?: string | null;
  city?: string | null;
  postalCode?: string | null;
}

export type MatchDecision = 'match' | 'possible' | 'none';
export type EvidenceField = 'name' | 'domain' | 'address' | 'country';

export interface Evidence {
  field: EvidenceField;
  /** The field's own similarity, 0..1. */
  score: number;
  /** A sentence a channel manager can read. */
  detail: string;
  /** The sentence as a message (its English text is `detail`), for the reader's language. */
  detailMessage?: Message;
}

export interface PartyComparison {
  score: number;
  decision: MatchDecision;
  evidence: Evidence[];
}

/** Weight of a compared word: rare words identify a company, common ones ("bank", "group") do not. */
export interface TokenWeights {
  weight(key: string): number;
  /**
   * How many known parties these initials stand for (an index knows; 1 when unknown). Initials shared by
   * many customers identify none of them on their own.
   */
  sharedInitials?(initials: string): number;
}

/** Score thresholds of the decision (README.md, "Thresholds"). */
export const MATCH_THRESHOLD = 0.85;
export const POSSIBLE_THRESHOLD = 0.72;
/** A name matched only through its initials ("IBM") is at most a possible match unless other fields agree. */
export const INITIALS_ONLY_CAP = 0.8;
/** ... and when several known parties share the initials, only with the same country and legal form. */
export const SHARED_INITIALS_CAP = 0.75;
/** ... otherwise it is no match. */
export const AMBIGUOUS_INITIALS_CAP = 0.6;
/** Fully unmatched words weigh this much more than matched ones (a word one name lacks is evidence). */
export const UNMATCHED_FACTOR = 1.5;

/** A party reduced once for many comparisons. */
export interface PreparedParty {
  original: string;
  keys: readonly string[];
  /** The legal form removed, as its spelling key ("gmbh", "sarl"), or null. */
  legalForm: string | null;
  notes: readonly string[];
  /** The notes as messages, when prepared to explain a match (else empty). */
  noteMessages?: readonly Message[];
  domain: string | null;
  country: string | null;
  postalCode: string | null;
  city: readonly string[];
  address: readonly string[];
}

/** A party prepared for comparisons; with `explain`, its notes also as messages (to explain a match). */
export function prepareParty(p: PartyInput, explain = false): PreparedParty {
  const name = normalizeName(p.name, p.country ?? null, explain);
  return {
    original: p.name,
    keys: name.keys,
    legalForm: name.legalFormKey,
    notes: name.notes,
    noteMessages: name.noteMessages,
    domain: normalizeDomain(p.domain),
    country: p.country ? p.country.trim().toUpperCase() || null : null,
    postalCode: normalizePostalCode(p.postalCode),
    city: addressWords(p.city),
    address: addressWords(p.addressLine),
  };
}

/** Words so common in company names that they say little on their own (used without a corpus). */
const COMMON_WORDS: ReadonlySet<string> = new Set([
  'bank',
  'group',
  'solutions',
  'services',
  'international',
  'holdings',
  'national',
  'first',
  'global',
  'systems',
  'technologies',
  'partners',
  'consulting',
  'industries',
  'associates',
  'management',
  'general',
  'american',
  'united',
  'new',
  'city',
  'capital',
  'financial',
  'investments',
  'insurance',
  'trust',
  'media',
  'digital',
  'data',
  'energy',
  'health',
  'care',
  'healthcare',
  'medical',
  'enterprises',
  'trading',
  'logistics',
  'transport',
  'construction',
  'engineering',
  'software',
  'network',
  'networks',
  'products',
  'manufacturing',
  'development',
  'resources',
  'properties',
  'realty',
  'center',
  'foods',
  'food',
  'motor',
  'motors',
  'electric',
  'electronics',
  'communications',
  'telecommunications',
  'pharmaceuticals',
  'laboratories',
  'chemicals',
  'energies',
  'power',
  'water',
  'air',
  'oil',
  'gas',
  'steel',
  'metal',
  'machines',
  'machinery',
  'equipment',
  'supply',
  'distribution',
  'retail',
  'stores',
  'store',
  'shop',
  'hotel',
  'hotels',
  'restaurant',
  'studio',
  'design',
  'marketing',
  'advertising',
  'agency',
  'office',
  'north',
  'south',
  'east',
  'west',
  'central',
  'europe',
  'european',
  'asia',
  'pacific',
  'atlantic',
  'world',
  'universal',
  'royal',
  'standard',
  'premier',
  'best',
  'smart',
  'pro',
  'tech',
  'info',
  'web',
  'online',
  'net',
  'one',
  'plus',
  'union',
  'mutual',
  'savings',
  'credit',
  'security',
  'securities',
  'fund',
  'funds',
  'asset',
  'assets',
  'real',
  'estate',
  'home',
  'homes',
  'building',
  'auto',
  'automotive',
  'deutsche',
  'francaise',
  'societe',
  'compagnie',
  'gesellschaft',
  'sociedad',
  'societa',
  'empresa',
  'saint',
]);

/** Weights when no corpus is known: common business words 0.35, single characters 0.5, others 1. */
export const DEFAULT_WEIGHTS: TokenWeights = {
  weight: (key) => (COMMON_WORDS.has(key) ? 0.35 : key.length === 1 ? 0.5 : 1),
};

/** Whether a word counts as common without a corpus (the index multiplies its learnt weight by this). */
export function commonWordFactor(key: string): number {
  return COMMON_WORDS.has(key) ? 0.5 : key.length === 1 ? 0.5 : 1;
}

export function compareParties(a: PartyInput, b: PartyInput, weights?: TokenWeights): PartyComparison {
  return comparePrepared(prepareParty(a, true), prepareParty(b, true), weights ?? DEFAULT_WEIGHTS, true);
}

function orderKey(p: PreparedParty): string {
  return `${p.keys.join(' ')}\u0001${p.domain ?? ''}\u0001${p.country ?? ''}\u0001${p.postalCode ?? ''}\u0001${p.city.join(' ')}\u0001${p.address.join(' ')}\u0001${p.original}`;
}

/**
 * The comparison of two prepared parties. With `explain` false the evidence details are left empty (the
 * index ranks many candidates and explains only the ones it returns); scores are the same.
 */
export function comparePrepared(
  a: PreparedParty,
  b: PreparedParty,
  weights: TokenWeights,
  explain: boolean,
  /** nameSimilarity(a.keys, b.keys, weights) when the caller has it already (it is symmetric). */
  knownName?: NameSimilarity,
): PartyComparison {
  const swap = orderKey(a) > orderKey(b);
  const x = swap ? b : a;
  const y = swap ? a : b;
  const name = knownName && !explain ? knownName : nameSimilarity(x.keys, y.keys, weights, explain);
  let score = name.score;
  let capped = name.initialsOnly;
  const evidence: Evidence[] = [];
  /** The name sentence's parameters but the initials clause (added when the cap is known). */
  let nameParams: Record<string, MessageValue> | null = null;
  if (explain) {
    const noteMessages = distinctNoteMessages([a, b, name]);
    nameParams = {
      a: a.original,
      b: b.original,
      notes: optional(
        noteMessages.length > 0
          ? message('matching.notes', { notes: { message: joined(noteMessages) } })
          : null,
      ),
      score: decimal(name.score, 2),
      initials: '',
    };
    evidence.push(said('name', round(name.score), message('matching.name', nameParams)));
  }
  // Domain: equal is strong evidence; different is not evidence against (companies hold many domains).
  if (x.domain && y.domain) {
    if (x.domain === y.domain) {
      score = 1 - (1 - score) * 0.35;
      capped = false;
      if (explain) evidence.push(said('domain', 1, message('matching.domainOnBoth', { domain: x.domain })));
    } else {
      score *= 0.98;
      if (explain)
        evidence.push(
          said('domain', 0, message('matching.domainsDiffer', { a: `${a.domain}`, b: `${b.domain}` })),
        );
    }
  }
  // Country: a mismatch lowers the score (subsidiaries in two countries are two customers).
  if (x.country && y.country) {
    if (x.country !== y.country) {
      score *= 0.8;
      if (explain)
        evidence.push(
          said('country', 0, message('matching.countriesDiffer', { a: `${a.country}`, b: `${b.country}` })),
        );
    } else if (explain)
      evidence.push(said('country', 1, message('matching.countryOnBoth', { country: x.country })));
  }
  // Address: postal code, city and street line add evidence to a name that already looks alike.
  const addr = addressSimilarity(x, y, explain);
  if (addr) {
    if (addr.score > 0 && name.score >= 0.5) {
      score = 1 - (1 - score) * (1 - 0.3 * addr.score);
      if (addr.score >= 0.5) capped = false;
    } else if (addr.score === 0 && addr.conflict) score *= 0.97;
    if (explain)
      evidence.push(
        said(
          'address',
          round(addr.score),
          message('matching.address', { parts: { message: joined(addr.parts ?? []) } }),
        ),
      );
  }
  if (capped && name.initials) {
    const shared = weights.sharedInitials?.(name.initials) ?? 1;
    const sameFormAndCountry =
      x.legalForm !== null && x.legalForm === y.legalForm && x.country !== null && x.country === y.country;
    const cap =
      shared <= 1 ? INITIALS_ONLY_CAP : sameFormAndCountry ? SHARED_INITIALS_CAP : AMBIGUOUS_INITIALS_CAP;
    score = Math.min(score, cap);
    if (explain) {
      evidence[0] = said(
        'name',
        (evidence[0] as Evidence).score,
        message('matching.name', {
          ...nameParams,
          initials: {
            message: message('matching.initialsOnly', {
              shared: optional(
                shared > 1
                  ? message('matching.sharedInitials', {
                      shared,
                      sameFormAndCountry: optional(
                        sameFormAndCountry ? message('matching.sameFormAndCountry') : null,
                      ),
                    })
                  : null,
              ),
              cap,
            }),
          },
        }),
      );
    }
  }
  score = round(Math.min(1, Math.max(0, score)));
  return { score, decision: decide(score), evidence };
}

export function decide(score: number): MatchDecision {
  return score >= MATCH_THRESHOLD ? 'match' : score >= POSSIBLE_THRESHOLD ? 'possible' : 'none';
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** An evidence item: its sentence as a message, and the message's English text. */
function said(field: Evidence['field'], score: number, m: Message): Evidence {
  return { field, score, detail: renderEnglish(m), detailMessage: m };
}

/**
 * The notes of both names and of their comparison as messages, each note once (as `notes` are deduplicated
 * by their text). A note without its message (a party prepared without `explain`) is its text.
 */
function distinctNoteMessages(
  sources: readonly { notes: readonly string[]; noteMessages?: readonly Message[] | undefined }[],
): Message[] {
  const seen = new Set<string>();
  const out: Message[] = [];
  for (const { notes, noteMessages } of sources)
    notes.forEach((text, i) => {
      if (seen.has(text)) return;
      seen.add(text);
      out.push(noteMessages?.[i] ?? message('matching.note.text', { text }));
    });
  return out;
}

/** Clauses joined by ', ' (a message per pair, so each language may join them its own way). */
function joined(parts: readonly Message[]): Message {
  let m = parts[parts.length - 1] ?? message('matching.note.text', { text: '' });
  for (let i = parts.length - 2; i >= 0; i--)
    m = message('matching.and', { first: { message: parts[i] as Message }, rest: { message: m } });
  return m;
}

function addressSimilarity(
  a: PreparedParty,
  b: PreparedParty,
  explain: boolean,
): { score: number; conflict: boolean; parts: Message[] | null } | null {
  /** The parts as messages, when explaining. */
  const messages: Message[] | null = explain ? [] : null;
  let score = 0;
  let known = 0;
  let conflict = false;
  if (a.postalCode && b.postalCode) {
    known++;
    if (a.postalCode === b.postalCode) {
      score += 0.5;
      messages?.push(message('matching.part.postalCodeOnBoth', { postalCode: a.postalCode }));
    } else {
      conflict = true;
      messages?.push(message('matching.part.postalCodesDiffer'));
    }
  }
  if (a.city.length > 0 && b.city.length > 0) {
    known++;
    if (a.city.join(' ') === b.city.join(' ')) {
      score += 0.25;
      messages?.push(message('matching.part.cityOnBoth', { city: a.city.join(' ') }));
    } else {
      messages?.push(message('matching.part.citiesDiffer'));
    }
  }
  if (a.address.length > 0 && b.address.length > 0) {
    known++;
    const d = wordDice(a.address, b.address);
    if (d >= 0.6) score += 0.25;
    messages?.push(message('matching.part.street', { score: decimal(d, 2) }));
  }
  if (known === 0) return null;
  return { score, conflict: conflict && score === 0, parts: messages };
}

function wordDice(a: readonly string[], b: readonly string[]): number {
  const sb = new Set(b);
  let common = 0;
  for (const w of new Set(a)) if (sb.has(w)) common++;
  return (2 * common) / (new Set(a).size + sb.size);
}

export interface NameSimilarity {
  score: number;
  /** Matched only through initials or acronyms. */
  initialsOnly: boolean;
  /** The initials that matched ("ibm"), if any. */
  initials: string | null;
  notes: string[];
  /** The notes as messages (`notes[i]` is the English text of `noteMessages[i]`) when explaining, else empty. */
  noteMessages: readonly Message[];
}

/**
 * Weighted soft word-set similarity of two key lists (NormalizedName.keys): words are paired greedily by
 * similarity (equal 1; same spelling key 0.98; one edit with a word of 5+ letters 0.9, between two 4-letter words 0.75;
 * an initial 0.7), then initials ("ibm" ~ "international business machines", 0.85) and words written
 * together ("pricewaterhouse" ~ "price waterhouse", 0.95) pair the rest. Score = matched weight over
 * matched + partly-matched loss + UNMATCHED_FACTOR x unmatched weight (both sides), lowered when both sides keep unmatched words (a substituted word is evidence of
 * another company: "Acme Logistics" vs "Acme Robotics").
 */
export function nameSimilarity(
  ka: readonly string[],
  kb: readonly string[],
  weights: TokenWeights,
  explain = false,
): NameSimilarity {
  const swap = ka.join(' ') > kb.join(' ');
  const a = swap ? kb : ka;
  const b = swap ? ka : kb;
  const notes: string[] = [];
  const noteMessages: Message[] | null = explain ? [] : null;
  if (a.length === 0 || b.length === 0)
    return { score: 0, initialsOnly: false, initials: null, notes, noteMessages: NO_MESSAGES };
  const ca = a.join('');
  const cb = b.join('');
  if (ca === cb) {
    if (a.length !== b.length && explain) {
      notes.push(`words written together '${ca}'`);
      noteMessages?.push(message('matching.note.togetherSame', { words: ca }));
    }
    return {
      score: a.length === b.length ? 1 : 0.97,
      initialsOnly: false,
      initials: null,
      notes,
      noteMessages: noteMessages ?? NO_MESSAGES,
    };
  }
  const wa = a.map((k) => weights.weight(k));
  const wb = b.map((k) => weights.weight(k));
  const simA = new Float64Array(a.length);
  const simB = new Float64Array(b.length);
  const viaInitials = new Uint8Array(a.length + b.length);
  // Greedy pairing by similarity, ties broken by position (both sides are in canonical order).
  const pairs: { s: number; i: number; j: number }[] = [];
  for (let i = 0; i < a.length; i++)
    for (let j = 0; j < b.length; j++) {
      const s = wordSimilarity(a[i] as string, b[j] as string);
      if (s > 0) pairs.push({ s, i, j });
    }
  if (pairs.length > 1) pairs.sort((p, q) => q.s - p.s || p.i - q.i || p.j - q.j);
  for (const { s, i, j } of pairs) {
    if (simA[i] !== 0 || simB[j] !== 0) continue;
    simA[i] = s;
    simB[j] = s;
    if (explain && s < 1) {
      notes.push(
        s === UMLAUT_SIMILARITY
          ? `spelling '${a[i]}' ~ '${b[j]}'`
          : s === 0.7
            ? `initial '${a[i]}' ~ '${b[j]}'`
            : `typo '${a[i]}' ~ '${b[j]}'`,
      );
      noteMessages?.push(
        message(
          s === UMLAUT_SIMILARITY
            ? 'matching.note.spelling'
            : s === 0.7
              ? 'matching.note.initial'
              : 'matching.note.typo',
          { a: a[i] as string, b: b[j] as string },
        ),
      );
    }
  }
  // Initials and words written together, each way.
  let usedInitials: string | null = null;
  const runs = (
    one: readonly string[],
    simOne: Float64Array,
    other: readonly string[],
    simOther: Float64Array,
    offset: number,
  ) => {
    for (let i = 0; i < one.length; i++) {
      if (simOne[i] !== 0) continue;
      const t = one[i] as string;
      for (let start = 0; start < other.length && simOne[i] === 0; start++) {
        let initials = '';
        let joined = '';
        for (let end = start; end < other.length && simOther[end] === 0; end++) {
          const w = other[end] as string;
          initials += w[0];
          joined += w;
          if (end === start) continue;
          // Initials may have been read as an abbreviation ("SOLS" -> "solutions"): compare its spellings too.
          const acronym =
            t.length >= 2 &&
            (initials === t || (initials.length <= 6 && allSpellingsOf(t).includes(initials)));
          const together =
            joined === t ||
            (t.length >= 10 && Math.abs(joined.length - t.length) <= 1 && osa(joined, t, 1) <= 1);
          if (acronym || together) {
            const s = acronym ? 0.85 : 0.95;
            simOne[i] = s;
            for (let k = start; k <= end; k++) simOther[k] = s;
            if (acronym) {
              viaInitials[offset + i] = 1;
              usedInitials = initials;
              if (explain) {
                const words = other.slice(start, end + 1).join(' ');
                notes.push(`initials '${initials}' ~ '${words}'`);
                noteMessages?.push(message('matching.note.initials', { initials, words }));
              }
            } else if (explain) {
              const words = other.slice(start, end + 1).join(' ');
              notes.push(`words written together '${t}' ~ '${words}'`);
              noteMessages?.push(message('matching.note.together', { a: t, b: words }));
            }
            break;
          }
          if (joined.length > t.length + 1 && initials.length >= t.length) break;
        }
      }
    }
  };
  runs(a, simA, b, simB, 0);
  runs(b, simB, a, simA, a.length);
  let partial = 0;
  let matched = 0;
  let unA = 0;
  let unB = 0;
  for (let i = 0; i < a.length; i++) {
    const w = wa[i] as number;
    matched += (simA[i] as number) * w;
    if (simA[i] === 0) unA += w;
    else partial += (1 - (simA[i] as number)) * w;
  }
  for (let j = 0; j < b.length; j++) {
    const w = wb[j] as number;
    matched += (simB[j] as number) * w;
    if (simB[j] === 0) unB += w;
    else partial += (1 - (simB[j] as number)) * w;
  }
  const denominator = matched + partial + UNMATCHED_FACTOR * (unA + unB);
  let score = denominator > 0 ? matched / denominator : 0;
  const conflict = Math.min(unA, unB);
  if (conflict > 0)
    score *= 1 - Math.min(CONFLICT_MAX, CONFLICT_FACTOR * (conflict / Math.max(1e-9, matched / 2)));
  let initialsOnly = false;
  if (viaInitials.some((v) => v === 1)) {
    // Every matched word of one side came through initials: weak on its own.
    const allA = [...simA].every((s, i) => s === 0 || viaInitials[i] === 1);
    const allB = [...simB].every((s, j) => s === 0 || viaInitials[a.length + j] === 1);
    initialsOnly = allA || allB;
  }
  // Scripts written without spaces: trigram similarity of the whole name.
  if (a.length === 1 && b.length === 1 && /[^\p{Script=Latin}\p{N}]/u.test(ca + cb)) {
    const t = trigramSimilarity(ca, cb);
    if (t > score) {
      score = t;
      if (explain) {
        notes.push(`trigrams ${t.toFixed(2)}`);
        noteMessages?.push(message('matching.note.trigrams', { score: decimal(t, 2) }));
      }
    }
  }
  return { score, initialsOnly, initials: usedInitials, notes, noteMessages: noteMessages ?? NO_MESSAGES };
}

/** "mueller" ~ "muller" (~ "müller", folded to "muller" by normalisation); "khorvat" ~ "horvath" (spellingKey). */
export const UMLAUT_SIMILARITY = 0.98;

/**
 * A word left unmatched on both sides (a substitution) lowers the score by CONFLICT_FACTOR times its weight
 * over the matched weight of one side, at most by CONFLICT_MAX.
 */
export const CONFLICT_FACTOR = 1.2;
export const CONFLICT_MAX = 0.7;

/** Similarity of two words (keys): see nameSimilarity. */
export function wordSimilarity(x: string, y: string): number {
  if (x === y) return 1;
  if (spellingKey(x) === spellingKey(y)) return UMLAUT_SIMILARITY;
  const lx = x.length;
  const ly = y.length;
  const min = lx < ly ? lx : ly;
  const diff = lx > ly ? lx - ly : ly - lx;
  if (min >= 4 && diff <= 1) {
    if (osa(x, y, 1) <= 1) return lx >= 5 || ly >= 5 ? 0.9 : 0.75;
  }
  if (min >= 4) {
    // A typo in a spelling that normalisation replaced by its canonical word ("tleecom" ~ "telecommunications").
    // Only against a word that is no canonical word itself (two groups' spellings may be one edit apart).
    if (!isCanonical(y))
      for (const v of spellingsOf(x)) if (Math.abs(v.length - ly) <= 1 && osa(v, y, 1) <= 1) return 0.9;
    if (!isCanonical(x))
      for (const v of spellingsOf(y)) if (Math.abs(v.length - lx) <= 1 && osa(x, v, 1) <= 1) return 0.9;
  }
  if (min === 1 && (lx === 1 ? y : x)[0] === (lx === 1 ? x : y)[0] && (lx === 1 ? ly : lx) > 1) return 0.7;
  return 0;
}

let row0 = new Int32Array(64);
let row1 = new Int32Array(64);
let row2 = new Int32Array(64);

/**
 * Optimal string alignment distance (Damerau-Levenshtein with adjacent transpositions), stopping early:
 * returns max + 1 as soon as the distance must exceed max.
 */
export function osa(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (lb + 1 > row0.length) {
    row0 = new Int32Array(lb + 1);
    row1 = new Int32Array(lb + 1);
    row2 = new Int32Array(lb + 1);
  }
  let prev2 = row0;
  let prev = row1;
  let cur = row2;
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      const cost = ca === cb ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb)
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  return Math.min(prev[lb] as number, max + 1);
}

/** Jaro-Winkler similarity (prefix scale 0.1, up to 4 characters), for callers who want it. */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  const range = Math.max(0, Math.floor(Math.max(la, lb) / 2) - 1);
  const ma = new Uint8Array(la);
  const mb = new Uint8Array(lb);
  let m = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - range);
    const hi = Math.min(lb - 1, i + range);
    for (let j = lo; j <= hi; j++) {
      if (mb[j] || a[i] !== b[j]) continue;
      ma[i] = 1;
      mb[j] = 1;
      m++;
      break;
    }
  }
  if (m === 0) return 0;
  let t = 0;
  for (let i = 0, j = 0; i < la; i++) {
    if (!ma[i]) continue;
    while (!mb[j]) j++;
    if (a[i] !== b[j]) t++;
    j++;
  }
  const jaro = (m / la + m / lb + (m - t / 2) / m) / 3;
  let p = 0;
  while (p < 4 && p < la && p < lb && a[p] === b[p]) p++;
  return jaro + p * 0.1 * (1 - jaro);
}

/** Dice coefficient of the padded character trigrams of two strings. */
export function trigramSimilarity(a: string, b: string): number {
  const grams = (s: string) => {
    const chars = [...`  ${s} `];
    const out = new Map<string, number>();
    for (let i = 0; i + 3 <= chars.length; i++) {
      const g = chars.slice(i, i + 3).join('');
      out.set(g, (out.get(g) ?? 0) + 1);
    }
    return out;
  };
  const ga = grams(a);
  const gb = grams(b);
  let common = 0;
  let na = 0;
  let nb = 0;
  for (const [g, n] of ga) {
    na += n;
    common += Math.min(n, gb.get(g) ?? 0);
  }
  for (const n of gb.values()) nb += n;
  return na + nb === 0 ? 0 : (2 * common) / (na + nb);
}
