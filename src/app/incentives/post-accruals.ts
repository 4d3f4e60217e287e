import { hash } from 'node:crypto';
import { newBusinessWindow } from '../../core/incentives/new-business.js';
import type { Kysely } from 'kysely';
import {
  compileIncentives,
  type AccrualProposal,
  type IncentiveEngine,
  type LineFacts,
} from '../../core/incentives/index.js';
import { periodOf } from '../../core/ledger/periods.js';
import type { RuleApplication } from '../../core/ledger/postings.js';
import type { LicensingModel } from '../../core/model/catalog.js';
import type { Channel } from '../../core/model/orders.js';
import { isPartnerKind } from '../../core/model/partners.js';
import type { NewBusinessComponent, ProgramDefinition } from '../../core/programs/types.js';
import { dealFactsOf } from '../deals/deal-facts.js';
import { zoneOf } from '../../core/programs/zones.js';
import type { IdGenerator } from '../../core/shared/ids.js';
import {
  emptyLedgerBatch,
  orderIntakeRepository,
  type LedgerBatch,
  type OrderIntakeRepository,
  type PublishedVersionRow,
} from '../../db/repositories/order-intake-repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';
import { accrueInTurn, returnedSalesLeft } from './clawback-limits.js';
import { postRule } from './ledger-rules.js';
import { tierHeldOn } from '../../core/tiers/held-on.js';

/** A published program version, parsed and compiled once: a version is immutable once published. */
export interface CompiledVersion {
  versionId: string;
  programId: string;
  program: ProgramDefinition;
  engine: IncentiveEngine;
  tierCodes: readonly string[];
  /** The program's new-business component, whose look-back decides the newBusiness fact. */
  newBusiness: NewBusinessComponent | undefined;
}

/**
 * Compiled versions by version id. Which versions are published is read on every order (one small
 * query), so a version published by another process counts at once; only the immutable definition
 * and its compiled engine are kept here.
 */
const compiled = new Map<string, CompiledVersion>();

export async function compiledVersion(
  repo: Pick<OrderIntakeRepository, 'versionDefinition'>,
  v: Pick<PublishedVersionRow, 'id' | 'programId'>,
): Promise<CompiledVersion> {
  const hit = compiled.get(v.id);
  if (hit) return hit;
  const text = await repo.versionDefinition(v.id);
  if (text === undefined) throw new Error(`program version ${v.id} disappeared`);
  const program = JSON.parse(text) as ProgramDefinition;
  const entry: CompiledVersion = {
    versionId: v.id,
    programId: v.programId,
    program,
    engine: compileIncentives(program, { version: null }),
    tierCodes: program.tiers.map((t) => t.code),
    newBusiness: program.components.find((c): c is NewBusinessComponent => c.kind === 'new-business'),
  };
  compiled.set(v.id, entry);
  return entry;
}

export interface PostedLine {
  lineId: string;
  program: string;
  accrued: number;
}

export interface LineToAccrue {
  id: string;
  family: string;
  amountMinor: number;
  quantity: number;
  /** The sold line a return returns: its clawback is limited to what the sale kept. */
  returnsLineId?: string | null | undefined;
  /** The product's licensing model and solution area (`line.licensing`, `line.solution`); absent = none. */
  licensing?: LicensingModel | null | undefined;
  solution?: string | null | undefined;
}

/** The order fields accrual reads. */
export interface OrderToAccrue {
  id: string;
  vendorId: string;
  customerId: string;
  orderDate: string;
  currency: string;
  channel: Channel;
  resellerId: string | null;
  country: string;
  region: string;
  segment: string;
  totalMinor: number;
  /** The deal registration the order names, if any (the registered-deal benefit reads it). */
  dealRegistrationId?: string | null;
}

/** The partner's enrolment as accrual reads it. */
export interface AccrualEnrolment {
  exclusive: number;
  kind: string;
  country: string;
  region: string;
}

/** The first day of the new-business look-back window of an order date. */
export function lookBackFrom(nb: NewBusinessComponent, orderDate: string): string {
  return newBusinessWindow(nb, orderDate).from;
}

