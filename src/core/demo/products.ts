import type { LicensingModel, Product, ProductFamily } from '../model/catalog.js';
import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { IdGenerator } from '../shared/ids.js';
import type { Random } from '../shared/random.js';
import { vendorCode } from './partners.js';
import { normal, streamFor } from './random-tools.js';
import type { DemoVendorInput } from './types.js';

interface FamilyProfile {
  code: string;
  /** List price range in major units (log-uniform between them). */
  min: number;
  max: number;
  /** Share of a vendor's order lines (normalised over the vendor's families). */
  share: number;
  /** Mean and cap of the quantity on a line (geometric). */
  qtyMean: number;
  qtyMax: number;
  /** Product lines: a name and, for hardware, a model prefix ("" for named editions). */
  lines: readonly (readonly [string, string])[];
  /** Editions or terms appended to line names when there is no model number. */
  editions: readonly string[];
}

export const FAMILY_PROFILES: Readonly<Record<ProductFamily, FamilyProfile>> = {
  servers: {
    code: 'SRV',
    min: 3_000,
    max: 60_000,
    share: 34,
    qtyMean: 3,
    qtyMax: 40,
    lines: [
      ['Rack Server', 'R'],
      ['Tower Server', 'T'],
      ['Modular Server', 'MX'],
      ['Edge Server', 'XE'],
      ['GPU Server', 'XG'],
    ],
    editions: [],
  },
  storage: {
    code: 'STG',
    min: 10_000,
    max: 500_000,
    share: 20,
    qtyMean: 1.3,
    qtyMax: 6,
    lines: [
      ['All-Flash Array', 'AF'],
      ['Hybrid Array', 'H'],
      ['Scale-Out NAS', 'SN'],
      ['Unified Storage', 'U'],
      ['Object Storage', 'OS'],
      ['Entry Storage', 'ME'],
    ],
    editions: [],
  },
  networking: {
    code: 'NET',
    min: 1_000,
    max: 40_000,
    share: 12,
    qtyMean: 4,
    qtyMax: 48,
    lines: [
      ['Data Center Switch', 'S'],
      ['Campus Switch', 'N'],
      ['SD-WAN Edge', 'W'],
      ['Fabric Switch', 'Z'],
      ['Wireless Access Point', 'AP'],
    ],
    editions: [],
  },
  'data-protection': {
    code: 'DPS',
    min: 5_000,
    max: 100_000,
    share: 10,
    qtyMean: 1.5,
    qtyMax: 8,
    lines: [
      ['Backup Appliance', 'DP'],
      ['Deduplication Storage', 'DD'],
      ['Cyber Recovery Vault', 'CR'],
      ['Protection Suite', 'PS'],
    ],
    editions: [],
  },
  services: {
    code: 'SVC',
    min: 500,
    max: 50_000,
    share: 24,
    qtyMean: 2,
    qtyMax: 20,
    lines: [
      ['Deployment Service', ''],
      ['Support Plus', ''],
      ['Mission Critical Support', ''],
      ['Residency Service', ''],
      ['Consulting Days', ''],
      ['Migration Service', ''],
      ['Education Credits', ''],
      ['Managed Service', ''],
      ['Health Check', ''],
    ],
    editions: ['Basic', 'Standard', 'Premium', '1 Year', '3 Years', '5 Years', 'Remote', 'Onsite'],
  },
  software: {
    code: 'SW',
    min: 200,
    max: 20_000,
    share: 72,
    qtyMean: 6,
    qtyMax: 128,
    lines: [
      ['Hypervisor', ''],
      ['Virtual SAN', ''],
      ['Network Virtualization', ''],
      ['Cloud Platform', ''],
      ['Desktop Virtualization', ''],
      ['Operations Manager', ''],
      ['Kubernetes Runtime', ''],
      ['Site Recovery', ''],
      ['Workload Firewall', ''],
    ],
    editions: [
      'Standard, 1-Year Subscription',
      'Standard, 3-Year Subscription',
      'Advanced, 1-Year Subscription',
      'Advanced, 3-Year Subscription',
      'Enterprise, 1-Year Subscription',
      'Enterprise, 3-Year Subscription',
      'Enterprise Plus, 1-Year Subscription',
      'Enterprise Plus, 3-Year Subscription',
    ],
  },
};

