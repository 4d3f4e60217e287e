import { isProductFamily, type ProductFamily } from '../model/catalog.js';
import { isCountry, regionOf, SEGMENTS, type Region, type Segment } from '../model/geography.js';
import { MAX_LINE_AMOUNT_MINOR } from '../money/limits.js';
import type { ErrorDetail } from '../shared/errors.js';
import { normalizeName } from '../matching/index.js';

/** A registration as a partner (or its CRM) sends it. Amounts are minor units of the program currency. */
export interface RegistrationInput {
  customer: {
    name: string;
    domain?: string | null | undefined;
    addressLine?: string | null | undefined;
    city?: string | null | undefined;
    postalCode?: string | null | undefined;
    country: string;
    /** Derived from the country when absent; refused when it disagrees. */
    region?: string | null | undefined;
    segment: string;
  };
  currency: string;
  lines: {
    family: string;
    amountMinor: number;
    productId?: string | null | undefined;
    quantity?: number | null | undefined;
    description?: string | null | undefined;
  }[];
  expectedCloseDate: string;
  description: string;
}

export interface CheckedRegistration {
  customer: {
    name: string;
    domain: string | null;
    addressLine: string | null;
    city: string | null;
    postalCode: string | null;
    country: string;
    region: Region;
    segment: Segment;
  };
  lines: {
    family: ProductFamily;
    amountMinor: number;
    productId: string | null;
    quantity: number | null;
    description: string | null;
  }[];
  totalMinor: number;
}

export const MAX_REGISTRATION_LINES = 100;
const MAX_TEXT = 2_000;
const MAX_NAME = 200;
const DOMAIN = /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(v: string | null | undefined): string | null {
  const t = v?.trim() ?? '';
  return t.length > 0 ? t : null;
}

/**
 * Every reason a registration cannot be taken as written, each naming where (`body.customer.name`,
 * `body.lines/2/amountMinor`). Pure: the program-dependent checks (minimum sizes, enrolment, families the
 * vendor sells) come after, in the use case, with the program's policy.
 */
export function checkRegistration(
  input: RegistrationInput,
  ctx: { programCurrency: string; today: string; where?: string },
): { ok: true; value: CheckedRegistration } | { ok: false; errors: ErrorDetail[] } {
  const base = ctx.where ?? 'body';
  const errors: ErrorDetail[] = [];
  const at = (location: string, message: string) => errors.push({ location: `${base}.${location}`, message });
  const c = input.customer;
  const name = text(c.name);
  if (!name) at('customer.name', "the end customer's legal name is required");
  else if (name.length > MAX_NAME) at('customer.name', `at most ${MAX_NAME} characters`);
  else if (normalizeName(name, c.country).keys.length === 0)
    at('customer.name', `"${name}" names no company: it holds only a legal form, articles or symbols`);
  const domain = text(c.domain)?.toLowerCase() ?? null;
  if (domain !== null && !DOMAIN.test(domain))
    at('customer.domain', `"${domain}" is not a domain name (for example acme.example)`);
  const country = (c.country ?? '').trim().toUpperCase();
  const region = isCountry(country) ? regionOf(country) : undefined;
  if (!region) at('customer.country', `"${c.country}" is not a known ISO 3166 country code`);
  if (region && c.region && c.region !== region)
    at('customer.region', `${country} is in region ${region}, not ${c.region}`);
  if (!(SEGMENTS as readonly string[]).includes(c.segment))
    at('customer.segment', `expected one of ${SEGMENTS.join(', ')}`);
  for (const [key, v] of [
    ['addressLine', c.addressLine],
    ['city', c.city],
    ['postalCode', c.postalCode],
  ] as const)
    if ((v?.length ?? 0) > MAX_NAME) at(`customer.${key}`, `at most ${MAX_NAME} characters`);
  if (input.currency !== ctx.programCurrency)
    at('currency', `the program pays in ${ctx.programCurrency}; amounts must be in ${ctx.programCurrency}`);
  if (
    !ISO_DATE.test(input.expectedCloseDate) ||
    Number.isNaN(Date.parse(`${input.expectedCloseDate}T00:00:00Z`))
  )
    at('expectedCloseDate', 'expected a date YYYY-MM-DD');
  else if (input.expectedCloseDate < ctx.today)
    at('expectedCloseDate', `${input.expectedCloseDate} is in the past (today is ${ctx.today})`);
  const description = input.description.trim();
  if (description.length === 0) at('description', 'describe the opportunity');
  else if (description.length > MAX_TEXT) at('description', `at most ${MAX_TEXT} characters`);
  if (input.lines.length === 0) at('lines', 'name at least one product family with its amount');
  if (input.lines.length > MAX_REGISTRATION_LINES) at('lines', `at most ${MAX_REGISTRATION_LINES} lines`);
  let total = 0;
  const lines: CheckedRegistration['lines'] = [];
  input.lines.forEach((l, i) => {
    if (!isProductFamily(l.family)) at(`lines/${i}/family`, `"${l.family}" is not a product family`);
    if (!Number.isSafeInteger(l.amountMinor) || l.amountMinor <= 0)
      at(`lines/${i}/amountMinor`, 'a positive whole number of minor units (cents)');
    else if (l.amountMinor > MAX_LINE_AMOUNT_MINOR)
      at(`lines/${i}/amountMinor`, `at most ${MAX_LINE_AMOUNT_MINOR} minor units (docs/limits.md)`);
    else total += l.amountMinor;
    if (
      l.quantity !== undefined &&
      l.quantity !== null &&
      (!Number.isSafeInteger(l.quantity) || l.quantity <= 0)
    )
      at(`lines/${i}/quantity`, 'a positive whole number');
    if ((l.description?.length ?? 0) > MAX_TEXT)
      at(`lines/${i}/description`, `at most ${MAX_TEXT} characters`);
    if (isProductFamily(l.family))
      lines.push({
        family: l.family,
        amountMinor: l.amountMinor,
        productId: text(l.productId),
        quantity: l.quantity ?? null,
        description: text(l.description),
      });
  });
  if (errors.length > 0 || !name || !region) return { ok: false, errors };
  return {
    ok: true,
    value: {
      customer: {
        name,
        domain,
        addressLine: text(c.addressLine),
        city: text(c.city),
        postalCode: text(c.postalCode),
        country,
        region,
        segment: c.segment as Segment,
      },
      lines,
      totalMinor: total,
    },
  };
}
