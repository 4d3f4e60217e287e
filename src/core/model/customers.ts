import type { Region, Segment } from './geography.js';

/** An end-user account as the vendor knows it. */
export interface Customer {
  id: string;
  vendorId: string;
  name: string;
  domain: string | null;
  country: string;
  region: Region;
  segment: Segment;
  addressLine: string | null;
  city: string | null;
  postalCode: string | null;
  createdAt: Date;
}
