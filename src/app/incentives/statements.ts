import type { Kysely } from 'kysely';
import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { payoutDates, type PeriodRange } from '../../core/ledger/periods.js';
import { lineOriginal, postingMessage } from '../../core/ledger/postings.js';
import {
  day,
  message,
  money,
  optional,
  type MessageValue,
  renderEnglish,
  storedExplanation,
  storedMessage,
  type Message,
} from '../../core/messages/message.js';
import type { ComponentKind } from '../../core/programs/types.js';
import {
  nextStatus,
  TX_KINDS,
  type StatementAction,
  type StatementStatus,
} from '../../core/ledger/settlement.js';
import { minorExponent } from '../../core/money/currency.js';
import { convertMinor, formatFxRate, type Rate } from '../../core/money/fx.js';
import {
  payoutLegs,
  type PayoutConversion,
  type PayoutLeg,
  type PayoutRateFacts,
} from '../../core/ledger/fx-payout.js';
import { missingRatePolicy, payoutCurrencies } from '../../core/programs/exchange.js';
import { payoutRepository } from '../../db/repositories/payout-repository.js';
import {
  convertStatementAt,
  fixedColumns,
  latestRate,
  missingRate,
  periodAverageRate,
  payoutDayRate,
  storedPayout,
  viewRate,
  withEstimate,
  type PayoutView,
} from './payout-rates.js';
import { formatPercent, PPM_ONE } from '../../core/money/rate.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { csvRow } from '../../core/shared/csv.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { ledgerRepository } from '../../db/repositories/ledger-repository.js';
import type { PageRequest } from '../../db/repositories/page.js';
import {
  settlementRepository,
  type LineSort,
  type StatementSort,
} from '../../db/repositories/settlement-repository.js';
import type { Database, StatementLinesTable, StatementsTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { recordAudit } from '../access/audit.js';
import { notifyStatementIssued } from '../notifications/notify.js';
import { analyzeAfterBulkWrite } from '../../db/statistics.js';
import { losingRaceIsConflict, retryOnRace } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { paged, type PageParams } from '../pagination.js';
import { resolvePeriod } from './program-period.js';
import { emitStatementStep } from '../webhooks/emit.js';

type StatementRow = Selectable<StatementsTable>;

/** Drafts a close inserts at once past which it refreshes the planner's statistics (PostgreSQL). */
const BULK_DRAFTS = 200;
type LineRow = Selectable<StatementLinesTable>;

/**
 * Builds the draft statements of a close: for every partner with payable entries of the program up to
 * the period that are on no statement (and every partner whose draft for the period exists), a draft
 * holding those entries line by line, plus any total carried from a statement below the minimum payout.
 * A draft with anything new is rebuilt by the close (the others keep their lines and move to this close);
 * an issued statement never changes: what comes after it goes on a
 * supplement (sequence 2, 3...) or on the next period's statement. Returns the number of statements.
 */
export async function buildStatements(
  db: Kysely<Database>,
  ctx: AppContext,
  c: {
    closeId: string;
    vendorId: string;
    programId: string;
    program: ProgramDefinition;
    range: PeriodRange;
    partnerId: string | null;
    now: string;
    progress?: { phase(name: string, total: number): void; update(done: number): void } | null;
  },
): Promise<number> {
  const repo = settlementRepository(db);
  const existing = await repo.statementsOf(c.programId, c.range.code, c.partnerId ? [c.partnerId] : null);
  const partners = new Set(await repo.partnersWithUnstated(c.programId, c.range.code, c.partnerId));
  const dates = payoutDates(c.program, c.range);
  const withDraft = new Set(existing.filter((s) => s.status === 'draft').map((s) => s.partnerId));
  // A draft is rebuilt when it has something new to take (lines on no statement, a carried total not yet
  // taken) or holds a return whose sale's statement was paid since (the return is now a clawback). The
  // others keep their lines: a re-close that posts nothing rewrites no draft.
  const carriedPending = new Set(
    (await repo.carriedStatements(c.programId, [...withDraft]))
      .filter((carry) => Number(carry.totalMinor) !== 0)
      .map((carry) => carry.partnerId),
  );
  const withReturns = new Set(await repo.draftsWithReturns(c.programId, c.range.code, c.partnerId));
  const rebuild = [...withDraft].filter(
    (p) => partners.has(p) || carriedPending.has(p) || withReturns.has(p),
  );
  await repo.resetDrafts(c.programId, c.range.code, c.partnerId, c.closeId, c.now, rebuild);
  const sequence = new Map<string, number>();
  for (const s of existing) sequence.set(s.partnerId, Math.max(sequence.get(s.partnerId) ?? 0, s.sequence));
  const fresh = [...partners].filter((p) => !withDraft.has(p)).sort();
  c.progress?.phase('statements', fresh.length + 2);
  // Each partner's draft: the drafts found, and those made here.
  const draftOf = new Map(existing.filter((s) => s.status === 'draft').map((s) => [s.partnerId, s.id]));
  for (const partnerId of fresh) draftOf.set(partnerId, ctx.ids.next('statement'));
  await repo.insertStatements(
    fresh.map((partnerId) => ({
      id: draftOf.get(partnerId) as string,
      vendorId: c.vendorId,
      partnerId,
      programId: c.programId,
      period: c.range.code,
      sequence: (sequence.get(partnerId) ?? 0) + 1,
      currency: c.program.currency,
      status: 'draft',
      lines: 0,
      earnedMinor: 0,
      clawbackMinor: 0,
      adjustmentMinor: 0,
      carriedInMinor: 0,
      totalMinor: 0,
      closeId: c.closeId,
      closeOn: dates.closeOn,
      payOn: dates.payOn,
      createdAt: c.now,
      updatedAt: c.now,
      issuedAt: null,
      approvedAt: null,
      paidAt: null,
      paidMinor: null,
      paymentReference: null,
      payoutTransactionId: null,
    })),
  );
  // PostgreSQL: the planner learns of the drafts just inserted before the lines are attached to them
  // (estimating one draft for this close, it would read every line once per draft).
  if (fresh.length >= BULK_DRAFTS) await analyzeAfterBulkWrite(ctx.store, db, ['statements']);
  c.progress?.update(fresh.length);
  // Totals carried from statements below the minimum payout open the partner's draft (line 0).
  const carried = (await repo.carriedStatements(c.programId, [...draftOf.keys()])).filter(
    (carry) => Number(carry.totalMinor) !== 0,
  );
  await repo.insertStatementLines(
    carried.map((carry) => ({
      id: `sln_carry_${carry.id}`,
      statementId: draftOf.get(carry.partnerId) as string,
      vendorId: c.vendorId,
      partnerId: carry.partnerId,
      lineNo: 0,
      kind: 'carried',
      entryId: null,
      transactionId: carry.id,
      orderId: null,
      orderLineId: null,
      orderDate: null,
      family: null,
      component: 'carried',
      ruleId: 'settlement/carried',
      ruleVersion: c.program.version,
      baseMinor: Number(carry.totalMinor),
      rate: 0,
      effectiveRate: 0,
      tier: '',
      multiplier: PPM_ONE,
      budgetPool: null,
      amountMinor: Number(carry.totalMinor),
      currency: carry.currency,
      period: carry.period,
      explanation: storedMessage(
        message('settlement.carried', {
          statementId: carry.id,
          period: carry.period,
          amount: money(Number(carry.totalMinor), carry.currency),
        }),
      ),
    })),
  );
  await repo.attachEntries({
    vendorId: c.vendorId,
    closeId: c.closeId,
    programId: c.programId,
    period: c.range.code,
    partnerId: c.partnerId,
  });
  c.progress?.update(fresh.length + 1);
  // Only the drafts rebuilt or made here changed: the others keep their lines and so their totals.
  const count = await repo.totalDrafts(c.vendorId, c.closeId, c.now, [...rebuild, ...fresh]);
  c.progress?.update(fresh.length + 2);
  return count;
}

const SORTS: readonly StatementSort[] = ['period', 'createdAt', 'totalMinor'];

/**
 * A statement as shown. `payout` is its payout in the partner's currency when that differs from the
 * program's (null otherwise): as fixed on the statement, or (`payoutViewOf`) estimated at the latest rate.
 */
export function statementView(s: StatementRow, today: string, payout: PayoutView | null = storedPayout(s)) {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: s.id,
    vendorId: s.vendorId,
    partnerId: s.partnerId,
    programId: s.programId,
    period: s.period,
    sequence: s.sequence,
    currency: s.currency,
    status: s.status as StatementStatus,
    lines: s.lines,
    earnedMinor: Number(s.earnedMinor),
    clawbackMinor: Number(s.clawbackMinor),
    adjustmentMinor: Number(s.adjustmentMinor),
    carriedInMinor: Number(s.carriedInMinor),
    totalMinor: Number(s.totalMinor),
    closeId: s.closeId,
    closeOn: s.closeOn,
    payOn: s.payOn,
    overdue: (s.status === 'issued' || s.status === 'approved') && today > s.payOn,
    createdAt: s.createdAt,
    issuedAt: s.issuedAt,
    approvedAt: s.approvedAt,
    paidAt: s.paidAt,
    paidMinor: n(s.paidMinor),
    paymentReference: s.paymentReference,
    payoutTransactionId: s.payoutTransactionId,
    payout,
  };
}

