import { SYSTEM_SCOPE } from '../../core/access/scope.js';
import type { AppContext } from '../context.js';
import { evaluateProgramTiers, type EvaluationSummary } from './evaluate-program.js';

/**
 * The daily run: every program with a published version in force on `asOf` is re-evaluated (the yearly
 * audit happens by itself on each program's audit date). Programs with no version in force are skipped.
 */
export async function evaluateAllPrograms(ctx: AppContext, asOf: string): Promise<EvaluationSummary[]> {
  const programs = await ctx.repos.programs.inForceOn(asOf);
  const results: EvaluationSummary[] = [];
  for (const p of programs) {
    results.push(
      await evaluateProgramTiers(
        ctx,
        { actor: { kind: 'system', id: 'scheduler' }, scope: SYSTEM_SCOPE },
        { program: p.id, asOf },
      ),
    );
  }
  return results;
}
