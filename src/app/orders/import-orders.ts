import { hash as digestOf, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Kysely } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import {
  grossOf,
  MAX_ORDER_LINES,
  MAX_VENDOR_GROSS_MINOR,
  vendorGrossMessage,
} from '../../core/money/limits.js';
import { isProductFamily, type ProductFamily } from '../../core/model/catalog.js';
import { productFacts, type ProductFacts } from '../incentives/line-facts.js';
import type { Channel } from '../../core/model/orders.js';
import { canonicalOrder, checkOrder, type OrderInput } from '../../core/orders/order-input.js';
import {
  convertOrder,
  currencyTerms,
  orderRatePolicy,
  rateWindowStart,
  type SoldLineRate,
} from '../../core/orders/order-currency.js';
import { isIsoDay, type RateBook } from '../../core/money/fx.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { compiledVersion } from '../incentives/post-accruals.js';
import { orderLineRows, soldRateOf } from './ingest-order.js';
import { loadRateBook } from './order-rates.js';
import { notFound, TrellisError, type ErrorDetail } from '../../core/shared/errors.js';
import { csvRow } from '../../core/shared/csv.js';
import {
  emptyLedgerBatch,
  postingsIn,
  orderIntakeRepository,
  pushOrder,
  pushOrderLine,
  type LedgerBatch,
  type NewOrder,
  type NewOrderLine,
  type SqlValue,
} from '../../db/repositories/order-intake-repository.js';
import { inBulkTransaction, orderImportRepository } from '../../db/repositories/order-import-repository.js';
import { vendorVolumeRepository } from '../../db/repositories/vendor-volume-repository.js';
import type { Database } from '../../db/schema.js';
import { refreshPlannerStatistics } from '../../db/statistics.js';
import { recordAudit, type AuditInput } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { BulkAccruals } from '../incentives/bulk-accruals.js';
import { lineEarnsDealBenefit, type RegistrationForBenefit } from '../../core/deals/benefit.js';
import { registrationsOfVendor } from '../deals/deal-facts.js';
import { afterOrderForDeals, type OrderForDeal } from '../deals/order-deals.js';
import { keepCoverage, type OrderForCoverage } from '../engagement/upkeep.js';
import type { PublishedVersionRow } from '../../db/repositories/order-intake-repository.js';
import {
  decideDirectOrder,
  recordDirect,
  type DirectOrderToRoute,
  type RoutedOutcome,
} from '../engagement/route-order.js';
import { csvBatches } from '../csv/read-csv.js';
import {
  COLUMN_OF_FIELD,
  ORDER_LEVEL_COLUMNS,
  readOrderHeader,
  readOrderRow,
  type ImportProblem,
  type OrderCsvColumn,
  type OrderCsvHeader,
  type OrderCsvRow,
  type OrderCsvVariant,
} from './order-csv.js';
import { emitImportCompleted } from '../webhooks/emit.js';

/** Orders are checked and written a chunk at a time: about this many lines (an order is never split). */
const CHUNK_LINES = 10_000;
/** Imports of at least this many lines refresh the planner statistics afterwards. */
const STATISTICS_AFTER_LINES = 10_000;
/** Problems kept to report (all are counted). */
export const MAX_PROBLEMS = 1_000;
/** Largest upload the API takes (it is spooled to a temporary file, then imported from it). */
export const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

export interface OrderImportWriter {
  actor: AuditInput['actor'];
  /** The vendor's own scope, a distributor's (partner) scope, or the system scope (the CLI). */
  scope: Scope;
  requestId?: string | null | undefined;
}

export interface OrderImportOptions {
  /** The vendor, by id or slug: required for the system and partner scopes; must be one's own for a vendor. */
  vendor?: string | undefined;
  /** Read the file as this distributor's sell-out report (always so for a distributor's own scope). */
  distributorId?: string | undefined;
  /** Store the valid orders and reject the others (default: all or nothing). */
  allowPartial?: boolean | undefined;
  /** Check everything, store nothing. */
  dryRun?: boolean | undefined;
  /** How the input is named in messages and the audit trail (the file, or "upload"). */
  name: string;
  /** Size of the input in bytes, when known, for progress. */
  totalBytes?: number | undefined;
  onProgress?: ((bytesRead: number, totalBytes: number, rowsRead: number) => void) | undefined;
  /** The header as written, once read (before any onReject). */
  onHeader?: ((names: readonly string[]) => void) | undefined;
  /** With allowPartial: each row of a rejected order, in file order, with why. */
  onReject?: ((row: RejectedRow) => void) | undefined;
}

export interface RejectedRow {
  line: number;
  record: readonly string[];
  error: string;
}

export interface OrderImportSummary {
  name: string;
  vendor: { id: string; slug: string; name: string; currency: string };
  variant: 'orders' | 'sell-out';
  rows: number;
  /** routed: direct orders the rules of engagement offered to a partner instead of booking them. */
  orders: { created: number; replayed: number; rejected: number; routed: number };
  lines: { created: number; rejected: number };
  ledger: { transactions: number; entries: number; accruedMinor: number };
  /** The header as written (the rejects file repeats it, plus `error`). */
  header: string[];
  ignoredColumns: string[];
  dryRun: boolean;
  allowPartial: boolean;
  seconds: number;
}

/**
 * The outcome of an import. `ok` is false when the file could not be imported (all or nothing and some
 * order is invalid, or the file itself cannot be read): nothing was stored. With allowPartial, `ok` is
 * true and `problems` are those of the rejected orders. At most MAX_PROBLEMS problems are listed;
 * `problemCount` counts them all.
 */
