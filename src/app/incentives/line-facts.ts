import type { LineFacts } from '../../core/incentives/index.js';
import { isPartnerKind } from '../../core/model/partners.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { zoneOf } from '../../core/programs/zones.js';

/** An enrolment as accrual reads it. */
export interface EnrolmentFacts {
  exclusive: number;
  kind: string;
  country: string;
  region: string;
}

/** The order facts accrual reads. */
export interface OrderFacts {
  channel: string;
  country: string;
  region: string;
  segment: string;
}

/**
 * The facts of a partner line, built the same way wherever a line is accrued (in real time, in bulk,
 * at close), so a close of an unchanged period finds nothing to true up.
 */
export function lineFacts(
  program: ProgramDefinition,
  order: OrderFacts,
  enrolment: EnrolmentFacts,
  tier: string,
  newBusiness: boolean,
): LineFacts {
  return {
    tier,
    exclusive: enrolment.exclusive === 1,
    newBusiness,
    channel: order.channel as never,
    orderCountry: order.country,
    orderRegion: order.region as never,
    orderSegment: order.segment as never,
    partnerKind: isPartnerKind(enrolment.kind) ? enrolment.kind : null,
    partnerCountry: enrolment.country,
    partnerRegion: enrolment.region as never,
    partnerZone: zoneOf(program, enrolment.country),
  };
}

/** The partner-level facts a close reads (payout multipliers on close items, their tier). */
export function partnerFacts(program: ProgramDefinition, enrolment: EnrolmentFacts, tier: string): LineFacts {
  return {
    tier,
    exclusive: enrolment.exclusive === 1,
    newBusiness: false,
    partnerKind: isPartnerKind(enrolment.kind) ? enrolment.kind : null,
    partnerCountry: enrolment.country,
    partnerRegion: enrolment.region as never,
    partnerZone: zoneOf(program, enrolment.country),
  };
}
