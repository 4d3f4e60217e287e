import type { IncentiveEngine, PartnerPeriodFacts } from '../../core/incentives/index.js';
import type { PeriodColumns } from '../../core/incentives/period-columns.js';
import type { PlanOutcome } from '../../core/simulation/compare.js';
import type { Store } from '../../db/connection.js';
import type { ReturnsFor } from '../incentives/period-facts.js';
import type { loadTierFacts } from '../tiers/evaluate-program.js';

/**
 * The history a simulation reads, kept between runs in this process (issue 14: warm means warm): per
 * period the facts the plan runs on, as columns, and the baseline's outcome per engine. The CLI and the
 * API's job runner run simulations through the same use case, so a second simulation of the same program
 * and range in the same process (another draft, or the same again) plans from memory.
 *
 * A kept history is found by vendor, program and range, and used only under the data version it was
 * loaded at (`simulationRepository.dataVersion`: it changes whenever anything the facts come from
 * changes); a different version replaces it. At most `MAX_HISTORIES` histories are kept (least recently
 * used first out), of at most `MAX_LINES` lines together (a history larger than that is not kept).
 */

/** One period as kept: its facts (as the close loads them, with the baseline's enrolments and tiers). */
export interface KeptPeriod {
  readonly columns: PeriodColumns;
  readonly returnsFor: ReturnsFor;
  readonly partners: readonly PartnerPeriodFacts[];
  readonly closed: boolean;
  /** What the ledger holds, per partner and component (closed periods). */
  readonly held: readonly { partnerId: string; component: string; amountMinor: number }[];
  /** The baseline's outcome, per engine (a published version's engine is compiled once per process). */
  readonly baselines: WeakMap<IncentiveEngine, PlanOutcome>;
}

export interface KeptHistory {
  readonly key: string;
  readonly version: string;
  /** By period code and the definition the facts were loaded with (`periodKey`). */
  readonly periods: Map<string, KeptPeriod>;
  /** Tier facts at the range's end, by the program definition they were read with. */
  readonly tiers: Map<string, KeptTierFacts>;
}

export type KeptTierFacts = Awaited<ReturnType<typeof loadTierFacts>>['facts'];

export const MAX_HISTORIES = 2;
/** About 50 bytes a line: 16M lines, some 800 MB. */
export const MAX_LINES = 16_000_000;

export const historyKey = (vendorId: string, programId: string, from: string, to: string) =>
  `${vendorId}|${programId}|${from}|${to}`;

const linesOf = (h: KeptHistory) => {
  let n = 0;
  for (const p of h.periods.values()) n += p.columns.length;
  return n;
};

export class HistoryCache {
  /** Least recently used first. */
  private readonly kept = new Map<string, KeptHistory>();
  /** Histories found kept at the version asked (hits), or not (misses). */
  readonly stats = { hits: 0, misses: 0 };

  constructor(
    private readonly maxHistories = MAX_HISTORIES,
    private readonly maxLines = MAX_LINES,
  ) {}

  /**
   * The history kept under `key` at `version` (then the most recently used), or a new empty one to fill;
   * a history kept at another version is dropped.
   */
  open(key: string, version: string): KeptHistory {
    const found = this.kept.get(key);
    if (found) {
      this.kept.delete(key);
      if (found.version === version) {
        this.kept.set(key, found);
        this.stats.hits++;
        return found;
      }
    }
    this.stats.misses++;
    return { key, version, periods: new Map(), tiers: new Map() };
  }

  /** The history kept under `key` at `version`, if any (counted neither as a hit nor a miss). */
  get(key: string, version: string): KeptHistory | undefined {
    const found = this.kept.get(key);
    return found?.version === version ? found : undefined;
  }

  /** Keeps a history filled by a run (within the bounds: see the module comment). */
  keep(history: KeptHistory): void {
    this.kept.delete(history.key);
    const lines = linesOf(history);
    if (lines > this.maxLines) return;
    this.kept.set(history.key, history);
    let total = 0;
    for (const h of this.kept.values()) total += linesOf(h);
    for (const [key, h] of this.kept) {
      if (this.kept.size <= this.maxHistories && total <= this.maxLines) break;
      if (key === history.key) continue;
      this.kept.delete(key);
      total -= linesOf(h);
    }
  }

  /** Drops every kept history. */
  clear(): void {
    this.kept.clear();
  }

  get size(): number {
    return this.kept.size;
  }
}

const caches = new WeakMap<Store, HistoryCache>();

/** The process's history cache for a store. */
export function historyCacheOf(store: Store): HistoryCache {
  let cache = caches.get(store);
  if (!cache) caches.set(store, (cache = new HistoryCache()));
  return cache;
}
