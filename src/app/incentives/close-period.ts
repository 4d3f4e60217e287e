import type { Message } from '../../core/messages/message.js';
import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { planPeriod, type ComponentSummary, type PeriodPlan } from '../../core/incentives/plan.js';
import { mergeShardPlans, type PlanLine } from '../../core/incentives/shards.js';
import { TX_KINDS, trueUps } from '../../core/ledger/settlement.js';
import { addDays } from '../../core/programs/dates.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import {
  emptyLedgerBatch,
  postingsIn,
  orderIntakeRepository,
  type NewLedgerEntry,
} from '../../db/repositories/order-intake-repository.js';
import { withBulkPostings } from '../../db/repositories/ledger-repository.js';
import type { PageRequest } from '../../db/repositories/page.js';
import { factVersionRepository } from '../../db/repositories/fact-version-repository.js';
import { settlementRepository, type CloseSort } from '../../db/repositories/settlement-repository.js';
import type { Database } from '../../db/schema.js';
import { analyzeAfterBulkWrite, bulkWorkMemory } from '../../db/statistics.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';
import { closeFingerprint } from './close-fingerprint.js';
import { checkShards, planInShards } from './close-shards.js';
import { engineFor } from './engines.js';
import { closeItemAccounts, postRule } from './ledger-rules.js';
import { loadPeriodFacts, type PeriodSubject } from './period-facts.js';
import { resolvePeriod, type ResolvedPeriod } from './program-period.js';
import { buildStatements } from './statements.js';
import { postSolutionRewards, SOLUTION_REWARD_COMPONENT } from '../agreements/solution-rewards.js';

export interface ClosePeriodOptions {
  /** Program id or code. */
  program: string;
  /** Period code, e.g. FY18-Q2. */
  period: string;
  /** Compute and report, write nothing (also allowed before the period ends). */
  dryRun?: boolean | undefined;
  /** Only this partner (dry runs: a partner's projection). */
  partnerId?: string | null | undefined;
  requestId?: string | null | undefined;
  /** Reports long work: a phase with its total, then how much of it is done. */
  progress?: CloseProgress | undefined;
  /**
   * Shards of partners the read-and-compute phase is split into (1..16, default 1): each on a thread of
   * its own reading the close's snapshot, their plans merged and applied in this transaction
   * (close-shards.ts). A one-partner dry run runs in one.
   */
  shards?: number | undefined;
  /**
   * Postings written to the ledger at once (default LEDGER_CHUNK_POSTINGS): the same ledger in more or
   * fewer statements (tests write in small chunks).
   */
  ledgerChunk?: number | undefined;
}

export interface CloseProgress {
  phase(name: string, total: number): void;
  update(done: number): void;
}

export type { ComponentSummary } from '../../core/incentives/plan.js';

export interface CloseResult {
  closeId: string | null;
  dryRun: boolean;
  programId: string;
  program: string;
  versionId: string;
  period: string;
  from: string;
  to: string;
  currency: string;
  lines: number;
  partners: number;
  transactions: number;
  entries: number;
  /** Net amount moved to partners by the true-ups. */
  netMinor: number;
  /** What partners earn in the period after the close. */
  totalMinor: number;
  statements: number;
  components: ComponentSummary[];
  /** Ledger (engine entries) == a from-scratch batch computation, per partner and component. */
  reconciled: boolean;
  /** Close items the engine proposes (cross-sell, growth, caps, minimums), for projections. */
  closeItems: {
    partnerId: string;
    component: string;
    type: string;
    amountMinor: number;
    explanation: string;
    explanationMessage: Message | null;
  }[];
}

/**
 * Period close. Recomputes the period from scratch with the final facts (each partner's tier at the
 * period's last day, new business against every purchase now known, clawback limits from what was
 * kept of returned lines), compares with what the ledger holds from the engine's own transactions, and
 * posts only the differences: per order line and component for accruals, per partner and component for
 * close items (cross-sell, growth, line-based close components, minimums and caps). Then checks that
 * the ledger equals the batch computation to the cent, builds the partners' draft statements, records
 * the close and audits it: all in one transaction. Closing twice posts nothing the second time.
 */
