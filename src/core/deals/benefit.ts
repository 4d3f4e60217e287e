import { protectsOn, type DealStatus } from './lifecycle.js';

/** A registration as the incentive engine's facts read it. */
export interface RegistrationForBenefit {
  readonly partnerId: string;
  readonly customerId: string | null;
  readonly status: string;
  readonly approvedOn: string | null;
  readonly protectedUntil: string | null;
  readonly closedAt: string | null;
  readonly families: ReadonlySet<string>;
}

/**
 * Whether a line earns the registered-deal benefit (the `registeredDeal` fact of the program's
 * `deal-registration` component): its order names a registration of the same partner, for the same
 * customer, that protected that customer on the order date (from its approval through its last protected day, see
 * `protectsOn`), and the line's family is one it registered.
 * Anything else (another partner's registration, an expired one, another customer, another family)
 * earns none of it. A return reads its sale's line and date, so it reverses exactly what the sale earned.
 */
export function lineEarnsDealBenefit(
  registration: RegistrationForBenefit | null | undefined,
  line: {
    readonly partnerId: string | null;
    readonly customerId: string;
    readonly orderDate: string;
    readonly family: string;
  },
): boolean {
  if (!registration || line.partnerId === null) return false;
  return (
    registration.partnerId === line.partnerId &&
    registration.customerId === line.customerId &&
    registration.families.has(line.family) &&
    protectsOn(
      registration.approvedOn,
      registration.protectedUntil,
      registration.status as DealStatus,
      registration.closedAt,
      line.orderDate,
    )
  );
}
