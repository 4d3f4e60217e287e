import type { Kysely } from 'kysely';
import type { IncentiveEngine, IncentiveLine, LineFacts } from '../../core/incentives/index.js';
import { applicationAmount } from '../../core/incentives/accrual.js';
import { leftOfSale, type ComponentAmount } from '../../core/ledger/clawback.js';
import type { RuleApplication } from '../../core/ledger/postings.js';
import type { ProductFamily } from '../../core/model/catalog.js';
import { periodOf } from '../../core/ledger/periods.js';
import type { IdGenerator } from '../../core/shared/ids.js';
import type {
  LedgerBatch,
  OrderIntakeRepository,
  PublishedVersionRow,
} from '../../db/repositories/order-intake-repository.js';
import type { OrderImportRepository } from '../../db/repositories/order-import-repository.js';
import type { Database } from '../../db/schema.js';
import { accrueInTurn, returnedSalesLeft, saleKey } from './clawback-limits.js';
import { tierHeldOn } from '../../core/tiers/held-on.js';
import { PurchaseHistory } from '../../core/incentives/new-business.js';
import {
  accrualFacts,
  accrualTransaction,
  compiledVersion,
  lookBackFrom,
  withProduct,
  type AccrualEnrolment,
  type CompiledVersion,
  type LineToAccrue,
  type OrderToAccrue,
  type PostedAmount,
} from './post-accruals.js';

/** Bounds of the caches (a vendor with many partners and a long file stays within memory). */
const MAX_APPLICATION_KEYS = 200_000;
const MAX_FACTS = 200_000;

interface Membership {
  tierCode: string;
  validFrom: string;
  validTo: string | null;
}

/**
 * Accruals for many orders at once (a CSV import), writing exactly the ledger rows real-time accrual
 * (`postAccruals`) writes for the same orders posted one by one in the same order: the same engine,
 * facts built by the same function, the same transaction and entry builder. What real-time accrual
 * reads per order, this reads once: enrolments and memberships of the vendor's programs when prepared,
 * each customer's earlier purchases the first time the customer appears; orders taken during the import
 * are added to those purchases as they are accrued, so "new business" counts orders earlier in the file.
 */
export class BulkAccruals {
  /** The purchases new business reads (core/incentives/new-business.ts), and whose are loaded. */
  private readonly history = new PurchaseHistory();
  private readonly loaded = new Set<string>();
  /** Every customer's purchases were read up front: none needs loading. */
  private allLoaded = false;
  /** One string per day: millions of purchases share a few hundred dates. */
  private readonly days = new Map<string, string>();
  private readonly periods = new Map<string, string | null>();
  /** What is left to claw back of sales returned in the current chunk (core/ledger/clawback.ts). */
  private left = new Map<string, Map<string, number>>();
  /** What the sales of the current chunk earned, for returns of them later in the chunk. */
  private readonly chunkSales = new Map<string, readonly ComponentAmount[]>();
  /** Rule applications by engine and application key. */
  private readonly applications = new WeakMap<IncentiveEngine, Map<string, readonly RuleApplication[]>>();
  /** Order facts by program version, partner facts and order context. */
  private readonly facts = new Map<string, LineFacts>();

  private constructor(
    private readonly vendorId: string,
    private readonly versions: readonly { row: PublishedVersionRow; compiled: CompiledVersion }[],
    private readonly enrolments: ReadonlyMap<string, AccrualEnrolment>,
    private readonly memberships: ReadonlyMap<string, Membership[]>,
    /** Earliest day a look-back window can reach: purchases before it never matter. */
    private readonly historyFrom: string,
  ) {}

  static async prepare(
    intake: Pick<OrderIntakeRepository, 'versionDefinition'>,
    repo: Pick<OrderImportRepository, 'programEnrolments' | 'memberships'>,
    vendorId: string,
    published: readonly PublishedVersionRow[],
  ): Promise<BulkAccruals> {
    const versions = [];
    for (const row of published) versions.push({ row, compiled: await compiledVersion(intake, row) });
    const programIds = [...new Set(published.map((v) => v.programId))];
    const enrolments = new Map<string, AccrualEnrolment>();
    for (const e of await repo.programEnrolments(programIds))
      if (!enrolments.has(`${e.programId}\u0000${e.partnerId}`))
        enrolments.set(`${e.programId}\u0000${e.partnerId}`, e);
    const memberships = new Map<string, Membership[]>();
    for (const m of await repo.memberships(programIds)) {
      const key = `${m.programId}\u0000${m.partnerId}`;
      const list = memberships.get(key);
      if (list) list.push(m);
      else memberships.set(key, [m]);
    }
    let historyFrom = '9999-12-31';
    for (const { row, compiled } of versions) {
      const nb = compiled.newBusiness;
      const from = nb ? lookBackFrom(nb, row.effectiveFrom) : row.effectiveFrom;
      if (from < historyFrom) historyFrom = from;
    }
    return new BulkAccruals(vendorId, versions, enrolments, memberships, historyFrom);
  }