/**
 * A statement's payout in another currency with its estimate when the rate is not fixed yet (read at the
 * latest known rate; `withLines`: the lines converted too, for the rounding).
 */
async function payoutViewOf(
  db: Kysely<Database>,
  s: StatementRow,
  today: string,
  withLines: boolean,
): Promise<PayoutView | null> {
  const stored = storedPayout(s);
  if (!stored?.estimate) return stored;
  const latest = await latestRate(db, s.vendorId, s.currency, stored.currency, today);
  const lines = withLines && latest ? await payoutRepository(db).lineAmounts(s.vendorId, s.id) : null;
  return withEstimate(s, stored, latest, lines);
}

/** Each line's converted amount: at the statement's rate (fixed or estimated), derived when read. */
type LineConversion = { currency: string; rate: Rate } | null;

function lineConversion(s: StatementRow, payout: PayoutView | null): LineConversion {
  const rate = viewRate(payout);
  return payout && rate ? { currency: payout.currency, rate } : null;
}

/** What a posting's line needs besides its own columns to say how it came about. */
type PostingFacts = Awaited<ReturnType<ReturnType<typeof settlementRepository>['postingFacts']>>;

/**
 * The sentence of a statement line: a stored entry's JSON explanation, or, for a posting, the message
 * rendered from its rule and inputs (`core/ledger/postings.ts`), the same whenever it is read. The message
 * (null for stored entries written before messages) lets the app say it in the reader's language.
 */
