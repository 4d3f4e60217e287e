/**
 * An in-memory index of a vendor's parties (active registrations, customers, direct-named accounts) that
 * finds the few worth scoring for a submitted party, then scores them with the similarity rules.
 *
 * Blocking (README.md, "Index"): words are interned; each word has a posting list of entries. A query
 * looks up, for each of its words, the word itself, its one-edit neighbours (a deletion neighbourhood
 * over the vocabulary, words of 5+ letters), its umlaut spelling, its parts when it is two known words
 * written together, and entries whose initials it is; plus the domain. Posting lists are read rarest
 * first within a budget, so very common words ("group") are skipped when rarer ones exist. Entries are
 * ranked by the weight of the words they share, and the best `CANDIDATES` are scored in full.
 * Word weights are inverse document frequencies learnt from the indexed names.
 */
import {
  addressWords,
  allSpellingsOf,
  normalizeDomain,
  normalizeName,
  normalizePostalCode,
  spellingKey,
  spellingsOf,
} from './normalize.js';
import {
  commonWordFactor,
  comparePrepared,
  decide,
  nameSimilarity,
  POSSIBLE_THRESHOLD,
  prepareParty,
  wordSimilarity,
} from './similarity.js';
import type { Evidence, MatchDecision, PartyInput, PreparedParty, TokenWeights } from './similarity.js';

export type CandidateKind = 'registration' | 'customer' | 'named-account';

export interface IndexEntry {
  id: string;
  kind: CandidateKind;
  party: PartyInput;
}

export interface MatchCandidate {
  id: string;
  kind: CandidateKind;
  score: number;
  decision: MatchDecision;
  evidence: Evidence[];
}

export interface SearchOptions {
  /** At most this many candidates (default 10). */
  limit?: number;
  /** Only candidates scoring at least this (default POSSIBLE_THRESHOLD). */
  minScore?: number;
}

export interface CandidateIndexOptions {
  /** Entries scored in full per search (default 24). */
  candidates?: number;
  /** Posting entries read per search beyond the rarest word's (default 3,000); commoner words are credited to the entries found. */
  postingBudget?: number;
}

const KINDS: readonly CandidateKind[] = ['registration', 'customer', 'named-account'];

/** A map from a key to one value or several: most keys (domains, deletion keys) hold one. */
type Multi = Map<string, number | number[]>;

const MIN_TYPO_LENGTH = 5;
/** With the same domain (the strongest lift, 1 - (1 - name) x 0.35) a name under 0.2 stays under 0.72. */
const NAME_FLOOR = 0.2;

function packCountry(country: string | null | undefined): number {
  const c = country?.trim().toUpperCase();
  return c && c.length === 2 ? (c.charCodeAt(0) << 8) | c.charCodeAt(1) : 0;
}

export class CandidateIndex implements TokenWeights {
  // Entries by slot, in parallel arrays; a removed slot is reused.
  private readonly ids: (string | undefined)[] = [];
  private readonly parties: (PartyInput | undefined)[] = [];
  private kinds = new Uint8Array(1024);
  /** Each slot's interned words: `wordLen[slot]` ids from `wordStart[slot]` in `pool`. */
  private wordStart = new Int32Array(1024);
  private wordLen = new Uint8Array(1024);
  /** Country as two packed letters (0 = none) and legal form as an interned id (0 = none), for ranking. */
  private country = new Uint16Array(1024);
  private form = new Uint16Array(1024);
  private readonly forms = new Map<string, number>();
  private readonly formKeys: (string | null)[] = [null];
  private pool = new Int32Array(4096);
  private poolUsed = 0;
  private readonly free: number[] = [];
  private readonly byId = new Map<string, number>();
  private readonly vocab = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly postings: number[][] = [];
  /** Deletion neighbourhood of words of 5+ letters: a word and each of its one-letter deletions. */
  private readonly deletions: Multi = new Map();
  /** Spelling key -> words ("muller" -> "mueller", "muller"; "horvat" -> "horvath", "khorvatkh"). */
  private readonly spellings: Multi = new Map();
  /** Initials of names of 2-8 words -> entries. */
  private readonly initials: Multi = new Map();
  private readonly domains: Multi = new Map();
  private readonly postalCodes: Multi = new Map();
  private count = 0;
  private acc = new Float64Array(1024);
  private readonly candidates: number;
  private readonly postingBudget: number;

  constructor(options: CandidateIndexOptions = {}) {
    this.candidates = options.candidates ?? 24;
    this.postingBudget = options.postingBudget ?? 3_000;
  }