export type OrderImportOutcome = {
  ok: boolean;
  summary: OrderImportSummary;
  problems: ImportProblem[];
  problemCount: number;
  message: string;
};

/** Problem `p` as the API names where it is: "row 12, column quantity". */
export function problemLocation(p: ImportProblem): string {
  return p.columnName ? `row ${p.line}, column ${p.columnName}` : `row ${p.line}`;
}

export function problemDetails(problems: readonly ImportProblem[]): ErrorDetail[] {
  return problems.map((p) => ({ location: problemLocation(p), message: p.message }));
}

interface PendingOrder {
  key: string;
  rows: OrderCsvRow[];
}

class Rollback extends Error {}

/**
 * `trellis import orders` and `POST /api/imports/orders`: reads an order CSV as a stream (one row per
 * line; consecutive rows with the same source and external id form one order), checks each order as
 * POST /api/orders does (core `checkOrder`: every problem with where), and stores the orders, their lines
 * and their accruals in one transaction, a chunk at a time with multi-row inserts.
 *
 * - All or nothing by default: any invalid order and nothing is stored; every problem is reported
 *   (row, column, reason). With `allowPartial`, valid orders are stored and every row of an invalid
 *   order is rejected (`onReject`).
 * - Idempotent like POST /api/orders: an order whose key exists with the same content is skipped and
 *   counted as replayed; with other content it is an error for that order.
 * - Accruals are exactly those real-time accrual writes for the same orders posted one by one in file
 *   order (`BulkAccruals`).
 * - A distributor (or `distributorId`) reads the file as its sell-out report: every row must be its own
 *   sell-out (channel distributor, distributor_id itself), anything else refuses the whole file.
 * - The money limits (docs/limits.md): each line as POST /api/orders; an order that would take the
 *   vendor's gross volume past its limit is rejected at its first row, column unit_price.
 * - One audit event per import that stores an order, with the counts, in the same transaction; an
 *   import that stores nothing (all replayed, a dry run, refused) writes none.
 */
