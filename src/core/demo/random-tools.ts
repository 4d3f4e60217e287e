import { seededRandom } from '../shared/random.js';
import type { Random } from '../shared/random.js';

/** A 32-bit seed derived from the world seed and a label, so each collection has its own stream. */
export function deriveSeed(seed: number, label: string): number {
  let h = 0x811c9dc5 ^ Math.imul(seed | 0, 0x9e3779b1);
  h = Math.imul(h ^ Math.floor(seed / 4294967296), 0x85ebca6b);
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded random stream for one label of one world. */
export function streamFor(seed: number, label: string): Random {
  return seededRandom(deriveSeed(seed, label));
}

/** Cumulative sums of `weights` (each must be >= 0); pick with {@link pickCumulative}. */
export function cumulative(weights: ArrayLike<number>): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] ?? 0;
    out[i] = sum;
  }
  return out;
}

/**
 * A weighted pick by binary search in a cumulative table, over the segment [from, to) whose sums
 * restart at zero at `from` (so one typed array can hold many per-owner tables). `u` is in [0, 1).
 */
export function pickCumulative(cum: Float64Array, u: number, from = 0, to = cum.length): number {
  const total = cum[to - 1] ?? 0;
  const target = u * total;
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cum[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A standard normal deviate (Box-Muller). */
export function normal(rng: Random): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A weighted pick from a small list of [item, weight] pairs. */
export function pickWeighted<T>(rng: Random, items: readonly (readonly [T, number])[]): T {
  let total = 0;
  for (const [, w] of items) total += w;
  let target = rng.next() * total;
  for (const [item, w] of items) {
    target -= w;
    if (target < 0) return item;
  }
  const last = items[items.length - 1];
  if (last === undefined) throw new RangeError('pick from an empty list');
  return last[0];
}

/** Splits `total` in proportion to `weights` by largest remainder (the parts sum to exactly `total`). */
export function apportion(total: number, weights: ArrayLike<number>): Int32Array {
  const out = new Int32Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += weights[i] ?? 0;
  if (weights.length === 0 || sum <= 0) return out;
  const remainders: { i: number; r: number }[] = [];
  let assigned = 0;
  for (let i = 0; i < weights.length; i++) {
    const exact = (total * (weights[i] ?? 0)) / sum;
    const floor = Math.floor(exact);
    out[i] = floor;
    assigned += floor;
    remainders.push({ i, r: exact - floor });
  }
  remainders.sort((a, b) => b.r - a.r || a.i - b.i);
  for (let k = 0; assigned < total; k++, assigned++) {
    const entry = remainders[k % remainders.length] as { i: number };
    out[entry.i] = (out[entry.i] as number) + 1;
  }
  return out;
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

/** A short id namespace (4 base-32 characters) derived from the seed. */
export function namespaceFor(seed: number): string {
  let v = deriveSeed(seed, 'namespace') % 32 ** 4;
  let out = '';
  for (let i = 0; i < 4; i++) {
    out = ALPHABET[v % 32] + out;
    v = Math.floor(v / 32);
  }
  return out;
}

/** Walker's alias table: O(1) weighted picks (one uniform number per pick). */
export interface AliasTable {
  n: number;
  prob: Float64Array;
  alias: Int32Array;
}

/** Builds an alias table (Vose's method; deterministic for the same weights). */
export function aliasTable(weights: ArrayLike<number>): AliasTable {
  const n = weights.length;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += weights[i] ?? 0;
  if (n === 0 || sum <= 0) {
    prob.fill(1);
    for (let i = 0; i < n; i++) alias[i] = i;
    return { n, prob, alias };
  }
  const scaled = new Float64Array(n);
  const small = new Int32Array(n);
  const large = new Int32Array(n);
  let ns = 0;
  let nl = 0;
  for (let i = 0; i < n; i++) {
    scaled[i] = ((weights[i] ?? 0) * n) / sum;
    if ((scaled[i] as number) < 1) small[ns++] = i;
    else large[nl++] = i;
  }
  while (ns > 0 && nl > 0) {
    const s = small[--ns] as number;
    const l = large[nl - 1] as number;
    prob[s] = scaled[s] as number;
    alias[s] = l;
    scaled[l] = (scaled[l] as number) + (scaled[s] as number) - 1;
    if ((scaled[l] as number) < 1) {
      nl--;
      small[ns++] = l;
    }
  }
  while (nl > 0) {
    const l = large[--nl] as number;
    prob[l] = 1;
    alias[l] = l;
  }
  while (ns > 0) {
    const s = small[--ns] as number;
    prob[s] = 1;
    alias[s] = s;
  }
  return { n, prob, alias };
}

/** A weighted pick from an alias table; `u` is in [0, 1). */
export function pickAlias(table: AliasTable, u: number): number {
  const x = u * table.n;
  const i = Math.floor(x);
  return x - i < (table.prob[i] as number) ? i : (table.alias[i] as number);
}

/** The weights behind a cumulative table. */
export function weightsOf(cum: Float64Array): Float64Array {
  const out = new Float64Array(cum.length);
  let prev = 0;
  for (let i = 0; i < cum.length; i++) {
    out[i] = (cum[i] as number) - prev;
    prev = cum[i] as number;
  }
  return out;
}
