import { addDays, addDuration } from '../programs/dates.js';
import type { IsoDate, ProgramDefinition } from '../programs/types.js';

/** A grant of an invitation-only status; valid on d when validFrom <= d < validTo (validTo exclusive). */
export interface StatusGrant {
  readonly partnerId: string;
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
}

export interface InvitationRequest {
  readonly partnerId: string;
  /** The partner's tier on grantedOn. */
  readonly currentTier: string;
  readonly grantedOn: IsoDate;
  /** The executive sponsor (a person's name or id); null or blank = none. */
  readonly sponsor: string | null;
  readonly reason: string;
  /** Every grant of this status so far (all partners), for maxGrants and renewals. */
  readonly existingGrants: readonly StatusGrant[];
}

export type InvitationCheck =
  | {
      readonly ok: true;
      readonly status: string;
      /** grantedOn, or the day the partner's current grant ends for an early renewal. */
      readonly validFrom: IsoDate;
      /** Exclusive: validFrom + the status duration (one year for Titanium Black). */
      readonly validTo: IsoDate;
      readonly renewal: boolean;
    }
  | { readonly ok: false; readonly reasons: readonly string[] };

const activeOn = (g: StatusGrant, d: IsoDate) => g.validFrom <= d && d < g.validTo;

/**
 * Whether an invitation-only status (Titanium Black) may be granted. Invitation-only statuses are
 * never earned by evaluation; they are granted by the vendor and checked here: the partner must hold
 * at least the base tier, a sponsor is needed if the status requires one, a reason always, the number
 * of partners holding it must stay within maxGrants, and a partner that held it before may get it
 * again only if the status is renewable. An early renewal starts when the current grant ends.
 */
export function checkInvitation(
  program: ProgramDefinition,
  statusCode: string,
  request: InvitationRequest,
): InvitationCheck {
  const status = program.statuses.find((s) => s.code === statusCode);
  if (!status) return { ok: false, reasons: [`"${statusCode}" is not a status of ${program.code}`] };
  const reasons: string[] = [];
  const ranks = program.tiers.map((t) => t.code);
  const base = ranks.indexOf(status.baseTier);
  const current = ranks.indexOf(request.currentTier);
  if (current < 0) reasons.push(`"${request.currentTier}" is not a tier of ${program.code}`);
  else if (current < base)
    reasons.push(
      `${status.name} is drawn from ${status.baseTier} partners; the partner is ${request.currentTier}`,
    );
  if (status.requiresExecutiveSponsor && (request.sponsor === null || request.sponsor.trim() === ''))
    reasons.push(`${status.name} requires an executive sponsor`);
  if (request.reason.trim() === '') reasons.push('a reason is required');

  const own = request.existingGrants.filter((g) => g.partnerId === request.partnerId);
  const ownActive = own.find((g) => activeOn(g, request.grantedOn));
  if (own.length > 0 && !status.renewable)
    reasons.push(
      `${status.name} is not renewable and the partner already held it (from ${own[0]?.validFrom})`,
    );
  // An early renewal starts the day the current grant ends.
  const validFrom = ownActive ? ownActive.validTo : request.grantedOn;
  if (status.maxGrants !== null) {
    const holders = new Set(
      request.existingGrants
        .filter((g) => g.partnerId !== request.partnerId && activeOn(g, validFrom))
        .map((g) => g.partnerId),
    );
    if (holders.size >= status.maxGrants)
      reasons.push(
        `${status.name} is limited to ${status.maxGrants} partners and ${holders.size} hold it on ${validFrom}`,
      );
  }
  if (reasons.length > 0) return { ok: false, reasons };
  return {
    ok: true,
    status: status.code,
    validFrom,
    validTo: addDuration(validFrom, status.duration),
    renewal: own.length > 0,
  };
}

/** The inclusive last day of a grant (validTo is exclusive). */
export function lastDayOf(grant: { readonly validTo: IsoDate }): IsoDate {
  return addDays(grant.validTo, -1);
}
