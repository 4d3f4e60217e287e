import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type { Scope } from '../../core/access/scope.js';
import type { ACCOUNTS as CoreAccounts, TX_KINDS as CoreTxKinds } from '../../core/ledger/settlement.js';
import type {
  Database,
  DisputesTable,
  PeriodClosesTable,
  StatementLinesTable,
  StatementsTable,
} from '../schema.js';
import type { Store } from '../connection.js';
import { paginate, type PageRequest } from './page.js';
import { pushAll } from '../arrays.js';
import { placeholders } from '../insert-text.js';
import { keyVendor } from './scoping.js';

const CHUNK = 500;

// The ledger's accounts and transaction kinds (core/ledger/settlement.ts; storage imports core types only,
// and these types pin each value to core's).
const ACCOUNTS: typeof CoreAccounts = {
  expense: 'vendor:incentive-expense',
  payable: 'partner:rebate-payable',
  cash: 'vendor:cash',
  mdfExpense: 'vendor:mdf-expense',
  mdfFund: 'partner:mdf-fund',
  fxConversion: 'vendor:fx-conversion',
  fxRounding: 'vendor:fx-rounding',
};
const TX_KINDS: typeof CoreTxKinds = {
  accrual: 'accrual',
  accrualReturn: 'accrual-return',
  trueUp: 'true-up',
  adjustment: 'adjustment',
  payout: 'payout',
  solutionReward: 'solution-reward',
  mdfClaim: 'mdf-claim',
  mdfExpiry: 'mdf-expiry',
};
const ENGINE_KINDS = [TX_KINDS.accrual, TX_KINDS.accrualReturn, TX_KINDS.trueUp];
/** Where the engine credits partners (core ENGINE_CREDIT_ACCOUNTS): the rebate payable and the MDF fund. */
const ENGINE_CREDIT = [ACCOUNTS.payable, ACCOUNTS.mdfFund];

export const CLOSE_SORTS = {
  closedAt: { ref: 'closedAt', value: (r: { closedAt: string }) => r.closedAt },
  period: { ref: 'period', value: (r: { period: string }) => r.period },
};
export type CloseSort = keyof typeof CLOSE_SORTS;
export const STATEMENT_SORTS = {
  period: { ref: 'period', value: (r: { period: string }) => r.period },
  createdAt: { ref: 'createdAt', value: (r: { createdAt: string }) => r.createdAt },
  totalMinor: { ref: 'totalMinor', value: (r: { totalMinor: number }) => Number(r.totalMinor) },
};
export type StatementSort = keyof typeof STATEMENT_SORTS;
export const LINE_SORTS = {
  lineNo: { ref: 'lineNo', value: (r: { lineNo: number }) => r.lineNo },
};
export type LineSort = keyof typeof LINE_SORTS;
export const DISPUTE_SORTS = {
  openedAt: { ref: 'openedAt', value: (r: { openedAt: string }) => r.openedAt },
};
export type DisputeSort = keyof typeof DISPUTE_SORTS;
const num = (v: number | string | bigint | null | undefined): number => (v == null ? 0 : Number(v));

async function chunked<T, R>(items: readonly T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) pushAll(out, await run(items.slice(i, i + CHUNK)));
  return out;
}

/**
 * Settlement: what a period close reads (the period's partner lines with their facts, prior purchases,
 * tiers, the ledger's holdings), and the closes, statements and disputes it writes. The ledger itself
 * is written through ledgerRepository (append-only).
 */
/** A partner-sold line of a period with its order's facts (what the close's plan runs on). */
export interface PeriodLineRow {
  id: string;
  orderId: string;
  customerId: string;
  orderDate: string;
  productId: string;
  family: string;
  quantity: number;
  amountMinor: number;
  resellerId: string;
  returnsLineId: string | null;
  channel: string;
  country: string;
  region: string;
  segment: string;
  totalMinor: number;
  dealRegistrationId: string | null;
}

/**
 * Partner-sold lines of the vendor in [from, to] (the reseller earns), with their order's facts, by line id.
 * Read as rows of arrays through the store's bulk reader, the orders of the period apart from their lines
 * (one pass over each by the vendor's day index, no probe of the orders per line).
 */
export async function periodLines(
  db: Kysely<Database>,
  store: Store,
  vendorId: string,
  from: string,
  to: string,
  partnerId: string | readonly string[] | null,
): Promise<PeriodLineRow[]> {
  // A list of partners (a shard of a close: close-shards.ts): in chunks the store binds, then by id.
  if (Array.isArray(partnerId)) {
    const out: PeriodLineRow[] = [];
    for (let i = 0; i < partnerId.length; i += PARTNER_CHUNK)
      pushAll(out, await periodLinesOf(db, store, vendorId, from, to, partnerId.slice(i, i + PARTNER_CHUNK)));
    if (partnerId.length > PARTNER_CHUNK) out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return out;
  }
  return periodLinesOf(db, store, vendorId, from, to, partnerId as string | null);
}

/** One copy of each distinct string it is given. */
function interned(): (value: string) => string {
  const seen = new Map<string, string>();
  return (value) => {
    const kept = seen.get(value);
    if (kept !== undefined) return kept;
    seen.set(value, value);
    return value;
  };
}

/** Partners in one statement at most (both stores bind 30,000 parameters and a few more). */
const PARTNER_CHUNK = 30_000;

async function periodLinesOf(
  db: Kysely<Database>,
  store: Store,
  vendorId: string,
  from: string,
  to: string,
  partnerId: string | readonly string[] | null,
): Promise<PeriodLineRow[]> {
  if (Array.isArray(partnerId) && partnerId.length === 0) return [];
  const orders = new Map<string, unknown[]>();
  const byPartner = Array.isArray(partnerId)
    ? ` and reseller_id in (${partnerId.map(() => '?').join(', ')})`
    : partnerId
      ? ' and reseller_id = ?'
      : '';
  const params = [vendorId, from, to, ...(partnerId === null ? [] : [partnerId].flat())];
  // A quarter's orders and lines repeat a few channels, countries, regions, segments, and a few thousand
  // customers, partners, products and days: each kept once (the store hands every row fresh strings; a
  // large quarter's 660,000 orders and two million lines held each of them apart).
  const facets = interned();
  await store.bulk.eachRow(
    db,
    `select id, channel, country, region, segment, total_minor, deal_registration_id from orders
     where vendor_id = ? and order_date >= ? and order_date <= ? and reseller_id is not null${byPartner}`,
    params,
    (row) => {
      for (let i = 1; i <= 4; i++) row[i] = facets(row[i] as string);
      orders.set(row[0] as string, row);
    },
  );
  const out: PeriodLineRow[] = [];
  const customers = interned();
  const days = interned();
  const products = interned();
  const families = interned();
  const resellers = interned();
  await store.bulk.eachRow(
    db,
    `select id, order_id, customer_id, order_date, product_id, family, quantity, amount_minor, reseller_id,
       returns_line_id from order_lines
     where vendor_id = ? and order_date >= ? and order_date <= ? and reseller_id is not null${byPartner}
     order by id`,
    params,
    (l) => {
      const o = orders.get(l[1] as string);
      // A line's day is its order's: a line without its order in the period cannot be (skipped if so).
      if (!o) return;
      out.push({
        id: l[0] as string,
        orderId: o[0] as string,
        customerId: customers(l[2] as string),
        orderDate: days(l[3] as string),
        productId: products(l[4] as string),
        family: families(l[5] as string),
        quantity: Number(l[6]),
        amountMinor: num(l[7] as number | string),
        resellerId: resellers(l[8] as string),
        returnsLineId: (l[9] as string | null) ?? null,
        channel: o[1] as string,
        country: o[2] as string,
        region: o[3] as string,
        segment: o[4] as string,
        totalMinor: num(o[5] as number | string),
        dealRegistrationId: (o[6] as string | null) ?? null,
      });
    },
  );
  return out;
}

