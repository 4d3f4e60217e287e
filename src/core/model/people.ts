/** Roles a person may hold. Vendor roles carry a vendor id; partner roles carry a partner id. */
export const ROLES = [
  'vendor-admin',
  'channel-manager',
  'auditor',
  'partner-admin',
  'partner-sales-rep',
  'distributor',
] as const;
export type Role = (typeof ROLES)[number];

export const VENDOR_ROLES: readonly Role[] = ['vendor-admin', 'channel-manager', 'auditor'];
export const PARTNER_ROLES: readonly Role[] = ['partner-admin', 'partner-sales-rep', 'distributor'];

export interface Person {
  id: string;
  email: string;
  name: string;
  /** Set for people who work for a vendor. */
  vendorId: string | null;
  /** Set for people who work for a partner. */
  partnerId: string | null;
  createdAt: Date;
}

export interface RoleGrant {
  personId: string;
  role: Role;
  vendorId: string | null;
  partnerId: string | null;
  /** For channel managers limited to some regions; empty means all. */
  regions: string[];
}

export const CERTIFICATION_KINDS = ['sales', 'technical', 'services'] as const;
export type CertificationKind = (typeof CERTIFICATION_KINDS)[number];

/** A certification a person earned with a vendor, for a product family, until it expires. */
export interface Certification {
  id: string;
  vendorId: string;
  partnerId: string;
  personId: string;
  code: string;
  kind: CertificationKind;
  family: string;
  earnedOn: string;
  expiresOn: string;
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
