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
import { addressWords, normalizeDomain, normalizeName, normalizePostalCode, spellingKey, spellingsOf } from './normalize.js';
import {
  commonWordFactor,
  comparePrepared,
  decide,
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
  /** Entries scored in full per search (default 40). */
  candidates?: number;
  /** Posting entries read per search beyond the rarest word's (default 40,000). */
  postingBudget?: number;
}

interface Slot {
  id: string;
  kind: CandidateKind;
  party: PartyInput;
  words: Int32Array;
  domain: string | null;
  country: string | null;
  postalCode: string | null;
  city: readonly string[];
  address: readonly string[];
}

const MIN_TYPO_LENGTH = 5;

export class CandidateIndex implements TokenWeights {
  private readonly slots: (Slot | undefined)[] = [];
  private readonly free: number[] = [];
  private readonly byId = new Map<string, number>();
  private readonly vocab = new Map<string, number>();
  private readonly words: string[] = [];
  private readonly postings: number[][] = [];
  /** Deletion neighbourhood of words of 5+ letters: a word and each of its one-letter deletions. */
  private readonly deletions = new Map<string, number[]>();
  /** Spelling key -> words ("muller" -> "mueller", "muller"; "horvat" -> "horvath", "khorvatkh"). */
  private readonly spellings = new Map<string, number[]>();
  private readonly postalCodes = new Map<string, number[]>();
  /** Initials of names of 2-8 words -> entries. */
  private readonly initials = new Map<string, number[]>();
  private readonly domains = new Map<string, number[]>();
  private count = 0;
  private acc = new Float64Array(1024);
  private readonly candidates: number;
  private readonly postingBudget: number;

  constructor(options: CandidateIndexOptions = {}) {
    this.candidates = options.candidates ?? 40;
    this.postingBudget = options.postingBudget ?? 40_000;
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
    const ids = new Int32Array(name.keys.length);
    for (let i = 0; i < name.keys.length; i++) ids[i] = this.intern(name.keys[i] as string);
    const slotNo = this.free.pop() ?? this.slots.length;
    const slot: Slot = {
      id: entry.id,
      kind: entry.kind,
      party: entry.party,
      words: ids,
      domain: normalizeDomain(entry.party.domain),
      country: entry.party.country ? entry.party.country.trim().toUpperCase() || null : null,
      postalCode: normalizePostalCode(entry.party.postalCode),
      city: addressWords(entry.party.city),
      address: addressWords(entry.party.addressLine),
    };
    this.slots[slotNo] = slot;
    this.byId.set(entry.id, slotNo);
    const seen = new Set<number>();
    for (const w of ids) {
      if (seen.has(w)) continue;
      seen.add(w);
      (this.postings[w] as number[]).push(slotNo);
    }
    const init = initialsOf(name.keys);
    if (init) push(this.initials, init, slotNo);
    if (slot.domain) push(this.domains, slot.domain, slotNo);
    if (slot.postalCode) push(this.postalCodes, slot.postalCode, slotNo);
    this.count++;
  }

  /** Removes an entry; returns whether it was there. */
  remove(id: string): boolean {
    const slotNo = this.byId.get(id);
    if (slotNo === undefined) return false;
    const slot = this.slots[slotNo] as Slot;
    const seen = new Set<number>();
    for (const w of slot.words) {
      if (seen.has(w)) continue;
      seen.add(w);
      drop(this.postings[w] as number[], slotNo);
    }
    const keys = [...slot.words].map((w) => this.words[w] as string);
    const init = initialsOf(keys);
    if (init) dropFrom(this.initials, init, slotNo);
    if (slot.domain) dropFrom(this.domains, slot.domain, slotNo);
    if (slot.postalCode) dropFrom(this.postalCodes, slot.postalCode, slotNo);
    this.slots[slotNo] = undefined;
    this.byId.delete(id);
    this.free.push(slotNo);
    this.count--;
    return true;
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
    const query = prepareParty(party);
    const slots = this.block(query);
    const scored: { slot: number; score: number }[] = [];
    for (const s of slots) {
      const c = comparePrepared(query, this.prepared(s), this, false);
      if (c.score >= minScore) scored.push({ slot: s, score: c.score });
    }
    scored.sort((p, q) => q.score - p.score || cmp((this.slots[p.slot] as Slot).id, (this.slots[q.slot] as Slot).id));
    return scored.slice(0, limit).map(({ slot }) => {
      const entry = this.slots[slot] as Slot;
      const full = comparePrepared(query, prepareParty(entry.party), this, true);
      return { id: entry.id, kind: entry.kind, score: full.score, decision: decide(full.score), evidence: full.evidence };
    });
  }

