import type { Scope } from '../../core/access/scope.js';
import { periodRange, programPeriods, type PeriodRange } from '../../core/ledger/periods.js';
import type { ProgramDefinition } from '../../core/programs/types.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import type { AppContext } from '../context.js';

export interface ResolvedPeriod {
  programId: string;
  programCode: string;
  vendorId: string;
  versionId: string;
  definition: ProgramDefinition;
  range: PeriodRange;
}

/** The published version of a program whose year holds the period code. */
export async function resolvePeriod(
  ctx: AppContext,
  scope: Scope,
  program: string,
  period: string,
): Promise<ResolvedPeriod> {
  const found = await ctx.repos.programs.get(scope, program);
  if (!found) throw notFound('program', program);
  const versions = (await ctx.repos.programs.versions(scope, found.id)).filter(
    (v) => v.status === 'published',
  );
  const codes: string[] = [];
  for (const v of versions) {
    const definition = JSON.parse(v.definition) as ProgramDefinition;
    const all = programPeriods(definition);
    codes.push(...all.map((p) => p.code));
    if (all.some((p) => p.code === period.toUpperCase()))
      return {
        programId: found.id,
        programCode: found.code,
        vendorId: found.vendorId,
        versionId: v.id,
        definition,
        range: periodRange(definition, period.toUpperCase()),
      };
  }
  throw new TrellisError(
    'invalid_input',
    `program ${found.code} has no period "${period}"; its periods are ${codes.join(', ') || 'none (no published version)'}`,
    [{ location: 'period', message: `expected one of ${codes.join(', ')}` }],
  );
}
