/** Sales regions used by deal-registration SLAs, routing and reporting. */
export const REGIONS = ['na', 'latam', 'emea', 'apj'] as const;
export type Region = (typeof REGIONS)[number];

/** Sales segments used by deal-registration minimums and routing. */
export const SEGMENTS = ['enterprise', 'commercial', 'small-business', 'public-sector'] as const;
export type Segment = (typeof SEGMENTS)[number];

const NA = ['US', 'CA'];
const LATAM = ['MX', 'BR', 'AR', 'CL', 'CO', 'PE'];
const APJ = ['JP', 'AU', 'NZ', 'IN', 'SG', 'KR', 'CN', 'HK', 'TW', 'MY', 'TH', 'ID', 'PH', 'VN'];
const EMEA = [
  'GB',
  'DE',
  'FR',
  'IE',
  'NL',
  'BE',
  'LU',
  'ES',
  'PT',
  'IT',
  'CH',
  'AT',
  'SE',
  'NO',
  'DK',
  'FI',
  'PL',
  'CZ',
  'HU',
  'RO',
  'GR',
  'TR',
  'IL',
  'AE',
  'SA',
  'ZA',
  'EG',
  'MA',
  'NG',
  'KE',
];

const REGION_OF = new Map<string, Region>([
  ...NA.map((c) => [c, 'na'] as const),
  ...LATAM.map((c) => [c, 'latam'] as const),
  ...APJ.map((c) => [c, 'apj'] as const),
  ...EMEA.map((c) => [c, 'emea'] as const),
]);

/** Countries Trellis knows, by ISO 3166-1 alpha-2 code. */
export const COUNTRIES: readonly string[] = [...REGION_OF.keys()];

export function isCountry(code: string): boolean {
  return REGION_OF.has(code);
}

/** The sales region of a country, or undefined for an unknown country. */
export function regionOf(country: string): Region | undefined {
  return REGION_OF.get(country);
}
