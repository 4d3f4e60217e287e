import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PRODUCT_FAMILIES } from '../src/core/model/catalog.js';
import type { CertificationKind } from '../src/core/model/people.js';
import { parseProgramDocument } from '../src/core/programs/parse.js';
import { seededRandom } from '../src/core/shared/random.js';
import type { Random } from '../src/core/shared/random.js';
import { compileTierEvaluator, deriveCertificationFacts } from '../src/core/tiers/index.js';
import type { PartnerTierFacts, PersonCertification } from '../src/core/tiers/index.js';

/**
 * Evaluates the yearly tier of N partners (default 100,000) against programs/dell-emc-fy18.yaml.
 * Facts are generated deterministically (seeded): heavy-tailed revenue (most partners small, a few very
 * large), a realistic country mix, 15% exclusive partners, certified people growing with size.
 * Reports the warm median of `evaluate` (full explanation per partner) and of `qualify` (tier only).
 *   npm run bench -- tiers [--partners N] [--seed N] [--rounds N] [--json]
 */
export async function tiersBench(args: string[]): Promise<Record<string, unknown>> {
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
  };
  const n = Number(opt('--partners', '100000'));
  const seed = Number(opt('--seed', '1'));
  const rounds = Number(opt('--rounds', '7'));
  const asOf = '2017-11-15';

  const file = join(import.meta.dirname, '..', 'programs', 'dell-emc-fy18.yaml');
  const parsed = parseProgramDocument(readFileSync(file, 'utf8'), file);
  if (!parsed.ok || parsed.document.kind !== 'Program') throw new Error('cannot load dell-emc-fy18.yaml');
  const program = parsed.document;

  const compileStart = performance.now();
  const evaluator = compileTierEvaluator(program);
  const compileMs = performance.now() - compileStart;

  const genStart = performance.now();
  const partners = generatePartners(seededRandom(seed), n, asOf);
  const generateMs = performance.now() - genStart;

  const timeRounds = (run: () => void): number[] => {
    for (let i = 0; i < 3; i++) run(); // warm-up
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      run();
      times.push(performance.now() - t0);
    }
    return times.sort((a, b) => a - b);
  };
  const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? NaN;

  const distribution: Record<string, number> = Object.fromEntries(evaluator.tierCodes.map((t) => [t, 0]));
  const byPath: Record<string, number> = {};
  let sink = 0;
  const evaluateTimes = timeRounds(() => {
    for (const p of partners) sink += evaluator.evaluate(p, asOf).rank;
  });
  const qualifyTimes = timeRounds(() => {
    for (const p of partners) sink += evaluator.qualify(p).rank;
  });
  for (const p of partners) {
    const e = evaluator.evaluate(p, asOf);
    distribution[e.tier] = (distribution[e.tier] ?? 0) + 1;
    if (e.qualifiedBy) {
      const key = `${e.qualifiedBy.tier}/${e.qualifiedBy.name}`;
      byPath[key] = (byPath[key] ?? 0) + 1;
    }
  }
  if (sink < 0) throw new Error('unreachable');

  return {
    partners: n,
    ms: Number(median(evaluateTimes).toFixed(1)),
    qualify_ms: Number(median(qualifyTimes).toFixed(1)),
    evaluate_min_ms: Number((evaluateTimes[0] ?? NaN).toFixed(1)),
    evaluate_max_ms: Number((evaluateTimes[evaluateTimes.length - 1] ?? NaN).toFixed(1)),
    partners_per_s: Math.round(n / (median(evaluateTimes) / 1000)),
    compile_ms: Number(compileMs.toFixed(2)),
    generate_ms: Math.round(generateMs),
    rounds,
    seed,
    tiers: Object.entries(distribution)
      .map(([t, c]) => `${t}=${c}`)
      .join(' '),
    paths: Object.entries(byPath)
      .sort()
      .map(([t, c]) => `${t}=${c}`)
      .join(' '),
  };
}

const COUNTRIES: readonly (readonly [string, number])[] = [
  ['US', 28],
  ['CA', 4],
  ['GB', 9],
  ['DE', 9],
  ['FR', 7],
  ['IT', 4],
  ['ES', 3],
  ['NL', 3],
  ['SE', 2],
  ['PL', 2],
  ['ZA', 1],
  ['AE', 1],
  ['BR', 4],
  ['MX', 3],
  ['JP', 5],
  ['AU', 4],
  ['IN', 5],
  ['SG', 2],
  ['CN', 4],
];
/** Typical share of each family (PRODUCT_FAMILIES order). */
const FAMILY_SHARE = [0.3, 0.32, 0.1, 0.08, 0.12, 0.08];
const KINDS: readonly CertificationKind[] = ['sales', 'technical', 'technical', 'sales', 'services'];

function generatePartners(rnd: Random, n: number, asOf: string): PartnerTierFacts[] {
  const weights = COUNTRIES.reduce((s, [, w]) => s + w, 0);
  const pickCountry = () => {
    let x = rnd.next() * weights;
    for (const [c, w] of COUNTRIES) if ((x -= w) < 0) return c;
    return 'US';
  };
  const normal = () => {
    const u = Math.max(rnd.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd.next());
  };
  const out: PartnerTierFacts[] = [];
  for (let i = 0; i < n; i++) {
    // Log-normal yearly revenue: median about USD 250K, a long tail past USD 50M.
    const total = Math.min(2e8, Math.exp(Math.log(250_000) + 1.7 * normal()));
    const revenue = new Array<number>(PRODUCT_FAMILIES.length);
    for (let f = 0; f < PRODUCT_FAMILIES.length; f++) {
      const share = (FAMILY_SHARE[f] ?? 0) * (0.3 + 1.4 * rnd.next());
      revenue[f] = Math.round(total * share * 100);
    }
    // Certified people grow with size; some partners invest in training more than others.
    const people = Math.min(60, Math.floor((Math.log10(total) - 4) * 4 * rnd.next() * 1.6));
    const certs: PersonCertification[] = [];
    for (let p = 0; p < people; p++) {
      const count = 1 + (rnd.chance(0.3) ? 1 : 0);
      for (let c = 0; c < count; c++) {
        const expired = rnd.chance(0.1);
        certs.push({
          personId: `p${i}-${p}`,
          kind: rnd.pick(KINDS),
          family: rnd.pick(PRODUCT_FAMILIES),
          earnedOn: '2016-03-01',
          expiresOn: expired ? '2017-09-01' : '2018-09-01',
        });
      }
    }
    out.push({
      partnerId: `partner-${i}`,
      country: pickCountry(),
      kind: rnd.chance(0.1) ? 'service-provider' : rnd.chance(0.03) ? 'distributor' : 'reseller',
      exclusive: rnd.chance(0.15),
      revenueByFamily: revenue,
      certifications: deriveCertificationFacts(certs, asOf),
    });
  }
  return out;
}
