import type { Region } from './geography.js';

/** What a partner company does. Distributors supply resellers; service providers deliver or resell services. */
export const PARTNER_KINDS = ['reseller', 'distributor', 'service-provider'] as const;
export type PartnerKind = (typeof PARTNER_KINDS)[number];

/** A partner company. Partners are shared: one company may be enrolled in several vendors' programs. */
export interface Partner {
  id: string;
  name: string;
  kind: PartnerKind;
  country: string;
  region: Region;
  domain: string | null;
  createdAt: Date;
  /**
   * The vendor (id) this partner record stands for when a vendor acts as a distributor of another
   * vendor's products (Dell Technologies distributing VMware); absent or null for ordinary partners.
   */
  representsVendorId?: string | null;
}

export const ENROLMENT_STATUSES = ['active', 'suspended', 'terminated'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];

/** A partner's enrolment in one vendor's program. Carries both the vendor and the partner id. */
export interface Enrolment {
  id: string;
  vendorId: string;
  programId: string;
  partnerId: string;
  /** The vendor's own partner number (e.g. a PartnerDirect id). */
  partnerNumber: string;
  status: EnrolmentStatus;
  /** Sells this vendor's hardware exclusively (earns the exclusivity multiplier where the program has one). */
  exclusive: boolean;
  enrolledAt: Date;
}

/** A distributor supplying a reseller on behalf of a vendor (two-tier distribution). */
export interface SupplyRelationship {
  vendorId: string;
  distributorId: string;
  resellerId: string;
  since: Date;
}

export function isPartnerKind(value: string): value is PartnerKind {
  return (PARTNER_KINDS as readonly string[]).includes(value);
}