export async function closePeriod(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope },
  options: ClosePeriodOptions,
): Promise<CloseResult> {
  const shards = checkShards(options.shards ?? ctx.settings.close.shards);
  const resolved = await closablePeriod(ctx, who.scope, options);
  const dryRun = options.dryRun === true;
  const run = async (trx: Kysely<Database>) => {
    if (!dryRun && ctx.store.capabilities.kind === 'postgres')
      // One close of a program at a time: a second waits, then finds nothing left to true up.
      await settlementRepository(trx).lockProgram(resolved.vendorId, resolved.programId);
    await bulkWorkMemory(ctx.store, trx);
    return closeIn(trx, ctx, who, resolved, {
      dryRun,
      partnerId: options.partnerId ?? null,
      requestId: options.requestId ?? null,
      progress: options.progress ?? null,
      shards: options.partnerId ? 1 : shards,
      ledgerChunk: Math.max(1, Math.floor(options.ledgerChunk ?? LEDGER_CHUNK_POSTINGS)),
    });
  };
  // A dry run only reads: on SQLite it takes no write lock (others' writes go on), on PostgreSQL the
  // transaction is read only.
  const transaction = ctx.store.db.transaction();
  return (dryRun ? transaction.setAccessMode('read only') : transaction).execute(run);
}

/**
 * The period a close (or its dry run) would run on, after the checks a close makes before any work: the
 * caller is the vendor, the program and period exist, and a real close's period has ended.
 */
export async function closablePeriod(
  ctx: AppContext,
  scope: Scope,
  options: Pick<ClosePeriodOptions, 'program' | 'period' | 'dryRun'>,
): Promise<ResolvedPeriod> {
  if (scope.kind === 'partner') throw new TrellisError('forbidden', 'only the vendor closes its periods');
  const resolved = await resolvePeriod(ctx, scope, options.program, options.period);
  const { range } = resolved;
  const today = ctx.clock.now().toISOString().slice(0, 10);
  if (options.dryRun !== true && range.to >= today)
    throw new TrellisError(
      'conflict',
      `period ${range.code} runs until ${range.to}; it can be closed from ${addDays(range.to, 1)} (use a dry run to preview it)`,
    );
  return resolved;
}

/** Postings a close writes at once past which it refreshes the planner's statistics (PostgreSQL). */
const BULK_POSTINGS = 10_000;

/**
 * Postings a close holds in its ledger batch before writing them (at a partner's end: a transaction is
 * written whole). A large quarter posts millions; written in chunks, the batch (and the rows the store
 * binds from it) stays bounded instead of growing with the period. Small enough that a chunk's arrays are
 * let go while still young (collected by the young generation's scavenges, not promoted to the old
 * generation, where garbage waits for a full collection): at 131,072 a large close's heap grew 450 MB
 * while posting, at 16,384 230 MB (BENCHMARKS.md).
 */
export const LEDGER_CHUNK_POSTINGS = 16_384;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}

