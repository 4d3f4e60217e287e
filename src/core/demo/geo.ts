import { COUNTRIES, regionOf } from '../model/geography.js';
import type { Region } from '../model/geography.js';
import type { Random } from '../shared/random.js';

/** How partners and customers spread over regions: more in North America and EMEA. */
export const REGION_WEIGHTS: Readonly<Record<Region, number>> = {
  na: 0.38,
  emea: 0.37,
  apj: 0.16,
  latam: 0.09,
};

/** Relative weight of a country within its region (countries not listed weigh 1). */
const COUNTRY_WEIGHTS: Readonly<Record<string, number>> = {
  US: 85,
  CA: 15,
  GB: 18,
  DE: 18,
  FR: 14,
  NL: 6,
  IT: 6,
  ES: 5,
  CH: 4,
  SE: 3,
  BE: 3,
  PL: 3,
  IE: 2,
  AT: 2,
  DK: 2,
  NO: 2,
  FI: 2,
  AE: 2,
  ZA: 2,
  IL: 2,
  JP: 22,
  AU: 16,
  IN: 14,
  CN: 10,
  SG: 8,
  KR: 7,
  HK: 4,
  NZ: 4,
  TW: 3,
  MY: 3,
  BR: 35,
  MX: 28,
  AR: 10,
  CL: 10,
  CO: 10,
  PE: 7,
};

/** Countries with their region and weights, indexed by position (typed arrays keep the index). */
export interface CountryTable {
  codes: readonly string[];
  regions: readonly Region[];
  /** Overall weight (region weight x country weight within the region). */
  weights: readonly number[];
  /** Indices of the countries of each region. */
  byRegion: Readonly<Record<Region, readonly number[]>>;
}

function buildCountryTable(): CountryTable {
  const codes = [...COUNTRIES];
  const regions = codes.map((c) => regionOf(c) as Region);
  const byRegion: Record<Region, number[]> = { na: [], latam: [], emea: [], apj: [] };
  const regionTotals: Record<Region, number> = { na: 0, latam: 0, emea: 0, apj: 0 };
  codes.forEach((c, i) => {
    const r = regions[i] as Region;
    byRegion[r].push(i);
    regionTotals[r] += COUNTRY_WEIGHTS[c] ?? 1;
  });
  const weights = codes.map((c, i) => {
    const r = regions[i] as Region;
    return (REGION_WEIGHTS[r] * (COUNTRY_WEIGHTS[c] ?? 1)) / regionTotals[r];
  });
  return { codes, regions, weights, byRegion };
}

export const COUNTRY_TABLE: CountryTable = buildCountryTable();

export function countryIndex(code: string): number {
  const i = COUNTRY_TABLE.codes.indexOf(code);
  if (i < 0) throw new RangeError(`unknown country ${code}`);
  return i;
}

/** A country of `region` picked by weight. */
export function pickCountryInRegion(rng: Random, region: Region): number {
  const list = COUNTRY_TABLE.byRegion[region];
  let total = 0;
  for (const i of list) total += COUNTRY_TABLE.weights[i] ?? 0;
  let target = rng.next() * total;
  for (const i of list) {
    target -= COUNTRY_TABLE.weights[i] ?? 0;
    if (target < 0) return i;
  }
  return list[list.length - 1] as number;
}

