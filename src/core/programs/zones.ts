import { regionOf } from '../model/geography.js';
import type { ProgramDefinition } from './types.js';

/**
 * The zone of a country in a program: a zone listing the country, else a zone listing its region,
 * else the default zone; null if none (the country cannot enrol).
 */
export function zoneOf(program: ProgramDefinition, country: string): string | null {
  const listed = program.zones.find((z) => z.countries.includes(country));
  if (listed) return listed.code;
  const region = regionOf(country);
  const byRegion = region === undefined ? undefined : program.zones.find((z) => z.regions.includes(region));
  return byRegion?.code ?? program.defaultZone;
}
