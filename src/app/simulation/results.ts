import type { Scope } from '../../core/access/scope.js';
import { notFound, TrellisError } from '../../core/shared/errors.js';
import { csvRow } from '../../core/shared/csv.js';
import {
  selectPartners,
  type PartnerFilter,
  type PartnerSort,
  type Versus,
} from '../../core/simulation/compare.js';
import {
  simulationRepository,
  type SimulationRow,
  type SimulationSort,
} from '../../db/repositories/simulation-repository.js';
import type { AppContext } from '../context.js';
import { decimal } from '../incentives/statements.js';
import { paged, type PageParams } from '../pagination.js';
import type { BaselineInput, SimulationResult, StoredSimulationView } from './simulate.js';

/** Stored simulations (migration 20261204-0021): list, get, compare and export; never changed. */

function view(r: SimulationRow): StoredSimulationView {
  return {
    id: r.id,
    name: r.name,
    program: r.programCode,
    draftVersion: r.draftVersion,
    baseline: JSON.parse(r.baseline) as BaselineInput,
    from: r.fromDate,
    to: r.toDate,
    engineVersion: r.engineVersion,
    status: r.status as StoredSimulationView['status'],
    jobId: r.jobId,
    createdBy: r.createdBy,
    createdAt: r.createdAt,
    finishedAt: r.finishedAt,
  };
}

export async function listSimulations(
  ctx: AppContext,
  scope: Scope,
  filter: { status?: string | undefined },
  page: PageParams<SimulationSort>,
) {
  const result = await paged(page, (req) => simulationRepository(ctx.store.db).list(scope, filter, req));
  return { items: result.items.map(view), nextCursor: result.nextCursor };
}

export interface SimulationDetail extends StoredSimulationView {
  draftText: string;
  error: { code: string; detail: string } | null;
  result: SimulationResult | null;
}

export async function getSimulation(
  ctx: AppContext,
  scope: Scope,
  id: string,
  partners?: { filter?: PartnerFilter; sort?: PartnerSort; limit?: number } | undefined,
): Promise<SimulationDetail> {
  const r = await simulationRepository(ctx.store.db).get(scope, id);
  if (!r) throw notFound('simulation', id);
  const result = r.result === null ? null : (JSON.parse(r.result) as SimulationResult);
  if (result && partners) {
    const list = selectPartners(result.comparison.partners, partners.filter ?? {}, partners.sort);
    result.comparison.partners = partners.limit === undefined ? list : list.slice(0, partners.limit);
  }
  return {
    ...view(r),
    draftText: r.draftText,
    error: r.error === null ? null : (JSON.parse(r.error) as { code: string; detail: string }),
    result,
  };
}

/** Two or more finished simulations side by side: totals, per component and per period. */
export async function compareSimulations(ctx: AppContext, scope: Scope, ids: readonly string[]) {
  const unique = [...new Set(ids)];
  if (unique.length < 2)
    throw new TrellisError('invalid_input', 'compare two or more simulations', [
      { location: 'ids', message: 'at least two simulation ids, comma separated' },
    ]);
  const rows = new Map(
    (await simulationRepository(ctx.store.db).getMany(scope, unique)).map((r) => [r.id, r]),
  );
  const items = unique.map((id) => {
    const r = rows.get(id);
    if (!r) throw notFound('simulation', id);
    if (r.status !== 'succeeded' || r.result === null)
      throw new TrellisError(
        'conflict',
        `simulation ${id} is ${r.status}: only finished simulations compare`,
      );
    const result = JSON.parse(r.result) as SimulationResult;
    const c = result.comparison;
    return {
      ...view(r),
      currency: result.currency,
      baselineEqualsLedger: result.baselineEqualsLedger,
      totals: c.totals,
      multiplier: c.multiplier,
      components: c.components,
      periods: c.periods.map(({ components: _c, ...p }) => p),
      pools: c.pools,
      tierChanges: result.tierChanges ? { up: result.tierChanges.up, down: result.tierChanges.down } : null,
    };
  });
  // Every component and period any of them has, with each simulation's draft amount (null: absent).
  const components = [...new Set(items.flatMap((i) => i.components.map((c) => c.component)))].sort();
  const periods = [...new Set(items.flatMap((i) => i.periods.map((p) => p.period)))].sort();
  const pick = (list: readonly (Versus & { name: string })[], name: string) =>
    list.find((x) => x.name === name)?.draftMinor ?? null;
  return {
    simulations: items,
    components: components.map((component) => ({
      component,
      draftMinor: items.map((i) =>
        pick(
          i.components.map((c) => ({ ...c, name: c.component })),
          component,
        ),
      ),
    })),
    periods: periods.map((period) => ({
      period,
      draftMinor: items.map((i) =>
        pick(
          i.periods.map((p) => ({ ...p, name: p.period })),
          period,
        ),
      ),
    })),
  };
}

export const PARTNER_CSV_COLUMNS = [
  'partner_id',
  'tier',
  'zone',
  'region',
  'kind',
  'baseline',
  'draft',
  'difference',
  'currency',
] as const;

/** The per-partner comparison as CSV (the one CSV writer), components as further column pairs. */
export async function simulationPartnersCsv(
  ctx: AppContext,
  scope: Scope,
  id: string,
  options: { filter?: PartnerFilter; sort?: PartnerSort } = {},
): Promise<string> {
  const s = await getSimulation(ctx, scope, id);
  if (!s.result)
    throw new TrellisError('conflict', `simulation ${id} is ${s.status}: it has no result to export`);
  const { currency, comparison } = s.result;
  const components = comparison.components.map((c) => c.component);
  let out = csvRow([...PARTNER_CSV_COLUMNS, ...components.flatMap((c) => [`${c}_baseline`, `${c}_draft`])]);
  for (const p of selectPartners(comparison.partners, options.filter ?? {}, options.sort ?? 'partner'))
    out += csvRow([
      p.partnerId,
      p.tier ?? '',
      p.zone ?? '',
      p.region ?? '',
      p.kind ?? '',
      decimal(p.baselineMinor, currency),
      decimal(p.draftMinor, currency),
      decimal(p.differenceMinor, currency),
      currency,
      ...components.flatMap((c) => {
        const v = p.components[c];
        return [decimal(v?.baselineMinor ?? 0, currency), decimal(v?.draftMinor ?? 0, currency)];
      }),
    ]);
  return out;
}
