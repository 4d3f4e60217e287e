/**
 * How a second partner types an end customer another partner already registered: the variant kinds of
 * name-variants.ts, plus the legal form written out in full (or added), accents added or dropped and
 * umlauts transliterated. The demo's deal registrations use these to make realistic conflicts; the
 * matcher is never tuned to them.
 */
import type { Random } from '../shared/random.js';
import { LEGAL_FORMS } from './geo.js';
import { nameVariant, NAME_VARIANT_KINDS, splitLegalSuffix, type NameVariantKind } from './name-variants.js';

export const REGISTRATION_VARIANT_KINDS = [
  ...NAME_VARIANT_KINDS.filter((k) => k !== 'exact' && k !== 'whitespace'),
  /** The legal form written out ("GmbH" -> "Gesellschaft mit beschränkter Haftung"), or added when absent. */
  'legal-form',
  /** An accent added ("Andersen" -> "Andérsen"), or accents dropped and umlauts transliterated ("Müller" -> "Mueller"). */
  'accent',
  /** The same name with another web domain (a subsidiary's or a country site). */
  'domain',
] as const;
export type RegistrationVariantKind = (typeof REGISTRATION_VARIANT_KINDS)[number];

/** Legal forms written out in full, by their short spelling (lower case). */
const LONG_FORMS: Readonly<Record<string, string>> = {
  gmbh: 'Gesellschaft mit beschränkter Haftung',
  ag: 'Aktiengesellschaft',
  sas: 'Société par actions simplifiée',
  sarl: 'Société à responsabilité limitée',
  sa: 'Société anonyme',
  ltd: 'Limited',
  'ltd.': 'Limited',
  'inc.': 'Incorporated',
  inc: 'Incorporated',
  llc: 'Limited Liability Company',
  'corp.': 'Corporation',
  'b.v.': 'Besloten Vennootschap',
  'n.v.': 'Naamloze Vennootschap',
  's.l.': 'Sociedad Limitada',
  's.a.': 'Sociedad Anónima',
  's.r.l.': 'Società a responsabilità limitata',
  's.p.a.': 'Società per azioni',
  ab: 'Aktiebolag',
  oy: 'Osakeyhtiö',
  'a/s': 'Aktieselskab',
  as: 'Aksjeselskap',
  plc: 'Public Limited Company',
};

const TRANSLITERATION: Readonly<Record<string, string>> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  Ä: 'Ae',
  Ö: 'Oe',
  Ü: 'Ue',
  ß: 'ss',
};
const ACCENTED: Readonly<Record<string, string>> = { e: 'é', a: 'á', o: 'ö', u: 'ü', i: 'í' };

function legalForm(name: string, country: string, rng: Random): string {
  const split = splitLegalSuffix(name);
  if (split.suffix === '') {
    const forms = (LEGAL_FORMS[country] ?? ['Ltd']).filter((f) => f !== '');
    return forms.length === 0 ? name : `${name} ${rng.pick(forms)}`;
  }
  const long = LONG_FORMS[split.suffix.toLowerCase()];
  return long === undefined ? split.body : `${split.body} ${long}`;
}

function accent(name: string, rng: Random): string {
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(name)) {
    const transliterated = name.replace(/[äöüÄÖÜß]/g, (c) => TRANSLITERATION[c] ?? c);
    return transliterated
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .normalize('NFC');
  }
  // A vowel inside a word of four letters or more, not its first letter.
  const positions: number[] = [];
  const re = /[a-z]{4,}/gi;
  for (let m = re.exec(name); m !== null; m = re.exec(name))
    for (let i = m.index + 1; i < m.index + m[0].length; i++)
      if ((name[i] as string) in ACCENTED) positions.push(i);
  if (positions.length === 0) return name;
  const i = rng.pick(positions);
  return name.slice(0, i) + (ACCENTED[name[i] as string] as string) + name.slice(i + 1);
}

/** Another web domain of the same company: a country site or a group domain. */
export function otherDomain(domain: string, country: string, rng: Random): string {
  const dot = domain.indexOf('.');
  const base = dot < 0 ? domain : domain.slice(0, dot);
  const tld = country === 'GB' ? 'co.uk' : country === 'US' ? 'com' : country.toLowerCase();
  const options = [
    `${base}-group.com`,
    `${base}.${tld === domain.slice(dot + 1) ? 'net' : tld}`,
    `${base}-it.com`,
  ];
  return rng.pick(options);
}

/**
 * The name (and domain) a second partner registers for a customer, changed the way `kind` says. Kinds that
 * do not apply to the name come back unchanged, as in name-variants.ts.
 */
export function registrationVariant(
  customer: { name: string; domain: string | null; country: string },
  kind: RegistrationVariantKind,
  rng: Random,
): { name: string; domain: string | null } {
  switch (kind) {
    case 'legal-form':
      return { name: legalForm(customer.name, customer.country, rng), domain: customer.domain };
    case 'accent':
      return { name: accent(customer.name, rng), domain: customer.domain };
    case 'domain':
      return {
        name: customer.name,
        domain: customer.domain === null ? null : otherDomain(customer.domain, customer.country, rng),
      };
    default:
      return { name: nameVariant(customer.name, kind as NameVariantKind, rng), domain: customer.domain };
  }
}