/**
 * Software lines' solution areas (VMware Partner Connect's solution competencies) and the licensing of
 * their SKUs, after VMware's move to subscription and SaaS (2019-2021): cloud-delivered lines are SaaS,
 * the core data-centre lines keep some perpetual (Standard and Advanced editions with 3 years of support)
 * and networking some term licences; every other edition is a subscription. Decided from the line and
 * edition alone (no random draw), so adding attributes changed no other generated value.
 */
const SOFTWARE_LINES: Readonly<
  Record<string, { solution: string; saas?: boolean; perpetual?: boolean; term?: boolean }>
> = {
  Hypervisor: { solution: 'cloud-infrastructure', perpetual: true },
  'Virtual SAN': { solution: 'cloud-infrastructure', perpetual: true },
  'Network Virtualization': { solution: 'networking-security', term: true },
  'Cloud Platform': { solution: 'cloud-infrastructure', saas: true },
  'Desktop Virtualization': { solution: 'digital-workspace' },
  'Operations Manager': { solution: 'cloud-management', saas: true },
  'Kubernetes Runtime': { solution: 'app-modernization', saas: true },
  'Site Recovery': { solution: 'cloud-infrastructure', perpetual: true },
  'Workload Firewall': { solution: 'networking-security', term: true },
};

/** A software SKU's licensing, solution area and the edition text its name shows. */
export function softwareAttributes(
  line: string,
  edition: string,
): { licensing: LicensingModel; solution: string | null; edition: string } {
  const spec = SOFTWARE_LINES[line];
  const threeYears = edition.includes('3-Year');
  const basic = edition.startsWith('Standard') || edition.startsWith('Advanced');
  if (spec?.saas)
    return { licensing: 'saas', solution: spec.solution, edition: edition.replace('Subscription', 'SaaS') };
  if (spec?.perpetual && threeYears && basic)
    return {
      licensing: 'perpetual',
      solution: spec.solution,
      edition: edition.replace('3-Year Subscription', 'Perpetual, 3-Year Support'),
    };
  if (spec?.term && threeYears)
    return { licensing: 'term', solution: spec.solution, edition: edition.replace('Subscription', 'Term') };
  return { licensing: 'subscription', solution: spec?.solution ?? null, edition };
}

export const FAMILY_INDEX: ReadonlyMap<ProductFamily, number> = new Map(
  PRODUCT_FAMILIES.map((f, i) => [f, i]),
);

export interface ProductWorld {
  products: Product[];
  /** Per product: family index (in PRODUCT_FAMILIES) and list price in minor units. */
  family: Uint8Array;
  listPrice: Float64Array;
  /** Per vendor: product positions and cumulative popularity, overall and for service providers (services-heavy). */
  byVendor: { items: Int32Array; cum: Float64Array; cumServices: Float64Array }[];
}

function logUniform(rng: Random, min: number, max: number): number {
  return Math.exp(Math.log(min) + rng.next() * (Math.log(max) - Math.log(min)));
}

/** Rounds a major-unit price to a "list price" look: 3 significant digits, less one unit (e.g. 12,499.00). */
function listPriceMinor(major: number): number {
  const magnitude = 10 ** Math.max(0, Math.floor(Math.log10(major)) - 2);
  const rounded = Math.max(magnitude, Math.round(major / magnitude) * magnitude);
  return (rounded - (magnitude >= 10 ? 1 : 0)) * 100;
}