async function closeIn(
  db: Kysely<Database>,
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope },
  r: ResolvedPeriod,
  opts: {
    dryRun: boolean;
    partnerId: string | null;
    requestId: string | null;
    progress: CloseProgress | null;
    shards: number;
    ledgerChunk: number;
  },
): Promise<CloseResult> {
  const repo = settlementRepository(db);
  const program = r.definition;
  const { range } = r;
  const engine = engineFor(r.versionId, program);

  // --- the period's lines with the final facts, and the plan: what is due now against what the ledger
  // holds (core/incentives/plan.ts); in one shard here, or in shards of partners on threads of their own
  // (close-shards.ts), their plans merged (what spans partners is computed from the merged plan) ---
  let lineCount = 0;
  let linePartners: Set<string>;
  let plan: PeriodPlan | null = null;
  let fingerprint: string | null = null;
  let held: EngineHoldings | null = null;
  let partnerIds: Set<string>;
  let unchanged = false;
  // The last close of the whole period and what it left the ledger at, read once; and whether anything
  // was posted for the period since (the ledger is append-only: the same count of transactions says not).
  const factVersions = factVersionRepository(db, ctx.store.capabilities.kind);
  const factsAtStart =
    opts.partnerId === null && ctx.store.capabilities.factVersions !== null
      ? await factVersions.start(r.vendorId)
      : null;
  const last = opts.partnerId === null ? await repo.lastClose(r.programId, range.code) : undefined;
  const mark = ledgerMark(last);
  const nothingPosted =
    mark !== null && (await repo.periodTransactions(r.programId, range.code)) === mark.transactions;
  // A re-close (or its dry run) of the whole period when none of the facts a close reads changed since the
  // last close (the store's fact versions, the same program version, nothing posted for the period since):
  // what that close computed still holds, so nothing is read or computed again; the ledger already holds
  // what is due.
  const reused =
    last && mark && nothingPosted && factsAtStart
      ? await reusableClose(
          last,
          mark,
          r,
          (facts) => factVersions.unchangedSince(r.vendorId, facts, factsAtStart),
          opts.progress,
        )
      : null;
  if (reused) {
    ({ plan, fingerprint } = reused);
    lineCount = reused.lines;
    unchanged = true;
    linePartners = partnerIds = new Set();
  } else {
    // In functions of their own: the period's lines (and what they were read with) are their locals, let
    // go when they return, not kept by this function's frame until the close ends.
    const wantsMark = !opts.dryRun && opts.partnerId === null;
    const lastFingerprint = mark && nothingPosted ? mark.fingerprint : null;
    ({ lineCount, plan, fingerprint, held, partnerIds, linePartners, unchanged } =
      opts.shards > 1
        ? await planWholeInShards(ctx, db, r, opts.shards, opts.progress, lastFingerprint, wantsMark)
        : await planInOne(
            db,
            ctx.store,
            { ...r, engine },
            opts.partnerId,
            opts.progress,
            lastFingerprint,
            wantsMark,
          ));
  }

  const closeItems: CloseItem[] = reused
    ? reused.closeItems
    : plan.proposals.map((p) => ({
        partnerId: p.partnerId,
        component: p.component,
        type: p.type,
        amountMinor: p.amountMinor,
        explanation: p.explanation.text,
        explanationMessage: p.explanation.message ?? null,
      }));
  const partnerCount = reused ? reused.partners : partnerIds.size;
  // A whole period whose every holder has lines in it: what the close leaves the ledger at (its
  // fingerprint, worked out by the planning while it held the lines) says who holds what, for the next
  // re-close.
  const leavesMark =
    !opts.dryRun && opts.partnerId === null && (reused !== null || partnerIds.size === linePartners.size);

  // --- post ---
  const closeId = opts.dryRun ? null : ctx.ids.next('periodClose');
  const now = ctx.clock.now().toISOString();
  const postingsOf = groupBy(plan.postings, (p) => p.partnerId);
  const itemsOf = groupBy(plan.closeItems, (i) => i.partnerId);
  const moving = [...new Set([...postingsOf.keys(), ...itemsOf.keys()])].sort();
  let transactions = moving.length;
  let entries = 2 * (plan.postings.length + plan.closeItems.length);
  let net = plan.netMinor;
  const postsAny = plan.postings.length > 0 || plan.closeItems.length > 0;
  // The planned postings are held by partner from here, and each partner's are let go once posted (a large
  // quarter plans millions: they and the ledger batch they become are not held whole together).
  plan = { ...plan, postings: [] };
  if (!opts.dryRun) {
    let batch = emptyLedgerBatch();
    const where = { vendorId: r.vendorId, programId: r.programId, currency: program.currency };
    // Rules already written by an earlier chunk (a rule is written once; later chunks only point at it).
    const rulesWritten = new Set<string>();
    let postingsWritten = 0;
    const write = async () => {
      for (const id of rulesWritten) batch.rules.delete(id);
      const ids = batch.transactions.map((t) => t.id);
      const chunk = batch;
      // Payable totals per transaction in one grouped statement each, not per posting (SQLite).
      await withBulkPostings(db, ctx.store, ids, () =>
        orderIntakeRepository(db, ctx.store).appendLedger(chunk),
      );
      for (const id of chunk.rules.keys()) rulesWritten.add(id);
      postingsWritten += postingsIn(chunk);
      batch = emptyLedgerBatch();
    };
    opts.progress?.phase('posting', moving.length);
    let done = 0;
    for (const partnerId of moving) {
      opts.progress?.update(done++);
      const planned = postingsOf.get(partnerId) ?? [];
      postingsOf.delete(partnerId);
      const txId = ctx.ids.next('ledgerTransaction');
      const rowsOut: NewLedgerEntry[] = [];
      for (const { amountMinor, partnerId: _p, ...item } of itemsOf.get(partnerId) ?? []) {
        const common = {
          ...item,
          partnerId,
          lineId: null,
          transactionId: txId,
          vendorId: r.vendorId,
          programId: r.programId,
          currency: program.currency,
          period: range.code,
        };
        const accounts = closeItemAccounts(engine, item.component);
        rowsOut.push({ ...common, id: ctx.ids.next('ledgerEntry'), account: accounts.debit, amountMinor });
        rowsOut.push({
          ...common,
          id: ctx.ids.next('ledgerEntry'),
          account: accounts.credit,
          amountMinor: -amountMinor,
        });
      }
      const digest = createHash('sha256');
      // The digest's input, hashed in chunks (the same hash as one update per posting, far fewer calls).
      let said = '';
      let seq = 0;
      for (const l of planned) {
        postRule(
          batch,
          engine,
          where,
          {
            transactionId: txId,
            seq: seq++,
            lineId: l.lineId,
            baseMinor: l.baseMinor,
            amountMinor: l.amountMinor,
            dueMinor: l.dueMinor,
          },
          l.application,
        );
        said += `${l.lineId}\u0000${l.application.component}\u0000${l.amountMinor}\n`;
        if (said.length > 65_536) {
          digest.update(said);
          said = '';
        }
      }
      digest.update(said);
      digest.update(JSON.stringify(rowsOut.map((e) => [e.lineId, e.component, e.account, e.amountMinor])));
      batch.transactions.push({
        id: txId,
        vendorId: r.vendorId,
        partnerId,
        programId: r.programId,
        kind: TX_KINDS.trueUp,
        idempotencyKey: `close:${closeId}:${partnerId}`,
        inputHash: digest.digest('hex'),
        orderId: null,
        effectiveDate: range.to,
        period: range.code,
        reversesId: null,
        postedAt: now,
      });
      for (const e of rowsOut) batch.entries.push(e);
      if (postingsIn(batch) >= opts.ledgerChunk) await write();
    }
    opts.progress?.phase('writing the ledger', 1);
    await write();
    // A first close writes a period's postings at once: the planner learns of them before the
    // reconciliation and the statements read them in this transaction.
    if (postingsWritten >= BULK_POSTINGS)
      await analyzeAfterBulkWrite(ctx.store, db, [
        'ledger_transactions',
        'ledger_postings',
        'ledger_rules',
        'ledger_entries',
        'statements',
        'statement_lines',
      ]);
    opts.progress?.update(1);
  }

  // --- cross-vendor solution rewards: this vendor's funded shares of the sets completed in the period ---
  // (not engine entries: posted once per set, never recomputed, so outside the reconciliation below)
  // A dry run computes the shares the close would post (the partner's projected earnings include them).
  let solutionRewards = 0;
  const components: ComponentSummary[] = [...plan.components];
  {
    const posted = await postSolutionRewards(db, ctx, {
      vendorId: r.vendorId,
      programId: r.programId,
      currency: program.currency,
      range,
      partnerId: opts.partnerId,
      closeId,
      now,
    });
    transactions += posted.transactions;
    entries += posted.entries;
    net += posted.netMinor;
    solutionRewards = posted.rewards;
    if (posted.netMinor !== 0)
      components.unshift({
        component: SOLUTION_REWARD_COMPONENT,
        lineMinor: 0,
        closeMinor: 0,
        totalMinor: 0,
        trueUpMinor: posted.netMinor,
      });
  }

  // --- the invariant: engine entries == the batch computation, per partner and component ---
  // (An unchanged re-close holds what the last close reconciled, and what is due is the same. A close that
  // posted nothing compares the holdings it read: the engine's ledger did not change since.)
  let reconciled = true;
  if (!opts.dryRun && !unchanged) {
    const ledgerTotals = new Map<string, number>();
    // Read back summed per partner and component (what is compared), not per line.
    const after =
      postsAny || !held ? await repo.engineHoldings(r.programId, range.code, opts.partnerId, false) : held;
    for (const h of after) {
      const key = `${h.partnerId}\u0000${h.component}`;
      ledgerTotals.set(key, (ledgerTotals.get(key) ?? 0) + h.amountMinor);
    }
    const batchTotals = new Map(plan.totals.map((t) => [`${t.partnerId}\u0000${t.component}`, t.totalMinor]));
    const mismatch = trueUps(batchTotals, ledgerTotals);
    reconciled = mismatch.length === 0;
    if (!reconciled)
      throw new Error(
        `close of ${range.code} does not reconcile: ${mismatch
          .slice(0, 5)
          .map((m) => `${m.key.replace('\u0000', '/')}: ledger ${m.heldMinor}, batch ${m.expectedMinor}`)
          .join('; ')}`,
      );
  }

  const totalMinor = plan.totalMinor;
  let statements = 0;
  // (A one-partner dry run is the earnings projection, which does not show statements: not counted.)
  if (opts.dryRun && opts.partnerId === null) {
    statements = await statementsToBuild(repo, r, null, moving);
  }
  if (!opts.dryRun && closeId) {
    // What this close leaves the ledger at, for the next re-close (see leavesMark).
    const leaves =
      leavesMark && fingerprint !== null
        ? {
            fingerprint,
            transactions: await repo.periodTransactions(r.programId, range.code),
            ...(factsAtStart === null ? {} : { facts: await factVersions.mark(r.vendorId, factsAtStart) }),
          }
        : null;
    await repo.insertClose({
      id: closeId,
      vendorId: r.vendorId,
      programId: r.programId,
      programVersionId: r.versionId,
      period: range.code,
      fromDate: range.from,
      toDate: range.to,
      currency: program.currency,
      lines: lineCount,
      partners: partnerCount,
      transactions,
      entries,
      netMinor: net,
      totalMinor,
      statements,
      closedBy:
        who.actor.kind === 'person'
          ? who.actor.personId
          : who.actor.kind === 'token'
            ? who.actor.tokenId
            : who.actor.kind === 'system'
              ? who.actor.id
              : null,
      closedAt: now,
      summary: JSON.stringify({ components, reconciled, ...(leaves ? { ledgerMark: leaves } : {}) }),
      closeItems: leaves ? storedCloseItems(closeItems) : null,
    });
    statements = await buildStatements(db, ctx, {
      closeId,
      vendorId: r.vendorId,
      programId: r.programId,
      program,
      range,
      partnerId: opts.partnerId,
      now,
      progress: opts.progress,
    });
    await repo.setCloseStatements(closeId, statements);
    await recordAudit(db, ctx, {
      actor: who.actor,
      action: 'period.close',
      target: { type: 'program', id: r.programId, vendorId: r.vendorId, partnerId: null },
      after: { closeId, period: range.code, transactions, entries, netMinor: net, totalMinor },
      requestId: opts.requestId,
      detail: {
        closeId,
        program: r.programCode,
        period: range.code,
        lines: lineCount,
        transactions,
        entries,
        netMinor: net,
        statements,
        solutionRewards,
      },
    });
  }
  return {
    closeId,
    dryRun: opts.dryRun,
    programId: r.programId,
    program: r.programCode,
    versionId: r.versionId,
    period: range.code,
    from: range.from,
    to: range.to,
    currency: program.currency,
    lines: lineCount,
    partners: partnerCount,
    transactions,
    entries,
    netMinor: net,
    totalMinor,
    statements,
    components,
    reconciled,
    closeItems,
  };
}

