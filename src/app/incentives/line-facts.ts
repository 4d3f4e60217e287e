import type { LineFacts } from '../../core/incentives/index.js';
import { isLicensingModel, type LicensingModel } from '../../core/model/catalog.js';
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

/** The product attributes a line's conditions and multipliers read (`line.licensing`, `line.solution`). */
export interface ProductFacts {
  licensing: LicensingModel | null;
  solution: string | null;
}

/** A stored product's attributes as line facts (a value the catalogue does not know reads as none). */
export function productFacts(p: { licensing: string | null; solution: string | null }): ProductFacts {
  return { licensing: isLicensingModel(p.licensing) ? p.licensing : null, solution: p.solution ?? null };
}