function lineText(l: LineRow, facts: PostingFacts): { text: string; message: Message | null } {
  if (l.explanation !== '') return storedExplanation(l.explanation);
  const f = l.postingSeq === null ? undefined : facts.get(`${l.transactionId}_${l.postingSeq}`);
  if (!f) return { text: '', message: null };
  const message = postingMessage(
    {
      component: l.component,
      kind: f.kind as ComponentKind,
      name: f.name,
      currency: l.currency,
      tier: l.tier,
      rate: l.rate,
      multiplier: l.multiplier,
      multipliers: f.multipliers,
      effectiveRate: l.effectiveRate,
    },
    { baseMinor: Number(l.baseMinor), amountMinor: Number(l.amountMinor), dueMinor: f.dueMinor },
    {
      lineId: l.orderLineId ?? '',
      orderDate: l.orderDate,
      family: l.family,
      original:
        f.lineAmountMinor === null
          ? null
          : lineOriginal({
              originalAmountMinor: f.originalAmountMinor,
              originalCurrency: f.originalCurrency,
              fxRate: f.fxRate,
              amountMinor: f.lineAmountMinor,
            }),
    },
    f.dueMinor !== null ? l.period : null,
  );
  return { text: renderEnglish(message), message };
}

/** Statement lines as shown, with the facts of the postings among them read in one query. */
export async function lineViews(
  repo: ReturnType<typeof settlementRepository>,
  rows: readonly LineRow[],
  conversion: LineConversion = null,
) {
  const facts = await repo.postingFacts(
    rows.flatMap((l) =>
      l.explanation === '' && l.postingSeq !== null && l.transactionId !== null
        ? [{ transactionId: l.transactionId, seq: l.postingSeq }]
        : [],
    ),
  );
  return rows.map((l) => lineView(l, facts, conversion));
}