type CloseItem = CloseResult['closeItems'][number];

/** A close item as `period_closes.close_items` keeps it (migration 0038). */
type StoredCloseItem = [string, string, string, number, string, Message | null];

/**
 * The close items as `period_closes.close_items` keeps them: JSON, deflated and base64-encoded after `z:`
 * (a medium quarter's 3,570 items are 5.2 MB of JSON, their messages repeating the same keys).
 */
function storedCloseItems(items: readonly CloseItem[]): string {
  const json = JSON.stringify(
    items.map((i): StoredCloseItem => [
      i.partnerId,
      i.component,
      i.type,
      i.amountMinor,
      i.explanation,
      i.explanationMessage,
    ]),
  );
  return `z:${deflateRawSync(json).toString('base64')}`;
}

function readCloseItems(stored: string): StoredCloseItem[] | null {
  if (!stored.startsWith('z:')) return null;
  return JSON.parse(
    inflateRawSync(Buffer.from(stored.slice(2), 'base64')).toString('utf8'),
  ) as StoredCloseItem[];
}

/**
 * What the last close of the period computed, when a re-close may reuse it: that close covered the whole
 * period and recorded the fact versions it left, which are still the store's (no order, line, tier record,
 * enrolment, registration, product, rate, program version or ledger transaction of the vendor, nor any
 * partner, changed since), under the same program version, and nothing was posted for the period since.
 * The plan it gives posts nothing: the ledger holds what that close left, which it reconciled.
 */