/** The facts every line of a partner order reads, as real-time and bulk accrual both build them. */
export function accrualFacts(
  program: ProgramDefinition,
  order: Pick<OrderToAccrue, 'channel' | 'country' | 'region' | 'segment'>,
  enrolment: AccrualEnrolment,
  tier: string,
  newBusiness: boolean,
): LineFacts {
  return {
    tier,
    exclusive: enrolment.exclusive === 1,
    newBusiness,
    channel: order.channel,
    orderCountry: order.country,
    orderRegion: order.region as never,
    orderSegment: order.segment as never,
    partnerKind: isPartnerKind(enrolment.kind) ? enrolment.kind : null,
    partnerCountry: enrolment.country,
    partnerRegion: enrolment.region as never,
    partnerZone: zoneOf(program, enrolment.country),
  };
}

/**
 * What one line of a partner order accrues that moves money, as real-time and bulk accrual both ask it: a
 * return of a known sale takes its turn under the clawback limits of what is left of the sale.
 */
export function accrueOrderLine(
  engine: IncentiveEngine,
  left: Map<string, Map<string, number>>,
  programId: string,
  order: Pick<OrderToAccrue, 'customerId' | 'totalMinor'>,
  partnerId: string,
  day: string,
  line: LineToAccrue,
  facts: LineFacts,
): AccrualProposal[] {
  return nonZeroProposals(
    accrueInTurn(left, programId, line, (limits) =>
      engine.accrueLine({
        lineId: line.id,
        partnerId,
        customerId: order.customerId,
        orderDate: day,
        family: line.family as never,
        amountMinor: line.amountMinor,
        quantity: line.quantity,
        orderTotalMinor: order.totalMinor,
        facts: withProduct(facts, line),
        clawbackLimitMinor: limits,
      }),
    ),
  );
}

/** The order's facts with the line's product attributes (a return reads its product's, as its sale). */
export function withProduct(
  facts: LineFacts,
  line: { licensing?: LicensingModel | null | undefined; solution?: string | null | undefined },
): LineFacts {
  const licensing = line.licensing ?? null;
  const solution = line.solution ?? null;
  if (licensing === (facts.licensing ?? null) && solution === (facts.solution ?? null)) return facts;
  return { ...facts, licensing, solution };
}

/** The proposals of a line that move money (a zero amount is not posted). */
export function nonZeroProposals(proposals: readonly AccrualProposal[]): AccrualProposal[] {
  return proposals.filter((p) => p.amountMinor !== 0);
}

/**
 * What a posting of an accrual transaction is made from: an engine proposal, or (the bulk import) an
 * amount with the rule application it applies, shared by every line with the same application key (so
 * its ledger rule is built and hashed once).
 */
export type PostedAmount =
  | AccrualProposal
  | {
      readonly application: RuleApplication;
      readonly component: string;
      readonly ruleId: string;
      readonly baseMinor: number;
      readonly effectiveRate: number;
      readonly amountMinor: number;
    };

export const accrualKey = (orderId: string, programId: string) => `accrual:${orderId}:${programId}`;

/**
 * The ledger transaction of one order's accruals for one program: one posting per line and component
 * that moves money (debit the vendor's incentive expense, credit the partner's rebate payable), keyed by
 * `accrual:<order>:<program>` with the hash of what it posts. Real-time and bulk accrual both write exactly
 * these rows; ids are taken in the same order on both paths.
 */
export function accrualTransaction(
  ids: IdGenerator,
  postedAt: string,
  order: Pick<OrderToAccrue, 'id' | 'vendorId' | 'orderDate' | 'currency'>,
  partnerId: string,
  programId: string,
  period: string,
  engine: IncentiveEngine,
  lines: readonly { line: Pick<LineToAccrue, 'id' | 'amountMinor'>; nonZero: readonly PostedAmount[] }[],
  out: LedgerBatch,
): void {
  const inputHash = hash(
    'sha256',
    JSON.stringify(
      lines.map(({ nonZero }) => nonZero.map((p) => [p.ruleId, p.baseMinor, p.effectiveRate, p.amountMinor])),
    ),
  );
  const txId = ids.next('ledgerTransaction');
  const where = { vendorId: order.vendorId, programId, currency: order.currency };
  let seq = 0;
  for (const { line, nonZero } of lines)
    for (const p of nonZero)
      postRule(
        out,
        engine,
        where,
        {
          transactionId: txId,
          seq: seq++,
          lineId: line.id,
          baseMinor: p.baseMinor,
          amountMinor: p.amountMinor,
          dueMinor: null,
        },
        'application' in p ? p.application : p,
      );
  out.transactions.push({
    id: txId,
    vendorId: order.vendorId,
    partnerId,
    programId,
    kind: lines.every(({ line }) => line.amountMinor < 0) ? 'accrual-return' : 'accrual',
    idempotencyKey: accrualKey(order.id, programId),
    inputHash,
    orderId: order.id,
    effectiveDate: order.orderDate,
    period,
    reversesId: null,
    postedAt,
  });
}

