import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import type {
  FamilyRevenue,
  IncentiveEngine,
  IncentiveLine,
  LineFacts,
  PartnerPeriodFacts,
} from '../../core/incentives/index.js';
import { periodOf, periodRange, type PeriodRange } from '../../core/ledger/periods.js';
import { inTurnOrder, leftOfSale, returnInTurn } from '../../core/ledger/clawback.js';
import { ACCOUNTS, keptOfLine, TX_KINDS, trueUps } from '../../core/ledger/settlement.js';
import type { ProductFamily } from '../../core/model/catalog.js';
import { addDays, addDuration } from '../../core/programs/dates.js';
import type { NewBusinessComponent } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import {
  emptyLedgerBatch,
  orderIntakeRepository,
  type NewLedgerEntry,
} from '../../db/repositories/order-intake-repository.js';
import { postRule } from './ledger-rules.js';
import { planPeriod, type ComponentSummary } from '../../core/incentives/plan.js';
import { newBusinessWindow, PurchaseHistory } from '../../core/incentives/new-business.js';
import { tierHeldOn } from '../../core/tiers/held-on.js';
import { analyzeAfterBulkWrite } from '../../db/statistics.js';
import type { PageRequest } from '../../db/repositories/page.js';
import { settlementRepository, type CloseSort } from '../../db/repositories/settlement-repository.js';
import type { Database } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';
import { engineFor } from './engines.js';
import { partnerFacts, productFacts, type EnrolmentFacts } from './line-facts.js';
import { productRepository } from '../../db/repositories/product-repository.js';