async function reusableClose(
  last: NonNullable<CloseRow>,
  mark: LedgerMark,
  r: ResolvedPeriod,
  unchangedSince: (facts: unknown) => Promise<boolean>,
  progress: CloseProgress | null,
): Promise<{
  plan: PeriodPlan;
  fingerprint: string;
  lines: number;
  partners: number;
  closeItems: CloseItem[];
} | null> {
  if (last.programVersionId !== r.versionId || last.closeItems === null || mark.facts === undefined)
    return null;
  const summary = JSON.parse(last.summary) as { components?: ComponentSummary[]; reconciled?: boolean };
  if (summary.reconciled !== true || !summary.components || !(await unchangedSince(mark.facts))) return null;
  const stored = readCloseItems(last.closeItems);
  if (!stored) return null;
  progress?.phase('reusing the last close (nothing changed since)', 1);
  const components = summary.components
    .filter((c) => c.component !== SOLUTION_REWARD_COMPONENT)
    .map((c) => ({ ...c, trueUpMinor: 0 }));
  const closeItems = stored.map(
    ([partnerId, component, type, amountMinor, explanation, explanationMessage]): CloseItem => ({
      partnerId,
      component,
      type,
      amountMinor,
      explanation,
      explanationMessage,
    }),
  );
  progress?.update(1);
  return {
    plan: {
      accruals: { width: 0, codes: [], amounts: [] },
      proposals: [],
      totals: [],
      totalMinor: Number(last.totalMinor),
      postings: [],
      closeItems: [],
      components,
      partners: new Set(),
      netMinor: 0,
    },
    fingerprint: mark.fingerprint,
    lines: last.lines,
    partners: last.partners,
    closeItems,
  };
}

