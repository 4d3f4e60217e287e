import type { Actor } from '../../core/access/actor.js';
import { readsStandingOf } from '../../core/access/policy.js';
import type { Scope } from '../../core/access/scope.js';
import type { Message } from '../../core/messages/message.js';
import { PRODUCT_FAMILIES, type ProductFamily } from '../../core/model/catalog.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { checkInvitation, compileTierEvaluator, serviceDelivery } from '../../core/tiers/index.js';
import { dealRepository } from '../../db/repositories/deal-repository.js';
import { membershipRepository, type MembershipRow } from '../../db/repositories/membership-repository.js';
import { recordAudit } from '../access/audit.js';
import { losingRaceIsConflict } from '../concurrency.js';
import type { AppContext } from '../context.js';
import { programInForce } from '../programs/program-in-force.js';
import { loadTierFacts } from './evaluate-program.js';
import { slotsOf, writeMemberships } from './write-memberships.js';

/** A record's reason as a message, when the evaluation that opened it kept one in its detail. */
function reasonMessageOf(detail: string | undefined): Message | null {
  if (!detail) return null;
  try {
    return (JSON.parse(detail) as { reasonMessage?: Message } | null)?.reasonMessage ?? null;
  } catch {
    return null;
  }
}

function parsedMessage(json: string | null): Message | null {
  if (!json) return null;
  try {
    return JSON.parse(json) as Message;
  } catch {
    return null;
  }
}

function membershipView(m: {
  id: string;
  partnerId: string;
  tierCode: string;
  validFrom: string;
  validTo: string | null;
  source: string;
  reason: string;
  grandfatheredUntil: string | null;
  sponsor: string | null;
  detail?: string;
  /** A list's record: its reason's message alone (JSON), without the detail. */
  reasonMessageJson?: string | null;
}) {
  return {
    id: m.id,
    partnerId: m.partnerId,
    code: m.tierCode,
    validFrom: m.validFrom,
    validTo: m.validTo,
    source: m.source,
    reason: m.reason,
    reasonMessage:
      m.reasonMessageJson !== undefined ? parsedMessage(m.reasonMessageJson) : reasonMessageOf(m.detail),
    grandfatheredUntil: m.grandfatheredUntil,
    sponsor: m.sponsor,
  };
}

/**
 * Where a partner stands in a program: its current tier and statuses, its history, and for the next
 * tier each path and requirement with current value, target and gap; with `pending`, what that extra
 * revenue (a pending deal) would change. Also whether it may deliver the vendor's services itself.
 */
export async function partnerProgress(
  ctx: AppContext,
  scope: Scope,
  input: {
    partnerId: string;
    program?: string | undefined;
    /** Default: see programInForce (today, or the end of the latest program year). */
    asOf?: string | undefined;
    pending?: { family: ProductFamily; amountMinor: number } | undefined;
    /** A deal registration of the partner: the tier it would reach if that deal is won. */
    deal?: string | undefined;
  },
) {
  if (!readsStandingOf(scope, input.partnerId)) throw notFound('partner', input.partnerId);
  const partner = await ctx.repos.partners.get(scope, input.partnerId);
  if (!partner) throw notFound('partner', input.partnerId);
  let program = input.program;
  if (!program) {
    // Without ?program=, the one program of the partner's that the caller may see; several need a choice.
    const enrolments = await ctx.repos.partners.enrolments(scope, input.partnerId);
    const programs = [...new Set(enrolments.map((e) => e.programId))];
    if (programs.length !== 1)
      throw new TrellisError(
        'invalid_input',
        'program is required: this partner is enrolled in several programs',
        [{ location: 'query.program', message: `one of ${programs.join(', ') || '(none)'}` }],
      );
    program = programs[0] as string;
  }
  const pif = await programInForce(ctx, scope, program, input.asOf);
  const asOf = pif.asOf;
  const { facts } = await loadTierFacts(
    ctx,
    pif.vendorId,
    pif.programId,
    pif.definition,
    asOf,
    input.partnerId,
    { includeEnded: true },
  );
  const f = facts[0];
  if (!f) throw notFound('partner', input.partnerId);
  const evaluator = compileTierEvaluator(pif.definition);
  const pending: { family: string; amountMinor: number }[] = input.pending ? [input.pending] : [];
  let deal: { id: string; customer: string; totalMinor: number; status: string } | null = null;
  if (input.deal) {
    const repo = dealRepository(ctx.store.db);
    const d = await repo.get(scope, input.deal);
    if (!d || d.partnerId !== input.partnerId || d.programId !== pif.programId)
      throw new TrellisError(
        'invalid_input',
        `deal registration ${input.deal} is not one of this partner's in ${pif.definition.code}`,
        [{ location: 'query.deal', message: 'a registration of this partner in this program' }],
      );
    for (const l of await repo.lines(d.id))
      pending.push({ family: l.family, amountMinor: Number(l.amountMinor) });
    deal = { id: d.id, customer: d.customerName, totalMinor: Number(d.totalMinor), status: d.status };
  }
  const pendingRevenue =
    pending.length > 0
      ? PRODUCT_FAMILIES.map((fam) =>
          pending.filter((p) => p.family === fam).reduce((s, p) => s + p.amountMinor, 0),
        )
      : null;
  const progress = evaluator.progress(f, asOf, pendingRevenue ? { revenueByFamily: pendingRevenue } : null, {
    allHigher: true,
  });
  const memberships = membershipRepository(ctx.store.db);
  const current = await memberships.current(scope, pif.programId, asOf, { partnerId: input.partnerId });
  const history = await memberships.history(scope, pif.programId, input.partnerId);
  const tierCodes = new Set(evaluator.tierCodes);
  return {
    partnerId: input.partnerId,
    program: { id: pif.programId, code: pif.definition.code, version: pif.definition.version },
    asOf,
    /** The enrolment's status: a partner whose enrolment ended still sees its standing and history. */
    enrolment: f.enrolment,
    tier: current.filter((m) => tierCodes.has(m.tierCode)).map(membershipView)[0] ?? null,
    statuses: current.filter((m) => !tierCodes.has(m.tierCode)).map(membershipView),
    history: history.map(membershipView),
    evaluation: progress,
    /** With ?deal=: the registration whose win the evaluation includes. */
    deal,
    serviceDelivery: serviceDelivery(pif.definition, f),
    /** Purchases through a vendor acting as a distributor, and the share the program credits of them. */
    crossCredit: f.crossCredit,
  };
}

