import type { Kysely, Selectable } from 'kysely';
import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import type { PartnerKind } from '../../core/model/partners.js';
import type { Region } from '../../core/model/geography.js';
import {
  day as dayValue,
  message,
  optional,
  renderEnglish,
  type Message,
} from '../../core/messages/message.js';
import { addDays } from '../../core/programs/dates.js';
import type { IsoDate } from '../../core/programs/types.js';
import { notFound, TrellisError, type ErrorDetail } from '../../core/shared/errors.js';
import {
  benefitRates,
  certificationKey,
  checkDay,
  checkPartner,
  compileForRates,
  familiesSold,
  orderedFamilies,
  planPartnerCarry,
  type OpenItem,
  resolveTierMap,
  type PartnerCarry,
  type PartnerCheck,
  type SplitPartnerFacts,
  type TierMap,
} from '../../core/transfers/index.js';
import type { MembershipRow } from '../../db/repositories/membership-repository.js';
import { dealRepository } from '../../db/repositories/deal-repository.js';
import { transferRepository } from '../../db/repositories/transfer-repository.js';
import type { Database, DealRegistrationLinesTable, DealRegistrationsTable } from '../../db/schema.js';
import { recordAudit } from '../access/audit.js';
import { losingRaceIsConflict } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { rosterChanged } from '../engagement/roster.js';
import { programInForce } from '../programs/program-in-force.js';
import { slotsOf, writeMemberships } from '../tiers/write-memberships.js';
import {
  consentingAgreement,
  NO_PROGRESS,
  programNamed,
  startedBy,
  versionOnOrBefore,
  type TransferCaller,
} from './common.js';
import { transferView, type TransferView } from './queries.js';

/** An open item of the source, its `what` in English and as a message. */
function openItem(id: string, what: Message): OpenItem & { what: string; whatMessage: Message } {
  return { id, what: renderEnglish(what), whatMessage: what };
}

export interface SplitInput {
  /** The source program (id or code): the vendor the partners come from. */
  source: string;
  /** The target program (id or code), of another vendor. */
  target: string;
  /** The split day: partners hold their carried standing in the target from this day. */
  onDay: IsoDate;
  /** Source tier -> target tier; absent = the same rank. */
  tierMap?: TierMap | null | undefined;
  /** Carried tiers are grandfathered until this day (no downgrade before it); absent = carried only. */
  grandfatherUntil?: IsoDate | null | undefined;
  /** Partners whose listed differences the caller accepts (from a refused run's details). */
  acceptDifferences?: readonly string[] | undefined;
}

/** What checking a split needs before any work: the programs, their versions and the map. */
export interface CheckedSplit {
  source: Awaited<ReturnType<typeof programNamed>>;
  target: Awaited<ReturnType<typeof programNamed>>;
  map: TierMap;
  agreement: string | null;
  transferKey: string;
}

/**
 * The checks a split makes before any work (the API answers them at once, before starting the job):
 * both programs exist and belong to two vendors, the target has a version in force on the day and the
 * day after, the source has terms on the day, the tier map is whole and names real tiers, the grandfather
 * day lies after the split day, the caller may run it, and the partner base was not carried already.
 */