  get size(): number {
    return this.count;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  /** Adds an entry, replacing the one with the same id. */
  add(entry: IndexEntry): void {
    if (this.byId.has(entry.id)) this.remove(entry.id);
    const name = normalizeName(entry.party.name, entry.party.country ?? null);
    const keys = name.keys;
    const n = Math.min(keys.length, 255);
    const slot = this.free.pop() ?? this.ids.length;
    if (slot >= this.kinds.length) {
      const size = this.kinds.length * 2;
      this.kinds = grow(this.kinds, size);
      this.wordStart = grow(this.wordStart, size);
      this.wordLen = grow(this.wordLen, size);
      this.country = grow(this.country, size);
      this.form = grow(this.form, size);
    }
    if (this.poolUsed + n > this.pool.length)
      this.pool = grow(this.pool, Math.max(this.pool.length * 2, this.poolUsed + n));
    this.ids[slot] = entry.id;
    this.parties[slot] = entry.party;
    this.kinds[slot] = KINDS.indexOf(entry.kind);
    this.wordStart[slot] = this.poolUsed;
    this.wordLen[slot] = n;
    this.country[slot] = packCountry(entry.party.country);
    this.form[slot] = this.formId(name.legalFormKey);
    for (let i = 0; i < n; i++) {
      const w = this.intern(keys[i] as string);
      this.pool[this.poolUsed++] = w;
      if (keys.indexOf(keys[i] as string) === i) (this.postings[w] as number[]).push(slot);
    }
    this.byId.set(entry.id, slot);
    const init = initialsOf(keys);
    if (init) multiAdd(this.initials, init, slot);
    const domain = normalizeDomain(entry.party.domain);
    if (domain) multiAdd(this.domains, domain, slot);
    const postal = normalizePostalCode(entry.party.postalCode);
    if (postal) multiAdd(this.postalCodes, postal, slot);
    this.count++;
  }

  /** Removes an entry; returns whether it was there. */
  remove(id: string): boolean {
    const slot = this.byId.get(id);
    if (slot === undefined) return false;
    const keys = this.keysOf(slot);
    const start = this.wordStart[slot] as number;
    for (let i = 0; i < keys.length; i++) {
      if (keys.indexOf(keys[i] as string) === i)
        drop(this.postings[this.pool[start + i] as number] as number[], slot);
    }
    const party = this.parties[slot] as PartyInput;
    const init = initialsOf(keys);
    if (init) multiDrop(this.initials, init, slot);
    const domain = normalizeDomain(party.domain);
    if (domain) multiDrop(this.domains, domain, slot);
    const postal = normalizePostalCode(party.postalCode);
    if (postal) multiDrop(this.postalCodes, postal, slot);
    this.ids[slot] = undefined;
    this.parties[slot] = undefined;
    this.byId.delete(id);
    this.free.push(slot);
    this.count--;
    return true;
  }

  private formId(key: string | null): number {
    if (key === null) return 0;
    let id = this.forms.get(key);
    if (id === undefined && this.formKeys.length < 65_535) {
      id = this.formKeys.length;
      this.forms.set(key, id);
      this.formKeys.push(key);
    }
    return id ?? 0;
  }

  /** How many entries these initials stand for: names with these initials and names that are this word. */
  sharedInitials(initials: string): number {
    const id = this.vocab.get(initials);
    return (
      multiGet(this.initials, initials).length +
      (id === undefined ? 0 : (this.postings[id] as number[]).length)
    );
  }

  private keysOf(slot: number): string[] {
    const start = this.wordStart[slot] as number;
    const n = this.wordLen[slot] as number;
    const keys = new Array<string>(n);
    for (let i = 0; i < n; i++) keys[i] = this.words[this.pool[start + i] as number] as string;
    return keys;
  }

  /** Inverse document frequency of a word among the indexed names, times the common-word factor. */
  weight(key: string): number {
    const id = this.vocab.get(key);
    const df = id === undefined ? 0 : (this.postings[id] as number[]).length;
    return Math.log((this.count + 1) / (df + 0.5)) * commonWordFactor(key) + 0.05;
  }

  /** Ranked candidates for a submitted party, each with its score, decision and evidence. */
  search(party: PartyInput, options: SearchOptions = {}): MatchCandidate[] {
    const limit = options.limit ?? 10;
    const minScore = options.minScore ?? POSSIBLE_THRESHOLD;
    // Prepared to explain (its notes as messages too): the candidates returned are explained against it.
    const query = prepareParty(party, true);
    const slots = this.block(query);
    const scored: { slot: number; score: number }[] = [];
    for (const s of slots) {
      // A name scoring under NAME_FLOOR cannot reach a possible match whatever the other fields say.
      const keys = this.keysOf(s);
      const name = nameSimilarity(query.keys, keys, this);
      if (name.score < NAME_FLOOR) continue;
      const c = comparePrepared(query, this.prepared(s, keys), this, false, name);
      if (c.score >= minScore) scored.push({ slot: s, score: c.score });
    }
    scored.sort((p, q) => q.score - p.score || cmp(this.ids[p.slot] as string, this.ids[q.slot] as string));
    return scored.slice(0, limit).map(({ slot }) => {
      const full = comparePrepared(query, prepareParty(this.parties[slot] as PartyInput, true), this, true);
      return {
        id: this.ids[slot] as string,
        kind: KINDS[this.kinds[slot] as number] as CandidateKind,
        score: full.score,
        decision: decide(full.score),
        evidence: full.evidence,
      };
    });
  }

  /** A stored entry as the similarity rules read it (its words already interned). */
  private prepared(slot: number, keys: readonly string[]): PreparedParty {
    const p = this.parties[slot] as PartyInput;
    return {
      original: p.name,
      keys,
      legalForm: this.formKeys[this.form[slot] as number] ?? null,
      notes: [],
      domain: normalizeDomain(p.domain),
      country: p.country ? p.country.trim().toUpperCase() || null : null,
      postalCode: normalizePostalCode(p.postalCode),
      city: addressWords(p.city),
      address: addressWords(p.addressLine),
    };
  }

  private intern(word: string): number {
    let id = this.vocab.get(word);
    if (id !== undefined) return id;
    id = this.words.length;
    this.vocab.set(word, id);
    this.words.push(word);
    this.postings.push([]);
    for (const spelling of [word, ...spellingsOf(word)]) {
      if (spelling.length < MIN_TYPO_LENGTH) continue;
      multiAdd(this.deletions, spelling, id);
      for (let i = 0; i < spelling.length; i++)
        multiAdd(this.deletions, spelling.slice(0, i) + spelling.slice(i + 1), id);
    }
    multiAdd(this.spellings, spellingKey(word), id);
    return id;
  }

  /** Words of the vocabulary a query word may stand for, each with its similarity. */
  private related(key: string): Map<number, number> {
    const out = new Map<number, number>();
    const exact = this.vocab.get(key);
    if (exact !== undefined) out.set(exact, 1);
    if (key.length >= MIN_TYPO_LENGTH - 1) {
      const probe = (k: string) => {
        for (const id of multiGet(this.deletions, k)) {
          if (out.has(id)) continue;
          const s = wordSimilarity(key, this.words[id] as string);
          if (s > 0) out.set(id, s);
        }
      };
      probe(key);
      for (let i = 0; i < key.length; i++) probe(key.slice(0, i) + key.slice(i + 1));
    }
    for (const id of multiGet(this.spellings, spellingKey(key))) if (!out.has(id)) out.set(id, 0.98);
    return out;
  }

  /** The entries worth scoring for a query (blocking). */
  private block(query: PreparedParty): number[] {
    if (this.acc.length < this.ids.length)
      this.acc = new Float64Array(Math.max(this.ids.length, this.acc.length * 2));
    const acc = this.acc;
    const touched: number[] = [];
    const add = (list: readonly number[], w: number) => {
      for (const s of list) {
        if (acc[s] === 0) touched.push(s);
        acc[s] = (acc[s] as number) + w;
      }
    };
    /** Posting lists of one query word; `word` is the vocabulary word a list belongs to, if any. */
    type Group = { lists: { list: readonly number[]; w: number; word: number }[]; size: number };
    const groups: Group[] = [];
    const keys = [...new Set(query.keys)];
    for (const key of keys) {
      const w = this.weight(key);
      const g: Group = { lists: [], size: 0 };
      for (const [id, s] of this.related(key)) {
        const list = this.postings[id] as number[];
        if (list.length === 0) continue;
        g.lists.push({ list, w: w * s, word: id });
        g.size += list.length;
      }
      // Two known words written together ("pricewaterhouse"): the rarer part stands for it.
      if (g.size === 0 && key.length >= 6) {
        for (let i = 2; i <= key.length - 2; i++) {
          const left = this.vocab.get(key.slice(0, i));
          const right = this.vocab.get(key.slice(i));
          if (left === undefined || right === undefined) continue;
          const l = this.postings[left] as number[];
          const r = this.postings[right] as number[];
          const list = l.length <= r.length ? l : r;
          g.lists.push({ list, w, word: l.length <= r.length ? left : right });
          g.size += list.length;
        }
      }
      // Entries whose initials the word is ("ibm").
      for (const k of [key, ...allSpellingsOf(key)]) {
        if (k.length < 2 || k.length > 8) continue;
        const list = multiGet(this.initials, k);
        if (list.length > 0) {
          g.lists.push({ list, w, word: -1 });
          g.size += list.length;
        }
      }
      if (g.size > 0) groups.push(g);
    }
    // Two to four adjacent query words written together in an entry ("price waterhouse" -> "pricewaterhouse").
    for (let i = 0; i + 1 < query.keys.length; i++) {
      let joined = query.keys[i] as string;
      for (let j = i + 1; j < query.keys.length && j <= i + 3; j++) {
        joined += query.keys[j] as string;
        const id = this.vocab.get(joined);
        if (id === undefined) continue;
        const list = this.postings[id] as number[];
        if (list.length > 0)
          groups.push({ lists: [{ list, w: this.weight(joined), word: id }], size: list.length });
      }
    }
    // An entry named by the query's initials ("International Business Machines" -> "IBM").
    const init = initialsOf(query.keys);
    if (init) {
      const id = this.vocab.get(init);
      if (id !== undefined) {
        const list = this.postings[id] as number[];
        if (list.length > 0)
          groups.push({ lists: [{ list, w: this.weight(init), word: id }], size: list.length });
      }
    }
    groups.sort((p, q) => p.size - q.size);
    let read = 0;
    const skipped = new Map<number, number>();
    for (const g of groups) {
      if (read > 0 && read + g.size > this.postingBudget) {
        // Too common to read ("group", "logistics"): credited below to the entries already found.
        for (const { w, word } of g.lists)
          if (word >= 0) skipped.set(word, Math.max(skipped.get(word) ?? 0, w));
        continue;
      }
      for (const { list, w } of g.lists) add(list, w);
      read += g.size;
    }
    if (skipped.size > 0)
      for (const s of touched) {
        const start = this.wordStart[s] as number;
        const end = start + (this.wordLen[s] as number);
        for (let i = start; i < end; i++) {
          const w = skipped.get(this.pool[i] as number);
          if (w !== undefined) acc[s] = (acc[s] as number) + w;
        }
      }
    // Ties (many names with the same initials) go to the same country and legal form.
    const country = packCountry(query.country);
    const form = query.legalForm === null ? 0 : (this.forms.get(query.legalForm) ?? -1);
    if (country !== 0 || form > 0)
      for (const s of touched) {
        if (country !== 0 && this.country[s] === country) acc[s] = (acc[s] as number) + 0.01;
        if (form > 0 && this.form[s] === form) acc[s] = (acc[s] as number) + 0.01;
      }
    if (query.domain) {
      add(multiGet(this.domains, query.domain), 1e6);
    }
    // The postal code ranks entries that share it higher (among those the words found, and a few more).
    if (query.postalCode) {
      const list = multiGet(this.postalCodes, query.postalCode);
      if (list.length <= 5_000) add(list, 1);
    }
    // Best accumulated weights: a bounded min-heap.
    const k = this.candidates;
    const heap: number[] = [];
    const less = (p: number, q: number) =>
      (acc[p] as number) < (acc[q] as number) || (acc[p] === acc[q] && p > q);
    for (const s of touched) {
      if (heap.length < k) {
        heap.push(s);
        let i = heap.length - 1;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (!less(heap[i] as number, heap[parent] as number)) break;
          [heap[i], heap[parent]] = [heap[parent] as number, heap[i] as number];
          i = parent;
        }
      } else if (less(heap[0] as number, s)) {
        heap[0] = s;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < heap.length && less(heap[l] as number, heap[m] as number)) m = l;
          if (r < heap.length && less(heap[r] as number, heap[m] as number)) m = r;
          if (m === i) break;
          [heap[i], heap[m]] = [heap[m] as number, heap[i] as number];
          i = m;
        }
      }
    }
    for (const s of touched) acc[s] = 0;
    return heap;
  }
}