/** Current memberships of a program (tiers and statuses), as the caller may see them. */
export async function listMemberships(
  ctx: AppContext,
  scope: Scope,
  input: { program: string; asOf?: string | undefined; partnerId?: string | undefined },
) {
  const pif = await programInForce(ctx, scope, input.program, input.asOf);
  const rows = await membershipRepository(ctx.store.db).listInForce(
    scope,
    pif.programId,
    pif.asOf,
    input.partnerId,
  );
  return {
    program: { id: pif.programId, code: pif.definition.code },
    asOf: pif.asOf,
    items: rows.map(membershipView),
  };
}

/**
 * Grants an invitation-only status (Titanium Black) to a partner holding the base tier, with a sponsor and
 * a reason, for the program's duration; refused grants say why. Renewal opens the next period.
 */
export async function grantStatus(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  input: {
    program: string;
    partnerId: string;
    status: string;
    sponsor: string | null;
    reason: string;
    /** Default: today (the context's clock). */
    grantedOn?: string | undefined;
    requestId?: string;
  },
) {
  const partner = await ctx.repos.partners.get(who.scope, input.partnerId);
  if (!partner) throw notFound('partner', input.partnerId);
  const grantedOn = input.grantedOn ?? ctx.clock.now().toISOString().slice(0, 10);
  const pif = await programInForce(ctx, who.scope, input.program, grantedOn, 'body.grantedOn');
  const slots = slotsOf(pif.definition);
  const statusCodes = slots.statusCodes;
  const tierCodes = compileTierEvaluator(pif.definition).tierCodes;
  let row: MembershipRow | undefined;
  // Two grants racing on one start day: the unique index refuses the loser's (a 409).
  await losingRaceIsConflict(`${input.status} of ${partner.name}`, () =>
    ctx.store.db.transaction().execute(async (trx) => {
      // Grants of the program one at a time (maxGrants counts every partner), then this partner's writers.
      await membershipRepository(trx).lockGrants(pif.vendorId, pif.programId);
      // Read the partner's tier and every grant of the status once this partner's writers are serialised.
      const [written] = await writeMemberships(trx, {
        vendorId: pif.vendorId,
        programId: pif.programId,
        ...slots,
        partnerIds: [input.partnerId],
        decide: async (stored) => {
          const held = stored
            .filter((m) => m.partnerId === input.partnerId && !statusCodes.has(m.code))
            .filter((m) => m.validFrom <= grantedOn && (m.validTo === null || m.validTo > grantedOn));
          const currentTier = held[0]?.code ?? tierCodes[0] ?? '';
          const grants = await membershipRepository(trx).grantsOf(pif.vendorId, pif.programId, input.status);
          const check = checkInvitation(pif.definition, input.status, {
            partnerId: input.partnerId,
            currentTier,
            grantedOn,
            sponsor: input.sponsor,
            reason: input.reason,
            existingGrants: grants.map((g) => ({
              partnerId: g.partnerId,
              validFrom: g.validFrom,
              validTo: g.validTo ?? '9999-12-31',
            })),
          });
          if (!check.ok) {
            throw new TrellisError(
              'conflict',
              `${input.status} cannot be granted to ${partner.name}: ${check.reasons.join('; ')}`,
              check.reasons.map((r) => ({ location: 'body', message: r })),
            );
          }
          return [
            {
              id: ctx.ids.next('membership'),
              vendorId: pif.vendorId,
              programId: pif.programId,
              partnerId: input.partnerId,
              tierCode: input.status,
              validFrom: check.validFrom,
              validTo: check.validTo,
              source: 'invited',
              reason: input.reason,
              createdAt: ctx.clock.now().toISOString(),
              grandfatheredUntil: null,
              sponsor: input.sponsor,
              detail: JSON.stringify({ renewal: check.renewal, baseTier: currentTier }),
            },
          ];
        },
      });
      if (!written) throw new Error('the grant was not written');
      row = written;
      await recordAudit(trx, ctx, {
        actor: who.actor,
        action: 'status.grant',
        target: { type: 'membership', id: written.id, vendorId: pif.vendorId, partnerId: input.partnerId },
        after: written,
        requestId: input.requestId ?? null,
        detail: {
          status: input.status,
          sponsor: input.sponsor,
          validFrom: written.validFrom,
          validTo: written.validTo,
        },
      });
    }),
  );
  if (!row) throw new Error('the grant was not written');
  return membershipView(row);
}