  /** Whether any program can ask whether a customer is new business (else purchases need not be read). */
  get readsHistory(): boolean {
    return this.versions.some((v) => v.compiled.newBusiness !== undefined);
  }

  /** Customers not seen yet in this import: their purchases must be loaded before their orders accrue. */
  unseen(customerIds: Iterable<string>): string[] {
    if (this.allLoaded) return [];
    const out = new Set<string>();
    for (const id of customerIds) if (!this.loaded.has(id)) out.add(id);
    return [...out];
  }

  /** Loads the earlier purchases of customers seen for the first time (one query per chunk of them). */
  async loadCustomers(
    repo: Pick<OrderImportRepository, 'purchases'>,
    customerIds: readonly string[],
  ): Promise<void> {
    if (customerIds.length === 0) return;
    for (const id of customerIds) this.loaded.add(id);
    if (!this.readsHistory) return;
    for (const p of await repo.purchases(this.vendorId, customerIds, this.historyFrom))
      this.addPurchase(p.customerId, p.family, p.orderDate);
  }

  /**
   * Reads every purchase of the vendor's customers in the look-back reach once, instead of once per
   * chunk for its new customers: cheaper when the store cannot find a customer's lines by index (each
   * per-chunk query would scan the vendor's lines, the import's own included).
   */
  async loadAllCustomers(repo: Pick<OrderImportRepository, 'eachPurchase'>): Promise<void> {
    this.allLoaded = true;
    if (!this.readsHistory) return;
    await repo.eachPurchase(this.vendorId, this.historyFrom, (customerId, orderDate, family) =>
      this.addPurchase(customerId, family, orderDate),
    );
  }

  private addPurchase(customerId: string, family: string, date: string): void {
    let day = this.days.get(date);
    if (day === undefined) {
      day = date;
      this.days.set(date, date);
    }
    this.history.add(customerId, family, day);
  }

  private tierOn(programId: string, partnerId: string, day: string, tierCodes: readonly string[]) {
    return tierHeldOn(this.memberships.get(`${programId}\u0000${partnerId}`) ?? [], day, tierCodes);
  }

  private periodOf(c: CompiledVersion, day: string): string | null {
    const key = `${c.versionId}\u0000${day}`;
    let p = this.periods.get(key);
    if (p === undefined) {
      p = periodOf(c.program, day);
      this.periods.set(key, p);
    }
    return p;
  }

  /**
   * Before each chunk: what is left to claw back of the stored sales the chunk returns, from the ledger
   * (earlier chunks are written by then). Sales of the chunk itself are taken from what they accrued.
   */
  async loadReturnedSales(db: Kysely<Database>, saleIds: readonly string[]): Promise<void> {
    this.chunkSales.clear();
    this.left = await returnedSalesLeft(db, saleIds);
  }

  /** A sale of the current chunk returned for the first time: what it earned is what is left. */
  private saleLeft(saleId: string, programId: string): void {
    const key = saleKey(saleId, programId);
    if (this.left.has(key)) return;
    const earned = this.chunkSales.get(key);
    if (earned) this.left.set(key, leftOfSale(earned));
  }

  /**
   * The rule applications of a line, computed once per application key (lines that differ only in
   * amount, customer or partner apply the same rules: `engine.applicationKey`), as the close does.
   */
  private applicationsOf(engine: IncentiveEngine, line: IncentiveLine): readonly RuleApplication[] {
    const key = engine.applicationKey(line);
    if (key === null) return engine.ruleApplications(line);
    let cache = this.applications.get(engine);
    if (!cache) this.applications.set(engine, (cache = new Map()));
    let list = cache.get(key);
    if (!list) {
      list = engine.ruleApplications(line);
      if (cache.size >= MAX_APPLICATION_KEYS) cache.clear();
      cache.set(key, list);
    }
    return list;
  }