export async function checkSplit(
  ctx: AppContext,
  who: Pick<TransferCaller, 'scope'>,
  input: SplitInput,
): Promise<CheckedSplit> {
  // A vendor's admin learns nothing of another vendor's programs unless both are bound by an agreement
  // naming them: its own source program, else "not found"; the target, else the same refusal whether it
  // exists or not.
  const scope = who.scope;
  if (scope.kind === 'partner')
    throw new TrellisError('forbidden', 'a split is run by the platform operator or a vendor admin');
  const source = await programNamed(ctx, input.source, 'source');
  if (scope.kind === 'vendor' && source.vendorId !== scope.vendorId)
    throw new TrellisError('not_found', `program ${input.source} was not found`, [
      { location: 'source', message: `no program ${input.source} of yours` },
    ]);
  const target =
    scope.kind === 'system'
      ? await programNamed(ctx, input.target, 'target')
      : await programNamed(ctx, input.target, 'target').catch(() => null);
  if (target && source.vendorId === target.vendorId)
    throw new TrellisError(
      'invalid_input',
      `a split into a program of the same vendor is refused: ${source.code} and ${target.code} are both ${source.vendorSlug}'s programs, and a split carries partners to another vendor (within one vendor, use a merge)`,
      [
        {
          location: 'target',
          message: `${target.code} is a program of the same vendor (${source.vendorSlug})`,
        },
      ],
    );
  let agreement: string | null = null;
  if (scope.kind === 'vendor') {
    agreement = target
      ? await consentingAgreement(ctx, {
          sourceVendorId: source.vendorId,
          targetVendorId: target.vendorId,
          sourceCode: source.code,
          targetCode: target.code,
          day: input.onDay,
        })
      : null;
    if (!agreement || !target)
      throw new TrellisError(
        'forbidden',
        `the target has not consented: no agreement in force on ${input.onDay} between ${source.vendorSlug} and the vendor of ${input.target} whose benefit continuity names ${source.code} and ${input.target}; the platform operator may run it`,
      );
  }
  if (!target) throw notFound('program', input.target);
  const tgt = await programInForce(ctx, SYSTEM_SCOPE, target.id, input.onDay, 'onDay');
  await programInForce(ctx, SYSTEM_SCOPE, target.id, checkDay(input.onDay), 'onDay').catch(() => {
    throw new TrellisError(
      'invalid_input',
      `${target.code} has no version in force on ${checkDay(input.onDay)}, the day the promise is checked`,
      [{ location: 'onDay', message: `the day after ${input.onDay} lies outside ${target.code}'s periods` }],
    );
  });
  const src = await versionOnOrBefore(ctx, source.id, input.onDay);
  if (!src)
    throw new TrellisError(
      'invalid_input',
      `${source.code} has no published version on or before ${input.onDay}`,
      [{ location: 'onDay', message: `${source.code} starts after ${input.onDay}` }],
    );
  const { map, errors } = resolveTierMap(src.definition, tgt.definition, input.tierMap);
  if (input.grandfatherUntil && input.grandfatherUntil <= input.onDay)
    errors.push({ location: 'grandfatherUntil', message: `must be after the split day ${input.onDay}` });
  if (errors.length > 0)
    throw new TrellisError(
      'invalid_input',
      `the split of ${source.code} into ${target.code} is refused`,
      errors,
    );
  const transferKey = `split:${source.id}:${target.id}`;
  const done = await transferRepository(ctx.store.db).byKey(transferKey);
  if (done)
    throw new TrellisError(
      'conflict',
      `the partner base of ${source.code} was already carried to ${target.code}: transfer ${done.id}`,
    );
  return { source, target, map, agreement, transferKey };
}

export interface SplitResult {
  transfer: TransferView;
  /** Partners whose check found differences (accepted ones). */
  differences: { partnerId: string; sentences: string[] }[];
}

interface PartnerProfile {
  kind: PartnerKind;
  country: string;
  region: Region;
  exclusive: boolean;
}

/**
 * The split (spin-off) of a partner base: every partner enrolled in the source program on the day is
 * carried to the target program (see `planPartnerCarry` for what is carried and what is not, and why),
 * in one transaction with its audit events; then the promise is checked on the day after, in the same
 * transaction, from what the store then holds. A partner whose check shows a difference the caller did
 * not accept refuses the whole split (rolled back, the differences listed); otherwise the transfer and
 * each partner's check are recorded (append-only). Used by the API (as a job), the CLI and the demo.
 */
