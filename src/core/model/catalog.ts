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

/**
 * How a software SKU is licensed: bought outright (perpetual), for a fixed term, as a renewing
 * subscription, or consumed as a service (saas). Hardware and services carry none (null). VMware Partner
 * Connect multiplies qualifying credits by it (`line.licensing` in conditions).
 */
export const LICENSING_MODELS = ['perpetual', 'term', 'subscription', 'saas'] as const;
export type LicensingModel = (typeof LICENSING_MODELS)[number];

export function isLicensingModel(value: unknown): value is LicensingModel {
  return typeof value === 'string' && (LICENSING_MODELS as readonly string[]).includes(value);
}

/**
 * A solution area code (e.g. `cloud-infrastructure`, `digital-workspace`): lowercase letters, digits and
 * single hyphens, 1 to 64 characters. Each vendor names its own areas; programs test them as
 * `line.solution`.
 */
export const SOLUTION_CODE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SOLUTION_MAX = 64;

export function isSolutionCode(value: unknown): value is string {
  return typeof value === 'string' && value.length <= SOLUTION_MAX && SOLUTION_CODE.test(value);
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
  /** Software only: how it is licensed; null for hardware and services. */
  licensing: LicensingModel | null;
  /** The vendor's solution area of the SKU, if any. */
  solution: string | null;
}
