import { PRODUCT_FAMILIES } from '../model/catalog.js';
import type { ProgramDefinition } from '../programs/types.js';
import { accrueLine, applicationKey, lineApplications } from './accrual.js';
import type { RuleApplication } from '../ledger/postings.js';
import type { AccrualBatch } from './batch.js';
import { prepareBatch } from './batch.js';
import { settleColumns, settlePeriod } from './close.js';
import { compileProgram } from './compile.js';
import { accrueColumns, accrueLines, computePeriod, lineAccruals } from './period.js';
import type { PeriodColumns, ReplacedLine } from './period-columns.js';
import type {
  AccrualProposal,
  CloseProposal,
  CompiledComponentInfo,
  ComponentTotal,
  IncentiveLine,
  IncentiveVersionInfo,
  LineContext,
  PartnerPeriodFacts,
  PeriodInput,
} from './types.js';

/** A program version's incentives, compiled once; every method is pure. */
export interface IncentiveEngine {
  readonly programCode: string;
  /** `<program code>@<version label>` plus `#<stored version>` when known. */
  readonly ruleVersion: string;
  readonly currency: string;
  /** Tier codes in rank order: the `tierIndex` of a batch column. */
  readonly tiers: readonly string[];
  /** Product families: the `familyIndex` of a batch column (PRODUCT_FAMILIES order). */
  readonly families: readonly string[];
  /** Components other than payout multipliers, in stacking order: the columns of a batch row. */
  readonly components: readonly CompiledComponentInfo[];
  /** Per-line accruals ("settlement: accrual") of one line, with explanations. */
  accrueLine(line: IncentiveLine): AccrualProposal[];
  /**
   * `accrueLine`'s components and amounts without explanations, as a function for many lines (lines alike
   * evaluated once: see `lineAccruals` in period.ts).
   */
  lineAccruals(): (line: IncentiveLine) => { component: string; amountMinor: number }[];
  /** The rules the line's accrual components apply (rate, multiplier, tier), without amounts or text. */
  ruleApplications(line: IncentiveLine): RuleApplication[];
  /** Lines with equal keys get equal `ruleApplications`; null when conditions read line amounts. */
  applicationKey(line: IncentiveLine): string | null;
  /**
   * Per-line accruals of many lines as numbers (batch path): `amounts[i * width + c]` = what line i
   * accrues for component c, equal to the sum of `accrueLine(lines[i])` for it. With `multipliers`:
   * `multipliers[i * width + c]`, the payout multiplier (ppm) of that accrual when payout multipliers
   * apply to it (its `ruleApplications` multiplier), else 0.
   */
  accrueLines(
    lines: readonly IncentiveLine[],
    options?: { readonly multipliers?: boolean },
  ): { width: number; amounts: Float64Array; multipliers?: Float64Array };
  /**
   * A period's per-line accruals from its columns, summed per partner (`perPartner[row * width + c]` for
   * `columns.partnerIds[row]`), `replaced` lines accrued in place of theirs, and the payout multipliers'
   * part of them (see `accrueColumns` in period.ts).
   */
  accrueColumns(
    columns: PeriodColumns,
    replaced: readonly ReplacedLine[],
  ): { width: number; perPartner: Float64Array; multiplierMinor: number };
  /**
   * Prepares the columnar path for a set of distinct line contexts (index = `contextIndex`). `asOf` is
   * the order date of lines when the columns carry no `orderDay`.
   */
  prepareBatch(contexts: readonly LineContext[], options?: { readonly asOf?: string }): AccrualBatch;
  /** Period close: "settlement: close" components, minimums and caps per partner. */
  settlePeriod(input: PeriodInput): CloseProposal[];
  /**
   * `settlePeriod` of a period's columns, given what each partner's lines accrue (`accrueColumns`): the
   * same proposals (see `settleColumns` in close.ts).
   */
  settleColumns(input: {
    readonly period: PeriodInput['period'];
    readonly columns: PeriodColumns;
    readonly replaced: readonly ReplacedLine[];
    readonly partners: readonly PartnerPeriodFacts[];
    readonly accrued: Float64Array;
  }): CloseProposal[];
  /** The period from scratch: totals per partner and component (= per-line accruals + close). */
  computePeriod(input: PeriodInput): ComponentTotal[];
}

export function compileIncentives(
  program: ProgramDefinition,
  versionInfo: IncentiveVersionInfo = { version: null },
): IncentiveEngine {
  const p = compileProgram(program, versionInfo);
  return {
    programCode: program.code,
    ruleVersion: p.ruleVersion,
    currency: p.currency,
    tiers: p.tiers,
    families: PRODUCT_FAMILIES,
    components: p.components.map((c) => c.info),
    accrueLine: (line) => accrueLine(p, line),
    lineAccruals: () => lineAccruals(p),
    ruleApplications: (line) => lineApplications(p, line),
    applicationKey: (line) => applicationKey(p, line),
    accrueLines: (lines, options) => accrueLines(p, lines, options),
    accrueColumns: (columns, replaced) => accrueColumns(p, columns, replaced),
    prepareBatch: (contexts, options) => prepareBatch(p, contexts, options?.asOf ?? null),
    settlePeriod: (input) => settlePeriod(p, input),
    settleColumns: (input) => settleColumns(p, input),
    computePeriod: (input) => computePeriod(p, input),
  };
}
