import type { IdGenerator, IdKind } from '../shared/ids.js';
import { ID_PREFIXES } from '../shared/ids.js';

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
const LOW_DIGITS = 2;
const LOW = 32 ** LOW_DIGITS;
const LOW_TABLE: readonly string[] = Array.from(
  { length: LOW },
  (_, n) => (ALPHABET[Math.floor(n / 32)] as string) + (ALPHABET[n % 32] as string),
);

function encode(n: number, width: number): string {
  let out = '';
  let v = n;
  for (let i = 0; i < width; i++) {
    out = ALPHABET[v % 32] + out;
    v = Math.floor(v / 32);
  }
  return out;
}

/**
 * The same ids as `sequentialIds(namespace)` from core/shared/ids (`oln_<ns><8 base-32 digits>`), made
 * with one string concatenation per id instead of eight: the high six digits are cached and change
 * every 1,024 ids. The demo makes tens of millions of ids, so this matters.
 */
export function demoIds(namespace: string): IdGenerator & { peek(kind: IdKind): number } {
  const counters = new Map<IdKind, { n: number; head: string }>();
  return {
    next(kind) {
      let c = counters.get(kind);
      if (c === undefined) {
        c = { n: 0, head: `${ID_PREFIXES[kind]}_${namespace}${encode(0, 8 - LOW_DIGITS)}` };
        counters.set(kind, c);
      }
      const n = c.n + 1;
      c.n = n;
      const low = n % LOW;
      if (low === 0) c.head = `${ID_PREFIXES[kind]}_${namespace}${encode(n / LOW, 8 - LOW_DIGITS)}`;
      return c.head + (LOW_TABLE[low] as string);
    },
    peek: (kind) => counters.get(kind)?.n ?? 0,
  };
}

/** A generator for one kind, for hot loops (no map lookup). */
export function demoIdsOf(namespace: string, kind: IdKind): () => string {
  const prefix = `${ID_PREFIXES[kind]}_${namespace}`;
  let n = 0;
  let head = prefix + encode(0, 8 - LOW_DIGITS);
  return () => {
    n++;
    const low = n % LOW;
    if (low === 0) head = prefix + encode(n / LOW, 8 - LOW_DIGITS);
    return head + (LOW_TABLE[low] as string);
  };
}

/**
 * The id a generator for one kind makes as its n-th id (n >= 1), for any n in any order: the same
 * string `demoIdsOf(namespace, kind)` returns on its n-th call. Consecutive calls in the same block of
 * 1,024 reuse the cached head, so walking n upward costs one concatenation per id.
 */
export function demoIdAt(namespace: string, kind: IdKind): (n: number) => string {
  const prefix = `${ID_PREFIXES[kind]}_${namespace}`;
  let block = 0;
  let head = prefix + encode(0, 8 - LOW_DIGITS);
  return (n) => {
    const b = Math.floor(n / LOW);
    if (b !== block) {
      block = b;
      head = prefix + encode(b, 8 - LOW_DIGITS);
    }
    return head + (LOW_TABLE[n % LOW] as string);
  };
}
