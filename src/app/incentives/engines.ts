import { compileIncentives, type IncentiveEngine } from '../../core/incentives/index.js';
import type { ProgramDefinition } from '../../core/programs/types.js';

/** Compiled engines by program version id: a published version is immutable, so compiling once is enough. */
const engines = new Map<string, IncentiveEngine>();

export function engineFor(versionId: string, definition: ProgramDefinition): IncentiveEngine {
  let engine = engines.get(versionId);
  if (!engine) {
    engine = compileIncentives(definition, { version: null });
    engines.set(versionId, engine);
  }
  return engine;
}