/** What the close goes on with once the period is planned: not the period's lines. */
interface Planned {
  lineCount: number;
  plan: PeriodPlan;
  /**
   * What the plan leaves the ledger at: on an unchanged re-close, and for a whole period whose every holder
   * has lines in it (`wantsMark`: a real close of the whole period), for the next re-close; else null.
   */
  fingerprint: string | null;
  held: EngineHoldings | null;
  partnerIds: Set<string>;
  linePartners: Set<string>;
  unchanged: boolean;
}

type EngineHoldings = Awaited<ReturnType<ReturnType<typeof settlementRepository>['engineHoldings']>>;

/** The fingerprint a close leaves (see Planned), worked out while the lines are still at hand. */
function plannedFrom(
  lines: readonly PlanLine[],
  linePartners: Set<string>,
  p: Omit<Planned, 'lineCount' | 'linePartners'>,
  wantsMark: boolean,
): Planned {
  const leavesMark = wantsMark && p.partnerIds.size === linePartners.size;
  const fingerprint = leavesMark ? (p.fingerprint ?? closeFingerprint(lines, p.plan)) : p.fingerprint;
  return { ...p, fingerprint, lineCount: lines.length, linePartners };
}

/**
 * The plan made with the ledger taken to hold what is due, if it leaves the ledger where the last close
 * left it (its fingerprint); else null. A function of its own, so that a plan that does not match is not
 * kept while the close plans again against what the ledger holds.
 */
