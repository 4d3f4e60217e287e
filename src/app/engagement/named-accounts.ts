import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { historyEvent } from '../../core/engagement/history.js';
import { CandidateIndex, type PartyInput } from '../../core/matching/index.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { IdGenerator } from '../../core/shared/ids.js';
import type { Store } from '../../db/connection.js';
import { engagementRepository } from '../../db/repositories/engagement-repository.js';
import { engagementUpkeepRepository } from '../../db/repositories/engagement-upkeep-repository.js';
import { namedAccountRepository } from '../../db/repositories/named-account-repository.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { findCandidates } from '../deals/deal-index.js';
import { actorIdOf } from '../deals/deal-events.js';

/**
 * The vendor's direct-named accounts: the short list it serves directly (about 150 for EMC). Seeded from
 * the program file when a version is published, then managed by vendor admins (audited). At most the
 * program's `maxCount` are active at once: a conditional update of the vendor's count row holds it.
 * Each entry is matched to the vendor's customers with the deals matcher (name variants, domain,
 * country); customers created later are matched when a direct order of theirs is decided.
 */
export interface NamedAccount {
  id: string;
  name: string;
  domain: string | null;
  country: string;
  status: string;
  source: string;
  note: string | null;
  addedBy: string;
  addedAt: string;
  removedBy: string | null;
  removedAt: string | null;
  removalReason: string | null;
  matches: { customerId: string; customerName: string; score: number }[];
}

/** Adds the program file's accounts that are not listed yet (a new version may add some). */
export async function seedNamedAccounts(
  db: Kysely<Database>,
  ids: IdGenerator,
  vendorId: string,
  program: ProgramDefinition,
  now: string,
): Promise<number> {
  const accounts = program.coverage.directNamedAccounts.accounts;
  if (accounts.length === 0) return 0;
  const named = namedAccountRepository(db);
  await named.ensureCountRow(vendorId);
  const active = await named.activeAccounts(vendorId);
  const listed = new Set(active.map((a) => a.name.toLowerCase()));
  const fresh = accounts.filter((a) => !listed.has(a.name.toLowerCase()));
  if (fresh.length === 0) return 0;
  await named.insertAccounts(
    fresh.map((a) => ({
      id: ids.next('namedAccount'),
      vendorId,
      name: a.name,
      domain: a.domain,
      country: a.country,
      status: 'active',
      source: 'program',
      note: `from program ${program.code} version ${program.version}`,
      addedBy: 'program',
      addedAt: now,
      removedBy: null,
      removedAt: null,
      removalReason: null,
    })),
  );
  await named.moveCount(vendorId, fresh.length);
  return fresh.length;
}

interface NamedIndex {
  version: number;
  index: CandidateIndex;
  names: Map<string, string>;
  /** Parties (as JSON) the matcher found no match for in this version of the list. */
  misses: Set<string>;
}
/** Most no-match answers kept per vendor (the set starts again when full). */
const MAX_MISSES_KEPT = 200_000;
const NAMED = new WeakMap<Store, Map<string, NamedIndex>>();

/**
 * The active named account a customer is, if any: its recorded match, else the matcher run against the
 * list (a customer created after the list was matched); a new match is recorded.
 */
export async function namedAccountOf(
  trx: Kysely<Database>,
  store: Store,
  vendorId: string,
  customer: PartyInput & { id: string },
  now: string,
): Promise<{ id: string; name: string; since: string } | null> {
  const repo = engagementRepository(trx, store);
  const recorded = await repo.namedMatchOf(vendorId, customer.id);
  if (recorded) return { id: recorded.id, name: recorded.name, since: recorded.addedAt.slice(0, 10) };
  const version = await repo.namedListVersion(vendorId);
  if (version === 0) return null;
  let byVendor = NAMED.get(store);
  if (!byVendor) NAMED.set(store, (byVendor = new Map()));
  let named = byVendor.get(vendorId);
  if (!named || named.version !== version) {
    const rows = await namedAccountRepository(trx).activeAccounts(vendorId);
    const index = new CandidateIndex();
    for (const r of rows)
      index.add({
        id: r.id,
        kind: 'named-account',
        party: { name: r.name, domain: r.domain, country: r.country },
      });
    named = { version, index, names: new Map(rows.map((r) => [r.id, r.name])), misses: new Set() };
    byVendor.set(vendorId, named);
  }
  if (named.index.size === 0) return null;
  // A customer the list's matcher found no match for: the same answer while the list is the same.
  const key = JSON.stringify([
    customer.name,
    customer.domain ?? null,
    customer.country ?? null,
    customer.addressLine ?? null,
    customer.city ?? null,
    customer.postalCode ?? null,
  ]);
  if (named.misses.has(key)) return null;
  const best = named.index.search(customer, { limit: 1 })[0];
  if (!best || best.decision !== 'match') {
    if (named.misses.size >= MAX_MISSES_KEPT) named.misses.clear();
    named.misses.add(key);
    return null;
  }
  await namedAccountRepository(trx).recordMatch({
    vendorId,
    namedAccountId: best.id,
    customerId: customer.id,
    score: best.score,
    evidence: JSON.stringify(best.evidence),
    matchedAt: now,
  });
  return { id: best.id, name: named.names.get(best.id) ?? best.id, since: now.slice(0, 10) };
}