export function generateProducts(args: {
  seed: number;
  vendors: readonly DemoVendorInput[];
  createdAt: Date;
  ids: IdGenerator;
}): ProductWorld {
  const rng = streamFor(args.seed, 'products');
  const products: Product[] = [];
  const family: number[] = [];
  const price: number[] = [];
  const popularity: number[] = [];
  const byVendor: ProductWorld['byVendor'] = [];
  for (const vendor of args.vendors) {
    const code = vendorCode(vendor.slug);
    const positions: number[] = [];
    const families = [...new Set(vendor.families)];
    let shareTotal = 0;
    for (const f of families) shareTotal += FAMILY_PROFILES[f].share;
    const familyShare: number[] = [];
    for (const f of families) {
      const profile = FAMILY_PROFILES[f];
      const count = rng.int(20, 60);
      const prices: number[] = [];
      for (let i = 0; i < count; i++) prices.push(listPriceMinor(logUniform(rng, profile.min, profile.max)));
      prices.sort((a, b) => a - b);
      // Names: models numbered by price within each line, or distinct line/edition pairs.
      const names: string[] = [];
      const attributes: { licensing: LicensingModel | null; solution: string | null }[] = [];
      if (profile.editions.length === 0) {
        const nextModel = profile.lines.map(() => rng.int(1, 4) * 100);
        for (let i = 0; i < count; i++) {
          const li = i % profile.lines.length;
          const [line, prefix] = profile.lines[li] as readonly [string, string];
          nextModel[li] = (nextModel[li] as number) + rng.int(1, 6) * 10;
          names.push(`${vendor.name} ${line} ${prefix}${nextModel[li]}`);
        }
      } else {
        const combos: string[] = [];
        for (const [line] of profile.lines) for (const ed of profile.editions) combos.push(`${line}, ${ed}`);
        for (let i = combos.length - 1; i > 0; i--) {
          const j = rng.int(0, i);
          [combos[i], combos[j]] = [combos[j] as string, combos[i] as string];
        }
        for (let i = 0; i < count; i++) {
          const combo = combos[i % combos.length] as string;
          if (f !== 'software') {
            names.push(`${vendor.name} ${combo}`);
            continue;
          }
          const cut = combo.indexOf(', ');
          const line = combo.slice(0, cut);
          const a = softwareAttributes(line, combo.slice(cut + 2));
          names.push(`${vendor.name} ${line}, ${a.edition}`);
          attributes[i] = { licensing: a.licensing, solution: a.solution };
        }
      }
      let popTotal = 0;
      const pops: number[] = [];
      for (let i = 0; i < count; i++) {
        const p = ((prices[i] as number) / (profile.min * 100)) ** -0.9 * Math.exp(0.6 * normal(rng));
        pops.push(p);
        popTotal += p;
      }
      for (let i = 0; i < count; i++) {
        positions.push(products.length);
        family.push(FAMILY_INDEX.get(f) as number);
        price.push(prices[i] as number);
        popularity.push(((pops[i] as number) / popTotal) * (profile.share / shareTotal));
        familyShare.push(f === 'services' ? 4 : 1);
        products.push({
          id: args.ids.next('product'),
          vendorId: vendor.id,
          sku: `${code}-${profile.code}-${String(1000 + i)}`,
          name: names[i] as string,
          family: f,
          listPriceMinor: prices[i] as number,
          currency: vendor.currency,
          createdAt: new Date(args.createdAt.getTime()),
          licensing: attributes[i]?.licensing ?? null,
          solution: attributes[i]?.solution ?? null,
        });
      }
    }
    const cum = new Float64Array(positions.length);
    const cumServices = new Float64Array(positions.length);
    let s = 0;
    let t = 0;
    positions.forEach((pos, i) => {
      s += popularity[pos] as number;
      t += (popularity[pos] as number) * (familyShare[i] as number);
      cum[i] = s;
      cumServices[i] = t;
    });
    byVendor.push({ items: Int32Array.from(positions), cum, cumServices });
  }
  return { products, family: Uint8Array.from(family), listPrice: Float64Array.from(price), byVendor };
}