/**
 * Real-time accrual: for each line of a partner order, every program of the vendor in force on the order
 * date proposes its accruals (pure engine), and each line's proposals are posted as one balanced ledger
 * transaction (debit the vendor's incentive expense, credit the partner's rebate payable), keyed by
 * `accrual:<line>:<program>` with the hash of its proposals. Runs on the caller's transaction, so an order
 * and its accruals commit together. `published` is the vendor's published versions when the caller has
 * already read them (order intake has, for its period check); `newOrder` skips the look-up of accruals
 * already posted when the caller has just written the order under a new id.
 */
export async function postAccruals(
  db: Kysely<Database>,
  ctx: AppContext,
  order: OrderToAccrue,
  lines: readonly LineToAccrue[],
  options: {
    published?: readonly PublishedVersionRow[];
    /** The order was written in this transaction under a new id: no accrual of it can be posted yet. */
    newOrder?: boolean;
  } = {},
): Promise<PostedLine[]> {
  const partnerId = order.resellerId;
  if (!partnerId) return []; // direct orders earn no partner rebate
  const repo = orderIntakeRepository(db, ctx.store);
  const day = order.orderDate;
  const published = options.published ?? (await repo.publishedVersions(order.vendorId));
  const posted: PostedLine[] = [];
  const now = ctx.clock.now().toISOString();
  const batch = emptyLedgerBatch();
  // What is left to claw back of the sales this order returns (core/ledger/clawback.ts).
  const returned = [
    ...new Set(lines.flatMap((l) => (l.returnsLineId && l.amountMinor < 0 ? [l.returnsLineId] : []))),
  ];
  const left = await returnedSalesLeft(db, returned);
  const dealOf = await dealFactsOf(db, order, lines);
  for (const v of published) {
    if (v.effectiveFrom > day || v.effectiveTo < day) continue;
    const c = await compiledVersion(repo, v);
    const program = c.program;
    const period = periodOf(program, day);
    if (!period) continue;
    const enrolled = await repo.enrolmentWithTiers(v.programId, partnerId, c.tierCodes);
    if (!enrolled) continue;
    const { enrolment } = enrolled;
    const tier = tierHeldOn(enrolled.tiers, day) ?? c.tierCodes[0] ?? 'authorized';
    const nb = c.newBusiness;
    const newBusiness = nb
      ? !(await repo.boughtBefore(
          order.vendorId,
          order.customerId,
          nb.families,
          lookBackFrom(nb, day),
          day,
          order.id,
        ))
      : false;
    const facts = accrualFacts(program, order, enrolment, tier, newBusiness);
    const proposed: { line: LineToAccrue; nonZero: AccrualProposal[] }[] = [];
    for (const line of lines) {
      const nonZero = accrueOrderLine(c.engine, left, v.programId, order, partnerId, day, line, {
        ...facts,
        registeredDeal: dealOf(line),
      });
      if (nonZero.length > 0) proposed.push({ line, nonZero });
    }
    if (proposed.length === 0) continue;
    // A replay of the same order is already posted (an order the caller has just written has none).
    if (
      !options.newOrder &&
      (await repo.existingLedgerKeys(order.vendorId, [accrualKey(order.id, v.programId)])).size > 0
    )
      continue;
    accrualTransaction(ctx.ids, now, order, partnerId, v.programId, period, c.engine, proposed, batch);
    for (const { line, nonZero } of proposed) {
      posted.push({
        lineId: line.id,
        program: program.code,
        accrued: nonZero.reduce((s, p) => s + p.amountMinor, 0),
      });
    }
  }
  await repo.appendLedger(batch);
  return posted;
}