/** The vendor's list with the customers each entry was matched to. */
export async function listNamedAccounts(
  ctx: AppContext,
  scope: Scope,
  vendorId: string,
  options: { status?: 'active' | 'removed' | 'all' | undefined } = {},
): Promise<{ items: NamedAccount[]; active: number; maxCount: number | null }> {
  if (scope.kind !== 'vendor' || scope.vendorId !== vendorId) throw notFound('vendor', vendorId);
  const named = namedAccountRepository(ctx.store.db);
  const rows = await named.list(vendorId, options.status ?? 'active');
  const matches = await named.matchesWithCustomers(vendorId);
  const visible = (region: string) => scope.regions.length === 0 || scope.regions.includes(region as never);
  const byAccount = new Map<string, NamedAccount['matches']>();
  for (const m of matches) {
    if (!visible(m.region)) continue;
    const list = byAccount.get(m.namedAccountId) ?? [];
    list.push({ customerId: m.customerId, customerName: m.customerName, score: Number(m.score) });
    byAccount.set(m.namedAccountId, list);
  }
  const counts = await named.counts(vendorId);
  return {
    items: rows.map((r) => ({
      id: r.id,
      name: r.name,
      domain: r.domain,
      country: r.country,
      status: r.status,
      source: r.source,
      note: r.note,
      addedBy: r.addedBy,
      addedAt: r.addedAt,
      removedBy: r.removedBy,
      removedAt: r.removedAt,
      removalReason: r.removalReason,
      matches: (byAccount.get(r.id) ?? []).sort((a, b) => b.score - a.score),
    })),
    active: Number(counts?.active ?? 0),
    maxCount: await maxCountOf(ctx, ctx.store.db, vendorId),
  };
}

/** The limit of the vendor's program in force today (else its latest version). */
async function maxCountOf(ctx: AppContext, db: Kysely<Database>, vendorId: string): Promise<number | null> {
  const program = await programForCoverage(ctx, db, vendorId);
  return program?.definition.coverage.directNamedAccounts.maxCount ?? null;
}

/** The vendor's program whose coverage rules apply today: in force today, else the latest published. */
export async function programForCoverage(ctx: AppContext, db: Kysely<Database>, vendorId: string) {
  const versions = await engagementUpkeepRepository(db).publishedVersionsLatestFirst(vendorId);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const v = versions.find((x) => x.effectiveFrom <= today && today <= x.effectiveTo) ?? versions[0];
  if (!v) return null;
  return {
    programId: v.programId,
    vendorId,
    versionId: v.id,
    definition: JSON.parse(v.definition) as ProgramDefinition,
    asOf: today,
  };
}