function ifStillDue(
  lines: readonly PlanLine[],
  lastFingerprint: string | null,
  planDue: () => PeriodPlan,
): { plan: PeriodPlan; fingerprint: string } | null {
  if (lastFingerprint === null) return null;
  const plan = planDue();
  const fingerprint = closeFingerprint(lines, plan);
  return fingerprint === lastFingerprint ? { plan, fingerprint } : null;
}

/**
 * The period's lines with their final facts, and the plan (core/incentives/plan.ts), in one shard. A
 * re-close of a whole period passes the fingerprint the last close left the ledger at when nothing was
 * posted for the period since: if the plan leaves the ledger there, the ledger holds what is due (nothing
 * to read back, compare or post). Otherwise (or on the least doubt) the holdings are read and compared.
 */
async function planInOne(
  db: Kysely<Database>,
  store: AppContext['store'],
  subject: PeriodSubject,
  partnerId: string | null,
  progress: CloseProgress | null,
  lastFingerprint: string | null,
  wantsMark: boolean,
): Promise<Planned> {
  const { engine, range } = subject;
  const repo = settlementRepository(db);
  progress?.phase('reading lines', 1);
  const facts = await loadPeriodFacts(db, store, subject, partnerId);
  const lines = facts.lines;
  progress?.update(1);
  progress?.phase('computing', 1);
  const linePartners = new Set(lines.map((l) => l.partnerId));
  let partnersFacts = await facts.partners([...linePartners]);
  const partnerIds = new Set(linePartners);
  const due = ifStillDue(lines, lastFingerprint, () =>
    planPeriod(engine, { period: range, lines, partners: partnersFacts, held: 'due' }),
  );
  if (due) {
    progress?.update(1);
    return plannedFrom(lines, linePartners, { ...due, held: null, partnerIds, unchanged: true }, wantsMark);
  }
  const held = await repo.engineHoldings(subject.programId, range.code, partnerId);
  for (const h of held) partnerIds.add(h.partnerId);
  if (partnerIds.size !== linePartners.size) partnersFacts = await facts.partners([...partnerIds]);
  const plan = planPeriod(engine, { period: range, lines, partners: partnersFacts, held });
  progress?.update(1);
  return plannedFrom(
    lines,
    linePartners,
    { plan, fingerprint: null, held, partnerIds, unchanged: false },
    wantsMark,
  );
}

/**
 * The same in shards of partners on threads of their own (close-shards.ts), their plans merged (what spans
 * partners is computed from the merged plan). A re-close of the whole period, as in one: the shards first
 * plan with the ledger taken to hold what is due (reading no holdings); the merged plan's fingerprint says
 * whether it does. If not, the shards plan again against what the ledger holds.
 */