const NO_ATTRIBUTES = { licensing: null, solution: null } as const;
import { accrualFacts } from './post-accruals.js';
import { periodDealFacts } from '../deals/deal-facts.js';
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
  const resolved = await closablePeriod(ctx, who.scope, options);
  const dryRun = options.dryRun === true;
  const run = async (trx: Kysely<Database>) => {
    if (!dryRun && ctx.store.capabilities.kind === 'postgres')
      // One close of a program at a time: a second waits, then finds nothing left to true up.
      await settlementRepository(trx).lockProgram(resolved.programId);
    return closeIn(trx, ctx, who, resolved, {
      dryRun,
      partnerId: options.partnerId ?? null,
      requestId: options.requestId ?? null,
      progress: options.progress ?? null,
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

interface LoadedLine {
  line: IncentiveLine;
  orderId: string;
  returnsLineId: string | null;
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
  },
): Promise<CloseResult> {
  const repo = settlementRepository(db);
  const program = r.definition;
  const { range } = r;
  const engine = engineFor(r.versionId, program);
  const tierCodes = program.tiers.map((t) => t.code);
  const floorTier = tierCodes[0] ?? 'authorized';

  // --- the period's lines, with the final facts ---
  const enrolments = new Map<string, EnrolmentFacts>(
    (await repo.enrolments(r.programId, opts.partnerId)).map((e) => [e.partnerId, e]),
  );
  opts.progress?.phase('reading lines', 1);
  const rows = (await repo.periodLines(r.vendorId, range.from, range.to, opts.partnerId)).filter((l) =>
    enrolments.has(l.resellerId),
  );
  const tiersByPartner = new Map<string, { tierCode: string; validFrom: string; validTo: string | null }[]>();
  for (const m of await repo.memberships(r.programId, tierCodes, opts.partnerId)) {
    const list = tiersByPartner.get(m.partnerId) ?? [];
    list.push(m);
    tiersByPartner.set(m.partnerId, list);
  }
  const tierOn = (partnerId: string, day: string): string | null =>
    tierHeldOn(tiersByPartner.get(partnerId) ?? [], day);
  const finalTier = new Map<string, string | null>();
  const tierOfLine = (partnerId: string, day: string): string => {
    if (!finalTier.has(partnerId)) finalTier.set(partnerId, tierOn(partnerId, range.to));
    return finalTier.get(partnerId) ?? tierOn(partnerId, day) ?? floorTier;
  };

  // A return mirrors its sale: it takes the new-business fact of the line it returns and the tier of that
  // line's period, so it reverses what the sale earned (and no more: see the clawback limits).
  const originals = new Map(
    (
      await repo.lineDates([
        ...new Set(rows.map((l) => l.returnsLineId).filter((x): x is string => x !== null)),
      ])
    ).map((o) => [o.id, o]),
  );
  const earliest = [...originals.values()].reduce((m, o) => (o.orderDate < m ? o.orderDate : m), range.from);
  const nb = program.components.find((c): c is NewBusinessComponent => c.kind === 'new-business');
  const isNew = await newBusinessOracle(
    repo,
    r.vendorId,
    nb,
    { from: earliest, to: range.to },
    opts.partnerId ? [...new Set(rows.map((l) => l.customerId))] : null,
  );
  const factsDay = (l: (typeof rows)[number]) => {
    const o = l.returnsLineId ? originals.get(l.returnsLineId) : undefined;
    if (!o)
      return { tier: tierOfLine(l.resellerId, l.orderDate), newBusiness: isNew(l.customerId, l.orderDate) };
    const p = periodOf(program, o.orderDate);
    const end = p ? periodRange(program, p).to : range.to;
    const tier =
      tierOn(l.resellerId, end) ?? tierOn(l.resellerId, o.orderDate) ?? tierOfLine(l.resellerId, l.orderDate);
    return { tier, newBusiness: isNew(o.customerId, o.orderDate) };
  };

  // The registered-deal benefit (src/core/deals/benefit.ts), read only when the program pays one.
  const dealFact = program.components.some((c) => c.kind === 'deal-registration')
    ? await periodDealFacts(db, rows)
    : () => false;
  // The product attributes programs test (line.licensing, line.solution), as real-time accrual read them.
  const attributes = await productRepository(db).attributes(r.vendorId);
  // Lines of one partner and order context with the same tier and facts share one facts object.
  const factsCache = new Map<string, LineFacts>();
  const loaded: LoadedLine[] = rows.map((l) => {
    const day = factsDay(l);
    const deal = dealFact(l);
    const attrs = attributes.get(l.productId) ?? NO_ATTRIBUTES;
    const key = `${l.resellerId}|${l.channel}|${l.country}|${l.region}|${l.segment}|${day.tier}|${day.newBusiness ? 1 : 0}|${deal ? 1 : 0}|${attrs.licensing ?? ''}|${attrs.solution ?? ''}`;
    let facts = factsCache.get(key);
    if (!facts) {
      facts = {
        ...accrualFacts(
          program,
          { ...l, channel: l.channel as never },
          enrolments.get(l.resellerId) as EnrolmentFacts,
          day.tier,
          day.newBusiness,
        ),
        registeredDeal: deal,
        ...productFacts(attrs),
      };
      factsCache.set(key, facts);
    }
    return {
      orderId: l.orderId,
      returnsLineId: l.returnsLineId,
      line: {
        lineId: l.id,
        partnerId: l.resellerId,
        customerId: l.customerId,
        orderDate: l.orderDate,
        family: l.family as ProductFamily,
        amountMinor: l.amountMinor,
        quantity: l.quantity,
        orderTotalMinor: l.totalMinor,
        facts,
      },
    };
  });
  await applyClawbackLimits(repo, engine, range, loaded);
  const lines = loaded.map((l) => l.line);

  opts.progress?.update(1);
  // --- the plan: what is due now against what the ledger holds (core/incentives/plan.ts) ---
  opts.progress?.phase('computing', 1);
  const held = await repo.engineHoldings(r.programId, range.code, opts.partnerId);
  const partnerIds = new Set(lines.map((l) => l.partnerId));
  for (const h of held) partnerIds.add(h.partnerId);
  const partnersFacts = await periodFacts(repo, r, [...partnerIds], enrolments, (p) =>
    tierOfLine(p, range.to),
  );
  const plan = planPeriod(engine, { period: range, lines, partners: partnersFacts, held });
  opts.progress?.update(1);

  // --- post ---
  const closeId = opts.dryRun ? null : ctx.ids.next('periodClose');
  const now = ctx.clock.now().toISOString();
  const postingsOf = groupBy(plan.postings, (p) => p.partnerId);
  const itemsOf = groupBy(plan.closeItems, (i) => i.partnerId);
  const moving = [...new Set([...postingsOf.keys(), ...itemsOf.keys()])].sort();
  let transactions = moving.length;
  let entries = 2 * (plan.postings.length + plan.closeItems.length);
  let net = plan.netMinor;
  if (!opts.dryRun) {
    const batch = emptyLedgerBatch();
    const where = { vendorId: r.vendorId, programId: r.programId, currency: program.currency };
    opts.progress?.phase('posting', moving.length);
    let done = 0;
    for (const partnerId of moving) {
      opts.progress?.update(done++);
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
        rowsOut.push({ ...common, id: ctx.ids.next('ledgerEntry'), account: ACCOUNTS.expense, amountMinor });
        rowsOut.push({
          ...common,
          id: ctx.ids.next('ledgerEntry'),
          account: ACCOUNTS.payable,
          amountMinor: -amountMinor,
        });
      }
      const digest = createHash('sha256');
      let seq = 0;
      for (const l of postingsOf.get(partnerId) ?? []) {
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
        digest.update(`${l.lineId}\u0000${l.application.component}\u0000${l.amountMinor}\n`);
      }
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
    }
    opts.progress?.phase('writing the ledger', 1);
    await orderIntakeRepository(db, ctx.store).appendLedger(batch);
    // A first close writes a period's postings at once: the planner learns of them before the
    // reconciliation and the statements read them in this transaction (PostgreSQL).
    if (batch.postings.length >= BULK_POSTINGS)
      await analyzeAfterBulkWrite(ctx.store, db, [
        'ledger_transactions',
        'ledger_postings',
        'ledger_rules',
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
  let reconciled = true;
  if (!opts.dryRun) {
    const ledgerTotals = new Map<string, number>();
    for (const h of await repo.engineHoldings(r.programId, range.code, opts.partnerId)) {
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
    await repo.insertClose({
      id: closeId,
      vendorId: r.vendorId,
      programId: r.programId,
      programVersionId: r.versionId,
      period: range.code,
      fromDate: range.from,
      toDate: range.to,
      currency: program.currency,
      lines: lines.length,
      partners: partnerIds.size,
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
      summary: JSON.stringify({ components, reconciled }),
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
        lines: lines.length,
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
    lines: lines.length,
    partners: partnerIds.size,
    transactions,
    entries,
    netMinor: net,
    totalMinor,
    statements,
    components,
    reconciled,
    closeItems: plan.proposals.map((p) => ({
      partnerId: p.partnerId,
      component: p.component,
      type: p.type,
      amountMinor: p.amountMinor,
      explanation: p.explanation.text,
    })),
  };
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

/**
 * New business (core/incentives/new-business.ts) with every purchase now known: the purchases of the
 * component's families over the look-back window before the earliest day asked.
 */
async function newBusinessOracle(
  repo: ReturnType<typeof settlementRepository>,
  vendorId: string,
  nb: NewBusinessComponent | undefined,
  range: { from: string; to: string },
  customers: string[] | null,
): Promise<(customerId: string, day: string) => boolean> {
  if (!nb) return () => false;
  const history = new PurchaseHistory();
  const from = newBusinessWindow(nb, range.from).from;
  for (const p of await repo.purchaseDays(vendorId, nb.families, from, range.to, customers))
    history.add(p.customerId, p.family, p.orderDate);
  return (customerId, day) => history.isNew(nb, customerId, day);
}

/**
 * Clawback limits (core/ledger/clawback.ts) for the period's returns: per accrual component, what the
 * partner kept of the returned line less what earlier returns of it clawed back. For a line sold before
 * the period, what it kept is its credits scaled by what its period's close kept of the component; for a
 * line sold in the period, what it earns in this close. Returns of the same line in this period take
 * their turn in date order, each limited by what the previous ones left.
 */
async function applyClawbackLimits(
  repo: ReturnType<typeof settlementRepository>,
  engine: IncentiveEngine,
  range: PeriodRange,
  loaded: LoadedLine[],
): Promise<void> {
  const returns = loaded.filter((l) => l.returnsLineId !== null && l.line.amountMinor < 0);
  if (returns.length === 0) return;
  const originals = [...new Set(returns.map((l) => l.returnsLineId as string))];
  const dates = new Map((await repo.lineDates(originals)).map((d) => [d.id, d.orderDate]));
  const earlier = originals.filter((o) => (dates.get(o) ?? range.from) < range.from);
  const left = new Map<string, Map<string, number>>(); // original -> component -> kept - clawed so far
  // Sold in the period: what the sale earns in this close (a sale not in the close's lines earned nothing
  // here, so its return claws nothing back).
  const inPeriod = new Map(loaded.map((l) => [l.line.lineId, l]));
  for (const o of originals) {
    if (earlier.includes(o)) continue;
    const sale = inPeriod.get(o);
    left.set(o, leftOfSale(sale && sale.line.amountMinor > 0 ? engine.accrueLine(sale.line) : []));
  }
  if (earlier.length > 0) {
    const siblings = (await repo.returnsOf(earlier)).filter((s) => s.orderDate < range.from);
    const credits = await repo.lineCredits([...earlier, ...siblings.map((s) => s.id)]);
    const splitKeys = new Map<string, Set<string>>();
    for (const c of credits)
      if (earlier.includes(c.lineId)) {
        const set = splitKeys.get(c.programId) ?? new Set<string>();
        set.add(c.period);
        splitKeys.set(c.programId, set);
      }
    const split = new Map<string, { lineMinor: number; closeMinor: number }>();
    const partners = [...new Set(credits.map((c) => c.partnerId).filter((p): p is string => p !== null))];
    for (const [programId, periods] of splitKeys)
      for (const s of await repo.componentSplit(programId, [...periods], partners))
        split.set(`${programId}\u0000${s.partnerId}\u0000${s.period}\u0000${s.component}`, s);
    const originalOf = new Map(siblings.map((s) => [s.id, s.returnsLineId as string]));
    for (const o of earlier) {
      const kept = credits
        .filter((c) => c.lineId === o)
        .map((c) => {
          const sp = split.get(`${c.programId}\u0000${c.partnerId}\u0000${c.period}\u0000${c.component}`);
          return {
            component: c.component,
            amountMinor: keptOfLine(c.amountMinor, sp?.lineMinor ?? 0, sp?.closeMinor ?? 0),
          };
        });
      // A return's credit is negative.
      left.set(
        o,
        leftOfSale(
          kept,
          credits.filter((c) => originalOf.get(c.lineId) === o),
        ),
      );
    }
  }
  const turns = returns.map((l) => ({ l, lineId: l.line.lineId, orderDate: l.line.orderDate }));
  for (const { l } of inTurnOrder(turns))
    returnInTurn(left.get(l.returnsLineId as string) as Map<string, number>, (limits) => {
      l.line = { ...l.line, clawbackLimitMinor: limits };
      return engine.accrueLine(l.line);
    });
}

/** Partner facts at the period's end, and growth comparisons when the program has growth accelerators. */
async function periodFacts(
  repo: ReturnType<typeof settlementRepository>,
  r: ResolvedPeriod,
  partnerIds: string[],
  enrolments: Map<string, EnrolmentFacts>,
  finalTier: (partnerId: string) => string,
): Promise<PartnerPeriodFacts[]> {
  const program = r.definition;
  const { range } = r;
  const growth = program.components.filter((c) => c.kind === 'growth-accelerator');
  const comparisons = new Map<string, Record<string, Partial<Record<ProductFamily, number>>>>();
  const only = partnerIds.length === 1 ? (partnerIds[0] ?? null) : null;
  const months = program.periods === 'month' ? 1 : 3;
  const ranges: Record<string, [string, string]> = {
    'same-period-last-year': [
      addDuration(range.from, { months: -12, days: 0 }),
      addDuration(range.to, { months: -12, days: 0 }),
    ],
    'previous-period': [addDuration(range.from, { months: -months, days: 0 }), addDays(range.from, -1)],
  };
  for (const kind of new Set(growth.map((g) => (g as { comparedWith: string }).comparedWith))) {
    const span = ranges[kind];
    if (!span) continue;
    for (const row of await repo.revenue(r.vendorId, span[0], span[1], only)) {
      const byKind = comparisons.get(row.partnerId) ?? {};
      const fam = byKind[kind] ?? {};
      fam[row.family as ProductFamily] = (fam[row.family as ProductFamily] ?? 0) + row.amountMinor;
      byKind[kind] = fam;
      comparisons.set(row.partnerId, byKind);
    }
  }
  return partnerIds.map((partnerId) => {
    const e = enrolments.get(partnerId);
    const facts: LineFacts | null = e ? partnerFacts(program, e, finalTier(partnerId)) : null;
    const c = comparisons.get(partnerId);
    return {
      partnerId,
      facts,
      comparison:
        growth.length === 0
          ? null
          : {
              'same-period-last-year': (c?.['same-period-last-year'] as FamilyRevenue | undefined) ?? {},
              'previous-period': (c?.['previous-period'] as FamilyRevenue | undefined) ?? {},
            },
    };
  });
}

type CloseRow = Awaited<ReturnType<ReturnType<typeof settlementRepository>['lastClose']>>;

function closeView(c: NonNullable<CloseRow>) {
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
