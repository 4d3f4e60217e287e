import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { TrellisError } from '../../core/shared/errors.js';
import { recordAudit } from '../access/audit.js';
import type { AppContext } from '../context.js';
import { programInForce } from '../programs/program-in-force.js';
import { assessConflicts, countConflictCheck, enrolmentProblems, seesOwn } from './deals.js';
import { regionOf } from '../../core/model/geography.js';

/**
 * The live hint a partner sees while typing a registration: "a registration may already cover this
 * customer", or nothing. It never says whose, when or for how much; the same work runs whatever the answer
 * (one search, one count, one audit event), each check counts against the partner's daily conflict checks,
 * and the vendor's auditors can read every check. A partner's own registration is named (it is its own).
 */
export async function checkDealHint(
  ctx: AppContext,
  who: { actor: Actor; scope: Scope },
  input: {
    programId: string;
    customer: {
      name: string;
      domain?: string | null | undefined;
      country: string;
      addressLine?: string | null | undefined;
      city?: string | null | undefined;
      postalCode?: string | null | undefined;
    };
    requestId?: string | null | undefined;
  },
) {
  if (who.scope.kind !== 'partner') throw new TrellisError('forbidden', 'partners check their registrations');
  const partnerId = who.scope.partnerId;
  const program = await programInForce(ctx, who.scope, input.programId, undefined, 'programId');
  const policy = program.definition.dealRegistration;
  return ctx.store.db.transaction().execute(async (trx) => {
    // Only customers the partner could register (its zone): the hint says nothing of any other.
    const country = input.customer.country.trim().toUpperCase();
    const problems = await enrolmentProblems(trx, program, partnerId, country, 'body');
    if (problems.length > 0)
      throw new TrellisError('invalid_input', 'this customer cannot be registered by your company', problems);
    const { checksLeftToday } = await countConflictCheck(trx, ctx, program.vendorId, partnerId, policy);
    const found = await assessConflicts(ctx, trx, program, {
      partnerId,
      region: regionOf(input.customer.country) ?? '',
      families: null,
      party: {
        name: input.customer.name,
        domain: input.customer.domain ?? null,
        country: input.customer.country,
        addressLine: input.customer.addressLine ?? null,
        city: input.customer.city ?? null,
        postalCode: input.customer.postalCode ?? null,
      },
    });
    const covered = found.relevant.some((c) => c.kind !== 'customer');
    const hint = found.own ? ('yours' as const) : covered ? ('may-be-covered' as const) : ('clear' as const);
    await recordAudit(trx, ctx, {
      actor: who.actor,
      action: 'deal.check',
      target: { type: 'deal-check', id: null, vendorId: program.vendorId, partnerId },
      requestId: input.requestId ?? null,
      detail: { name: input.customer.name, country: input.customer.country, hint },
    });
    return {
      hint,
      // A sales rep is not told a colleague's registration id (it cannot read it).
      yourRegistrationId: found.own && seesOwn(who.scope, found.own.ownerPersonId) ? found.own.id : null,
      checksLeftToday,
    };
  });
}