/** Cities per country (the first is the biggest). */
export const CITIES: Readonly<Record<string, readonly string[]>> = {
  US: [
    'New York',
    'Chicago',
    'Dallas',
    'Atlanta',
    'Seattle',
    'Boston',
    'Denver',
    'Austin',
    'San Jose',
    'Phoenix',
    'Minneapolis',
    'Charlotte',
    'Columbus',
    'Nashville',
    'Portland',
    'Raleigh',
  ],
  CA: ['Toronto', 'Montreal', 'Vancouver', 'Calgary', 'Ottawa', 'Edmonton'],
  MX: ['Mexico City', 'Guadalajara', 'Monterrey', 'Puebla'],
  BR: ['Sao Paulo', 'Rio de Janeiro', 'Belo Horizonte', 'Curitiba', 'Porto Alegre'],
  AR: ['Buenos Aires', 'Cordoba', 'Rosario'],
  CL: ['Santiago', 'Valparaiso'],
  CO: ['Bogota', 'Medellin', 'Cali'],
  PE: ['Lima', 'Arequipa'],
  JP: ['Tokyo', 'Osaka', 'Nagoya', 'Yokohama', 'Fukuoka'],
  AU: ['Sydney', 'Melbourne', 'Brisbane', 'Perth', 'Adelaide'],
  NZ: ['Auckland', 'Wellington', 'Christchurch'],
  IN: ['Bengaluru', 'Mumbai', 'New Delhi', 'Hyderabad', 'Chennai', 'Pune'],
  SG: ['Singapore'],
  KR: ['Seoul', 'Busan', 'Incheon'],
  CN: ['Shanghai', 'Beijing', 'Shenzhen', 'Guangzhou', 'Chengdu'],
  HK: ['Hong Kong'],
  TW: ['Taipei', 'Taichung', 'Kaohsiung'],
  MY: ['Kuala Lumpur', 'Penang'],
  TH: ['Bangkok', 'Chiang Mai'],
  ID: ['Jakarta', 'Surabaya'],
  PH: ['Manila', 'Cebu'],
  VN: ['Ho Chi Minh City', 'Hanoi'],
  GB: ['London', 'Manchester', 'Birmingham', 'Leeds', 'Glasgow', 'Bristol', 'Reading', 'Edinburgh'],
  DE: ['Berlin', 'Munich', 'Frankfurt', 'Hamburg', 'Cologne', 'Stuttgart', 'Dusseldorf'],
  FR: ['Paris', 'Lyon', 'Marseille', 'Toulouse', 'Lille', 'Nantes', 'Bordeaux'],
  IE: ['Dublin', 'Cork', 'Galway'],
  NL: ['Amsterdam', 'Rotterdam', 'Utrecht', 'Eindhoven'],
  BE: ['Brussels', 'Antwerp', 'Ghent'],
  LU: ['Luxembourg'],
  ES: ['Madrid', 'Barcelona', 'Valencia', 'Seville', 'Bilbao'],
  PT: ['Lisbon', 'Porto'],
  IT: ['Milan', 'Rome', 'Turin', 'Bologna', 'Naples'],
  CH: ['Zurich', 'Geneva', 'Basel', 'Bern'],
  AT: ['Vienna', 'Graz', 'Linz'],
  SE: ['Stockholm', 'Gothenburg', 'Malmo'],
  NO: ['Oslo', 'Bergen'],
  DK: ['Copenhagen', 'Aarhus'],
  FI: ['Helsinki', 'Espoo', 'Tampere'],
  PL: ['Warsaw', 'Krakow', 'Wroclaw', 'Gdansk'],
  CZ: ['Prague', 'Brno'],
  HU: ['Budapest', 'Debrecen'],
  RO: ['Bucharest', 'Cluj-Napoca'],
  GR: ['Athens', 'Thessaloniki'],
  TR: ['Istanbul', 'Ankara', 'Izmir'],
  IL: ['Tel Aviv', 'Jerusalem', 'Haifa'],
  AE: ['Dubai', 'Abu Dhabi'],
  SA: ['Riyadh', 'Jeddah'],
  ZA: ['Johannesburg', 'Cape Town', 'Durban'],
  EG: ['Cairo', 'Alexandria'],
  MA: ['Casablanca', 'Rabat'],
  NG: ['Lagos', 'Abuja'],
  KE: ['Nairobi', 'Mombasa'],
};

/** Legal forms a company in each country may carry (empty string: none). */
export const LEGAL_FORMS: Readonly<Record<string, readonly string[]>> = {
  US: ['Inc.', 'Inc.', 'LLC', 'Corp.', 'Corporation', 'Incorporated', 'Co.', ''],
  CA: ['Inc.', 'Ltd.', 'Corp.', 'Limited', ''],
  GB: ['Ltd', 'Ltd', 'Limited', 'plc', 'LLP'],
  IE: ['Ltd', 'Limited', 'DAC'],
  DE: ['GmbH', 'GmbH', 'AG', 'GmbH & Co. KG'],
  AT: ['GmbH', 'AG'],
  CH: ['AG', 'GmbH', 'SA'],
  FR: ['SAS', 'SA', 'SARL'],
  BE: ['SA', 'NV', 'BV'],
  LU: ['S.A.', 'S.a r.l.'],
  NL: ['B.V.', 'B.V.', 'N.V.'],
  ES: ['S.L.', 'S.A.'],
  PT: ['Lda.', 'S.A.'],
  IT: ['S.r.l.', 'S.p.A.'],
  SE: ['AB'],
  NO: ['AS'],
  DK: ['A/S', 'ApS'],
  FI: ['Oy'],
  PL: ['Sp. z o.o.', 'S.A.'],
  CZ: ['s.r.o.', 'a.s.'],
  HU: ['Kft.', 'Zrt.'],
  RO: ['S.R.L.', 'S.A.'],
  GR: ['S.A.'],
  TR: ['A.S.', 'Ltd. Sti.'],
  IL: ['Ltd'],
  AE: ['LLC', 'FZE', 'FZ-LLC'],
  SA: ['LLC', 'Co.'],
  ZA: ['(Pty) Ltd', 'Ltd'],
  EG: ['S.A.E.', 'LLC'],
  MA: ['SARL', 'SA'],
  NG: ['Ltd', 'Limited', 'Plc'],
  KE: ['Ltd', 'Limited'],
  MX: ['S.A. de C.V.', 'S. de R.L. de C.V.'],
  BR: ['Ltda.', 'S.A.'],
  AR: ['S.A.', 'S.R.L.'],
  CL: ['SpA', 'S.A.'],
  CO: ['S.A.S.', 'S.A.'],
  PE: ['S.A.C.', 'S.A.'],
  JP: ['K.K.', 'Co., Ltd.'],
  AU: ['Pty Ltd', 'Pty Ltd', 'Limited'],
  NZ: ['Limited', 'Ltd'],
  IN: ['Pvt. Ltd.', 'Private Limited', 'Limited'],
  SG: ['Pte. Ltd.', 'Pte Ltd'],
  KR: ['Co., Ltd.', 'Corp.'],
  CN: ['Co., Ltd.', 'Limited'],
  HK: ['Limited', 'Ltd'],
  TW: ['Co., Ltd.', 'Corp.'],
  MY: ['Sdn. Bhd.', 'Berhad'],
  TH: ['Co., Ltd.', 'PCL'],
  ID: ['Tbk', 'Ltd'],
  PH: ['Inc.', 'Corporation'],
  VN: ['Co., Ltd.', 'JSC'],
};