/**
 * Purchases of `families` (all when empty; quantity > 0, any channel) in [from, before), read from the
 * (vendor, day, customer, family, quantity) index alone: every day each customer bought each family on
 * (`every`), or only the last such day (`last`). Each is handed to `each` as it is read (SQLite streams
 * them: a large quarter's purchases are millions of rows, never held at once), by customers in chunks the
 * store binds when `customerIds` is given.
 */
export async function eachPurchase(
  db: Kysely<Database>,
  store: Store,
  which: 'every' | 'last',
  vendorId: string,
  families: readonly string[],
  from: string,
  before: string,
  customerIds: readonly string[] | null,
  each: (customerId: string, family: string, day: string) => void,
): Promise<void> {
  const run = async (customers: readonly string[] | null) => {
    const byFamily = families.length > 0 ? ` and family in (${placeholders(families.length)})` : '';
    const byCustomer = customers ? ` and customer_id in (${placeholders(customers.length)})` : '';
    const where = `where vendor_id = ? and order_date >= ? and order_date < ? and quantity > 0${byFamily}${byCustomer}`;
    await store.bulk.eachRow(
      db,
      which === 'every'
        ? `select distinct customer_id, family, order_date from order_lines ${where}`
        : `select customer_id, family, max(order_date) from order_lines ${where} group by customer_id, family`,
      [vendorId, from, before, ...families, ...(customers ?? [])],
      (row) => each(row[0] as string, row[1] as string, row[2] as string),
    );
  };
  if (customerIds === null) return run(null);
  for (let i = 0; i < customerIds.length; i += CHUNK) await run(customerIds.slice(i, i + CHUNK));
}

/** A close's columns but its close items (large: read only by a re-close that reuses them). */
const CLOSE_COLUMNS = [
  'id',
  'vendorId',
  'programId',
  'programVersionId',
  'period',
  'fromDate',
  'toDate',
  'currency',
  'lines',
  'partners',
  'transactions',
  'entries',
  'netMinor',
  'totalMinor',
  'statements',
  'closedBy',
  'closedAt',
  'summary',
] as const satisfies readonly Exclude<keyof PeriodClosesTable, 'closeItems'>[];

