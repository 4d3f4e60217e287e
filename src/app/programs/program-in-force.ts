import type { Scope } from '../../core/access/scope.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { AppContext } from '../context.js';

export interface ProgramInForce {
  programId: string;
  vendorId: string;
  versionId: string;
  definition: ProgramDefinition;
}

/** The published version of a program (by id or code, within scope) in force on a day. */
export async function programInForce(
  ctx: AppContext,
  scope: Scope,
  idOrCode: string,
  asOf: string,
): Promise<ProgramInForce> {
  const program = await ctx.repos.programs.get(scope, idOrCode);
  if (!program) throw notFound('program', idOrCode);
  const versions = await ctx.repos.programs.versions(scope, program.id);
  const version = versions.find(
    (v) => v.status === 'published' && v.effectiveFrom <= asOf && asOf <= v.effectiveTo,
  );
  if (!version) {
    const spans =
      versions.map((v) => `${v.version} ${v.effectiveFrom}..${v.effectiveTo}`).join(', ') || 'none';
    throw new TrellisError(
      'invalid_input',
      `program ${program.code} has no published version in force on ${asOf} (versions: ${spans})`,
      [{ location: 'asOf', message: `no version of ${program.code} is in force on ${asOf}` }],
    );
  }
  return {
    programId: program.id,
    vendorId: program.vendorId,
    versionId: version.id,
    definition: JSON.parse(version.definition) as ProgramDefinition,
  };
}