/** Adds an account to the list (vendor admins); refused past the program's `maxCount`. */
export async function addNamedAccount(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  input: {
    name: string;
    domain?: string | null | undefined;
    country: string;
    note?: string | null | undefined;
    requestId?: string;
  },
): Promise<NamedAccount> {
  if (who.scope.kind !== 'vendor')
    throw new TrellisError('forbidden', 'only a vendor manages its named accounts');
  const vendorId = who.scope.vendorId;
  const name = input.name.trim().replace(/\s+/g, ' ');
  if (name.length === 0)
    throw new TrellisError('invalid_input', 'the account needs a name', [
      { location: 'body.name', message: 'must not be blank' },
    ]);
  const program = await programForCoverage(ctx, ctx.store.db, vendorId);
  if (!program)
    throw new TrellisError('invalid_input', 'the vendor has no published program with coverage rules');
  const max = program.definition.coverage.directNamedAccounts.maxCount;
  const now = ctx.clock.now().toISOString();
  const id = ctx.ids.next('namedAccount');
  const party = { name, domain: input.domain ?? null, country: input.country };
  await ctx.store.db.transaction().execute(async (trx) => {
    const named = namedAccountRepository(trx);
    await named.ensureCountRow(vendorId);
    if (!(await named.takeSlot(vendorId, max)))
      throw new TrellisError(
        'limit_exceeded',
        `the program allows at most ${max} direct-named accounts and ${max} are listed; remove one first`,
        [{ location: 'body', message: `the list is full (maxCount ${max})` }],
      );
    const names = await named.activeAccounts(vendorId);
    const same = names.find((n) => n.name.toLowerCase() === name.toLowerCase());
    if (same)
      throw new TrellisError('conflict', `"${name}" is already a direct-named account (${same.id})`, [
        { location: 'body.name', message: 'already listed' },
      ]);
    await named.insertAccounts([
      {
        id,
        vendorId,
        name,
        domain: party.domain,
        country: party.country,
        status: 'active',
        source: 'manual',
        note: input.note ?? null,
        addedBy: actorIdOf(who.actor),
        addedAt: now,
        removedBy: null,
        removedAt: null,
        removalReason: null,
      },
    ]);
    // The customers it is (name variants included): recorded, each with a history event.
    const found = await findCandidates(ctx, trx, program, party, { limit: 20 });
    const matched = found.customers.filter((c) => c.decision === 'match');
    if (matched.length > 0) {
      await named.insertMatches(
        matched.map((m) => ({
          vendorId,
          namedAccountId: id,
          customerId: m.id,
          score: m.score,
          evidence: JSON.stringify(m.evidence),
          matchedAt: now,
        })),
      );
      await engagementRepository(trx, ctx.store).insertCoverageEvents(
        matched.map((m) => ({
          id: ctx.ids.next('coverageEvent'),
          vendorId,
          customerId: m.id,
          onDay: now.slice(0, 10),
          kind: 'named',
          partnerId: null,
          orderId: null,
          namedAccountId: id,
          sentence: historyEvent('named', {
            day: now.slice(0, 10),
            name,
            actor: actorIdOf(who.actor),
            score: m.score.toFixed(2),
          }).sentence,
          createdAt: now,
        })),
      );
    }
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'named-account.add',
      target: { type: 'named-account', id, vendorId, partnerId: null },
      after: { ...party, note: input.note ?? null, matched: matched.map((m) => m.id) },
      requestId: input.requestId ?? null,
    });
  });
  const list = await listNamedAccounts(ctx, who.scope, vendorId, { status: 'all' });
  const added = list.items.find((a) => a.id === id);
  if (!added) throw notFound('named account', id);
  return added;
}

/** Removes an account from the list (vendor admins), with the reason; its customers become open or channel-exclusive. */
export async function removeNamedAccount(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  id: string,
  input: { reason: string; requestId?: string },
): Promise<NamedAccount> {
  if (who.scope.kind !== 'vendor') throw notFound('named account', id);
  const vendorId = who.scope.vendorId;
  const now = ctx.clock.now().toISOString();
  const reason = input.reason.trim();
  if (reason.length === 0)
    throw new TrellisError('invalid_input', 'say why the account leaves the list', [
      { location: 'body.reason', message: 'must not be blank' },
    ]);
  await ctx.store.db.transaction().execute(async (trx) => {
    const named = namedAccountRepository(trx);
    const row = await named.get(id);
    if (!row || row.vendorId !== vendorId) throw notFound('named account', id);
    const removed = await named.remove(id, {
      removedBy: actorIdOf(who.actor),
      removedAt: now,
      removalReason: reason,
    });
    if (!removed) throw new TrellisError('conflict', `named account ${id} was already removed`);
    await named.moveCount(vendorId, -1);
    const matched = await named.matchedCustomers(id);
    if (matched.length > 0)
      await engagementRepository(trx, ctx.store).insertCoverageEvents(
        matched.map((m) => ({
          id: ctx.ids.next('coverageEvent'),
          vendorId,
          customerId: m.customerId,
          onDay: now.slice(0, 10),
          kind: 'unnamed',
          partnerId: null,
          orderId: null,
          namedAccountId: id,
          sentence: historyEvent('unnamed', { day: now.slice(0, 10), name: row.name, reason }).sentence,
          createdAt: now,
        })),
      );
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'named-account.remove',
      target: { type: 'named-account', id, vendorId, partnerId: null },
      before: { status: 'active' },
      after: { status: 'removed', reason },
      requestId: input.requestId ?? null,
    });
  });
  const list = await listNamedAccounts(ctx, who.scope, vendorId, { status: 'all' });
  const removed = list.items.find((a) => a.id === id);
  if (!removed) throw notFound('named account', id);
  return removed;
}
