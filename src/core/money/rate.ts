/**
 * Rates and multipliers are exact integers in parts per million (ppm): 4% = 40_000, x1.25 = 1_250_000.
 * The one rounding policy of Trellis lives here: half to even ("banker's rounding") on the minor unit.
 */
export type Ppm = number;

export const PPM_ONE: Ppm = 1_000_000;

export type ParseRateResult = { ok: true; value: Ppm } | { ok: false; error: string };

const PERCENT = /^(-?)(\d+)(?:\.(\d{1,4}))?\s*%$/;
const FACTOR = /^x?(\d+)(?:\.(\d{1,6}))?$/;

/** "4%", "0.5%", "12.25%" -> ppm. At most 4 decimals (1 ppm). */
export function parsePercent(text: string): ParseRateResult {
  const m = PERCENT.exec(text.trim());
  if (!m) return { ok: false, error: `"${text}" is not a percentage; write it as "4%" or "0.5%"` };
  const [, sign, int = '', frac = ''] = m;
  const ppm = Number(int) * 10_000 + Number(frac.padEnd(4, '0'));
  return { ok: true, value: sign === '-' ? -ppm : ppm };
}

/** "1.25", "x1.25" or the number 1.25 -> ppm. At most 6 decimals. */
export function parseFactor(value: string | number): ParseRateResult {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const m = FACTOR.exec(text);
  if (!m) return { ok: false, error: `"${text}" is not a factor; write it as 1.25 or "x1.25"` };
  const [, int = '', frac = ''] = m;
  return { ok: true, value: Number(int) * PPM_ONE + Number(frac.padEnd(6, '0')) };
}

export function formatPercent(ppm: Ppm): string {
  const sign = ppm < 0 ? '-' : '';
  const abs = Math.abs(ppm);
  const whole = Math.trunc(abs / 10_000);
  const frac = (abs % 10_000).toString().padStart(4, '0').replace(/0+$/, '');
  return `${sign}${whole}${frac ? '.' + frac : ''}%`;
}

export function formatFactor(ppm: Ppm): string {
  const whole = Math.trunc(ppm / PPM_ONE);
  const frac = (ppm % PPM_ONE).toString().padStart(6, '0').replace(/0+$/, '');
  return `x${whole}${frac ? '.' + frac : ''}`;
}

/** Divides n by d (d > 0) rounding half to even. Exact for |n| < 2^53. */
export function divRoundHalfEven(n: number, d: number): number {
  let q = Math.floor(n / d);
  let r = n - q * d;
  // n / d is a rounded float: near an integer the floor can be one off, so correct it exactly.
  if (r < 0) {
    q -= 1;
    r += d;
  } else if (r >= d) {
    q += 1;
    r -= d;
  }
  const twice = 2 * r;
  if (twice < d) return q;
  if (twice > d) return q + 1;
  return q % 2 === 0 ? q : q + 1;
}

/**
 * amountMinor x ppm / 1e6, rounded half to even. Uses BigInt only when the product would leave the
 * range where doubles are exact, so the common case stays fast.
 */
export function applyRate(amountMinor: number, ppm: Ppm): number {
  const product = amountMinor * ppm + 0; // + 0 turns -0 into 0
  if (Number.isSafeInteger(product)) return divRoundHalfEven(product, PPM_ONE);
  return Number(bigDivRoundHalfEven(BigInt(amountMinor) * BigInt(ppm), BigInt(PPM_ONE)));
}

/** n / d (d > 0) rounded half to even, in BigInt: the same policy beyond the range of doubles. */
export function bigDivRoundHalfEven(n: bigint, d: bigint): bigint {
  let q = n / d;
  let r = n % d;
  if (r < 0n) {
    q -= 1n;
    r += d;
  }
  const twice = 2n * r;
  if (twice > d || (twice === d && q % 2n !== 0n)) q += 1n;
  return q;
}

/** Combines two factors exactly (x1.25 then x1.1 = x1.375), rounding half to even at 1 ppm. */
export function multiplyFactors(a: Ppm, b: Ppm): Ppm {
  return applyRate(a, b);
}