export function lineView(l: LineRow, facts: PostingFacts = new Map(), conversion: LineConversion = null) {
  const explanation = lineText(l, facts);
  const amount = Number(l.amountMinor);
  return {
    id: l.id,
    lineNo: l.lineNo,
    kind: l.kind,
    period: l.period,
    orderId: l.orderId,
    orderLineId: l.orderLineId,
    orderDate: l.orderDate,
    family: l.family,
    component: l.component,
    ruleId: l.ruleId,
    ruleVersion: l.ruleVersion,
    tier: l.tier,
    baseMinor: Number(l.baseMinor),
    rate: l.rate,
    effectiveRate: l.effectiveRate,
    multiplier: l.multiplier,
    budgetPool: l.budgetPool,
    amountMinor: amount,
    currency: l.currency,
    payoutAmountMinor: conversion
      ? convertMinor(amount, l.currency, conversion.currency, conversion.rate)
      : null,
    payoutCurrency: conversion ? conversion.currency : null,
    explanation: explanation.text,
    explanationMessage: explanation.message,
    entryId: l.entryId,
    transactionId: l.transactionId,
  };
}

export async function listStatements(
  ctx: AppContext,
  scope: Scope,
  filter: {
    program?: string | undefined;
    partner?: string | undefined;
    period?: string | undefined;
    status?: string | undefined;
  },
  page: PageParams<StatementSort>,
) {
  if (!SORTS.includes(page.sort))
    throw new TrellisError('invalid_input', `cannot sort statements by ${page.sort}`);
  let programId: string | undefined;
  if (filter.program) {
    const p = await ctx.repos.programs.get(scope, filter.program);
    if (!p) return { items: [], nextCursor: null };
    programId = p.id;
  }
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const result = await paged(page, (req: PageRequest<StatementSort>) =>
    settlementRepository(ctx.store.db).listStatements(
      scope,
      { programId, partnerId: filter.partner, period: filter.period?.toUpperCase(), status: filter.status },
      req,
    ),
  );
  // Estimates at the latest known rate: one look-up per vendor and pair on the page.
  const latest = new Map<string, Awaited<ReturnType<typeof latestRate>>>();
  const items = [];
  for (const s of result.items) {
    const stored = storedPayout(s);
    if (!stored?.estimate) {
      items.push(statementView(s, today, stored));
      continue;
    }
    const key = `${s.vendorId}/${s.currency}/${stored.currency}`;
    if (!latest.has(key))
      latest.set(key, await latestRate(ctx.store.db, s.vendorId, s.currency, stored.currency, today));
    items.push(statementView(s, today, withEstimate(s, stored, latest.get(key) ?? null, null)));
  }
  return { items, nextCursor: result.nextCursor };
}

export async function getStatement(ctx: AppContext, scope: Scope, id: string) {
  const s = await settlementRepository(ctx.store.db).getStatement(scope, id);
  if (!s) throw notFound('statement', id);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  return statementView(s, today, await payoutViewOf(ctx.store.db, s, today, true));
}