const STREETS = [
  'Main',
  'Market',
  'Station',
  'Park',
  'Church',
  'High',
  'Mill',
  'Oak',
  'Maple',
  'Cedar',
  'Lake',
  'River',
  'Hill',
  'Bridge',
  'Harbour',
  'King',
  'Queen',
  'Victoria',
  'Garden',
  'Meadow',
  'Forest',
  'Spring',
  'Union',
  'Commerce',
  'Industrial',
  'Technology',
  'Innovation',
  'Central',
  'North',
  'South',
];
const STREET_TYPES = ['Street', 'Avenue', 'Road', 'Boulevard', 'Drive', 'Way', 'Lane', 'Parkway'];
const UK_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXY';

function digits(rng: Random, n: number): string {
  let s = String(rng.int(1, 9));
  for (let i = 1; i < n; i++) s += String(rng.int(0, 9));
  return s;
}

function letter(rng: Random): string {
  return UK_LETTERS[rng.int(0, UK_LETTERS.length - 1)] as string;
}

/** A street address in the style of the country. */
export function streetAddress(rng: Random, country: string): string {
  const street = rng.pick(STREETS);
  const n = rng.int(1, 2400);
  switch (country) {
    case 'DE':
    case 'AT':
    case 'CH':
      return `${street}strasse ${(n % 180) + 1}`;
    case 'FR':
    case 'BE':
    case 'LU':
    case 'MA':
      return `${(n % 180) + 1} rue du ${street}`;
    case 'NL':
      return `${street}straat ${(n % 180) + 1}`;
    case 'ES':
    case 'MX':
    case 'AR':
    case 'CL':
    case 'CO':
    case 'PE':
      return `Calle ${street} ${(n % 300) + 1}`;
    case 'IT':
      return `Via ${street} ${(n % 200) + 1}`;
    case 'BR':
    case 'PT':
      return `Rua ${street} ${(n % 900) + 1}`;
    default:
      return `${n} ${street} ${rng.pick(STREET_TYPES)}`;
  }
}

/** A postal code in the format of the country. */
export function postalCode(rng: Random, country: string): string {
  switch (country) {
    case 'US':
    case 'DE':
    case 'FR':
    case 'ES':
    case 'IT':
    case 'MX':
    case 'FI':
    case 'MY':
    case 'TH':
    case 'ID':
    case 'KR':
    case 'TR':
    case 'MA':
    case 'EG':
    case 'SA':
      return digits(rng, 5);
    case 'GB':
      return `${letter(rng)}${letter(rng)}${rng.int(1, 29)} ${rng.int(1, 9)}${letter(rng)}${letter(rng)}`;
    case 'CA':
      return `${letter(rng)}${rng.int(0, 9)}${letter(rng)} ${rng.int(0, 9)}${letter(rng)}${rng.int(0, 9)}`;
    case 'NL':
      return `${digits(rng, 4)} ${letter(rng)}${letter(rng)}`;
    case 'IE':
      return `D${String(rng.int(1, 24)).padStart(2, '0')} ${letter(rng)}${rng.int(1, 9)}${letter(rng)}${rng.int(1, 9)}`;
    case 'JP':
      return `${digits(rng, 3)}-${String(rng.int(0, 9999)).padStart(4, '0')}`;
    case 'BR':
      return `${digits(rng, 5)}-${String(rng.int(0, 999)).padStart(3, '0')}`;
    case 'PL':
      return `${String(rng.int(0, 99)).padStart(2, '0')}-${String(rng.int(0, 999)).padStart(3, '0')}`;
    case 'PT':
      return `${digits(rng, 4)}-${String(rng.int(0, 999)).padStart(3, '0')}`;
    case 'SE':
    case 'CZ':
    case 'GR':
      return `${digits(rng, 3)} ${String(rng.int(0, 99)).padStart(2, '0')}`;
    case 'IN':
    case 'SG':
    case 'CN':
    case 'RO':
    case 'VN':
      return digits(rng, 6);
    case 'IL':
      return digits(rng, 7);
    case 'HK':
    case 'AE':
      return '';
    default:
      return digits(rng, 4);
  }
}
