import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compileIncentives, type IncentiveEngine } from '../../core/incentives/index.js';
import { periodOf } from '../../core/ledger/periods.js';
import type { Channel } from '../../core/model/orders.js';
import { isPartnerKind } from '../../core/model/partners.js';
import { addDuration } from '../../core/programs/dates.js';
import type { NewBusinessComponent, ProgramDefinition } from '../../core/programs/types.js';
import { zoneOf } from '../../core/programs/zones.js';
import { EXPENSE, ledgerRepository, PAYABLE } from '../../db/repositories/ledger-repository.js';
import type { Database } from '../../db/schema.js';
import type { AppContext } from '../context.js';

/** Compiled engines by program version id: a version is immutable, so compiling once is enough. */
const engines = new Map<string, IncentiveEngine>();

function engineFor(versionId: string, definition: ProgramDefinition): IncentiveEngine {
  let engine = engines.get(versionId);
  if (!engine) {
    engine = compileIncentives(definition, { version: null });
    engines.set(versionId, engine);
  }
  return engine;
}

export interface PostedLine {
  lineId: string;
  program: string;
  accrued: number;
}

interface LineToAccrue {
  id: string;
  family: string;
  amountMinor: number;
  quantity: number;
}

/**
 * Real-time accrual: for each line of a partner order, every program of the vendor in force on the order
 * date proposes its accruals (pure engine), and each line's proposals are posted as one balanced ledger
 * transaction (debit the vendor's incentive expense, credit the partner's rebate payable), keyed by
 * `accrual:<line>:<program>` with the hash of its proposals. Runs on the caller's transaction, so an order
 * and its accruals commit together.
 */
export async function postAccruals(
  db: Kysely<Database>,
  ctx: AppContext,
  order: {
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
  },
  lines: readonly LineToAccrue[],
): Promise<PostedLine[]> {
  const partnerId = order.resellerId;
  if (!partnerId) return []; // direct orders earn no partner rebate
  const repo = ledgerRepository(db);
  const versions = await db
    .selectFrom('programVersions')
    .select(['id', 'programId', 'definition'])
    .where('vendorId', '=', order.vendorId)
    .where('status', '=', 'published')
    .where('effectiveFrom', '<=', order.orderDate)
    .where('effectiveTo', '>=', order.orderDate)
    .execute();
  const posted: PostedLine[] = [];
  const now = ctx.clock.now().toISOString();
  for (const v of versions) {
    const program = JSON.parse(v.definition) as ProgramDefinition;
    const period = periodOf(program, order.orderDate);
    const enrolment = await repo.enrolment(v.programId, partnerId);
    if (!period || !enrolment) continue;
    const engine = engineFor(v.id, program);
    const tierCodes = program.tiers.map((t) => t.code);
    const tier =
      (await repo.tierOn(v.programId, partnerId, order.orderDate, tierCodes)) ?? tierCodes[0] ?? 'authorized';
    const nb = program.components.find((c): c is NewBusinessComponent => c.kind === 'new-business');
    const newBusiness = nb
      ? !(await repo.boughtBefore(
          order.vendorId,
          order.customerId,
          nb.families,
          addDuration(order.orderDate, { months: -nb.lookBack.months, days: -nb.lookBack.days }),
          order.orderDate,
          order.id,
        ))
      : false;
    for (const line of lines) {
      const proposals = engine.accrueLine({
        lineId: line.id,
        partnerId,
        customerId: order.customerId,
        orderDate: order.orderDate,
        family: line.family as never,
        amountMinor: line.amountMinor,
        quantity: line.quantity,
        orderTotalMinor: order.totalMinor,
        facts: {
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
        },
      });
      const nonZero = proposals.filter((p) => p.amountMinor !== 0);
      if (nonZero.length === 0) continue;
      const key = `accrual:${line.id}:${v.programId}`;
      const hash = createHash('sha256')
        .update(JSON.stringify(nonZero.map((p) => [p.ruleId, p.baseMinor, p.effectiveRate, p.amountMinor])))
        .digest('hex');
      const existing = await repo.transactionByKey(key);
      if (existing) continue; // a replay of the same line: already posted
      const txId = ctx.ids.next('ledgerTransaction');
      const entries = nonZero.flatMap((p) => {
        const common = {
          transactionId: txId,
          vendorId: order.vendorId,
          partnerId,
          programId: v.programId,
          currency: order.currency,
          period,
          component: p.component,
          ruleId: p.ruleId,
          ruleVersion: p.ruleVersion,
          lineId: line.id,
          baseMinor: p.baseMinor,
          rate: p.rate,
          effectiveRate: p.effectiveRate,
          tier: p.tier,
          multiplier: p.multiplier,
          budgetPool: p.budgetPool,
          explanation: JSON.stringify(p.explanation),
        };
        return [
          { ...common, id: ctx.ids.next('ledgerEntry'), account: EXPENSE, amountMinor: p.amountMinor },
          { ...common, id: ctx.ids.next('ledgerEntry'), account: PAYABLE, amountMinor: -p.amountMinor },
        ];
      });
      await repo.append(
        {
          id: txId,
          vendorId: order.vendorId,
          partnerId,
          programId: v.programId,
          kind: line.amountMinor < 0 ? 'accrual-return' : 'accrual',
          idempotencyKey: key,
          inputHash: hash,
          orderId: order.id,
          effectiveDate: order.orderDate,
          period,
          reversesId: null,
          postedAt: now,
        },
        entries,
      );
      posted.push({
        lineId: line.id,
        program: program.code,
        accrued: nonZero.reduce((s, p) => s + p.amountMinor, 0),
      });
    }
  }
  return posted;
}
