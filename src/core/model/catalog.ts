/** Product families every program speaks of. Programs may only name these. */
export const PRODUCT_FAMILIES = [
  'servers',
  'storage',
  'networking',
  'data-protection',
  'services',
  'software',
] as const;
export type ProductFamily = (typeof PRODUCT_FAMILIES)[number];

export function isProductFamily(value: string): value is ProductFamily {
  return (PRODUCT_FAMILIES as readonly string[]).includes(value);
}

export interface Product {
  id: string;
  vendorId: string;
  sku: string;
  name: string;
  family: ProductFamily;
  listPriceMinor: number;
  currency: string;
  createdAt: Date;
}
