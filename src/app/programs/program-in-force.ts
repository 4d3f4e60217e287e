import type { Scope } from '../../core/access/scope.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { AppContext } from '../context.js';

export interface ProgramInForce {
  programId: string;
  vendorId: string;
  versionId: string;
  definition: ProgramDefinition;
  /** The day it was looked up for (the one given, or the default chosen). */
  asOf: string;
}

/**
 * The published version of a program (by id or code, within scope) in force on a day. Without a day:
 * today when a version is in force today, else the last day of the latest version that has ended (so a
 * past program year, such as the demo's, shows its final standings), else the first day of the earliest.
 */
export async function programInForce(
  ctx: AppContext,
  scope: Scope,
  idOrCode: string,
  day: string | undefined,
  /** The request field that gave `day`, named when no version is in force on it. */
  location = 'asOf',
): Promise<ProgramInForce> {
  const program = await ctx.repos.programs.get(scope, idOrCode);
  if (!program) throw notFound('program', idOrCode);
  const versions = await ctx.repos.programs.versions(scope, program.id);
  const published = versions.filter((v) => v.status === 'published');
  const inForce = (d: string) => published.find((v) => v.effectiveFrom <= d && d <= v.effectiveTo);
  const today = ctx.clock.now().toISOString().slice(0, 10);
  const ended = published.filter((v) => v.effectiveTo < today).map((v) => v.effectiveTo);
  const asOf =
    day ??
    (inForce(today)
      ? today
      : (ended.sort().at(-1) ?? published.map((v) => v.effectiveFrom).sort()[0] ?? today));
  const version = inForce(asOf);
  if (!version) {
    const spans =
      versions.map((v) => `${v.version} ${v.effectiveFrom}..${v.effectiveTo}`).join(', ') || 'none';
    throw new TrellisError(
      'invalid_input',
      `program ${program.code} has no published version in force on ${asOf} (versions: ${spans})`,
      [{ location, message: `no version of ${program.code} is in force on ${asOf}` }],
    );
  }
  return {
    programId: program.id,
    vendorId: program.vendorId,
    versionId: version.id,
    definition: JSON.parse(version.definition) as ProgramDefinition,
    asOf,
  };
}