async function planWholeInShards(
  ctx: AppContext,
  db: Kysely<Database>,
  r: ResolvedPeriod,
  shards: number,
  progress: CloseProgress | null,
  lastFingerprint: string | null,
  wantsMark: boolean,
): Promise<Planned> {
  const inShards = async (which: 'read' | 'due') => {
    progress?.phase(`computing in ${shards} shards`, shards);
    return mergeShardPlans(
      await planInShards(ctx.store, db, r, shards, progress, which, ctx.settings.close.queue),
    );
  };
  // (Its own function: a merged plan that does not match is not kept while the shards plan again.)
  const due = async () => {
    if (lastFingerprint === null) return null;
    const candidate = await inShards('due');
    const hit = ifStillDue(candidate.lines, lastFingerprint, () => candidate.plan);
    return hit && { lines: candidate.lines, ...hit };
  };
  const planned = (lines: readonly PlanLine[], plan: PeriodPlan, fingerprint: string | null) =>
    plannedFrom(
      lines,
      new Set(lines.map((l) => l.partnerId)),
      { plan, fingerprint, held: null, partnerIds: new Set(plan.partners), unchanged: fingerprint !== null },
      wantsMark,
    );
  const still = await due();
  if (still) return planned(still.lines, still.plan, still.fingerprint);
  const { lines, plan } = await inShards('read');
  return planned(lines, plan, null);
}

/**
 * How many draft statements the close would build (a dry run's report, reading only): one per partner with
 * payable entries of the program up to the period on no statement, with entries on a draft of the period
 * (a close rebuilds it), or with a difference the close would post.
 */
async function statementsToBuild(
  repo: ReturnType<typeof settlementRepository>,
  r: ResolvedPeriod,
  partnerId: string | null,
  moving: readonly string[],
): Promise<number> {
  const partners = new Set(await repo.partnersWithUnstated(r.programId, r.range.code, partnerId));
  for (const s of await repo.statementsOf(r.programId, r.range.code, partnerId ? [partnerId] : null))
    if (s.status === 'draft' && s.lines > 0) partners.add(s.partnerId);
  for (const p of moving) partners.add(p);
  return partners.size;
}

type CloseRow = Awaited<ReturnType<ReturnType<typeof settlementRepository>['lastClose']>>;

/**
 * What a close recorded of the ledger it left (see closeFingerprint), and of the facts it read (its fact
 * mark, `fact-version-repository.ts`; undefined when the store kept none), if it did.
 */
interface LedgerMark {
  fingerprint: string;
  transactions: number;
  facts: unknown;
}

function ledgerMark(close: CloseRow): LedgerMark | null {
  if (!close) return null;
  const { ledgerMark: mark } = JSON.parse(close.summary) as {
    ledgerMark?: { fingerprint?: unknown; transactions?: unknown; facts?: unknown };
  };
  return typeof mark?.fingerprint === 'string' && typeof mark.transactions === 'number'
    ? { fingerprint: mark.fingerprint, transactions: mark.transactions, facts: mark.facts }
    : null;
}

function closeView(c: Omit<NonNullable<CloseRow>, 'closeItems'>) {
  const summary = JSON.parse(c.summary) as { components?: ComponentSummary[] };
  return {
    id: c.id,
    vendorId: c.vendorId,
    programId: c.programId,
    programVersionId: c.programVersionId,
    period: c.period,
    from: c.fromDate,
    to: c.toDate,
    currency: c.currency,
    lines: c.lines,
    partners: c.partners,
    transactions: c.transactions,
    entries: c.entries,
    netMinor: Number(c.netMinor),
    totalMinor: Number(c.totalMinor),
    statements: c.statements,
    closedBy: c.closedBy,
    closedAt: c.closedAt,
    components: summary.components ?? [],
  };
}

export async function listCloses(
  ctx: AppContext,
  scope: Scope,
  filter: { program?: string | undefined; period?: string | undefined },
  page: PageParams<CloseSort>,
) {
  let programId: string | undefined;
  if (filter.program) {
    const p = await ctx.repos.programs.get(scope, filter.program);
    if (!p) return { items: [], nextCursor: null };
    programId = p.id;
  }
  const result = await paged(page, (req: PageRequest<CloseSort>) =>
    settlementRepository(ctx.store.db).listCloses(
      scope,
      { programId, period: filter.period?.toUpperCase() },
      req,
    ),
  );
  return { items: result.items.map(closeView), nextCursor: result.nextCursor };
}

export async function getClose(ctx: AppContext, scope: Scope, id: string) {
  const c = await settlementRepository(ctx.store.db).getClose(scope, id);
  if (!c) throw notFound('period close', id);
  return closeView(c);
}