/** Initials of a name of 2 to 8 words ("international business machines" -> "ibm"), else null. */
export function initialsOf(keys: readonly string[]): string | null {
  if (keys.length < 2 || keys.length > 8) return null;
  let s = '';
  for (const k of keys) s += k[0];
  return s;
}

const EMPTY: readonly number[] = [];

function multiGet(map: Multi, key: string): readonly number[] {
  const v = map.get(key);
  return v === undefined ? EMPTY : typeof v === 'number' ? [v] : v;
}

function multiAdd(map: Multi, key: string, value: number): void {
  const v = map.get(key);
  if (v === undefined) map.set(key, value);
  else if (typeof v === 'number') map.set(key, [v, value]);
  else v.push(value);
}

function multiDrop(map: Multi, key: string, value: number): void {
  const v = map.get(key);
  if (v === undefined) return;
  if (typeof v === 'number') {
    if (v === value) map.delete(key);
    return;
  }
  drop(v, value);
  if (v.length === 1) map.set(key, v[0] as number);
}

function drop(list: number[], value: number): void {
  const i = list.lastIndexOf(value);
  if (i < 0) return;
  list[i] = list[list.length - 1] as number;
  list.pop();
}

function grow<T extends { length: number; set(a: T): void }>(a: T, size: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a);
  return b;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
