import type { PartnerKind } from '../model/partners.js';
import type { Segment } from '../model/geography.js';
import type { Random } from '../shared/random.js';
import { CITIES, LEGAL_FORMS } from './geo.js';
import {
  COMPOUND_HEADS,
  COMPOUND_TAILS,
  CORE_WORDS,
  DISTRIBUTOR_WORDS,
  FIRST_NAMES,
  INDUSTRY_WORDS,
  NAME_PREFIXES,
  PUBLIC_SECTOR_PATTERNS,
  RESELLER_WORDS,
  SERVICE_PROVIDER_WORDS,
  SURNAMES,
} from './words.js';

/** A company name and the part of it a domain is made from (the name without its legal form). */
export interface CompanyName {
  name: string;
  body: string;
}

function core(rng: Random): string {
  return rng.chance(0.5) ? rng.pick(CORE_WORDS) : rng.pick(COMPOUND_HEADS) + rng.pick(COMPOUND_TAILS);
}

function withLegalForm(rng: Random, body: string, country: string, p: number): CompanyName {
  const forms = LEGAL_FORMS[country] ?? ['Ltd'];
  const form = rng.chance(p) ? rng.pick(forms) : '';
  return { name: form === '' ? body : `${body} ${form}`, body };
}

function surnamePair(rng: Random): string {
  const a = rng.pick(SURNAMES);
  let b = rng.pick(SURNAMES);
  if (b === a) b = rng.pick(SURNAMES);
  return `${a} & ${b}`;
}

/** A partner company name such as "Bluepeak IT Solutions GmbH" or "Fischer & Cole Technologies". */
export function partnerName(rng: Random, kind: PartnerKind, country: string, wide = false): CompanyName {
  const words =
    kind === 'distributor'
      ? DISTRIBUTOR_WORDS
      : kind === 'service-provider'
        ? SERVICE_PROVIDER_WORDS
        : RESELLER_WORDS;
  const what = rng.pick(words);
  // `wide`: only patterns with millions of combinations (used after a name collision).
  const u = wide ? 0.7 + 0.3 * rng.next() : rng.next();
  let body: string;
  if (u < 0.55) body = `${core(rng)} ${what}`;
  else if (u < 0.7) body = `${rng.pick(SURNAMES)} ${what}`;
  else if (u < 0.82) body = `${surnamePair(rng)} ${what}`;
  else body = `${rng.pick(NAME_PREFIXES)} ${core(rng)} ${what}`;
  return withLegalForm(rng, body, country, 0.75);
}

/** An end-customer name such as "Harbor Logistics Inc.", "Weber & Rossi GmbH" or "City of Lyon". */
export function customerName(rng: Random, segment: Segment, country: string, wide = false): CompanyName {
  const cities = CITIES[country] ?? ['Capital'];
  if (segment === 'public-sector' && !wide && rng.chance(0.85)) {
    const pattern = rng.pick(PUBLIC_SECTOR_PATTERNS);
    const body = pattern.replace('{city}', rng.pick(cities)).replace('{core}', core(rng));
    return { name: body, body };
  }
  if (wide) {
    const body = rng.chance(0.5)
      ? `${surnamePair(rng)} ${rng.pick(INDUSTRY_WORDS)}`
      : `${rng.pick(NAME_PREFIXES)} ${core(rng)} ${rng.pick(INDUSTRY_WORDS)}`;
    return withLegalForm(rng, body, country, 0.85);
  }
  const u = rng.next();
  let body: string;
  if (u < 0.42) body = `${core(rng)} ${rng.pick(INDUSTRY_WORDS)}`;
  else if (u < 0.56) body = `${rng.pick(SURNAMES)} ${rng.pick(INDUSTRY_WORDS)}`;
  else if (u < 0.66) body = surnamePair(rng);
  else if (u < 0.72) body = `${core(rng)} ${rng.pick(INDUSTRY_WORDS)} International`;
  else if (u < 0.76) body = `${rng.pick(SURNAMES)} Brothers ${rng.pick(INDUSTRY_WORDS)}`;
  else if (u < 0.86) body = `${rng.pick(NAME_PREFIXES)} ${rng.pick(INDUSTRY_WORDS)}`;
  else if (u < 0.92) body = `${core(rng)} and ${core(rng)}`;
  else body = `${rng.pick(cities)} ${rng.pick(INDUSTRY_WORDS)}`;
  return withLegalForm(rng, body, country, 0.85);
}

export function personName(rng: Random): { first: string; last: string } {
  return { first: rng.pick(FIRST_NAMES), last: rng.pick(SURNAMES) };
}

/** Lower-case ASCII words joined by '-', e.g. "Weber & Rossi" -> "weber-rossi". */
export function slugify(text: string): string {
  // eslint-disable-next-line no-control-regex
  const ascii = /^[\x00-\x7f]*$/.test(text) ? text : text.normalize('NFKD');
  return ascii
    .toLowerCase()
    .replace(/&/g, ' ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The local part of an e-mail address from a person's name: "jan.de-vries". */
export function emailLocalPart(first: string, last: string): string {
  return `${slugify(first)}.${slugify(last)}`;
}