export function settlementRepository(db: Kysely<Database>) {
  return {
    /** Tier records of the program (tier codes only, not invitation statuses). */
    memberships(programId: string, tierCodes: readonly string[], partnerId: string | null) {
      let q = db
        .selectFrom('memberships')
        .select(['partnerId', 'tierCode', 'validFrom', 'validTo'])
        .where('programId', '=', programId)
        .where('tierCode', 'in', [...tierCodes])
        .orderBy('partnerId')
        .orderBy('validFrom');
      if (partnerId) q = q.where('partnerId', '=', partnerId);
      return q.execute();
    },
    enrolments(programId: string, partnerId: string | null) {
      let q = db
        .selectFrom('enrolments as e')
        .innerJoin('partners as p', 'p.id', 'e.partnerId')
        .select(['e.partnerId', 'e.exclusive', 'p.kind', 'p.country', 'p.region'])
        .where('e.programId', '=', programId);
      if (partnerId) q = q.where('e.partnerId', '=', partnerId);
      return q.execute();
    },
    /** Partner-sold revenue per reseller and family in [from, to], for growth comparisons. */
    async revenue(vendorId: string, from: string, to: string, partnerId: string | null) {
      let q = db
        .selectFrom('orderLines')
        .select(['resellerId', 'family', sql<number | string>`sum(amount_minor)`.as('amount')])
        .where('vendorId', '=', vendorId)
        .where('orderDate', '>=', from)
        .where('orderDate', '<=', to)
        .where('resellerId', 'is not', null)
        .groupBy(['resellerId', 'family']);
      if (partnerId) q = q.where('resellerId', '=', partnerId);
      return (await q.execute()).map((r) => ({
        partnerId: r.resellerId as string,
        family: r.family,
        amountMinor: num(r.amount),
      }));
    },
    /**
     * What the ledger holds for the program and period from the engine's own transactions, as partners
     * see it (credits to the payable account or, for earned MDF, the MDF fund; positive): per line and component, and per partner and
     * component for close items (no line). `perLine` false: summed per partner and component (lines and
     * close items together, `lineId` null), without one row per line (what a simulation compares with).
     */
    async engineHoldings(
      programId: string,
      period: string,
      partnerId: string | readonly string[] | null,
      perLine = true,
    ): Promise<
      { partnerId: string; lineId: string | null; component: string; amountMinor: number; entries: number }[]
    > {
      // A list of partners (a shard of a close): in chunks the store binds.
      if (Array.isArray(partnerId) && partnerId.length === 0) return [];
      if (Array.isArray(partnerId) && partnerId.length > PARTNER_CHUNK) {
        const out: Awaited<ReturnType<ReturnType<typeof settlementRepository>['engineHoldings']>> = [];
        for (let i = 0; i < partnerId.length; i += PARTNER_CHUNK)
          pushAll(
            out,
            await settlementRepository(db).engineHoldings(
              programId,
              period,
              partnerId.slice(i, i + PARTNER_CHUNK),
              perLine,
            ),
          );
        return out;
      }
      let entries = db
        .selectFrom('ledgerEntries as e')
        .innerJoin('ledgerTransactions as t', (j) =>
          j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
        )
        .select([
          'e.partnerId',
          perLine ? 'e.lineId' : sql<string | null>`null`.as('lineId'),
          'e.component',
          sql<number | string>`-sum(e.amount_minor)`.as('amount'),
          sql<number | string>`count(*)`.as('entries'),
        ])
        .where('e.programId', '=', programId)
        .where('e.period', '=', period)
        .where('e.account', 'in', ENGINE_CREDIT)
        .where('t.kind', 'in', [...ENGINE_KINDS])
        .groupBy(perLine ? ['e.partnerId', 'e.lineId', 'e.component'] : ['e.partnerId', 'e.component']);
      if (Array.isArray(partnerId)) entries = entries.where('e.partnerId', 'in', partnerId);
      else if (partnerId) entries = entries.where('e.partnerId', '=', partnerId as string);
      // Postings credit the payable with their amount (rules that debit it are not the engine's).
      let postings = db
        .selectFrom('ledgerTransactions as t')
        .innerJoin('ledgerPostings as p', (j) =>
          j.onRef('p.vendorId', '=', 't.vendorId').onRef('p.transactionId', '=', 't.id'),
        )
        .innerJoin('ledgerRules as r', (j) =>
          j.onRef('r.vendorId', '=', 'p.vendorId').onRef('r.id', '=', 'p.rule'),
        )
        .select([
          't.partnerId',
          perLine ? 'p.lineId' : sql<string | null>`null`.as('lineId'),
          'r.component',
          sql<number | string>`sum(p.amount_minor)`.as('amount'),
          sql<number | string>`count(*)`.as('entries'),
        ])
        .where('t.programId', '=', programId)
        .where('t.period', '=', period)
        .where('t.kind', 'in', [...ENGINE_KINDS])
        .where('r.creditAccount', 'in', ENGINE_CREDIT)
        .groupBy(perLine ? ['t.partnerId', 'p.lineId', 'r.component'] : ['t.partnerId', 'r.component']);
      if (Array.isArray(partnerId)) postings = postings.where('t.partnerId', 'in', partnerId);
      else if (partnerId) postings = postings.where('t.partnerId', '=', partnerId as string);
      const merged = new Map<
        string,
        { partnerId: string; lineId: string | null; component: string; amountMinor: number; entries: number }
      >();
      for (const r of [...(await entries.execute()), ...(await postings.execute())]) {
        const key = `${r.partnerId ?? ''}\u0000${r.lineId ?? ''}\u0000${r.component}`;
        const held = merged.get(key);
        if (held) {
          held.amountMinor += num(r.amount);
          held.entries += num(r.entries);
        } else
          merged.set(key, {
            partnerId: r.partnerId as string,
            lineId: r.lineId,
            component: r.component,
            amountMinor: num(r.amount),
            entries: num(r.entries),
          });
      }
      return [...merged.values()];
    },
    /**
     * How many ledger transactions (of any kind) the program holds for the period: the ledger is
     * append-only, so an unchanged count means nothing was posted for the period since it was read. Counted
     * from the (program, period, partner) index alone.
     */
    /**
     * Partners with a ledger transaction (of any kind) of the program for the period, from the (program,
     * period, partner) index alone: with the enrolled partners, every partner a close of the period plans
     * for (close-shards.ts splits them into shards).
     */
    async periodPartners(programId: string, period: string): Promise<string[]> {
      const rows = await db
        .selectFrom('ledgerTransactions')
        .select('partnerId')
        .distinct()
        .where('programId', '=', programId)
        .where('period', '=', period)
        .where('partnerId', 'is not', null)
        .execute();
      return rows.map((r) => r.partnerId as string);
    },
    async periodTransactions(programId: string, period: string): Promise<number> {
      const row = await db
        .selectFrom('ledgerTransactions')
        .select(sql<number | string>`count(*)`.as('n'))
        .where('programId', '=', programId)
        .where('period', '=', period)
        .executeTakeFirstOrThrow();
      return num(row.n);
    },
    /** Engine credits per line and component (any period), for the lines given. */
    async lineCredits(lineIds: readonly string[]) {
      if (lineIds.length === 0) return [];
      return chunked(lineIds, async (ids) => {
        const entries = await db
          .selectFrom('ledgerEntries as e')
          .innerJoin('ledgerTransactions as t', (j) =>
            j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
          )
          .select([
            'e.lineId',
            'e.partnerId',
            'e.programId',
            'e.period',
            'e.component',
            sql<number | string>`-sum(e.amount_minor)`.as('amount'),
          ])
          .where('e.lineId', 'in', ids)
          .where('e.account', 'in', ENGINE_CREDIT)
          .where('t.kind', 'in', [...ENGINE_KINDS])
          .groupBy(['e.lineId', 'e.partnerId', 'e.programId', 'e.period', 'e.component'])
          .execute();
        const postings = await db
          .selectFrom('ledgerPostings as p')
          .innerJoin('ledgerTransactions as t', (j) =>
            j.onRef('t.vendorId', '=', 'p.vendorId').onRef('t.id', '=', 'p.transactionId'),
          )
          .innerJoin('ledgerRules as r', (j) =>
            j.onRef('r.vendorId', '=', 'p.vendorId').onRef('r.id', '=', 'p.rule'),
          )
          .select([
            'p.lineId',
            't.partnerId',
            't.programId',
            't.period',
            'r.component',
            sql<number | string>`sum(p.amount_minor)`.as('amount'),
          ])
          .where('p.lineId', 'in', ids)
          .where('r.creditAccount', 'in', ENGINE_CREDIT)
          .where('t.kind', 'in', [...ENGINE_KINDS])
          .groupBy(['p.lineId', 't.partnerId', 't.programId', 't.period', 'r.component'])
          .execute();
        const merged = new Map<
          string,
          {
            lineId: string;
            partnerId: string | null;
            programId: string;
            period: string;
            component: string;
            amountMinor: number;
          }
        >();
        for (const r of [...entries, ...postings]) {
          const key = [r.lineId, r.partnerId, r.programId, r.period, r.component].join('\u0000');
          const held = merged.get(key);
          if (held) held.amountMinor += num(r.amount);
          else
            merged.set(key, {
              lineId: r.lineId as string,
              partnerId: r.partnerId,
              programId: r.programId,
              period: r.period,
              component: r.component,
              amountMinor: num(r.amount),
            });
        }
        return [...merged.values()];
      });
    },
    /** Lines that return the given lines, with their dates. */
    async returnsOf(lineIds: readonly string[]) {
      if (lineIds.length === 0) return [];
      return chunked(lineIds, (ids) =>
        db
          .selectFrom('orderLines')
          .select(['id', 'returnsLineId', 'orderDate'])
          .where('returnsLineId', 'in', ids)
          .execute(),
      );
    },
    /**
     * Date, customer and reseller of the vendor's lines (returned originals). By the vendor's key: on
     * PostgreSQL a line's key is (vendor, id), and a look-up by id alone reads every line of every vendor.
     */
    async lineDates(vendorId: string, lineIds: readonly string[]) {
      if (lineIds.length === 0) return [];
      return chunked(lineIds, (ids) =>
        db
          .selectFrom('orderLines')
          .select(['id', 'orderDate', 'customerId', 'resellerId'])
          .where(keyVendor(db, 'vendor_id', vendorId))
          .where('id', 'in', ids)
          .execute(),
      );
    },
    /** Per partner, period and component: line-level and close-level engine sums, for the share kept. */
    async componentSplit(programId: string, periods: readonly string[], partnerIds: readonly string[]) {
      if (periods.length === 0 || partnerIds.length === 0) return [];
      return chunked(partnerIds, async (ids) => {
        const entries = await db
          .selectFrom('ledgerEntries as e')
          .innerJoin('ledgerTransactions as t', (j) =>
            j.onRef('t.vendorId', '=', 'e.vendorId').onRef('t.id', '=', 'e.transactionId'),
          )
          .select([
            'e.partnerId',
            'e.period',
            'e.component',
            sql<number | string>`-sum(case when e.line_id is null then 0 else e.amount_minor end)`.as(
              'lineAmount',
            ),
            sql<number | string>`-sum(case when e.line_id is null then e.amount_minor else 0 end)`.as(
              'closeAmount',
            ),
          ])
          .where('e.programId', '=', programId)
          .where('e.period', 'in', [...periods])
          .where('e.partnerId', 'in', ids)
          .where('e.account', 'in', ENGINE_CREDIT)
          .where('t.kind', 'in', [...ENGINE_KINDS])
          .groupBy(['e.partnerId', 'e.period', 'e.component'])
          .execute();
        // Postings are always on a line.
        const postings = await db
          .selectFrom('ledgerTransactions as t')
          .innerJoin('ledgerPostings as p', (j) =>
            j.onRef('p.vendorId', '=', 't.vendorId').onRef('p.transactionId', '=', 't.id'),
          )
          .innerJoin('ledgerRules as r', (j) =>
            j.onRef('r.vendorId', '=', 'p.vendorId').onRef('r.id', '=', 'p.rule'),
          )
          .select([
            't.partnerId',
            't.period',
            'r.component',
            sql<number | string>`sum(p.amount_minor)`.as('lineAmount'),
            sql<number | string>`0`.as('closeAmount'),
          ])
          .where('t.programId', '=', programId)
          .where('t.period', 'in', [...periods])
          .where('t.partnerId', 'in', ids)
          .where('r.creditAccount', 'in', ENGINE_CREDIT)
          .where('t.kind', 'in', [...ENGINE_KINDS])
          .groupBy(['t.partnerId', 't.period', 'r.component'])
          .execute();
        const merged = new Map<
          string,
          { partnerId: string; period: string; component: string; lineMinor: number; closeMinor: number }
        >();
        for (const r of [...entries, ...postings]) {
          const key = `${r.partnerId ?? ''}\u0000${r.period}\u0000${r.component}`;
          const held = merged.get(key);
          if (held) {
            held.lineMinor += num(r.lineAmount);
            held.closeMinor += num(r.closeAmount);
          } else
            merged.set(key, {
              partnerId: r.partnerId as string,
              period: r.period,
              component: r.component,
              lineMinor: num(r.lineAmount),
              closeMinor: num(r.closeAmount),
            });
        }
        return [...merged.values()];
      });
    },

    // --- closes ---
    /** PostgreSQL: one close of a program at a time (a second waits, then finds nothing to true up). */
    /**
     * One close of a program at a time (PostgreSQL): a transaction-scoped advisory lock on the program,
     * held to the close's commit. Not a row lock on `programs`: `for update` there conflicts with the
     * key-share lock every insert referencing the program takes (an order's accrual, a membership), so
     * order intake for the program waited for the whole close; `for no key update` would still make a
     * status grant (which takes it) wait. The advisory lock makes only another close wait.
     */
    async lockProgram(vendorId: string, programId: string): Promise<void> {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`trellis close:${vendorId}:${programId}`}, 0))`.execute(
        db,
      );
    },
    async setCloseStatements(closeId: string, statements: number): Promise<void> {
      await db.updateTable('periodCloses').set({ statements }).where('id', '=', closeId).execute();
    },
    /** Published versions in force from a day on or before `today`, oldest first (closes that fall due). */
    publishedVersionsBy(today: string) {
      return db
        .selectFrom('programVersions')
        .select(['programId', 'definition'])
        .where('status', '=', 'published')
        .where('effectiveFrom', '<=', today)
        .orderBy('effectiveFrom')
        .execute();
    },
    insertClose(row: Insertable<PeriodClosesTable>) {
      return db.insertInto('periodCloses').values(row).execute();
    },
    listCloses(
      scope: Scope,
      filter: { programId?: string | undefined; period?: string | undefined },
      page: PageRequest<CloseSort>,
    ) {
      let q = db.selectFrom('periodCloses').select(CLOSE_COLUMNS);
      if (scope.kind === 'vendor') q = q.where('vendorId', '=', scope.vendorId);
      // A close's totals are vendor-wide: partners and channel managers limited to regions see none.
      if (scope.kind === 'partner' || (scope.kind === 'vendor' && scope.regions.length > 0))
        q = q.where(sql<boolean>`1 = 0`);
      if (filter.programId) q = q.where('programId', '=', filter.programId);
      if (filter.period) q = q.where('period', '=', filter.period);
      return paginate(q, page, CLOSE_SORTS, 'id');
    },
    getClose(scope: Scope, id: string) {
      let q = db.selectFrom('periodCloses').select(CLOSE_COLUMNS).where('id', '=', id);
      if (scope.kind === 'vendor') q = q.where('vendorId', '=', scope.vendorId);
      if (scope.kind === 'partner' || (scope.kind === 'vendor' && scope.regions.length > 0))
        return Promise.resolve(undefined);
      return q.executeTakeFirst();
    },
    lastClose(programId: string, period: string) {
      return db
        .selectFrom('periodCloses')
        .selectAll()
        .where('programId', '=', programId)
        .where('period', '=', period)
        .orderBy('closedAt', 'desc')
        .orderBy('id', 'desc')
        .executeTakeFirst();
    },
    closedPeriods(programId: string) {
      return db
        .selectFrom('periodCloses')
        .select('period')
        .distinct()
        .where('programId', '=', programId)
        .execute();
    },

    // --- statements ---
    statementsOf(programId: string, period: string, partnerIds: readonly string[] | null) {
      let q = db
        .selectFrom('statements')
        .selectAll()
        .where('programId', '=', programId)
        .where('period', '=', period);
      if (partnerIds) q = q.where('partnerId', 'in', [...partnerIds]);
      return q.execute();
    },
    /** Partners with payable entries of the program up to the period that are on no statement yet. */
    async partnersWithUnstated(programId: string, period: string, partnerId: string | null) {
      let entries = db
        .selectFrom('ledgerTransactions as t')
        .innerJoin('ledgerEntries as e', (j) =>
          j.onRef('e.vendorId', '=', 't.vendorId').onRef('e.transactionId', '=', 't.id'),
        )
        .select('e.partnerId')
        .distinct()
        .where('t.programId', '=', programId)
        .where('e.account', '=', ACCOUNTS.payable)
        .where('t.period', '<=', period)
        .where('e.partnerId', 'is not', null)
        .where('t.kind', '!=', TX_KINDS.payout)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('statementLines as sl')
                .select('sl.id')
                .whereRef('sl.vendorId', '=', 't.vendorId')
                .whereRef('sl.transactionId', '=', 't.id'),
            ),
          ),
        );
      if (Array.isArray(partnerId)) entries = entries.where('e.partnerId', 'in', partnerId);
      else if (partnerId) entries = entries.where('e.partnerId', '=', partnerId as string);
      let postings = db
        .selectFrom('ledgerTransactions as t')
        .innerJoin('ledgerPostings as p', (j) =>
          j.onRef('p.vendorId', '=', 't.vendorId').onRef('p.transactionId', '=', 't.id'),
        )
        .innerJoin('ledgerRules as r', (j) =>
          j.onRef('r.vendorId', '=', 'p.vendorId').onRef('r.id', '=', 'p.rule'),
        )
        .select('t.partnerId')
        .distinct()
        .where('t.programId', '=', programId)
        .where('t.period', '<=', period)
        .where('t.partnerId', 'is not', null)
        .where('t.kind', '!=', TX_KINDS.payout)
        .where((eb) =>
          eb.or([eb('r.creditAccount', '=', ACCOUNTS.payable), eb('r.debitAccount', '=', ACCOUNTS.payable)]),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('statementLines as sl')
                .select('sl.id')
                .whereRef('sl.vendorId', '=', 't.vendorId')
                .whereRef('sl.transactionId', '=', 't.id'),
            ),
          ),
        );
      if (Array.isArray(partnerId)) postings = postings.where('t.partnerId', 'in', partnerId);
      else if (partnerId) postings = postings.where('t.partnerId', '=', partnerId as string);
      const found = new Set<string>();
      for (const r of [...(await entries.execute()), ...(await postings.execute())])
        if (r.partnerId) found.add(r.partnerId);
      return [...found];
    },
    /** Statements of the program that were carried (not paid) and not yet taken into a later statement. */
    carriedStatements(programId: string, partnerIds: readonly string[]) {
      if (partnerIds.length === 0) return Promise.resolve([]);
      return chunked(partnerIds, (ids) =>
        db
          .selectFrom('statements as s')
          .select(['s.id', 's.partnerId', 's.period', 's.totalMinor', 's.currency'])
          .where('s.programId', '=', programId)
          .where('s.status', '=', 'carried')
          .where('s.partnerId', 'in', ids)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('statementLines as sl')
                  .select('sl.id')
                  .where('sl.kind', '=', 'carried')
                  .whereRef('sl.vendorId', '=', 's.vendorId')
                  .whereRef('sl.transactionId', '=', 's.id'),
              ),
            ),
          )
          .execute(),
      );
    },
    /**
     * Moves a statement from `from` to the patch's status: a conditional update, so of requests racing on
     * one statement exactly one sees its row change (true); the others see false, whatever the isolation.
     */
    async transitionStatement(id: string, from: string, patch: Updateable<StatementsTable>) {
      const r = await db
        .updateTable('statements')
        .set(patch)
        .where('id', '=', id)
        .where('status', '=', from)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    updateStatement(id: string, patch: Updateable<StatementsTable>) {
      return db.updateTable('statements').set(patch).where('id', '=', id).execute();
    },
    insertStatementLines(rows: Insertable<StatementLinesTable>[]) {
      if (rows.length === 0) return Promise.resolve();
      return (async () => {
        for (let i = 0; i < rows.length; i += 100)
          await db
            .insertInto('statementLines')
            .values(rows.slice(i, i + 100))
            .execute();
      })();
    },
    /** Deletes the lines of the period's drafts (they are rebuilt) and points the drafts at this close. */
    /**
     * Moves the program's drafts of the period to this close, and empties the drafts of `rebuild` (their
     * lines are attached again).
     */
    async resetDrafts(
      programId: string,
      period: string,
      partnerId: string | null,
      closeId: string,
      now: string,
      rebuild: readonly string[],
    ) {
      for (let i = 0; i < rebuild.length; i += CHUNK) {
        const drafts = db
          .selectFrom('statements')
          .select(['vendorId', 'id'])
          .where('programId', '=', programId)
          .where('period', '=', period)
          .where('status', '=', 'draft')
          .where('partnerId', 'in', rebuild.slice(i, i + CHUNK))
          .$asTuple('vendorId', 'id');
        await db
          .deleteFrom('statementLines')
          .where((eb) => eb(eb.refTuple('vendorId', 'statementId'), 'in', drafts))
          .execute();
      }
      let q = db
        .updateTable('statements')
        .set({ closeId, updatedAt: now })
        .where('programId', '=', programId)
        .where('period', '=', period)
        .where('status', '=', 'draft');
      if (partnerId) q = q.where('partnerId', '=', partnerId);
      await q.execute();
    },
    /**
     * Partners whose draft of the period holds a return of a sale that a paid statement now holds: the
     * return has become a clawback since the draft was built.
     */
    async draftsWithReturns(programId: string, period: string, partnerId: string | null) {
      const partner = partnerId ? sql`and s.partner_id = ${partnerId}` : sql``;
      const rows = await sql<{ partnerId: string }>`
        select distinct s.partner_id as "partnerId"
        from statements s
        join statement_lines sl on sl.vendor_id = s.vendor_id and sl.statement_id = s.id and sl.kind = 'return'
        join order_lines ol on ol.vendor_id = sl.vendor_id and ol.id = sl.order_line_id
        where s.program_id = ${programId} and s.period = ${period} and s.status = 'draft' ${partner}
          and exists (select 1 from statement_lines sl2
            join statements s2 on s2.vendor_id = sl2.vendor_id and s2.id = sl2.statement_id
            where sl2.vendor_id = ol.vendor_id and sl2.order_line_id = ol.returns_line_id and s2.status = 'paid')`.execute(
        db,
      );
      return rows.rows.map((r) => r.partnerId);
    },
    async insertStatements(rows: Insertable<StatementsTable>[]) {
      for (let i = 0; i < rows.length; i += 100)
        await db
          .insertInto('statements')
          .values(rows.slice(i, i + 100))
          .execute();
    },
    /**
     * Puts every payable entry of the program up to `period` that is on no statement onto its partner's
     * draft of this close, numbered from 1 (a carried line is number 0). One INSERT ... SELECT for the whole
     * close: the entries never leave the database. A return of a line that a paid statement holds is a
     * clawback.
     */
    async attachEntries(c: {
      vendorId: string;
      closeId: string;
      programId: string;
      period: string;
      partnerId: string | null;
    }) {
      const paidOriginal = sql<number>`case when exists (
          select 1 from statement_lines sl2
          join statements s2 on s2.vendor_id = sl2.vendor_id and s2.id = sl2.statement_id
          where sl2.vendor_id = ${c.vendorId} and sl2.order_line_id = k.returns_line_id and s2.status = 'paid')
          then 1 else 0 end`;
      const kind = sql<string>`case
          when k.returns_line_id is not null
            and k.tx_kind in (${TX_KINDS.accrual}, ${TX_KINDS.accrualReturn}, ${TX_KINDS.trueUp})
            then (case when ${paidOriginal} = 1 then 'clawback' else 'return' end)
          when k.tx_kind = ${TX_KINDS.accrual} then 'accrual'
          when k.tx_kind = ${TX_KINDS.trueUp} then (case when k.line_id is null then 'close' else 'true-up' end)
          when k.tx_kind = ${TX_KINDS.solutionReward} then 'close'
          else 'adjustment' end`;
      const entryPartner = c.partnerId ? sql`and e.partner_id = ${c.partnerId}` : sql``;
      const postingPartner = c.partnerId ? sql`and t.partner_id = ${c.partnerId}` : sql``;
      // A column of the line's entry, or of its posting's rule (a posting line has no entry).
      const col = (entry: string, posting: string) =>
        sql`case when k.posting_seq is null then ${sql.ref(entry)} else ${sql.ref(posting)} end`;
      // Stored entries on the payable account, and postings that credit it (their amount is what the
      // partner is owed), of transactions no statement holds yet (a transaction's payable lines reach a
      // statement together: one partner, one period, one attach). The lines are numbered per statement by
      // period, day and order line over narrow keys (k), and only then joined to their wide columns, so the
      // sort a window needs carries a few columns, not every column of the line. (Every transaction here is
      // the vendor's: the vendor is the bound value, not a join back to the transactions, which cost a
      // sixth of this statement.)
      await sql`
        with drafts as materialized (
          -- The partner's draft of this close (the latest by sequence, found once per partner).
          select d.partner_id, d.id from (
            select s.partner_id, s.id,
              row_number() over (partition by s.partner_id order by s.sequence desc) as n
            from statements s
            where s.vendor_id = ${c.vendorId} and s.program_id = ${c.programId} and s.period = ${c.period}
              and s.status = 'draft'
              and s.close_id = ${c.closeId}) d
          where d.n = 1),
        k as materialized (
          select u.*, ol.order_id, ol.order_date, ol.family, ol.returns_line_id,
            row_number() over (partition by u.statement_id
              order by u.period, coalesce(ol.order_date, ''), coalesce(u.line_id, ''), u.line_key) as line_no
          from (
            -- Each branch starts from the drafts and finds their partners' transactions by index, so the
            -- plan stays right when the planner has not yet counted the drafts inserted in this transaction.
            select substr(e.id, 5) as line_key, e.id as entry_id, e.transaction_id, null as posting_seq,
              t.kind as tx_kind, e.partner_id, e.line_id, e.period, drafts.id as statement_id
            from drafts
            join ledger_entries e on e.vendor_id = ${c.vendorId} and e.partner_id = drafts.partner_id
            join ledger_transactions t on t.vendor_id = e.vendor_id and t.id = e.transaction_id
            where t.vendor_id = ${c.vendorId} and t.program_id = ${c.programId} and t.period <= ${c.period}
              and t.kind <> ${TX_KINDS.payout}
              and not exists (select 1 from statement_lines sl where sl.vendor_id = t.vendor_id
                and sl.transaction_id = t.id)
              and e.account = ${ACCOUNTS.payable}
              ${entryPartner}
            union all
            select substr(p.transaction_id, 5) || 'p' || p.seq, null, p.transaction_id, p.seq, t.kind,
              t.partner_id, p.line_id, t.period, drafts.id
            from drafts
            join ledger_transactions t on t.vendor_id = ${c.vendorId} and t.partner_id = drafts.partner_id
            join ledger_postings p on p.vendor_id = t.vendor_id and p.transaction_id = t.id
            join ledger_rules r on r.vendor_id = t.vendor_id and r.id = p.rule
            where t.vendor_id = ${c.vendorId} and t.program_id = ${c.programId} and t.period <= ${c.period}
              and t.kind <> ${TX_KINDS.payout}
              and not exists (select 1 from statement_lines sl where sl.vendor_id = t.vendor_id
                and sl.transaction_id = t.id)
              and r.credit_account = ${ACCOUNTS.payable}
              ${postingPartner}
          ) u
          left join order_lines ol on ol.vendor_id = ${c.vendorId} and ol.id = u.line_id)
        insert into statement_lines (id, statement_id, vendor_id, partner_id, line_no, kind, entry_id,
          transaction_id, posting_seq, order_id, order_line_id, order_date, family, component, rule_id,
          rule_version, base_minor, rate, effective_rate, tier, multiplier, budget_pool, amount_minor, currency,
          period, explanation)
        select 'sln_' || k.line_key, k.statement_id, ${c.vendorId}, k.partner_id, k.line_no, ${kind}, k.entry_id,
          k.transaction_id, k.posting_seq, k.order_id, k.line_id, k.order_date, k.family,
          ${col('e.component', 'r.component')}, ${col('e.rule_id', 'r.rule_id')},
          ${col('e.rule_version', 'r.rule_version')}, ${col('e.base_minor', 'p.base_minor')},
          ${col('e.rate', 'r.rate')}, ${col('e.effective_rate', 'r.effective_rate')}, ${col('e.tier', 'r.tier')},
          ${col('e.multiplier', 'r.multiplier')}, ${col('e.budget_pool', 'r.budget_pool')},
          case when k.posting_seq is null then -e.amount_minor else p.amount_minor end,
          ${col('e.currency', 'r.currency')}, k.period,
          case when k.posting_seq is null then e.explanation else '' end
        from k
        left join ledger_entries e on e.vendor_id = ${c.vendorId} and e.id = k.entry_id
        left join ledger_postings p on p.vendor_id = ${c.vendorId} and p.transaction_id = k.transaction_id
          and p.seq = k.posting_seq
        left join ledger_rules r on r.vendor_id = ${c.vendorId} and r.id = p.rule`.execute(db);
    },
    /**
     * Recomputes the totals of the close's drafts from their lines (of the drafts of `partnerIds` only, when
     * given: the others' lines did not change), drops drafts left empty, counts the rest.
     */
    async totalDrafts(vendorId: string, closeId: string, now: string, partnerIds: readonly string[] | null) {
      // One pass over each draft's lines (its index range), every total from it at once.
      const total = (partners: readonly string[] | null) =>
        sql`update statements set (lines, earned_minor,
          clawback_minor, adjustment_minor, carried_in_minor, total_minor) = (
          select count(*),
            coalesce(sum(case when sl.kind not in ('clawback', 'adjustment', 'carried') then sl.amount_minor end), 0),
            coalesce(sum(case when sl.kind = 'clawback' then sl.amount_minor end), 0),
            coalesce(sum(case when sl.kind = 'adjustment' then sl.amount_minor end), 0),
            coalesce(sum(case when sl.kind = 'carried' then sl.amount_minor end), 0),
            coalesce(sum(sl.amount_minor), 0)
          from statement_lines sl where sl.vendor_id = ${vendorId} and sl.statement_id = statements.id),
          updated_at = ${now}
        where vendor_id = ${vendorId} and close_id = ${closeId} and status = 'draft'
          ${partners ? sql`and partner_id in (${sql.join(partners)})` : sql``}`.execute(db);
      if (partnerIds === null) await total(null);
      else for (let i = 0; i < partnerIds.length; i += CHUNK) await total(partnerIds.slice(i, i + CHUNK));
      await db
        .deleteFrom('statements')
        .where('vendorId', '=', vendorId)
        .where('closeId', '=', closeId)
        .where('status', '=', 'draft')
        .where('lines', '=', 0)
        .execute();
      const row = await db
        .selectFrom('statements')
        .select(sql<number | string>`count(*)`.as('n'))
        .where('vendorId', '=', vendorId)
        .where('closeId', '=', closeId)
        .where('status', '=', 'draft')
        .executeTakeFirstOrThrow();
      return num(row.n);
    },
    listStatements(
      scope: Scope,
      filter: {
        programId?: string | undefined;
        partnerId?: string | undefined;
        period?: string | undefined;
        status?: string | undefined;
      },
      page: PageRequest<StatementSort>,
    ) {
      let q = scopeStatements(db.selectFrom('statements').selectAll(), scope);
      if (filter.programId) q = q.where('programId', '=', filter.programId);
      if (filter.partnerId) q = q.where('partnerId', '=', filter.partnerId);
      if (filter.period) q = q.where('period', '=', filter.period);
      if (filter.status) q = q.where('status', '=', filter.status);
      return paginate(q, page, STATEMENT_SORTS, 'id');
    },
    /**
     * The statements a bulk action selects, narrow (what its plan reads): by ids, or by program with an
     * optional period, partner and status; within the caller's scope, in (period, partner, sequence) order.
     */
    selectForBulk(
      scope: Scope,
      sel: {
        ids?: readonly string[] | undefined;
        programId?: string | undefined;
        period?: string | undefined;
        partnerId?: string | undefined;
        status?: string | undefined;
      },
    ) {
      let q = scopeStatements(
        db
          .selectFrom('statements')
          .select([
            'id',
            'vendorId',
            'partnerId',
            'programId',
            'period',
            'sequence',
            'status',
            'totalMinor',
            'currency',
          ]),
        scope,
      );
      if (sel.ids) q = q.where('id', 'in', sel.ids.length > 0 ? [...sel.ids] : ['']);
      if (sel.programId) q = q.where('programId', '=', sel.programId);
      if (sel.period) q = q.where('period', '=', sel.period);
      if (sel.partnerId) q = q.where('partnerId', '=', sel.partnerId);
      if (sel.status) q = q.where('status', '=', sel.status);
      return q.orderBy('period').orderBy('partnerId').orderBy('sequence').orderBy('id').execute();
    },
    getStatement(scope: Scope, id: string) {
      return scopeStatements(
        db.selectFrom('statements').selectAll().where('id', '=', id),
        scope,
      ).executeTakeFirst();
    },
    statementLines(
      vendorId: string,
      statementId: string,
      filter: { kind?: string | undefined },
      page: PageRequest<LineSort>,
    ) {
      let q = db
        .selectFrom('statementLines')
        .selectAll()
        .where(keyVendor(db, 'vendor_id', vendorId))
        .where('statementId', '=', statementId);
      if (filter.kind) q = q.where('kind', '=', filter.kind);
      return paginate(q, page, LINE_SORTS, 'id');
    },
    /** Every line of a statement in order, in chunks (downloads). */
    async *allStatementLines(vendorId: string, statementId: string) {
      let after = 0;
      for (;;) {
        const rows = await db
          .selectFrom('statementLines')
          .selectAll()
          .where(keyVendor(db, 'vendor_id', vendorId))
          .where('statementId', '=', statementId)
          .where('lineNo', '>', after)
          .orderBy('lineNo')
          .limit(5000)
          .execute();
        if (rows.length === 0) return;
        yield rows;
        after = (rows.at(-1) as { lineNo: number }).lineNo;
      }
    },
    /**
     * What renders the sentence of statement lines that show postings: each posting's rule name, kind,
     * multipliers and what was due after it, keyed `<transaction>_<seq>`.
     */
    async postingFacts(keys: readonly { transactionId: string; seq: number }[]) {
      const out = new Map<
        string,
        {
          dueMinor: number | null;
          name: string;
          kind: string;
          multipliers: string;
          component: string;
          /** The order line's invoiced amount, currency and rate (issue 17; null: in the program's currency). */
          originalAmountMinor: number | null;
          originalCurrency: string | null;
          fxRate: string | null;
          lineAmountMinor: number | null;
        }
      >();
      if (keys.length === 0) return out;
      const wanted = new Set(keys.map((k) => `${k.transactionId}_${k.seq}`));
      const txs = [...new Set(keys.map((k) => k.transactionId))];
      const seqs = [...new Set(keys.map((k) => k.seq))];
      for (let i = 0; i < txs.length; i += CHUNK) {
        let q = db
          .selectFrom('ledgerPostings as p')
          .innerJoin('ledgerRules as r', (j) =>
            j.onRef('r.vendorId', '=', 'p.vendorId').onRef('r.id', '=', 'p.rule'),
          )
          .leftJoin('orderLines as l', (j) =>
            j.onRef('l.vendorId', '=', 'p.vendorId').onRef('l.id', '=', 'p.lineId'),
          )
          .select([
            'p.transactionId',
            'p.seq',
            'p.dueMinor',
            'r.name',
            'r.kind',
            'r.multipliers',
            'r.component',
            'l.originalAmountMinor',
            'l.originalCurrency',
            'l.fxRate',
            'l.amountMinor as lineAmountMinor',
          ])
          .where('p.transactionId', 'in', txs.slice(i, i + CHUNK));
        if (seqs.length <= 1000) q = q.where('p.seq', 'in', seqs);
        const rows = await q.execute();
        for (const r of rows) {
          const key = `${r.transactionId}_${r.seq}`;
          if (wanted.has(key))
            out.set(key, {
              dueMinor: r.dueMinor === null ? null : num(r.dueMinor),
              name: r.name,
              kind: r.kind,
              multipliers: r.multipliers,
              component: r.component,
              originalAmountMinor: r.originalAmountMinor === null ? null : num(r.originalAmountMinor),
              originalCurrency: r.originalCurrency,
              fxRate: r.fxRate,
              lineAmountMinor: r.lineAmountMinor === null ? null : num(r.lineAmountMinor),
            });
        }
      }
      return out;
    },
    // Statement lines by the vendor's key: on PostgreSQL a line's keys start with its vendor, and a look-up
    // without it reads every statement line of every vendor.
    statementLineById(vendorId: string, id: string) {
      return db
        .selectFrom('statementLines')
        .selectAll()
        .where(keyVendor(db, 'vendor_id', vendorId))
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
    },
    statementLine(vendorId: string, statementId: string, lineId: string) {
      return db
        .selectFrom('statementLines')
        .selectAll()
        .where(keyVendor(db, 'vendor_id', vendorId))
        .where('statementId', '=', statementId)
        .where('id', '=', lineId)
        .executeTakeFirst();
    },

    // --- disputes ---
    /**
     * Opens a dispute unless its line already has an open one (the partial unique index
     * `disputes_open_line_ux` decides, so two racing requests cannot both open one). False when refused.
     */
    async insertDispute(row: Insertable<DisputesTable>) {
      const r = await db
        .insertInto('disputes')
        .values(row)
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    /** Decides an open dispute: a conditional update, true only for the one request that decided it. */
    async resolveDispute(id: string, patch: Updateable<DisputesTable>) {
      const r = await db
        .updateTable('disputes')
        .set(patch)
        .where('id', '=', id)
        .where('status', '=', 'open')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    updateDispute(id: string, patch: Updateable<DisputesTable>) {
      return db.updateTable('disputes').set(patch).where('id', '=', id).execute();
    },
    openDisputeOnLine(statementLineId: string) {
      return db
        .selectFrom('disputes')
        .select('id')
        .where('statementLineId', '=', statementLineId)
        .where('status', '=', 'open')
        .executeTakeFirst();
    },
    getDispute(scope: Scope, id: string) {
      return scopeDisputes(
        db.selectFrom('disputes').selectAll().where('id', '=', id),
        scope,
      ).executeTakeFirst();
    },
    listDisputes(
      scope: Scope,
      filter: {
        status?: string | undefined;
        statementId?: string | undefined;
        partnerId?: string | undefined;
      },
      page: PageRequest<DisputeSort>,
    ) {
      let q = scopeDisputes(db.selectFrom('disputes').selectAll(), scope);
      if (filter.status) q = q.where('status', '=', filter.status);
      if (filter.statementId) q = q.where('statementId', '=', filter.statementId);
      if (filter.partnerId) q = q.where('partnerId', '=', filter.partnerId);
      return paginate(q, page, DISPUTE_SORTS, 'id');
    },

    // --- budget pools ---
    /**
     * Per budget pool of the program: what was accrued (engine and adjustments) and what was paid. Accrued
     * reads the payable totals (one row per partner, period, component and pool, kept in step with the
     * ledger by a trigger), not every ledger entry of the program.
     */
    async poolUsage(programId: string) {
      const accrued = await db
        .selectFrom('payableTotals')
        .select(['budgetPool', sql<number | string>`-sum(amount_minor)`.as('amount')])
        .where('programId', '=', programId)
        .where('budgetPool', '>', '')
        .groupBy('budgetPool')
        .execute();
      const paid = await db
        .selectFrom('statementLines as sl')
        .innerJoin('statements as s', (j) =>
          j.onRef('s.vendorId', '=', 'sl.vendorId').onRef('s.id', '=', 'sl.statementId'),
        )
        .select(['sl.budgetPool', sql<number | string>`sum(sl.amount_minor)`.as('amount')])
        .where('s.programId', '=', programId)
        .where('s.status', '=', 'paid')
        .where('sl.budgetPool', 'is not', null)
        .groupBy('sl.budgetPool')
        .execute();
      return {
        accrued: new Map(accrued.map((r) => [r.budgetPool as string, num(r.amount)])),
        paid: new Map(paid.map((r) => [r.budgetPool as string, num(r.amount)])),
      };
    },
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function scopeStatements<Q extends { where: any }>(q: Q, scope: Scope): Q {
  if (scope.kind === 'vendor') return inRegions(q.where('vendorId', '=', scope.vendorId) as Q, scope.regions);
  // A partner sees its own statements once issued; drafts are the vendor's working copies.
  if (scope.kind === 'partner')
    return q.where('partnerId', '=', scope.partnerId).where('status', '!=', 'draft') as Q;
  return q;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function scopeDisputes<Q extends { where: any }>(q: Q, scope: Scope): Q {
  if (scope.kind === 'vendor') return inRegions(q.where('vendorId', '=', scope.vendorId) as Q, scope.regions);
  if (scope.kind === 'partner') return q.where('partnerId', '=', scope.partnerId) as Q;
  return q;
}

/** A channel manager with regions sees the records of partners in those regions only. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function inRegions<Q extends { where: any }>(q: Q, regions: readonly string[]): Q {
  if (regions.length === 0) return q;
  return q.where(
    'partnerId',
    'in',
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    (eb: any) =>
      eb
        .selectFrom('partners')
        .select('partners.id')
        .where('partners.region', 'in', [...regions]),
  ) as Q;
}