  /** The order's facts in one program, shared by every order with the same partner facts and context. */
  private factsOf(
    c: CompiledVersion,
    order: OrderToAccrue,
    partnerId: string,
    enrolment: AccrualEnrolment,
    tier: string,
    newBusiness: boolean,
  ): LineFacts {
    const key = `${c.versionId}\u0000${partnerId}\u0000${tier}\u0000${newBusiness ? 1 : 0}\u0000${order.channel}\u0000${order.country}\u0000${order.region}\u0000${order.segment}`;
    let facts = this.facts.get(key);
    if (!facts) {
      facts = accrualFacts(c.program, order, enrolment, tier, newBusiness);
      if (this.facts.size >= MAX_FACTS) this.facts.clear();
      this.facts.set(key, facts);
    }
    return facts;
  }

  /**
   * The ledger rows of one stored order (appended to `out`), as real-time accrual writes them; then
   * the order's purchases count for the orders after it. Call it for every stored order, in file order:
   * a direct order accrues nothing but still makes its customer a buyer. Each line's amounts are its
   * rule applications' (`applicationAmount`, the engine's own rule), within the clawback limits of a
   * returned sale; `accrueLine` proposes the same amounts, with sentences the ledger does not store.
   */
  accrue(
    ids: IdGenerator,
    postedAt: string,
    order: OrderToAccrue,
    lines: readonly LineToAccrue[],
    out: LedgerBatch,
    /** The registered-deal fact of each line (src/core/deals/benefit.ts); absent = none earns it. */
    dealFact?: (line: LineToAccrue) => boolean,
  ): { transactions: number; accruedMinor: number } {
    let transactions = 0;
    let accruedMinor = 0;
    const partnerId = order.resellerId;
    const day = order.orderDate;
    if (partnerId) {
      for (const { row, compiled: c } of this.versions) {
        if (row.effectiveFrom > day || row.effectiveTo < day) continue;
        const period = this.periodOf(c, day);
        const enrolment = this.enrolments.get(`${row.programId}\u0000${partnerId}`);
        if (!period || !enrolment) continue;
        const tier =
          this.tierOn(row.programId, partnerId, day, c.tierCodes) ?? c.tierCodes[0] ?? 'authorized';
        const nb = c.newBusiness;
        const newBusiness = nb ? this.history.isNew(nb, order.customerId, day) : false;
        const facts = this.factsOf(c, order, partnerId, enrolment, tier, newBusiness);
        const proposed: { line: LineToAccrue; nonZero: PostedAmount[] }[] = [];
        for (const line of lines) {
          if (line.amountMinor === 0) continue;
          const isReturn = !!line.returnsLineId && line.amountMinor < 0;
          if (isReturn) this.saleLeft(line.returnsLineId as string, row.programId);
          const lineFacts = withProduct(
            dealFact ? { ...facts, registeredDeal: dealFact(line) } : facts,
            line,
          );
          const applications = this.applicationsOf(c.engine, {
            lineId: line.id,
            partnerId,
            customerId: order.customerId,
            orderDate: day,
            family: line.family as ProductFamily,
            amountMinor: line.amountMinor,
            quantity: line.quantity,
            orderTotalMinor: order.totalMinor,
            facts: lineFacts,
          });
          const amounts = (limits: Record<string, number> | null): PostedAmount[] => {
            const got: PostedAmount[] = [];
            const limited = { amountMinor: line.amountMinor, clawbackLimitMinor: limits };
            for (const a of applications) {
              const amountMinor = applicationAmount(limited, a);
              got.push({
                application: a,
                component: a.component,
                ruleId: a.ruleId,
                baseMinor: line.amountMinor,
                effectiveRate: a.effectiveRate,
                amountMinor,
              });
            }
            return got;
          };
          const all = isReturn ? accrueInTurn(this.left, row.programId, line, amounts) : amounts(null);
          const nonZero = (all as PostedAmount[]).filter((p) => p.amountMinor !== 0);
          if (line.amountMinor > 0) this.chunkSales.set(saleKey(line.id, row.programId), nonZero);
          if (nonZero.length === 0) continue;
          proposed.push({ line, nonZero });
          for (const p of nonZero) accruedMinor += p.amountMinor;
        }
        if (proposed.length === 0) continue;
        accrualTransaction(ids, postedAt, order, partnerId, row.programId, period, c.engine, proposed, out);
        transactions++;
      }
    }
    for (const line of lines) if (line.quantity > 0) this.addPurchase(order.customerId, line.family, day);
    return { transactions, accruedMinor };
  }
}
