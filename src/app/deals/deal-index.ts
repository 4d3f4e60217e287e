import type { Kysely } from 'kysely';
import {
  CandidateIndex,
  type Evidence,
  type MatchCandidate,
  type PartyInput,
} from '../../core/matching/index.js';
import { FINAL_STATUSES } from '../../core/deals/lifecycle.js';
import type { Message } from '../../core/messages/message.js';
import type { Database } from '../../db/schema.js';
import type { Store } from '../../db/connection.js';
import { dealRepository } from '../../db/repositories/deal-repository.js';
import { dealSupportRepository } from '../../db/repositories/deal-support-repository.js';
import { namedAccountRepository } from '../../db/repositories/named-account-repository.js';
import type { AppContext } from '../context.js';
import type { ProgramInForce } from '../programs/program-in-force.js';

/** A party the matcher found for a submission, with what matched (for the vendor's reviewer only). */
export interface DealCandidate {
  kind: MatchCandidate['kind'];
  id: string;
  score: number;
  decision: 'match' | 'possible';
  evidence: (Evidence | { field: string; score: number; detail: string; detailMessage?: Message })[];
}

interface VendorIndex {
  index: CandidateIndex;
  /** Highest registration sequence indexed: submissions after it are read from the store on the next check. */
  sequence: number;
  /** Customers created at or after this instant are read again (a small overlap, deduplicated by id). */
  customersSince: string;
  /** Read only those created strictly after `customersSince` (no overlap needed: see vendorIndex). */
  customersAfter: boolean;
  /** The version of the vendor's direct-named list indexed, and the ids it added. */
  namedVersion: number;
  namedIds: string[];
}