export async function statementLines(
  ctx: AppContext,
  scope: Scope,
  id: string,
  filter: { kind?: string | undefined },
  page: PageParams<LineSort>,
) {
  const repo = settlementRepository(ctx.store.db);
  const s = await repo.getStatement(scope, id);
  if (!s) throw notFound('statement', id);
  const result = await paged(page, (req: PageRequest<LineSort>) =>
    repo.statementLines(s.vendorId, s.id, filter, req),
  );
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const conversion = lineConversion(s, await payoutViewOf(ctx.store.db, s, today, false));
  return { items: await lineViews(repo, result.items, conversion), nextCursor: result.nextCursor };
}

const CSV_COLUMNS = [
  'line_no',
  'kind',
  'period',
  'order_id',
  'order_line_id',
  'order_date',
  'family',
  'component',
  'rule_id',
  'rule_version',
  'tier',
  'base',
  'rate',
  'multiplier',
  'amount',
  'currency',
  'payout_amount',
  'payout_currency',
  'payout_rate',
  'payout_rate_estimated',
  'explanation',
] as const;

/** Minor units as a plain decimal in major units (1234.5 USD cents -> "12.35" style, exact). */
export function decimal(amountMinor: number, currency: string): string {
  const exp = minorExponent(currency);
  const neg = amountMinor < 0;
  const digits = String(Math.abs(amountMinor)).padStart(exp + 1, '0');
  const whole = exp === 0 ? digits : digits.slice(0, -exp);
  const frac = exp === 0 ? '' : `.${digits.slice(-exp)}`;
  return `${neg ? '-' : ''}${whole}${frac}`;
}

/**
 * A statement as a download: JSON (the statement and every line) or CSV (one row per line, amounts in
 * major units as exact decimals, rates in percent). Streams the lines in chunks.
 */
export async function* statementDownload(
  ctx: AppContext,
  scope: Scope,
  id: string,
  format: 'csv' | 'json',
): AsyncGenerator<string> {
  const repo = settlementRepository(ctx.store.db);
  const s = await repo.getStatement(scope, id);
  if (!s) throw notFound('statement', id);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const payout = await payoutViewOf(ctx.store.db, s, today, true);
  const view = statementView(s, today, payout);
  const conversion = lineConversion(s, payout);
  if (format === 'json') {
    yield `{"statement":${JSON.stringify(view)},"lines":[`;
    let first = true;
    for await (const chunk of repo.allStatementLines(s.vendorId, s.id)) {
      for (const l of await lineViews(repo, chunk, conversion)) {
        yield `${first ? '' : ','}${JSON.stringify(l)}`;
        first = false;
      }
    }
    yield ']}\n';
    return;
  }
  yield csvRow(CSV_COLUMNS);
  for await (const chunk of repo.allStatementLines(s.vendorId, s.id)) {
    let out = '';
    for (const l of await lineViews(repo, chunk, conversion)) {
      out += csvRow([
        String(l.lineNo),
        l.kind,
        l.period,
        l.orderId ?? '',
        l.orderLineId ?? '',
        l.orderDate ?? '',
        l.family ?? '',
        l.component,
        l.ruleId,
        l.ruleVersion,
        l.tier,
        decimal(l.baseMinor, l.currency),
        l.rate === 0 ? '' : formatPercent(l.rate),
        l.multiplier === PPM_ONE ? '' : String(l.multiplier / PPM_ONE),
        decimal(l.amountMinor, l.currency),
        l.currency,
        l.payoutAmountMinor === null || l.payoutCurrency === null
          ? ''
          : decimal(l.payoutAmountMinor, l.payoutCurrency),
        l.payoutCurrency ?? '',
        payout?.rate ?? '',
        payout ? (payout.estimate ? 'yes' : 'no') : '',
        l.explanation,
      ]);
    }
    yield out;
  }
  // Paid in another currency: the rounding of the conversion is a row of its own, so the payout column
  // adds up to what is paid (converted lines + rounding = converted total).
  if (payout && payout.roundingMinor !== null && payout.linesMinor !== null && payout.totalMinor !== null)
    yield csvRow([
      '',
      'payout-rounding',
      s.period,
      '',
      '',
      '',
      '',
      'payout',
      'settlement/payout-rounding',
      '',
      '',
      '',
      '',
      '',
      '',
      s.currency,
      decimal(payout.roundingMinor, payout.currency),
      payout.currency,
      payout.rate ?? '',
      payout.estimate ? 'yes' : 'no',
      `Rounding of the conversion: ${decimal(payout.totalMinor, payout.currency)} ${payout.currency} converted total minus ${decimal(payout.linesMinor, payout.currency)} ${payout.currency} converted lines`,
    ]);
}

