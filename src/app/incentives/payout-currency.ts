import type { Actor } from '../../core/access/actor.js';
import type { Scope } from '../../core/access/scope.js';
import { isCurrency } from '../../core/money/currency.js';
import { payoutCurrencies } from '../../core/programs/exchange.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { payoutRepository } from '../../db/repositories/payout-repository.js';
import { recordAudit } from '../access/audit.js';
import { retryOnRace } from '../concurrency.js';
import type { AppContext } from '../context.js';

/**
 * The currency a partner is paid in under a program (issue 17, docs/currencies.md): one per enrolment,
 * chosen by the partner's admins or the vendor's admins among the currencies the program allows
 * (`exchange.payoutCurrencies` and its own payout currency). A statement takes it when issued; one issued
 * already keeps the currency it was issued in.
 */

export interface PayoutCurrencyView {
  partnerId: string;
  programId: string;
  programCode: string;
  vendorId: string;
  /** The currency the partner is paid in (the program's own when none was chosen). */
  currency: string;
  /** The program's own currency (statements' lines and totals). */
  programCurrency: string;
  /** True when the partner chose it (false: the program's default). */
  chosen: boolean;
  /** The currencies the program allows (its current year's). */
  allowed: string[];
}

/** The program's current year: the published version in force today, else the latest published. */
async function currentDefinition(
  ctx: AppContext,
  scope: Scope,
  programId: string,
): Promise<ProgramDefinition> {
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const versions = (await ctx.repos.programs.versions(scope, programId)).filter(
    (v) => v.status === 'published',
  );
  const inForce =
    versions.find((v) => v.effectiveFrom <= today && (v.effectiveTo === null || today <= v.effectiveTo)) ??
    versions[0];
  if (!inForce)
    throw new TrellisError('conflict', `program ${programId} has no published version`, [
      { location: 'body.program', message: 'the program has no published version' },
    ]);
  return JSON.parse(inForce.definition) as ProgramDefinition;
}

function view(
  partnerId: string,
  program: { id: string; code: string; vendorId: string },
  definition: ProgramDefinition,
  chosen: string | null,
): PayoutCurrencyView {
  return {
    partnerId,
    programId: program.id,
    programCode: program.code,
    vendorId: program.vendorId,
    currency: chosen ?? definition.payouts.currency,
    programCurrency: definition.currency,
    chosen: chosen !== null,
    allowed: payoutCurrencies(definition),
  };
}

/** The payout currency of each of a partner's enrolments the caller may see. */
export async function listPayoutCurrencies(
  ctx: AppContext,
  scope: Scope,
  partnerId: string,
): Promise<{ items: PayoutCurrencyView[] }> {
  const partner = await ctx.repos.partners.get(scope, partnerId);
  if (!partner) throw notFound('partner', partnerId);
  const enrolments = await ctx.repos.partners.enrolments(scope, partnerId);
  const items: PayoutCurrencyView[] = [];
  for (const e of enrolments) {
    const program = await ctx.repos.programs.get(scope, e.programId);
    if (!program) continue;
    const definition = await currentDefinition(ctx, scope, program.id);
    items.push(view(partnerId, program, definition, e.payoutCurrency ?? null));
  }
  return { items };
}

/**
 * Sets the currency a partner is paid in under a program. Refused (400, naming the field) for a currency
 * the program does not allow, a partner not enrolled in the program, or (403) a partner's person acting
 * for another partner. Audited with the enrolment before and after; writing the same currency again
 * changes nothing and is not audited.
 */
export async function setPayoutCurrency(
  ctx: AppContext,
  who: { actor: Actor | { kind: 'system'; id: string }; scope: Scope; requestId?: string | null | undefined },
  partnerId: string,
  input: { program: string; currency: string },
): Promise<PayoutCurrencyView> {
  const scope = who.scope;
  if (scope.kind === 'partner' && scope.partnerId !== partnerId)
    throw new TrellisError('forbidden', "a partner's people set their own partner's payout currency only");
  const partner = await ctx.repos.partners.get(scope, partnerId);
  if (!partner) throw notFound('partner', partnerId);
  const program = await ctx.repos.programs.get(scope, input.program);
  if (!program)
    throw new TrellisError('invalid_input', `program ${input.program} was not found`, [
      { location: 'body.program', message: `no program "${input.program}" that you may see` },
    ]);
  const currency = input.currency.trim().toUpperCase();
  if (!isCurrency(currency))
    throw new TrellisError('invalid_input', `"${input.currency}" is not a currency`, [
      {
        location: 'body.currency',
        message: `unknown currency "${input.currency}"; expected an ISO 4217 code such as "EUR"`,
      },
    ]);
  const definition = await currentDefinition(ctx, scope, program.id);
  const allowed = payoutCurrencies(definition);
  if (!allowed.includes(currency))
    throw new TrellisError(
      'invalid_input',
      `program ${program.code} does not pay in ${currency}; it pays in ${allowed.join(', ')}`,
      [
        {
          location: 'body.currency',
          message: `${currency} is not one of the program's payout currencies (${allowed.join(', ')})`,
        },
      ],
      { messageKey: 'payout.currencyNotAllowed', params: { currency, allowed: allowed.join(', ') } },
    );
  return retryOnRace(() =>
    ctx.store.db.transaction().execute(async (trx) => {
      const repo = payoutRepository(trx);
      const e = await repo.enrolment(scope, partnerId, program.id);
      if (!e)
        throw new TrellisError(
          'invalid_input',
          `partner ${partnerId} is not enrolled in program ${program.code}`,
          [{ location: 'body.program', message: `partner ${partnerId} is not enrolled in ${program.code}` }],
        );
      // The program's own payout currency is stored as no choice: the partner follows the program.
      const next = currency === definition.payouts.currency ? null : currency;
      const before = e.payoutCurrency ?? null;
      if (before !== next) {
        await repo.setPayoutCurrency(e.id, next);
        await recordAudit(trx, ctx, {
          actor: who.actor,
          action: 'enrolment.payout-currency',
          target: { type: 'enrolment', id: e.id, vendorId: e.vendorId, partnerId },
          before: { ...e, payoutCurrency: before },
          after: { ...e, payoutCurrency: next },
          requestId: who.requestId ?? null,
          detail: { program: program.code, from: before ?? definition.payouts.currency, to: currency },
        });
      }
      return view(partnerId, program, definition, next);
    }),
  );
}
