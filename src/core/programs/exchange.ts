import type { MissingRatePolicy } from '../money/fx.js';
import type { ProgramDefinition } from './types.js';
import { zoneOf } from './zones.js';

/**
 * The currencies an order booked in `country` may be in under a program (issue 17): the program's own,
 * and those its `exchange.orderCurrencies` rules list for the country or for the country's zone.
 */
export function orderCurrencies(program: ProgramDefinition, country: string): string[] {
  const out = new Set([program.currency]);
  const zone = zoneOf(program, country);
  for (const rule of program.exchange?.orderCurrencies ?? [])
    if (rule.countries.includes(country) || (zone !== null && rule.zones.includes(zone)))
      for (const c of rule.currencies) out.add(c);
  return [...out];
}

/** The currencies a partner may be paid in: the payout currency and the program's payout currencies. */
export function payoutCurrencies(program: ProgramDefinition): string[] {
  return [...new Set([program.payouts.currency, ...(program.exchange?.payoutCurrencies ?? [])])];
}

/** What a conversion does when its day has no rate (refuse unless the program says otherwise). */
export function missingRatePolicy(program: ProgramDefinition): MissingRatePolicy {
  return program.exchange?.missingRate ?? { policy: 'refuse' };
}