/**
 * Moves a statement along draft -> issued -> approved -> paid (or carried). Paying posts the payout to
 * the ledger (debit the partner's rebate payable, credit the vendor's cash) once, keyed by the statement.
 * Every step is audited with the statement before and after.
 */
export async function transitionStatement(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope },
  id: string,
  action: StatementAction,
  input: { reference?: string | undefined; requestId?: string | null | undefined } = {},
) {
  if (who.scope.kind === 'partner')
    throw new TrellisError('forbidden', 'statements are issued, approved and paid by the vendor');
  const found = await settlementRepository(ctx.store.db).getStatement(who.scope, id);
  if (!found) throw notFound('statement', id);
  // Read outside the transaction: on SQLite the transaction holds the only connection.
  const { definition, range } = await resolvePeriod(ctx, who.scope, found.programId, found.period);
  const fx = await payoutRateFor(ctx, found, definition, range, action);
  // A transaction SERIALIZABLE aborted without anyone having moved the statement (two bulk runs, a false
  // positive of its predicate locks) runs again; one that finds the statement moved is the loser (409).
  return losingRaceIsConflict(`statement ${id}`, () =>
    retryOnRace(() =>
      ctx.store.db.transaction().execute(async (trx) => {
        const repo = settlementRepository(trx);
        const s = await repo.getStatement(who.scope, id);
        if (!s) throw notFound('statement', id);
        const min = definition.payouts.minimumPayout;
        const status = nextStatus(s.status as StatementStatus, action, {
          totalMinor: Number(s.totalMinor),
          minimumPayoutMinor: min && min.currency === s.currency ? min.amountMinor : null,
        });
        const now = ctx.clock.now().toISOString();
        const patch: Parameters<typeof repo.updateStatement>[1] = { status, updatedAt: now };
        // Paid in the partner's currency: the currency is fixed when issued, the rate when issued (a
        // period's average) or paid (the payout day's); a rate not loaded refuses the step, writing nothing.
        let conversion: PayoutConversion | null = null;
        let facts: PayoutRateFacts | null = null;
        const to = action === 'issue' ? fx.currency : (s.payoutCurrency ?? null);
        if (to !== null && to !== s.currency && (action === 'issue' || status === 'paid')) {
          if (action === 'issue') patch.payoutCurrency = to;
          facts = storedFacts(s) ?? fx.facts;
          if (facts === null && fx.refusal !== null) throw fx.refusal;
          if (facts !== null) {
            conversion = await convertStatementAt(trx, s, to, facts.rate);
            Object.assign(patch, fixedColumns(facts, conversion));
          }
        }
        if (action === 'issue') patch.issuedAt = now;
        if (action === 'approve') patch.approvedAt = now;
        if (action === 'pay') {
          patch.paidAt = now;
          patch.paymentReference = input.reference ?? null;
          patch.paidMinor = status === 'paid' ? Number(s.totalMinor) : 0;
        }
        // Move first, conditionally on the status read: of requests racing on one statement only one changes
        // the row (on PostgreSQL the others wait for it, then find the status moved); only that one posts the
        // payout and audits. The ledger key payout:<statement> is unique as well.
        if (!(await repo.transitionStatement(s.id, s.status, patch)))
          throw new TrellisError('conflict', `statement ${s.id} was moved by another request; read it again`);
        if (action === 'pay') {
          if (status === 'paid') {
            const txId = ctx.ids.next('ledgerTransaction');
            const amount = Number(s.totalMinor);
            const sequence = optional(
              s.sequence > 1 ? message('settlement.sequence', { sequence: s.sequence }) : null,
            );
            const reference = optional(
              input.reference ? message('settlement.reference', { reference: input.reference }) : null,
            );
            const common = {
              transactionId: txId,
              vendorId: s.vendorId,
              partnerId: s.partnerId,
              programId: s.programId,
              currency: s.currency,
              period: s.period,
              component: 'payout',
              ruleId: 'settlement/payout',
              ruleVersion: definition.version,
              lineId: null,
              baseMinor: amount,
              rate: 0,
              effectiveRate: 0,
              tier: '',
              multiplier: PPM_ONE,
              budgetPool: null,
              explanation: storedMessage(
                message('settlement.payout', {
                  statementId: s.id,
                  period: s.period,
                  sequence,
                  amount: money(amount, s.currency),
                  reference,
                }),
              ),
            };
            const legs = payoutLegs(s.currency, amount, conversion);
            const said =
              conversion && facts ? conversionTexts(s, conversion, facts, { sequence, reference }) : null;
            await ledgerRepository(trx).append(
              {
                id: txId,
                vendorId: s.vendorId,
                partnerId: s.partnerId,
                programId: s.programId,
                kind: TX_KINDS.payout,
                idempotencyKey: `payout:${s.id}`,
                inputHash: conversion
                  ? `${amount}:${conversion.to}:${formatFxRate(conversion.rate)}`
                  : String(amount),
                orderId: null,
                effectiveDate: now.slice(0, 10),
                period: s.period,
                reversesId: null,
                postedAt: now,
              },
              legs.map((leg) => ({
                ...common,
                id: ctx.ids.next('ledgerEntry'),
                account: leg.account,
                currency: leg.currency,
                amountMinor: leg.amountMinor,
                baseMinor: leg.currency === s.currency ? amount : (conversion?.convertedMinor ?? amount),
                explanation: said ? said[leg.role] : common.explanation,
              })),
            );
            patch.payoutTransactionId = txId;
            await repo.updateStatement(s.id, { payoutTransactionId: txId });
          }
        }
        const after = { ...s, ...patch };
        await recordAudit(trx, ctx, {
          actor: who.actor,
          action: `statement.${action}`,
          target: { type: 'statement', id: s.id, vendorId: s.vendorId, partnerId: s.partnerId },
          before: s,
          after,
          requestId: input.requestId ?? null,
          detail: {
            from: s.status,
            to: status,
            totalMinor: Number(s.totalMinor),
            period: s.period,
            ...(patch.payoutCurrency ? { payoutCurrency: patch.payoutCurrency } : {}),
            ...(conversion && facts
              ? {
                  payoutCurrency: conversion.to,
                  rate: facts.rate,
                  rateBasis: facts.basis,
                  rateDay: facts.rateDay,
                  convertedMinor: conversion.convertedMinor,
                  roundingMinor: conversion.roundingMinor,
                }
              : {}),
          },
        });
        if (action === 'issue') await notifyStatementIssued(trx, ctx, s);
        await emitStatementStep(trx, ctx, action, s);
        return statementView(after as StatementRow, now.slice(0, 10));
      }),
    ),
  );
}