export async function importOrders(
  ctx: AppContext,
  writer: OrderImportWriter,
  input: AsyncIterable<Buffer | string>,
  options: OrderImportOptions,
): Promise<OrderImportOutcome> {
  const started = performance.now();
  const vendor = await importingVendor(ctx, writer.scope, options.vendor);
  const sellOutOf =
    writer.scope.kind === 'partner' ? writer.scope.partnerId : (options.distributorId ?? null);
  const variant: OrderCsvVariant = sellOutOf
    ? { kind: 'sell-out', distributorId: sellOutOf }
    : { kind: 'orders' };
  const summary: OrderImportSummary = {
    name: options.name,
    vendor: { id: vendor.id, slug: vendor.slug, name: vendor.name, currency: vendor.currency },
    variant: variant.kind,
    rows: 0,
    orders: { created: 0, replayed: 0, rejected: 0, routed: 0 },
    lines: { created: 0, rejected: 0 },
    ledger: { transactions: 0, entries: 0, accruedMinor: 0 },
    header: [],
    ignoredColumns: [],
    dryRun: options.dryRun === true,
    allowPartial: options.allowPartial === true,
    seconds: 0,
  };
  const problems: ImportProblem[] = [];
  let problemCount = 0;
  let unreadable: string | null = null;
  const report = (p: ImportProblem) => {
    problemCount++;
    if (problems.length < MAX_PROBLEMS) problems.push(p);
  };

  const run = async (trx: Kysely<Database>) => {
    const job = await ImportJob.start(ctx, trx, vendor, options, summary, report);
    let header: OrderCsvHeader | null = null;
    let current: PendingOrder | null = null;
    let chunk: PendingOrder[] = [];
    let chunkLines = 0;
    for await (const batch of csvBatches(input)) {
      for (const p of batch.problems) {
        report({ ...p, columnName: null });
        if (!header && p.line <= (batch.lines[0] ?? Infinity)) {
          unreadable = `${options.name}: cannot import (the header cannot be read); nothing was stored`;
          throw new Rollback();
        }
        job.rejectUnreadable(p.line, p.message);
      }
      for (let r = 0; r < batch.records.length; r++) {
        const record = batch.records[r] as string[];
        const line = batch.lines[r] as number;
        if (!header) {
          const read = readOrderHeader(record, line, variant);
          if (read.problems.length > 0) {
            for (const p of read.problems) report(p);
            unreadable = `${options.name}: cannot import (the header is not an order file's); nothing was stored`;
            throw new Rollback();
          }
          header = read.header;
          summary.header = read.header.names;
          summary.ignoredColumns = read.header.ignored;
          options.onHeader?.(read.header.names);
          continue;
        }
        summary.rows++;
        const row = readOrderRow(record, line, header, variant);
        if (sellOutOf && (row.channel !== 'distributor' || row.distributorId !== sellOutOf))
          job.foreignRow(row, header);
        const key = `${row.source}\u0000${row.externalId}`;
        if (current && current.key === key) current.rows.push(row);
        else {
          if (current) {
            chunk.push(current);
            chunkLines += current.rows.length;
          }
          current = { key, rows: [row] };
          if (chunkLines >= CHUNK_LINES) {
            job.refuseForeignRows();
            await job.process(chunk, header);
            chunk = [];
            chunkLines = 0;
          }
        }
      }
      job.refuseForeignRows();
      options.onProgress?.(batch.bytes, options.totalBytes ?? 0, summary.rows);
    }
    if (!header) {
      report({ line: 1, column: 1, columnName: null, message: 'the file is empty: it needs a header row' });
      unreadable = `${options.name}: cannot import (no header); nothing was stored`;
      throw new Rollback();
    }
    if (current) chunk.push(current);
    job.refuseForeignRows();
    await job.process(chunk, header);
    const failed = problemCount > 0 && !summary.allowPartial;
    if (failed || summary.dryRun) throw new Rollback();
    if (summary.orders.created + summary.orders.routed > 0) await job.audit(writer, sellOutOf);
  };

  try {
    // Every reference an order makes is read and checked before it is written.
    await inBulkTransaction(ctx.store, { checkedReferences: true }, run);
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
  // A big import changes the tables' shape: refresh the planner's statistics (issue 9, item 5).
  if (!summary.dryRun && summary.lines.created >= STATISTICS_AFTER_LINES)
    await refreshPlannerStatistics(ctx.store);
  summary.seconds = (performance.now() - started) / 1000;
  const failed = unreadable !== null || (problemCount > 0 && !summary.allowPartial);
  if (failed) {
    const bad = new Set(problems.map((p) => p.line)).size;
    return {
      ok: false,
      summary,
      problems: sortProblems(problems),
      problemCount,
      message:
        unreadable ??
        `${options.name}: ${summary.orders.rejected} of ${summary.orders.created + summary.orders.replayed + summary.orders.rejected} orders invalid (${bad}${problemCount > problems.length ? '+' : ''} of ${summary.rows} rows); nothing was stored`,
    };
  }
  const verb = summary.dryRun ? 'would store' : 'stored';
  return {
    ok: true,
    summary,
    problems: sortProblems(problems),
    problemCount,
    message: `${options.name}: ${verb} ${summary.orders.created} order${summary.orders.created === 1 ? '' : 's'} (${summary.lines.created} lines, ${summary.ledger.transactions} accrual transactions), ${summary.orders.replayed} already stored, ${summary.orders.rejected} rejected${summary.orders.routed > 0 ? `, ${summary.orders.routed} direct routed to partners` : ''}`,
  };
}

function sortProblems(problems: ImportProblem[]): ImportProblem[] {
  return problems.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * The vendor the orders are for: the caller's own, or the one named (distributors and the CLI). The API
 * asks it before it starts the import's job, so a missing or unknown vendor is answered at once.
 */
export async function importingVendor(ctx: AppContext, scope: Scope, vendor: string | undefined) {
  if (scope.kind === 'vendor') {
    const own = await ctx.repos.vendors.get(scope, scope.vendorId);
    if (!own) throw notFound('vendor', scope.vendorId);
    if (vendor && vendor !== own.id && vendor !== own.slug) throw notFound('vendor', vendor);
    return own;
  }
  if (!vendor)
    throw new TrellisError('invalid_input', 'name the vendor the orders are for', [
      { location: 'vendor', message: 'the vendor id or slug' },
    ]);
  const found = await ctx.repos.vendors.get(scope, vendor);
  if (!found)
    throw new TrellisError(
      'not_found',
      scope.kind === 'system' ? `no vendor has the slug ${vendor}` : `vendor ${vendor} was not found`,
    );
  return found;
}

interface KnownLine {
  id: string;
  customerId: string;
  productId: string;
  remaining: number;
  /** The currency the line was invoiced in, and the rate it was converted at (null: not converted). */
  currency: string;
  rate: SoldLineRate | null;
}

type StoredLine = {
  id: string;
  customerId: string;
  productId: string;
  remaining: number | string;
  currency: string;
  fxRate: string | null;
  fxRateDay: string | null;
  fxRateSource: string | null;
};
const knownLine = (l: StoredLine): KnownLine => ({
  id: l.id,
  customerId: l.customerId,
  productId: l.productId,
  remaining: Number(l.remaining),
  currency: l.currency,
  rate: soldRateOf(l),
});

/** The state of one import across its chunks. */
class ImportJob {
  private readonly keysSeen = new Map<string, number>();
  /** The registrations the current chunk names, and its orders that name one (written after the chunk). */
  private deals = new Map<string, RegistrationForBenefit & { id: string }>();
  private namedOrders: { order: OrderForDeal; registration: RegistrationForBenefit & { id: string } }[] = [];
  private readonly customers = new Map<
    string,
    { id: string; name: string; country: string; region: string; segment: string } | null
  >();
  private readonly foreign: ImportProblem[] = [];
  /** The vendor's published program versions (coverage windows and routing rules by order day). */
  published: readonly PublishedVersionRow[] = [];
  /** The published versions' definitions with their spans (which currencies an order may be in). */
  private definitions: { from: string; to: string; program: ProgramDefinition }[] = [];
  /** The rates the chunk's orders in other currencies may use (loaded once a chunk, when any is). */
  private book: RateBook | null = null;
  /** Direct orders taken in the current chunk, as posted (their routing decision needs them). */
  private readonly inputs = new Map<string, OrderInput>();
  /** The vendor's gross volume with the orders taken so far, and what the current chunk adds to it. */
  private volume = 0;
  private chunkGross = 0;

  private constructor(
    private readonly ctx: AppContext,
    private readonly trx: Kysely<Database>,
    private readonly vendor: { id: string; currency: string },
    private readonly options: OrderImportOptions,
    private readonly summary: OrderImportSummary,
    private readonly report: (p: ImportProblem) => void,
    private readonly repo: ReturnType<typeof orderImportRepository>,
    private readonly products: ReadonlyMap<
      string,
      { family: ProductFamily; currency: string; facts: ProductFacts | null }
    >,
    private readonly partners: ReadonlyMap<string, { kind: string }>,
    private readonly supplies: ReadonlySet<string>,
    private readonly periods: readonly { from: string; to: string; program: string }[],
    private readonly accruals: BulkAccruals,
  ) {}

  static async start(
    ctx: AppContext,
    trx: Kysely<Database>,
    vendor: { id: string; currency: string },
    options: OrderImportOptions,
    summary: OrderImportSummary,
    report: (p: ImportProblem) => void,
  ): Promise<ImportJob> {
    const intake = orderIntakeRepository(trx, ctx.store);
    const repo = orderImportRepository(trx, ctx.store);
    const published = await intake.publishedVersions(vendor.id);
    const products = new Map<
      string,
      { family: ProductFamily; currency: string; facts: ProductFacts | null }
    >();
    for (const p of await repo.vendorProducts(vendor.id))
      if (isProductFamily(p.family))
        products.set(p.id, {
          family: p.family,
          currency: p.currency,
          facts: p.licensing === null && p.solution === null ? null : productFacts(p),
        });
    const partners = new Map((await repo.enrolledPartners(vendor.id)).map((p) => [p.id, { kind: p.kind }]));
    const supplies = new Set(
      (await repo.supplies(vendor.id)).map((s) => `${s.distributorId}\u0000${s.resellerId}`),
    );
    const accruals = await BulkAccruals.prepare(intake, repo, vendor.id, published);
    // Without an index to find a customer's lines, one pass over the vendor's lines beats one per chunk.
    if (!(await repo.hasCustomerIndex())) await accruals.loadAllCustomers(repo);
    const job = new ImportJob(
      ctx,
      trx,
      vendor,
      options,
      summary,
      report,
      repo,
      products,
      partners,
      supplies,
      published.map((p) => ({ from: p.effectiveFrom, to: p.effectiveTo, program: p.code })),
      accruals,
    );
    job.volume = await vendorVolumeRepository(trx, ctx.store).get(vendor.id);
    job.published = published;
    for (const v of published)
      job.definitions.push({
        from: v.effectiveFrom,
        to: v.effectiveTo,
        program: (await compiledVersion(intake, v)).program,
      });
    return job;
  }

  /** A sell-out row that is not the reporting distributor's own: the file is refused (after the batch). */
  foreignRow(row: OrderCsvRow, header: OrderCsvHeader): void {
    const column: OrderCsvColumn = row.channel !== 'distributor' ? 'channel' : 'distributor_id';
    if (this.foreign.length < MAX_PROBLEMS)
      this.foreign.push({
        line: row.line,
        column: header.columnOf(column),
        columnName: column,
        message:
          column === 'channel'
            ? `channel "${row.channel}": a distributor reports only its own sell-out (channel distributor)`
            : `distributor ${row.distributorId ?? ''} is not the reporting distributor`,
      });
  }

  refuseForeignRows(): void {
    if (this.foreign.length === 0) return;
    throw new TrellisError(
      'forbidden',
      `a distributor may import only its own sell-out (channel "distributor", distributor_id = its partner id); ${this.foreign.length} row${this.foreign.length === 1 ? ' is' : 's are'} not; nothing was stored`,
      problemDetails(this.foreign),
    );
  }

  /** A record that could not be read (quoting) is rejected on its own. */
  rejectUnreadable(line: number, message: string): void {
    this.summary.orders.rejected++;
    this.summary.lines.rejected++;
    if (this.summary.allowPartial)
      this.options.onReject?.({ line, record: [], error: `line ${line} cannot be read: ${message}` });
  }

  async process(orders: PendingOrder[], header: OrderCsvHeader): Promise<void> {
    if (orders.length === 0) return;
    const vendorId = this.vendor.id;
    // 1. What the chunk refers to, a few queries for all of it.
    const keysBySource = new Map<string, string[]>();
    const refsBySource = new Map<string, string[]>();
    const lineIds: string[] = [];
    const newCustomers = new Set<string>();
    for (const o of orders) {
      const first = o.rows[0] as OrderCsvRow;
      if (first.source && first.externalId) push(keysBySource, first.source, first.externalId);
      if (first.customerId && !this.customers.has(first.customerId)) newCustomers.add(first.customerId);
      for (const r of o.rows) {
        if (r.returnsLineId) lineIds.push(r.returnsLineId);
        if (r.returnsRef) push(refsBySource, r.source, r.returnsRef.externalId);
      }
    }
    const existing = new Map<string, { id: string; inputHash: string | null }>();
    for (const [source, ids] of keysBySource) {
      for (const e of await this.repo.existingOrders(vendorId, source, [...new Set(ids)]))
        existing.set(`${source}\u0000${e.externalId}`, e);
      // A direct order routed to a partner keeps the key it was posted with (booked or still offered).
      for (const r of await this.repo.routedKeys(vendorId, source, [...new Set(ids)]))
        existing.set(`${source}\u0000${r.externalId}`, r);
    }
    if (newCustomers.size > 0) {
      const ids = [...newCustomers];
      for (const id of ids) this.customers.set(id, null);
      for (const c of await this.repo.customers(vendorId, ids)) this.customers.set(c.id, c);
    }
    await this.accruals.loadCustomers(this.repo, this.accruals.unseen(newCustomers));
    const returnable = new Map<string, KnownLine>();
    for (const l of await this.repo.returnableByIds(vendorId, [...new Set(lineIds)]))
      returnable.set(l.id, knownLine(l));
    const byRef = new Map<string, KnownLine>();
    for (const [source, ids] of refsBySource)
      for (const l of await this.repo.returnableByOrder(vendorId, source, [...new Set(ids)])) {
        const known = knownLine(l);
        byRef.set(`${source}\u0000${l.externalId}\u0000${l.lineNo}`, known);
        returnable.set(l.id, known);
      }

    // The rates of the chunk's orders in other currencies: one query for the chunk, never one per line.
    this.book = await this.rateBookOf(orders);
    // What is left to claw back of the stored sales this chunk returns.
    await this.accruals.loadReturnedSales(this.trx, [...returnable.keys()]);
    // The deal registrations the chunk's orders name (few: most orders name none).
    const named = orders
      .map((o) => (o.rows[0] as OrderCsvRow).dealRegistrationId)
      .filter((x): x is string => !!x);
    this.deals = named.length > 0 ? await registrationsOfVendor(this.trx, vendorId, named) : new Map();

    // 2. Each order in file order, as POST /api/orders would take it.
    const now = this.ctx.clock.now().toISOString();
    const orderValues: SqlValue[] = [];
    const lineValues: SqlValue[] = [];
    const ledger = emptyLedgerBatch();
    // Who sold to whom is brought up to date before a direct order of a customer it concerns is decided
    // (a partner order earlier in the file makes its customer channel-exclusive for a direct order later
    // in it); a decision reads only its own customer's sales and coverage, so other customers' wait.
    let coverageDue: OrderForCoverage[] = [];
    const dueCustomers = new Set<string>();
    const keepUp = async () => {
      if (coverageDue.length === 0) return;
      await keepCoverage(this.trx, this.ctx.store, this.ctx.ids, now, this.published, coverageDue);
      coverageDue = [];
      dueCustomers.clear();
    };
    const directs: { toRoute: DirectOrderToRoute; decided: RoutedOutcome; orderId: string }[] = [];
    for (const o of orders) {
      const taken = this.take(o, header, existing, returnable, byRef, now, ledger);
      if (!taken) continue;
      if (taken.order.channel === 'direct') {
        if (dueCustomers.has(taken.order.customerId)) await keepUp();
        const routed = await this.route(taken, now);
        if (routed?.decided.decision.outcome === 'route') continue;
        if (routed) directs.push({ ...routed, orderId: taken.order.id });
      } else {
        coverageDue.push(forCoverage(taken.order, taken.lines));
        dueCustomers.add(taken.order.customerId);
      }
      pushOrder(orderValues, taken.order);
      for (const l of taken.lines) pushOrderLine(lineValues, l);
    }

    // 3. Written at once (also in a dry run, rolled back at the end, so later rows see earlier ones).
    await this.repo.insertOrders(orderValues);
    await this.repo.insertLines(lineValues);
    await keepUp();
    for (const d of directs) await recordDirect(this.trx, this.ctx.store, d.toRoute, d.decided, d.orderId);
    // Orders that name a registration: linked, the registration won, abuse flags raised (as real time).
    for (const o of this.namedOrders) await afterOrderForDeals(this.trx, this.ctx, o.order, o.registration);
    this.namedOrders = [];
    await this.repo.appendLedger(ledger);
    // The chunk's orders were checked against the volume read at the start; the conditional update
    // still refuses if concurrent writers (PostgreSQL) took the room meanwhile.
    if (this.chunkGross > 0) {
      const added = await vendorVolumeRepository(this.trx, this.ctx.store).add(
        vendorId,
        this.chunkGross,
        MAX_VENDOR_GROSS_MINOR,
      );
      if (!added)
        throw new TrellisError(
          'limit_exceeded',
          `${this.options.name}: ${vendorGrossMessage(this.chunkGross)}; nothing was stored`,
          [{ location: 'unit_price', message: vendorGrossMessage(this.chunkGross) }],
        );
      this.chunkGross = 0;
    }
    this.summary.ledger.transactions += ledger.transactions.length;
    this.summary.ledger.entries += postingsIn(ledger) + ledger.entries.length;
  }

  /** Checks one order; returns what to store, or null (replayed or rejected, already counted). */
  private take(
    o: PendingOrder,
    header: OrderCsvHeader,
    existing: ReadonlyMap<string, { id: string; inputHash: string | null }>,
    returnable: Map<string, KnownLine>,
    byRef: Map<string, KnownLine>,
    now: string,
    ledger: LedgerBatch,
  ): { order: NewOrder; lines: NewOrderLine[] } | null {
    const rows = o.rows;
    const first = rows[0] as OrderCsvRow;
    const found: ImportProblem[] = [];
    for (const r of rows) for (const p of r.problems) found.push(p);
    // Every row of an order repeats the order's fields.
    for (let i = 1; i < rows.length; i++) {
      const r = rows[i] as OrderCsvRow;
      for (const c of ORDER_LEVEL_COLUMNS) {
        const a = orderField(first, c);
        const b = orderField(r, c);
        if (a !== b)
          found.push({
            line: r.line,
            column: header.columnOf(c),
            columnName: c,
            message: `${c} "${b}" differs from "${a}" on line ${first.line}, the order's first row`,
          });
      }
    }
    if (rows.length > MAX_ORDER_LINES) {
      const extra = rows[MAX_ORDER_LINES] as OrderCsvRow;
      found.push({
        line: extra.line,
        column: header.columnOf('external_id'),
        columnName: 'external_id',
        message: `order ${first.source}/${first.externalId} has ${rows.length} lines; an order has at most ${MAX_ORDER_LINES} (as POST /api/orders)`,
      });
    }
    const validKey = first.source !== '' && first.externalId !== '';
    if (validKey) {
      const seen = this.keysSeen.get(o.key);
      if (seen !== undefined)
        found.push({
          line: first.line,
          column: header.columnOf('external_id'),
          columnName: 'external_id',
          message: `order ${first.source}/${first.externalId} appears again (first at line ${seen}): the rows of an order must be consecutive`,
        });
      else this.keysSeen.set(o.key, first.line);
    }
    if (found.length > 0) return this.reject(o, found);

    // Returns named by the original's external id and line number.
    const lines = rows.map((r) => {
      let returnsLineId = r.returnsLineId;
      if (r.returnsRef) {
        const hit = byRef.get(`${r.source}\u0000${r.returnsRef.externalId}\u0000${r.returnsRef.lineNo}`);
        if (hit) returnsLineId = hit.id;
        else
          found.push({
            line: r.line,
            column: header.columnOf('returns_external_id'),
            columnName: 'returns_external_id',
            message: `unknown order line ${r.source}/${r.returnsRef.externalId} line ${r.returnsRef.lineNo} (a sold line of an order stored earlier or earlier in this file)`,
          });
      }
      return {
        productId: r.productId,
        quantity: r.quantity,
        unitPriceMinor: r.unitPriceMinor,
        returnsLineId,
      };
    });
    if (found.length > 0) return this.reject(o, found);
    const input: OrderInput = {
      source: first.source,
      externalId: first.externalId,
      orderDate: first.orderDate,
      currency: first.currency,
      customerId: first.customerId,
      endUserName: first.endUserName,
      channel: first.channel as Channel,
      resellerId: first.resellerId,
      distributorId: first.distributorId,
      dealRegistrationId: first.dealRegistrationId,
      lines,
    };
    const hash = digestOf('sha256', canonicalOrder(input));
    const stored = existing.get(o.key);
    if (stored) {
      if (stored.inputHash === hash) {
        this.summary.orders.replayed++;
        return null;
      }
      return this.reject(o, [
        {
          line: first.line,
          column: header.columnOf('external_id'),
          columnName: 'external_id',
          message: `order ${first.source}/${first.externalId} already exists with other content (${stored.id})`,
        },
      ]);
    }
    const customer = this.customers.get(first.customerId) ?? null;
    const programs = this.programsOn(input.orderDate);
    const errors = checkOrder(input, {
      vendorCurrency: this.vendor.currency,
      currencies: customer ? currencyTerms(programs, customer.country, this.vendor.currency) : null,
      customer,
      products: this.products,
      partners: this.partners,
      supplies: (d, r) => this.supplies.has(`${d}\u0000${r}`),
      periods: this.periods,
      returnable,
    });
    if (errors.length > 0 || !customer)
      return this.reject(
        o,
        errors.map((e) => locate(e, rows, header)),
      );

    // A registration it names must be one of the reseller's with this vendor (as POST /api/orders).
    const registration = first.dealRegistrationId ? (this.deals.get(first.dealRegistrationId) ?? null) : null;
    if (
      first.dealRegistrationId &&
      (!registration || !input.resellerId || registration.partnerId !== input.resellerId)
    )
      return this.reject(o, [
        {
          line: first.line,
          column: header.columnOf('deal_registration_id'),
          columnName: 'deal_registration_id',
          message: `${first.dealRegistrationId} is not a deal registration of reseller ${input.resellerId ?? '(none: a direct order)'} with this vendor`,
        },
      ]);

    // Converted into the program's currency as POST /api/orders converts (a return at its line's rate).
    const converted = convertOrder(
      input,
      this.vendor.currency,
      orderRatePolicy(programs, customer.country, input.currency),
      this.book,
      new Map(
        lines
          .filter((l) => l.returnsLineId)
          .map((l) => [l.returnsLineId as string, returnable.get(l.returnsLineId as string)?.rate ?? null]),
      ),
    );
    if (!converted.ok)
      return this.reject(
        o,
        converted.errors.map((e) => locate(e, rows, header)),
      );

    // The vendor's gross volume (docs/limits.md), before anything is taken for the order.
    const gross = grossOf(converted.lines.map((l) => l.amountMinor));
    if (this.volume + gross > MAX_VENDOR_GROSS_MINOR)
      return this.reject(o, [
        {
          line: first.line,
          column: header.columnOf('unit_price'),
          columnName: 'unit_price',
          message: vendorGrossMessage(gross),
        },
      ]);
    this.volume += gross;
    this.chunkGross += gross;

    // Taken: the rows real-time intake would write, and its accruals.
    const ids = this.ctx.ids;
    const orderId = ids.next('order');
    if (input.channel === 'direct') this.inputs.set(orderId, input);
    const newLines = orderLineRows({ ...input, lines }, converted.lines, {
      orderId,
      vendorId: this.vendor.id,
      customerId: customer.id,
      nextId: () => ids.next('orderLine'),
      familyOf: (productId) => this.products.get(productId)?.family,
    });
    let total = 0;
    for (const l of newLines) total += l.amountMinor;
    const order: NewOrder = {
      id: orderId,
      vendorId: this.vendor.id,
      source: input.source,
      externalId: input.externalId,
      customerId: customer.id,
      endUserName: input.endUserName ?? customer.name,
      channel: input.channel,
      resellerId: input.resellerId ?? null,
      distributorId: input.distributorId ?? null,
      orderDate: input.orderDate,
      currency: this.vendor.currency,
      country: customer.country,
      region: customer.region,
      segment: customer.segment,
      totalMinor: total,
      createdAt: now,
      inputHash: hash,
      originalCurrency: converted.originalCurrency,
      originalTotalMinor: converted.originalTotalMinor,
    };
    // What later rows of this chunk may return, and what is left of the lines this order returns.
    for (const l of newLines) {
      if (l.returnsLineId) {
        const original = returnable.get(l.returnsLineId);
        if (original) {
          original.remaining += l.quantity;
          // What is left of a converted sale, as the stored returns would give it (one by one).
          const left = original.rate?.left;
          if (original.rate && left && l.originalAmountMinor !== null)
            original.rate = {
              ...original.rate,
              left: {
                originalMinor: left.originalMinor + l.originalAmountMinor,
                convertedMinor: left.convertedMinor + l.amountMinor,
              },
            };
        }
      }
      if (l.quantity > 0) {
        const known: KnownLine = {
          id: l.id,
          customerId: l.customerId,
          productId: l.productId,
          remaining: l.quantity,
          currency: l.originalCurrency ?? l.currency,
          rate: soldRateOf({
            ...l,
            leftOriginalMinor: l.originalAmountMinor,
            leftConvertedMinor: l.amountMinor,
          }),
        };
        returnable.set(l.id, known);
        byRef.set(`${order.source}\u0000${order.externalId}\u0000${l.lineNo}`, known);
      }
    }
    const dealFact = registration
      ? (l: { family: string }) =>
          lineEarnsDealBenefit(registration, {
            partnerId: order.resellerId,
            customerId: order.customerId,
            orderDate: order.orderDate,
            family: l.family,
          })
      : undefined;
    const accrued = this.accruals.accrue(
      ids,
      now,
      { ...order, channel: input.channel },
      // The product attributes programs test (line.licensing, line.solution) ride with each line.
      newLines.map((l) => {
        const facts = this.products.get(l.productId)?.facts;
        return facts ? { ...l, ...facts } : l;
      }),
      ledger,
      dealFact,
    );
    if (registration)
      this.namedOrders.push({
        order: {
          id: order.id,
          vendorId: order.vendorId,
          customerId: customer.id,
          customerName: customer.name,
          customerDomain: null,
          customerCountry: customer.country,
          resellerId: order.resellerId,
          orderDate: order.orderDate,
          families: [...new Set(newLines.map((l) => l.family))],
          endUserName: input.endUserName ?? null,
        },
        registration,
      });
    this.summary.ledger.accruedMinor += accrued.accruedMinor;
    this.summary.orders.created++;
    this.summary.lines.created += newLines.length;
    return { order, lines: newLines };
  }

  /**
   * The rules of engagement for a direct order of the file, as for POST /api/orders: routed to a partner
   * (not booked: its counts move from created to routed), or booked direct with its decision recorded.
   */
  private async route(
    taken: { order: NewOrder; lines: NewOrderLine[] },
    now: string,
  ): Promise<{ toRoute: DirectOrderToRoute; decided: RoutedOutcome } | null> {
    const { order, lines } = taken;
    const customer = this.customers.get(order.customerId);
    if (!customer) return null;
    const input = this.inputs.get(order.id);
    if (!input) return null;
    this.inputs.delete(order.id);
    const toRoute: DirectOrderToRoute = {
      vendorId: this.vendor.id,
      input,
      hash: order.inputHash ?? '',
      customer: {
        id: customer.id,
        name: customer.name,
        domain: null,
        country: customer.country,
        region: customer.region,
      },
      lines: lines.map((l) => ({
        family: l.family,
        quantity: l.quantity,
        amountMinor: l.amountMinor,
        returnsLineId: l.returnsLineId,
      })),
      totalMinor: order.totalMinor,
      currency: order.currency,
      actorId: `import:${this.options.name}`,
      now,
    };
    const decided = await decideDirectOrder(this.trx, this.ctx, this.published, toRoute);
    if (!decided) return null;
    if (decided.decision.outcome === 'route') {
      const gross = grossOf(lines.map((l) => l.amountMinor));
      this.volume -= gross;
      this.chunkGross -= gross;
      this.summary.orders.created--;
      this.summary.orders.routed++;
      this.summary.lines.created -= lines.length;
    }
    return { toRoute, decided };
  }

  /** The published programs covering a day. */
  private programsOn(day: string): ProgramDefinition[] {
    return this.definitions.filter((d) => d.from <= day && day <= d.to).map((d) => d.program);
  }

  /**
   * The rates the chunk's orders in another currency than the vendor's may use: the days from the
   * earliest such order's (less the longest bridge its programs allow) to the latest's; null when none.
   */
  private async rateBookOf(orders: readonly PendingOrder[]): Promise<RateBook | null> {
    let first: string | null = null;
    let last: string | null = null;
    for (const o of orders) {
      const row = o.rows[0] as OrderCsvRow;
      if (row.currency === this.vendor.currency || !isIsoDay(row.orderDate)) continue;
      for (const p of this.programsOn(row.orderDate)) {
        const from = rateWindowStart(row.orderDate, orderRatePolicy([p], '', row.currency).missing);
        if (first === null || from < first) first = from;
      }
      if (last === null || row.orderDate > last) last = row.orderDate;
    }
    return first !== null && last !== null ? loadRateBook(this.trx, this.vendor.id, first, last) : null;
  }

  private reject(o: PendingOrder, problems: ImportProblem[]): null {
    this.summary.orders.rejected++;
    this.summary.lines.rejected += o.rows.length;
    for (const p of problems) this.report(p);
    if (this.summary.allowPartial && this.options.onReject) {
      const first = problems[0];
      for (const r of o.rows) {
        const own = problems.filter((p) => p.line === r.line);
        const error =
          own.length > 0
            ? own.map((p) => (p.columnName ? `${p.columnName}: ${p.message}` : p.message)).join('; ')
            : `rejected with its order (line ${first?.line ?? r.line}: ${first?.message ?? 'invalid'})`;
        this.options.onReject({ line: r.line, record: r.record, error });
      }
    }
    return null;
  }

  async audit(writer: OrderImportWriter, distributorId: string | null): Promise<void> {
    const s = this.summary;
    await recordAudit(this.trx, this.ctx, {
      actor: writer.actor,
      action: 'order.import',
      target: { type: 'order-import', id: null, vendorId: this.vendor.id, partnerId: distributorId },
      after: { orders: s.orders, lines: s.lines, ledger: s.ledger },
      requestId: writer.requestId ?? null,
      detail: {
        name: s.name,
        variant: s.variant,
        rows: s.rows,
        created: s.orders.created,
        replayed: s.orders.replayed,
        rejected: s.orders.rejected,
        lines: s.lines.created,
        ledgerTransactions: s.ledger.transactions,
        accruedMinor: s.ledger.accruedMinor,
        allowPartial: s.allowPartial,
      },
    });
    // One webhook event per import, not one per order (docs/webhooks.md).
    await emitImportCompleted(this.trx, this.ctx, this.vendor.id, {
      name: s.name,
      variant: s.variant,
      partnerId: distributorId,
      ordersCreated: s.orders.created,
      ordersReplayed: s.orders.replayed,
      ordersRejected: s.orders.rejected,
      ordersRouted: s.orders.routed,
      linesCreated: s.lines.created,
    });
  }
}

/** A stored order as coverage reads it (its sold lines' families). */
function forCoverage(order: NewOrder, lines: readonly NewOrderLine[]): OrderForCoverage {
  return {
    id: order.id,
    vendorId: order.vendorId,
    customerId: order.customerId,
    resellerId: order.resellerId,
    distributorId: order.distributorId,
    orderDate: order.orderDate,
    families: [...new Set(lines.filter((l) => l.quantity > 0).map((l) => l.family))],
  };
}

function push(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function orderField(r: OrderCsvRow, c: (typeof ORDER_LEVEL_COLUMNS)[number]): string {
  switch (c) {
    case 'order_date':
      return r.orderDate;
    case 'currency':
      return r.currency;
    case 'customer_id':
      return r.customerId;
    case 'end_user_name':
      return r.endUserName ?? '';
    case 'channel':
      return r.channel;
    case 'reseller_id':
      return r.resellerId ?? '';
    case 'distributor_id':
      return r.distributorId ?? '';
    case 'deal_registration_id':
      return r.dealRegistrationId ?? '';
  }
}

/** Where a checkOrder error (`body.<field>`, `body.lines.<i>.<field>`) is in the file. */
function locate(e: ErrorDetail, rows: readonly OrderCsvRow[], header: OrderCsvHeader): ImportProblem {
  const parts = e.location.split('.');
  const first = rows[0] as OrderCsvRow;
  if (parts[1] === 'lines') {
    const i = Number(parts[2]);
    const row = rows[Number.isInteger(i) ? i : 0] ?? first;
    const field = parts[3];
    let column: OrderCsvColumn = field ? (COLUMN_OF_FIELD[field] ?? 'product_id') : 'unit_price';
    if (column === 'returns_line_id' && row.returnsRef) column = 'returns_external_id';
    return { line: row.line, column: header.columnOf(column), columnName: column, message: e.message };
  }
  const column = COLUMN_OF_FIELD[parts[1] ?? ''] ?? 'external_id';
  return { line: first.line, column: header.columnOf(column), columnName: column, message: e.message };
}

/**
 * The rejects file: the header as written plus `error`, then each rejected row with why, through the one
 * CSV writer (a formula-like cell comes back with a `'` in front; docs/csv-formats.md).
 */
export function rejectsHeader(header: readonly string[]): string {
  return csvRow([...header, 'error']);
}

export function rejectsLine(row: RejectedRow): string {
  return csvRow([...row.record, row.error]);
}

/**
 * Writes an upload to a temporary file (refusing more than MAX_UPLOAD_BYTES) and returns where and its
 * size; the caller removes it. An import job then reads it off the request path.
 */
export async function spoolUpload(
  body: Readable,
  tooLargeHint = 'split it or use trellis import orders',
): Promise<{ file: string; size: number }> {
  const file = join(tmpdir(), `trellis-import-${randomBytes(8).toString('hex')}.csv`);
  let size = 0;
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > MAX_UPLOAD_BYTES)
            throw new TrellisError(
              'invalid_input',
              `the upload is larger than ${MAX_UPLOAD_BYTES} bytes; ${tooLargeHint}`,
            );
          yield chunk;
        }
      },
      createWriteStream(file),
    );
  } catch (e) {
    await rm(file, { force: true });
    throw e;
  }
  return { file, size };
}
