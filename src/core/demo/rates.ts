import type { DayRate } from '../money/fx.js';
import { fxRate } from '../money/fx.js';
import { normal, streamFor } from './random-tools.js';

/**
 * The demo's exchange rates (issue 17): EUR/USD and EUR/GBP for every TARGET business day (Monday to
 * Friday, not 1 January, 25 and 26 December) from `from` to `to`, four decimals, as a central bank's daily
 * reference rates come. **Demo assumptions, not real historical rates**: each pair is a seeded random
 * walk pulled back towards a plausible level (EUR/USD about 1.12, EUR/GBP about 0.86), so the demo's
 * conversions look like real ones without claiming any day's actual rate. Weekends and holidays have no
 * rate, as in the real series: the demo programs bridge them with the last known rate.
 */
export function demoRates(seed: number, from: string, to: string): DayRate[] {
  const pairs = [
    { quote: 'USD', start: 1.065, level: 1.12, daily: 0.0042 },
    { quote: 'GBP', start: 0.855, level: 0.86, daily: 0.0031 },
  ];
  const rng = streamFor(seed, 'exchange-rates');
  const values = pairs.map((p) => p.start);
  const out: DayRate[] = [];
  const last = Date.parse(`${to}T00:00:00Z`);
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= last; t += 86_400_000) {
    const d = new Date(t);
    const day = d.toISOString().slice(0, 10);
    const weekday = d.getUTCDay();
    const md = day.slice(5);
    if (weekday === 0 || weekday === 6 || md === '01-01' || md === '12-25' || md === '12-26') continue;
    pairs.forEach((p, i) => {
      const v = values[i] as number;
      // A small daily move, and a tenth of a percent of the gap to the level each day.
      const next = v * Math.exp(p.daily * normal(rng)) + (p.level - v) * 0.002;
      values[i] = next;
      out.push({ base: 'EUR', quote: p.quote, day, rate: fxRate(next.toFixed(4)) });
    });
  }
  return out;
}
