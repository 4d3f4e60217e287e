import {
  isLicensingModel,
  isProductFamily,
  isSolutionCode,
  LICENSING_MODELS,
  PRODUCT_FAMILIES,
  SOLUTION_MAX,
  type LicensingModel,
  type ProductFamily,
} from '../model/catalog.js';
import type { ErrorDetail } from '../shared/errors.js';

/** The most a list price may be, in minor units (as an order line: docs/limits.md). */
export const MAX_LIST_PRICE_MINOR = 1_000_000_000_000;

/** Families whose SKUs are licensed software; the others (hardware, services) carry no licensing model. */
export const LICENSED_FAMILIES: readonly ProductFamily[] = ['software'];

/** A product as a vendor submits it (API body, file row). */
export interface ProductInput {
  readonly sku: unknown;
  readonly name: unknown;
  readonly family: unknown;
  readonly listPriceMinor: unknown;
  readonly currency: unknown;
  readonly licensing?: unknown;
  readonly solution?: unknown;
}

export interface ValidProduct {
  readonly sku: string;
  readonly name: string;
  readonly family: ProductFamily;
  readonly listPriceMinor: number;
  readonly currency: string;
  readonly licensing: LicensingModel | null;
  readonly solution: string | null;
}

/**
 * Checks a product against the catalogue's rules and names every problem and where (`/field`): a SKU
 * and a name, a known family, a whole non-negative list price within the limits, the vendor's currency,
 * a licensing model from LICENSING_MODELS and only on licensed families (hardware and services carry
 * none), a solution area code. Pure: the caller checks uniqueness of the SKU in the store.
 */
export function validateProductInput(
  input: ProductInput,
  vendorCurrency: string,
): { ok: true; product: ValidProduct } | { ok: false; errors: ErrorDetail[] } {
  const errors: ErrorDetail[] = [];
  const bad = (field: string, message: string) => errors.push({ location: `/${field}`, message });
  const text = (field: string, v: unknown, max: number): string => {
    if (typeof v !== 'string' || v.trim().length === 0) bad(field, `${field} is required`);
    else if (v.length > max) bad(field, `${field} is longer than ${max} characters`);
    else return v.trim();
    return '';
  };
  const sku = text('sku', input.sku, 64);
  const name = text('name', input.name, 200);
  if (!isProductFamily(String(input.family)))
    bad(
      'family',
      `family must be one of ${PRODUCT_FAMILIES.join(', ')}; got ${JSON.stringify(input.family)}`,
    );
  const family = input.family as ProductFamily;
  const price = input.listPriceMinor;
  if (typeof price !== 'number' || !Number.isSafeInteger(price) || price < 0)
    bad('listPriceMinor', 'listPriceMinor must be a whole number of minor units, 0 or more');
  else if (price > MAX_LIST_PRICE_MINOR)
    bad('listPriceMinor', `listPriceMinor is above the limit of ${MAX_LIST_PRICE_MINOR} minor units`);
  if (input.currency !== vendorCurrency)
    bad(
      'currency',
      `currency must be the vendor's currency ${vendorCurrency}; got ${JSON.stringify(input.currency)}`,
    );
  const licensing = input.licensing ?? null;
  if (licensing !== null) {
    if (!isLicensingModel(licensing))
      bad(
        'licensing',
        `licensing must be one of ${LICENSING_MODELS.join(', ')} (or null); got ${JSON.stringify(licensing)}`,
      );
    else if (isProductFamily(String(input.family)) && !LICENSED_FAMILIES.includes(family))
      bad(
        'licensing',
        `a ${family} product carries no licensing model (only ${LICENSED_FAMILIES.join(', ')})`,
      );
  }
  const solution = input.solution ?? null;
  if (solution !== null && !isSolutionCode(solution))
    bad(
      'solution',
      `solution must be a code of lowercase letters, digits and single hyphens, at most ${SOLUTION_MAX} characters; got ${JSON.stringify(solution)}`,
    );
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    product: {
      sku,
      name,
      family,
      listPriceMinor: price as number,
      currency: vendorCurrency,
      licensing: licensing as LicensingModel | null,
      solution: solution as string | null,
    },
  };
}