/** The rate facts stored on a statement whose rate is fixed (null: not fixed yet). */
function storedFacts(s: StatementRow): PayoutRateFacts | null {
  if (!s.payoutRate) return null;
  return {
    basis: (s.payoutRateBasis as PayoutRateFacts['basis'] | null) ?? 'payout-day',
    rate: s.payoutRate,
    rateDay: s.payoutRateDay ?? '',
    firstDay: s.payoutRateFirstDay ?? null,
    days: s.payoutRateDays === null || s.payoutRateDays === undefined ? null : Number(s.payoutRateDays),
    derivation: s.payoutRateDerivation ?? '',
    bridged: Number(s.payoutRateBridged ?? 0) === 1,
  };
}

/**
 * What a step of a statement needs to fix its payout in the partner's currency, read before its
 * transaction: the currency (issue: the partner's choice under the program, when the statement's program
 * version allows it), the rate the program's rule gives now (issue: the period's average; pay: the payout
 * day's), or the refusal naming the pair and day when that rate is not loaded.
 */
async function payoutRateFor(
  ctx: AppContext,
  s: StatementRow,
  definition: ProgramDefinition,
  range: PeriodRange,
  action: StatementAction,
): Promise<{ currency: string | null; facts: PayoutRateFacts | null; refusal: TrellisError | null }> {
  const none = { currency: null, facts: null, refusal: null };
  const db = ctx.store.db;
  const basis = definition.exchange?.payoutRate ?? 'payout-day';
  const today = ctx.clock.now().toISOString().slice(0, 10);
  if (action === 'issue' && s.status === 'draft') {
    const chosen = await payoutRepository(db).payoutCurrencyOf(s.partnerId, s.programId);
    if (!chosen || chosen === s.currency || !payoutCurrencies(definition).includes(chosen)) return none;
    if (basis !== 'period-average') return { currency: chosen, facts: null, refusal: null };
    const facts = await periodAverageRate(db, s.vendorId, definition, s.currency, chosen, range);
    return {
      currency: chosen,
      facts,
      refusal: facts
        ? null
        : missingRate(s.id, s.currency, chosen, range.to, missingRatePolicy(definition), 'issued'),
    };
  }
  if (action === 'pay' && s.status === 'approved' && s.payoutCurrency && s.payoutCurrency !== s.currency) {
    if (s.payoutRate) return { currency: s.payoutCurrency, facts: null, refusal: null };
    const facts =
      basis === 'period-average'
        ? await periodAverageRate(db, s.vendorId, definition, s.currency, s.payoutCurrency, range)
        : await payoutDayRate(db, s.vendorId, definition, s.currency, s.payoutCurrency, today);
    const day = basis === 'period-average' ? range.to : today;
    return {
      currency: s.payoutCurrency,
      facts,
      refusal: facts
        ? null
        : missingRate(s.id, s.currency, s.payoutCurrency, day, missingRatePolicy(definition), 'paid'),
    };
  }
  return none;
}

