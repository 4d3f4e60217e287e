export interface Vendor {
  id: string;
  slug: string;
  name: string;
  /** The vendor's reporting currency (ISO 4217). */
  currency: string;
  createdAt: Date;
}