  private prepared(slotNo: number): PreparedParty {
    const s = this.slots[slotNo] as Slot;
    const keys: string[] = new Array<string>(s.words.length);
    for (let i = 0; i < s.words.length; i++) keys[i] = this.words[s.words[i] as number] as string;
    return {
      original: s.party.name,
      keys,
      notes: [],
      domain: s.domain,
      country: s.country,
      postalCode: s.postalCode,
      city: s.city,
      address: s.address,
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
      push(this.deletions, spelling, id);
      for (let i = 0; i < spelling.length; i++) push(this.deletions, spelling.slice(0, i) + spelling.slice(i + 1), id);
    }
    push(this.spellings, spellingKey(word), id);
    return id;
  }

  /** Words of the vocabulary a query word may stand for, each with its similarity. */
  private related(key: string): Map<number, number> {
    const out = new Map<number, number>();
    const exact = this.vocab.get(key);
    if (exact !== undefined) out.set(exact, 1);
    if (key.length >= MIN_TYPO_LENGTH - 1) {
      const probe = (k: string) => {
        for (const id of this.deletions.get(k) ?? []) {
          if (out.has(id)) continue;
          const s = wordSimilarity(key, this.words[id] as string);
          if (s > 0) out.set(id, s);
        }
      };
      probe(key);
      for (let i = 0; i < key.length; i++) probe(key.slice(0, i) + key.slice(i + 1));
    }
    for (const id of this.spellings.get(spellingKey(key)) ?? []) if (!out.has(id)) out.set(id, 0.98);
    return out;
  }

  /** The entries worth scoring for a query (blocking). */
  private block(query: PreparedParty): number[] {
    if (this.acc.length < this.slots.length) this.acc = new Float64Array(Math.max(this.slots.length, this.acc.length * 2));
    const acc = this.acc;
    const touched: number[] = [];
    const add = (list: readonly number[], w: number) => {
      for (const s of list) {
        if (acc[s] === 0) touched.push(s);
        acc[s] = (acc[s] as number) + w;
      }
    };
    type Group = { lists: { list: number[]; w: number }[]; size: number };
    const groups: Group[] = [];
    const keys = [...new Set(query.keys)];
    for (const key of keys) {
      const w = this.weight(key);
      const g: Group = { lists: [], size: 0 };
      for (const [id, s] of this.related(key)) {
        const list = this.postings[id] as number[];
        if (list.length === 0) continue;
        g.lists.push({ list, w: w * s });
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
          g.lists.push({ list, w });
          g.size += list.length;
        }
      }
      // Entries whose initials the word is ("ibm").
      if (key.length >= 2 && key.length <= 8) {
        const list = this.initials.get(key);
        if (list) {
          g.lists.push({ list, w });
          g.size += list.length;
        }
      }
      if (g.size > 0) groups.push(g);
    }
    // Adjacent query words written together in an entry ("price waterhouse" -> "pricewaterhouse").
    for (let i = 0; i + 1 < query.keys.length; i++) {
      const id = this.vocab.get((query.keys[i] as string) + (query.keys[i + 1] as string));
      if (id === undefined) continue;
      const list = this.postings[id] as number[];
      if (list.length > 0) groups.push({ lists: [{ list, w: this.weight(query.keys[i] as string) }], size: list.length });
    }
    // An entry named by the query's initials ("International Business Machines" -> "IBM").
    const init = initialsOf(query.keys);
    if (init) {
      const id = this.vocab.get(init);
      if (id !== undefined) {
        const list = this.postings[id] as number[];
        if (list.length > 0) groups.push({ lists: [{ list, w: this.weight(init) }], size: list.length });
      }
    }
    groups.sort((p, q) => p.size - q.size);
    let read = 0;
    for (const g of groups) {
      if (read > 0 && read + g.size > this.postingBudget) continue;
      for (const { list, w } of g.lists) add(list, w);
      read += g.size;
    }
    if (query.domain) {
      const list = this.domains.get(query.domain);
      if (list) add(list, 1e6);
    }
    // The postal code ranks entries that share it higher (among those the words found, and a few more).
    if (query.postalCode) {
      const list = this.postalCodes.get(query.postalCode);
      if (list && list.length <= 5_000) add(list, 1);
    }
    // Best accumulated weights: a bounded min-heap.
    const k = this.candidates;
    const heap: number[] = [];
    const less = (p: number, q: number) => (acc[p] as number) < (acc[q] as number) || (acc[p] === acc[q] && p > q);
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

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function drop(list: number[], value: number): void {
  const i = list.lastIndexOf(value);
  if (i < 0) return;
  list[i] = list[list.length - 1] as number;
  list.pop();
}

function dropFrom(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (!list) return;
  drop(list, value);
  if (list.length === 0) map.delete(key);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