/** What each leg of a payout in another currency says (message keys settlement.*, English and French). */
function conversionTexts(
  s: StatementRow,
  c: PayoutConversion,
  facts: PayoutRateFacts,
  clauses: { sequence: MessageValue; reference: MessageValue },
): Record<PayoutLeg['role'], string> {
  const amount = money(c.totalMinor, c.from);
  const converted = money(c.convertedMinor, c.to);
  const rounding = optional(
    c.roundingMinor !== 0
      ? message('settlement.roundingClause', { rounding: money(c.roundingMinor, c.to) })
      : null,
  );
  const basis =
    facts.basis === 'period-average' && facts.firstDay !== null && facts.days !== null
      ? message('settlement.basisPeriodAverage', {
          days: facts.days,
          firstDay: day(facts.firstDay),
          lastDay: day(facts.rateDay),
        })
      : message('settlement.basisPayoutDay');
  const payout = storedMessage(
    message('settlement.payoutConverted', {
      statementId: s.id,
      period: s.period,
      sequence: clauses.sequence,
      amount,
      rate: facts.rate,
      converted,
      rounding,
      rateDay: day(facts.rateDay),
      basis: { message: basis },
      reference: clauses.reference,
    }),
  );
  return {
    payable: payout,
    cash: payout,
    'conversion-out': storedMessage(
      message('settlement.conversionOut', {
        statementId: s.id,
        amount,
        rate: facts.rate,
        converted,
        rounding,
        from: c.from,
      }),
    ),
    'conversion-in': storedMessage(
      message('settlement.conversionIn', {
        statementId: s.id,
        lines: money(c.linesMinor, c.to),
        amount,
        rate: facts.rate,
      }),
    ),
    rounding: storedMessage(
      message('settlement.conversionRounding', {
        statementId: s.id,
        converted,
        lines: money(c.linesMinor, c.to),
        rounding: money(c.roundingMinor, c.to),
      }),
    ),
  };
}