export async function splitPartnerBase(
  ctx: AppContext,
  who: TransferCaller,
  input: SplitInput,
): Promise<SplitResult> {
  const progress = who.progress ?? NO_PROGRESS;
  progress.phase('checking the split', 1);
  const checked = await checkSplit(ctx, who, input);
  const { source, target, map } = checked;
  const day = input.onDay;
  const after = checkDay(day);
  const tgt = await programInForce(ctx, SYSTEM_SCOPE, target.id, day, 'onDay');
  const tgtAfter = await programInForce(ctx, SYSTEM_SCOPE, target.id, after, 'onDay');
  const src = (await versionOnOrBefore(ctx, source.id, day))!;
  const repo = transferRepository(ctx.store.db);

  progress.phase('reading the partner base', 1);
  const enrolled = await repo.enrolled(source.id);
  const targetEnrolled = new Set((await repo.enrolled(target.id)).map((e) => e.partnerId));
  const statusCodes = new Set(src.definition.statuses.map((s) => s.code));
  const sourceHeld = group(await repo.inForce(source.id, day), (r) => r.partnerId);
  const targetHeld = group(await repo.inForce(target.id, day), (r) => r.partnerId);
  const targetStatusCodes = new Set(tgt.definition.statuses.map((s) => s.code));
  const certs = group(await repo.activeCertifications(source.vendorId, day), (c) => c.partnerId);
  const targetCertKeys = group(await repo.certificationKeys(target.vendorId), (c) => c.partnerId);
  const openDeals = await repo.openDeals(source.vendorId, source.id);
  const deals = group(openDeals, (d) => d.partnerId);
  const dealLines = group(await repo.dealLines(openDeals.map((d) => d.id)), (l) => l.registrationId);
  const lower = (v: string | null) => (v ?? '').trim().toLowerCase();
  const candidates = await repo.customersLike(
    target.vendorId,
    [...new Set(openDeals.map((d) => lower(d.customerDomain)).filter(Boolean))],
    [...new Set(openDeals.map((d) => lower(d.customerName)))],
  );
  const equivalentOf = (d: (typeof openDeals)[number]) => {
    const byDomain = d.customerDomain
      ? candidates.find((c) => lower(c.domain) === lower(d.customerDomain))
      : undefined;
    const byName = candidates.find(
      (c) => lower(c.name) === lower(d.customerName) && c.country === d.customerCountry,
    );
    const c = byDomain ?? byName;
    return c ? { customerId: c.id, name: c.name } : null;
  };
  const claims = await repo.activeClaims(target.vendorId, [...new Set(candidates.map((c) => c.id))]);
  const offers = group(await repo.openOffers(source.vendorId), (o) => o.partnerId);
  const families = familiesSold(await repo.productFamilies(target.vendorId), tgt.definition);
  progress.update(1);

  progress.phase('planning', enrolled.length);
  const plans: { carry: PartnerCarry; profile: PartnerProfile }[] = [];
  const options = {
    day,
    map,
    grandfatherUntil: input.grandfatherUntil ?? null,
    targetFamilies: families,
  };
  for (const [i, e] of enrolled.entries()) {
    const held = sourceHeld.get(e.partnerId) ?? [];
    const tier = held.find((m) => !statusCodes.has(m.tierCode));
    const tgtTier = (targetHeld.get(e.partnerId) ?? []).find((m) => !targetStatusCodes.has(m.tierCode));
    const facts: SplitPartnerFacts = {
      partnerId: e.partnerId,
      enrolment: { partnerNumber: e.partnerNumber, status: e.status, exclusive: e.exclusive === 1 },
      sourceTier: tier
        ? { code: tier.tierCode, validFrom: tier.validFrom, grandfatheredUntil: tier.grandfatheredUntil }
        : null,
      sourceStatuses: held.filter((m) => statusCodes.has(m.tierCode)).map((m) => m.tierCode),
      targetEnrolled: targetEnrolled.has(e.partnerId),
      targetTier: tgtTier
        ? {
            code: tgtTier.tierCode,
            validFrom: tgtTier.validFrom,
            grandfatheredUntil: tgtTier.grandfatheredUntil,
          }
        : null,
      certifications: certs.get(e.partnerId) ?? [],
      targetCertificationKeys: new Set((targetCertKeys.get(e.partnerId) ?? []).map(certificationKey)),
      openDeals: (deals.get(e.partnerId) ?? []).map((d) => {
        const families = [...new Set((dealLines.get(d.id) ?? []).map((l) => l.family))];
        const equivalent = equivalentOf(d);
        return {
          ...openItem(
            d.id,
            message('transfers.notCarried.registration', {
              id: d.id,
              customer: d.customerName,
              status: d.status,
              protected: optional(
                d.protectedUntil
                  ? message('transfers.notCarried.protectedUntil', { day: dayValue(d.protectedUntil) })
                  : null,
              ),
            }),
          ),
          status: d.status,
          currency: d.currency,
          families,
          region: d.customerRegion,
          equivalent,
          claimTaken:
            equivalent !== null &&
            claims.some(
              (c) =>
                c.claimKey === equivalent.customerId &&
                c.region === d.customerRegion &&
                families.includes(c.family),
            ),
        };
      }),
      openOffers: (offers.get(e.partnerId) ?? []).map((o) =>
        openItem(
          o.id,
          message('transfers.notCarried.routedOffer', {
            id: o.id,
            order: o.routedOrderId,
            deadline: o.deadline,
          }),
        ),
      ),
    };
    plans.push({
      carry: planPartnerCarry(src.definition, tgt.definition, facts, options),
      profile: {
        kind: e.kind as PartnerKind,
        country: e.country,
        region: e.region as Region,
        exclusive: e.exclusive === 1,
      },
    });
    if (i % 500 === 0) progress.update(i);
  }
  progress.update(enrolled.length);

  const now = ctx.clock.now().toISOString();
  const accepted = new Set(input.acceptDifferences ?? []);
  const familyList = orderedFamilies(families);
  const srcCompiled = compileForRates(src.definition);
  const tgtCompiled = compileForRates(tgtAfter.definition);
  const transferId = ctx.ids.next('transfer');
  const memo = new Map<string, Record<string, number>>();
  const ratesOf = (which: 'source' | 'target', tier: string, p: PartnerProfile): Record<string, number> => {
    const key = `${which}|${tier}|${p.kind}|${p.country}|${p.region}|${p.exclusive}`;
    let r = memo.get(key);
    if (!r) {
      r =
        which === 'source'
          ? benefitRates(srcCompiled, tier, src.day, p, familyList)
          : benefitRates(tgtCompiled, tier, after, p, familyList);
      memo.set(key, r);
    }
    return r;
  };

  const outcome = await losingRaceIsConflict(`the split of ${source.code} into ${target.code}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      const txRepo = transferRepository(trx);
      const taken = await txRepo.byKey(checked.transferKey);
      if (taken)
        throw new TrellisError(
          'conflict',
          `the partner base of ${source.code} was already carried to ${target.code}: transfer ${taken.id}`,
        );
      progress.phase('carrying', plans.length);
      // Enrolments first (memberships lock the target's enrolment rows on PostgreSQL).
      await txRepo.insertEnrolments(
        plans
          .filter((p) => p.carry.enrol)
          .map((p) => ({
            id: ctx.ids.next('enrolment'),
            vendorId: target.vendorId,
            programId: target.id,
            partnerId: p.carry.partnerId,
            partnerNumber: p.carry.enrolment.partnerNumber,
            status: p.carry.enrolment.status,
            exclusive: p.carry.enrolment.exclusive ? 1 : 0,
            enrolledAt: now,
          })),
      );
      const membershipRows: MembershipRow[] = plans.flatMap(({ carry }) =>
        carry.membership
          ? [
              {
                id: ctx.ids.next('membership'),
                vendorId: target.vendorId,
                programId: target.id,
                partnerId: carry.partnerId,
                tierCode: carry.membership.tierCode,
                validFrom: carry.membership.validFrom,
                validTo: null,
                source: carry.membership.source,
                reason: carry.membership.reason,
                createdAt: now,
                grandfatheredUntil: carry.membership.grandfatheredUntil,
                sponsor: null,
                detail: JSON.stringify({
                  transfer: transferId,
                  from: source.code,
                  sourceTier: carry.sourceTier,
                  // The reason as a message the app translates (the column keeps its English text).
                  reasonMessage: carry.membership.reasonMessage,
                }),
              },
            ]
          : [],
      );
      const written = await writeMemberships(trx, {
        vendorId: target.vendorId,
        programId: target.id,
        ...slotsOf(tgt.definition),
        partnerIds: membershipRows.map((r) => r.partnerId),
        decide: () => membershipRows,
      });
      const membershipOf = new Map(written.map((m) => [m.partnerId, m.id]));
      const certIds = new Map<string, string[]>();
      const certRows = plans.flatMap(({ carry }) =>
        carry.certifications.map((c) => {
          const id = ctx.ids.next('certification');
          certIds.set(carry.partnerId, [...(certIds.get(carry.partnerId) ?? []), id]);
          return {
            id,
            vendorId: target.vendorId,
            partnerId: carry.partnerId,
            personId: c.personId,
            code: c.code,
            kind: c.kind,
            family: c.family,
            earnedOn: c.earnedOn,
            expiresOn: c.expiresOn,
          };
        }),
      );
      await txRepo.insertCertifications(certRows);
      const dealIds = await carryDeals(trx, ctx, {
        plans: plans.map((p) => p.carry),
        sourceDeals: openDeals,
        lines: dealLines,
        target,
        sourceCode: source.code,
        transferId,
        now,
      });
      progress.update(plans.length);

      // The promise, checked on the day after from what the store now holds.
      progress.phase('checking the promise', plans.length);
      const heldAfter = new Map(
        (await txRepo.inForce(target.id, after))
          .filter((m) => !targetStatusCodes.has(m.tierCode))
          .map((m) => [m.partnerId, m.tierCode]),
      );
      const checks: PartnerCheck[] = [];
      for (const [i, { carry, profile }] of plans.entries()) {
        const held = heldAfter.get(carry.partnerId) ?? null;
        checks.push(
          checkPartner({
            partnerId: carry.partnerId,
            checkedOn: after,
            sourceTier: carry.sourceTier,
            promisedTier: carry.promisedTier,
            heldTier: held,
            sourceRates: ratesOf('source', carry.sourceTier, profile),
            targetRates: held === null ? {} : ratesOf('target', held, profile),
            families: familyList,
          }),
        );
        if (i % 500 === 0) progress.update(i);
      }
      progress.update(plans.length);
      const refused = checks.filter((c) => !c.ok && !accepted.has(c.partnerId));
      if (refused.length > 0) {
        const details: ErrorDetail[] = refused.flatMap((c) =>
          c.differences.map((d) => ({ location: `partners.${c.partnerId}`, message: d.sentence })),
        );
        throw new TrellisError(
          'conflict',
          `the split of ${source.code} into ${target.code} would change the standing of ${refused.length} partner(s) on ${after}; nothing was written (accept the listed differences with acceptDifferences: [partner ids] to carry them anyway)`,
          details.slice(0, 200),
        );
      }
      const differing = checks.filter((c) => !c.ok);
      const transfer = {
        id: transferId,
        kind: 'split',
        transferKey: checked.transferKey,
        sourceProgramId: source.id,
        sourceProgramIds: JSON.stringify([source.id]),
        targetVendorId: target.vendorId,
        targetProgramId: target.id,
        onDay: day,
        checkDay: after,
        tierMap: JSON.stringify(map),
        grandfatherUntil: input.grandfatherUntil ?? null,
        status: differing.length > 0 ? 'carried-with-differences' : 'carried',
        partners: plans.length,
        enrolments: plans.filter((p) => p.carry.enrol).length,
        memberships: written.length,
        certifications: certRows.length,
        notCarried: plans.reduce((n, p) => n + p.carry.notCarried.length, 0),
        differences: differing.length,
        startedBy: startedBy(who),
        jobId: who.jobId ?? null,
        createdAt: now,
      };
      await txRepo.insert(
        transfer,
        [
          { transferId, vendorId: source.vendorId, role: 'source', createdAt: now },
          { transferId, vendorId: target.vendorId, role: 'target', createdAt: now },
        ],
        plans.map(({ carry }, i) => {
          const check = checks[i]!;
          return {
            id: ctx.ids.next('transferPartner'),
            transferId,
            carryKey: `split:${source.id}:${target.id}:${carry.partnerId}`,
            partnerId: carry.partnerId,
            sourceTier: carry.sourceTier,
            promisedTier: carry.promisedTier,
            heldTier: check.heldTier,
            enrolled: carry.enrol ? 1 : 0,
            membershipId: membershipOf.get(carry.partnerId) ?? null,
            certifications: carry.certifications.length,
            ok: check.ok ? 1 : 0,
            accepted: !check.ok && accepted.has(carry.partnerId) ? 1 : 0,
            check: JSON.stringify({ rates: check.rates, differences: check.differences }),
            detail: JSON.stringify({
              notCarried: carry.notCarried,
              certificationIds: certIds.get(carry.partnerId) ?? [],
              dealIds: dealIds.get(carry.partnerId) ?? [],
            }),
            createdAt: now,
          };
        }),
      );
      await auditBoth(trx, ctx, who, transfer, [source.vendorId, target.vendorId], checked.agreement);
      return { transfer, differing };
    }),
  );
  // Routing ranks partners by the tier they hold: this process's rosters read the carried tiers.
  rosterChanged(ctx.store, target.vendorId);
  return {
    transfer: transferView(outcome.transfer, [
      { vendorId: source.vendorId, role: 'source' },
      { vendorId: target.vendorId, role: 'target' },
    ]),
    differences: outcome.differing.map((c) => ({
      partnerId: c.partnerId,
      sentences: c.differences.map((d) => d.sentence),
    })),
  };
}

/**
 * Carries protected registrations to the target, in the split's transaction: a new registration of the
 * target (same partner, owner, status, customer as entered, lines without the source's products, the same
 * last protected day: the countdown goes on), on the target's customer, with the target's next submission
 * number (so its matcher indexes it) and its claims (a claim taken meanwhile refuses the split: 409), and a
 * `carried` event. The source's registration stays as it is. Returns the new ids per partner.
 */
async function carryDeals(
  trx: Kysely<Database>,
  ctx: AppContext,
  input: {
    plans: readonly PartnerCarry[];
    sourceDeals: readonly Selectable<DealRegistrationsTable>[];
    lines: ReadonlyMap<string, readonly Selectable<DealRegistrationLinesTable>[]>;
    target: { id: string; vendorId: string; code: string };
    sourceCode: string;
    transferId: string;
    now: string;
  },
): Promise<Map<string, string[]>> {
  const { target, now, transferId } = input;
  const out = new Map<string, string[]>();
  const byId = new Map(input.sourceDeals.map((d) => [d.id, d]));
  const deals = dealRepository(trx);
  for (const carry of input.plans)
    for (const d of carry.deals) {
      const from = byId.get(d.id)!;
      const customerId = d.equivalent!.customerId;
      const id = ctx.ids.next('deal');
      await deals.insert(
        {
          ...from,
          id,
          vendorId: target.vendorId,
          programId: target.id,
          customerId,
          claimKey: customerId,
          externalRef: null,
          sequence: await deals.nextSequence(target.vendorId),
          version: 1,
          createdAt: now,
          updatedAt: now,
        },
        (input.lines.get(d.id) ?? []).map((l) => ({
          ...l,
          id: ctx.ids.next('dealLine'),
          registrationId: id,
          vendorId: target.vendorId,
          productId: null,
        })),
      );
      const claimed = await deals.claim(
        d.families.map((family) => ({
          registrationId: id,
          vendorId: target.vendorId,
          claimKey: customerId,
          family,
          region: d.region,
          createdAt: now,
        })),
      );
      if (!claimed)
        throw new TrellisError(
          'conflict',
          `${target.code} protected ${d.equivalent!.name} for another registration while the split ran; run it again`,
        );
      await deals.appendEvent({
        id: ctx.ids.next('dealEvent'),
        registrationId: id,
        vendorId: target.vendorId,
        partnerId: carry.partnerId,
        at: now,
        actorType: 'system',
        actorId: `transfer:${transferId}`,
        actorSide: 'vendor',
        action: 'carried',
        fromStatus: null,
        toStatus: from.status,
        reasonCode: null,
        note: `carried from ${input.sourceCode} (${from.id}) by transfer ${transferId}${from.protectedUntil ? `; protected until ${from.protectedUntil}, as there` : ''}`,
      });
      out.set(carry.partnerId, [...(out.get(carry.partnerId) ?? []), id]);
    }
  return out;
}

/**
 * The partners a split refused for its check named (the details' `partners.<id>`), to accept their
 * differences explicitly in a second run (`acceptDifferences`); empty for any other error.
 */
export function partnersRefused(e: unknown): string[] {
  if (!(e instanceof TrellisError) || e.code !== 'conflict') return [];
  const ids = e.details
    .map((d) => /^partners\.(.+)$/.exec(d.location)?.[1])
    .filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}

/** One audit event per vendor concerned, so each one's audit trail shows the transfer. */
export async function auditBoth(
  trx: Kysely<Database>,
  ctx: AppContext,
  who: TransferCaller,
  transfer: { id: string; kind: string; partners: number; differences: number; onDay: string },
  vendorIds: readonly string[],
  agreement: string | null,
): Promise<void> {
  for (const vendorId of new Set(vendorIds))
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: `transfer.${transfer.kind}`,
      target: { type: 'program-transfer', id: transfer.id, vendorId, partnerId: null },
      after: transfer,
      requestId: who.requestId ?? null,
      detail: {
        partners: transfer.partners,
        differences: transfer.differences,
        onDay: transfer.onDay,
        ...(agreement ? { agreement } : {}),
      },
    });
}

function group<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = out.get(k);
    if (list) list.push(r);
    else out.set(k, [r]);
  }
  return out;
}

export { group };
export const dayBefore = (d: IsoDate): IsoDate => addDays(d, -1);
