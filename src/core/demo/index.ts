export { createDemoWorld, demoOrderLineCount } from './world.js';
export { demoSignIns } from './sign-ins.js';
export type { DemoSignIn } from './sign-ins.js';
export { DEMO_SCALES, DEMO_SCALES_LIST } from './types.js';
export type {
  DemoCounts,
  DemoScale,
  DemoVendorInput,
  DemoWorld,
  DemoWorldOptions,
  OrderBatch,
} from './types.js';
export {
  ABBREVIATIONS,
  LEGAL_SUFFIX_GROUPS,
  NAME_VARIANT_KINDS,
  applicableVariantKinds,
  nameVariant,
  randomNameVariant,
  splitLegalSuffix,
} from './name-variants.js';
export type { NameVariantKind, SplitName } from './name-variants.js';
export { FIXED_PARTNERS } from './partners.js';
export { VENDOR_STAFF } from './people.js';
export type { LegacyProgramInput, LegacyTierRow } from './legacy-tiers.js';
export { demoProgramYears, nextVersionLabel, nextYearEnd } from './program-years.js';
export type { DemoProgramYear, ProgramYearFile } from './program-years.js';
export { lastTwelveMonthsFrom } from './calendar.js';
export { demoSettlementPlan, openPeriodsFrom } from './settlement-plan.js';
export type { DemoSettlementStep } from './settlement-plan.js';
