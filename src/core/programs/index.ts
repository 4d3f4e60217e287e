export type * from './types.js';
export {
  COMPONENT_KINDS,
  CONFLICT_SCOPE_KEYS,
  DOWNGRADE_POLICIES,
  EXHAUSTION_POLICIES,
  PERIOD_GRANULARITIES,
  REQUIREMENT_MEASURES,
  ROUTING_STEPS,
  SETTLEMENTS,
  SLA_BREACH_ACTIONS,
} from './types.js';
export type {
  AttributeType,
  CompiledCondition,
  ConditionAttribute,
  ConditionContext,
  ConditionExplanation,
  ConditionFacts,
  ConditionLeaf,
  ConditionNode,
  ConditionOperator,
  ConditionValue,
  LeafResult,
} from './conditions.js';
export {
  compileCondition,
  conditionLeaves,
  CONDITION_ATTRIBUTES,
  CONDITION_OPERATORS,
  formatCondition,
  LICENSING_MODELS,
} from './conditions.js';
export type { ParseProgramResult, ProgramFileError } from './parse.js';
export { formatProgramFileError, parseProgramDocument } from './parse.js';
export { summarizeProgram } from './summary.js';
export { programJsonSchema, programJsonSchemaText } from './json-schema.js';
export { zoneOf } from './zones.js';
export { addDuration, formatDuration } from './dates.js';