/** Entries added between two yields to the event loop while an index is built or caught up. */
const ADDS_PER_SLICE = 2_000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The in-memory candidate index of each vendor, per store (one per process and thread). The store is the
 * source of truth: each check first reads what was submitted since the index last looked (by the
 * vendor's submission sequence, under the lock a submission holds) and the customers created since,
 * and every registration candidate's state is read from the store before it counts.
 */
const INDEXES = new WeakMap<Store, Map<string, VendorIndex>>();
/** Customers are re-read this far back, so one committed late by a concurrent transaction is not missed. */
const CUSTOMER_OVERLAP_MS = 10 * 60_000;

async function vendorIndex(ctx: AppContext, db: Kysely<Database>, vendorId: string): Promise<VendorIndex> {
  let byVendor = INDEXES.get(ctx.store);
  if (!byVendor) INDEXES.set(ctx.store, (byVendor = new Map()));
  let vi = byVendor.get(vendorId);
  if (!vi) {
    vi = {
      index: new CandidateIndex(),
      sequence: 0,
      customersSince: '',
      customersAfter: false,
      namedVersion: 0,
      namedIds: [],
    };
    byVendor.set(vendorId, vi);
  }
  // Refreshes may overlap (a request's and the warm-up's): each adds what it read (adding is idempotent)
  // and the sequence moves only past entries already added. They are never chained: on SQLite a refresh
  // inside a submission's transaction waiting for one outside it would wait for itself.
  await refresh(ctx, db, vendorId, vi);
  return vi;
}

/**
 * Brings a vendor's index up to date with the store. Building it the first time (a vendor with many
 * registrations and customers) yields to the event loop every few thousand entries, so other requests
 * are answered meanwhile.
 */
async function refresh(
  ctx: AppContext,
  db: Kysely<Database>,
  vendorId: string,
  vi: VendorIndex,
): Promise<void> {
  let added = 0;
  const slice = async () => {
    if (++added % ADDS_PER_SLICE === 0) await yieldToEventLoop();
  };
  for (const r of await dealRepository(db).submittedAfter(vendorId, vi.sequence)) {
    vi.sequence = Math.max(vi.sequence, r.sequence ?? 0);
    // A registration in a final state (a later one rejected as a conflict, withdrawn, lost...) never holds
    // its customer again: it is not indexed, so it cannot crowd the one that does out of the candidates.
    if ((FINAL_STATUSES as readonly string[]).includes(r.status)) {
      vi.index.remove(r.id);
      continue;
    }
    vi.index.add({
      id: r.id,
      kind: 'registration',
      party: {
        name: r.customerName,
        domain: r.customerDomain,
        country: r.customerCountry,
        addressLine: r.customerAddressLine,
        city: r.customerCity,
        postalCode: r.customerPostalCode,
      },
    });
    await slice();
  }
  const since = vi.customersSince;
  const customers = await dealSupportRepository(db).customersCreatedSince(vendorId, since, vi.customersAfter);
  let latest = since;
  for (const c of customers) {
    if (c.createdAt > latest) latest = c.createdAt;
    if (vi.index.has(c.id)) continue;
    vi.index.add({
      id: c.id,
      kind: 'customer',
      party: {
        name: c.name,
        domain: c.domain,
        country: c.country,
        addressLine: c.addressLine,
        city: c.city,
        postalCode: c.postalCode,
      },
    });
    await slice();
  }
  if (latest > since) {
    const t = Date.parse(latest);
    // The overlap is re-read only while a late commit can still fall into it: customers created longer
    // than the overlap before now have all committed (a bulk-loaded world, such as the demo's, shares
    // one creation time long past; re-reading it would read every customer on each check).
    const settled = t < ctx.clock.now().getTime() - CUSTOMER_OVERLAP_MS;
    vi.customersAfter = !Number.isNaN(t) && settled;
    vi.customersSince = Number.isNaN(t) || settled ? latest : new Date(t - CUSTOMER_OVERLAP_MS).toISOString();
  }
}

/**
 * Builds the indexes of every vendor that has registrations or customers, off any request (`trellis
 * serve` calls it at start), so the first submission of the day does not wait for it.
 */
export async function warmDealIndexes(ctx: AppContext): Promise<number> {
  const vendors = await dealSupportRepository(ctx.store.db).vendorIds();
  for (const v of vendors) await vendorIndex(ctx, ctx.store.db, v);
  return vendors.length;
}

/** Indexes the vendor's direct-named list (managed in the store) when its version moved. */
async function syncNamedAccounts(db: Kysely<Database>, vi: VendorIndex, vendorId: string): Promise<void> {
  const named = namedAccountRepository(db);
  const row = await named.counts(vendorId);
  const version = Number(row?.version ?? 0);
  if (version === vi.namedVersion) return;
  const accounts = await named.activeAccounts(vendorId);
  for (const id of vi.namedIds) vi.index.remove(id);
  vi.namedIds = accounts.map((a) => {
    vi.index.add({
      id: a.id,
      kind: 'named-account',
      party: { name: a.name, domain: a.domain, country: a.country },
    });
    return a.id;
  });
  vi.namedVersion = version;
}

/**
 * The vendor's registrations, customers and direct-named accounts that may be the submitted end customer,
 * best first, each with its evidence. Only `match` and `possible` decisions are returned.
 */
export async function findCandidates(
  ctx: AppContext,
  db: Kysely<Database>,
  program: ProgramInForce,
  party: PartyInput,
  options: { excludeRegistrationId?: string; limit?: number } = {},
): Promise<{
  registrations: DealCandidate[];
  customers: DealCandidate[];
  namedAccounts: DealCandidate[];
  /** The registration candidates' states, as read from the store for this search. */
  states: Awaited<ReturnType<ReturnType<typeof dealRepository>['statesOf']>>;
}> {
  const vi = await vendorIndex(ctx, db, program.vendorId);
  await syncNamedAccounts(db, vi, program.vendorId);
  const search = () =>
    vi.index
      .search(party, { limit: options.limit ?? 10 })
      .filter((c) => c.id !== options.excludeRegistrationId && c.decision !== 'none');
  let hits = search();
  let states: Awaited<ReturnType<ReturnType<typeof dealRepository>['statesOf']>> = [];
  // Registrations that reached a final state since they were indexed leave the index, and the search runs
  // again: the index scores a bounded number of entries per search, so registrations that no longer hold
  // their customer must not take the places of the one that does (first to register would break once
  // enough of them piled up on one customer). A final state is final: an evicted one never comes back.
  for (;;) {
    const ids = hits.filter((c) => c.kind === 'registration').map((c) => c.id);
    states = await dealRepository(db).statesOf(program.vendorId, ids);
    const ended = states.filter((s) => (FINAL_STATUSES as readonly string[]).includes(s.status));
    if (ended.length === 0) break;
    for (const s of ended) vi.index.remove(s.id);
    hits = search();
  }
  const found = hits.map((c) => ({
    kind: c.kind,
    id: c.id,
    score: c.score,
    decision: c.decision as 'match' | 'possible',
    evidence: [...c.evidence],
  }));
  return {
    registrations: found.filter((c) => c.kind === 'registration'),
    customers: found.filter((c) => c.kind === 'customer'),
    namedAccounts: found.filter((c) => c.kind === 'named-account'),
    states,
  };
}

/** Forgets the indexes of a store (tests that rebuild a store under the same object, a closed store). */
export function dropDealIndexes(store: Store): void {
  INDEXES.delete(store);
}
