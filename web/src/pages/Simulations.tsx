/**
 * Simulations (issue 14): run a draft program on the vendor's history (POST /api/simulations, a job
 * followed at GET /api/jobs/{id}), the stored simulations (GET /api/simulations), two or more side by side
 * (GET /api/simulations/compare), and one simulation: totals, cost by component and period (a bar chart
 * of plain elements, like the budget pools' bars), budget pools, the gains and losses, the tier changes and
 * the partner list with its CSV export.
 */
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
import { ShardsField, shardsBody } from '../components/ShardsField';
import {
  Badge,
  Empty,
  ErrorBanner,
  Fields,
  Loading,
  Money,
  PageHeading,
  SignedMoney,
  TableWrap,
} from '../components/ui';
import { postSignedIn, useAction, useApi } from '../hooks';
import { formatDate, formatMoney, formatNumber, useT } from '../i18n';
import { apiGet, isAbort, problemOf, type Page, type Problem } from '../lib/api';
import { formatPpmPercent } from '../lib/money';
import { Link, navigate } from '../router';
import { Trans } from 'react-i18next';
import type { Job } from './types';

type Tf = ReturnType<typeof useT>;

const SIMULATION_STATUS = {
  running: 'programs.simulations.status.running',
  succeeded: 'programs.simulations.status.succeeded',
  failed: 'programs.simulations.status.failed',
} as const;

const DIRECTION = {
  up: 'programs.simulations.direction.up',
  down: 'programs.simulations.direction.down',
} as const;

interface Versus {
  baselineMinor: number;
  draftMinor: number;
  differenceMinor: number;
}

interface StoredSimulation {
  id: string;
  name: string;
  program: string;
  draftVersion: string;
  baseline: { program: string } | { text: string; file?: string };
  from: string;
  to: string;
  engineVersion: string | null;
  status: 'running' | 'succeeded' | 'failed';
  createdAt: string;
}

interface PartnerRow extends Versus {
  partnerId: string;
  tier: string | null;
  zone: string | null;
  region: string | null;
  kind: string | null;
}

interface SimulationResult {
  program: string;
  draftVersion: string;
  baseline: { program: string | null; file: string | null; versions: string[] };
  currency: string;
  engineVersion: string;
  lines: number;
  periods: { code: string; closed: boolean; lines: number }[];
  baselineEqualsLedger: boolean | null;
  ledgerMismatches: {
    period: string;
    partnerId: string;
    component: string;
    ledgerMinor: number;
    baselineMinor: number;
  }[];
  comparison: {
    totals: Versus & { partners: number; winners: number; losers: number; unchanged: number };
    components: (Versus & { component: string; baselineShare: number; draftShare: number })[];
    periods: (Versus & { period: string; components: (Versus & { component: string })[] })[];
    pools: (Versus & {
      pool: string;
      draftBudgetMinor: number | null;
      draftRunsOutIn: string | null;
      baselineRunsOutIn: string | null;
    })[];
    multiplier: Versus & { baselineShare: number; draftShare: number };
    partners: PartnerRow[];
    distribution: { fromMinor: number | null; toMinor: number | null; partners: number }[];
  };
  tierChanges: {
    up: number;
    down: number;
    changes: { partnerId: string; from: string; to: string; direction: 'up' | 'down' }[];
  } | null;
}

interface SimulationDetail extends StoredSimulation {
  error: { code: string; detail: string } | null;
  result: SimulationResult | null;
}

const POLL_MS = 500;

function RunForm() {
  const t = useT();
  const [draft, setDraft] = useState('');
  const [fileName, setFileName] = useState('draft.yaml');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [baseline, setBaseline] = useState('');
  const [name, setName] = useState('');
  /** Shards of partners; empty: one. */
  const [shards, setShards] = useState('');
  const [job, setJob] = useState<Job<SimulationResult & { id: string }> | null>(null);
  const [watchProblem, setWatchProblem] = useState<Problem | null>(null);
  const stopped = useRef(false);
  useEffect(
    () => () => {
      stopped.current = true;
    },
    [],
  );
  const act = useAction((body: Record<string, unknown>) =>
    postSignedIn<Job<SimulationResult & { id: string }> & { simulationId: string }>('/api/simulations', body),
  );
  const upload = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (!file) return;
    setFileName(file.name);
    setDraft(await file.text());
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setJob(null);
    setWatchProblem(null);
    const started = await act.run({
      draft,
      file: fileName,
      from,
      to,
      ...(baseline.trim() ? { baseline: { program: baseline.trim() } } : {}),
      ...(name.trim() ? { name: name.trim() } : {}),
      ...shardsBody(shards),
    });
    if (!started) return;
    let current: Job<SimulationResult & { id: string }> = started;
    setJob(current);
    while (!stopped.current && (current.status === 'queued' || current.status === 'running')) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      try {
        current = await apiGet(`/api/jobs/${encodeURIComponent(started.id)}`);
      } catch (err) {
        if (!isAbort(err)) setWatchProblem(problemOf(err));
        return;
      }
      if (!stopped.current) setJob(current);
    }
    if (current.status === 'succeeded') navigate(`/simulations/${encodeURIComponent(started.simulationId)}`);
  };
  const running = job !== null && (job.status === 'queued' || job.status === 'running');
  return (
    <section aria-labelledby="run-simulation" className="section">
      <h2 id="run-simulation">{t('programs.simulations.run')}</h2>
      <p className="muted">
        <Trans i18nKey="programs.simulations.runHint" components={{ code: <code /> }} />
      </p>
      <form aria-labelledby="run-simulation" onSubmit={(e) => void submit(e)}>
        <div className="filters">
          <div className="field">
            <label htmlFor="sim-file">{t('programs.simulations.draftFile')}</label>
            <input id="sim-file" type="file" accept=".yaml,.yml,.json" onChange={(e) => void upload(e)} />
          </div>
          <div className="field">
            <label htmlFor="sim-from">{t('programs.simulations.from')}</label>
            <input
              id="sim-from"
              type="date"
              required
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="sim-to">{t('programs.simulations.to')}</label>
            <input id="sim-to" type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sim-baseline">{t('programs.simulations.baselineProgram')}</label>
            <input
              id="sim-baseline"
              type="text"
              placeholder={t('programs.simulations.baselinePlaceholder')}
              value={baseline}
              onChange={(e) => setBaseline(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="sim-name">{t('programs.simulations.nameOptional')}</label>
            <input
              id="sim-name"
              type="text"
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <ShardsField
            id="sim-shards"
            label={t('programs.simulations.shardsLabel')}
            hint={t('programs.simulations.shardsHint')}
            value={shards}
            onChange={setShards}
          />
        </div>
        <div className="field">
          <label htmlFor="sim-draft">{t('programs.simulations.draftProgram')}</label>
          <textarea
            id="sim-draft"
            required
            rows={8}
            spellCheck={false}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <button type="submit" disabled={act.busy || running}>
          {running ? t('programs.simulations.simulating') : t('programs.simulations.simulate')}
        </button>
      </form>
      {act.problem ? (
        <>
          <ErrorBanner problem={act.problem} />
          {act.problem.errors && act.problem.errors.length > 0 ? (
            <ul className="problems" aria-label={t('programs.simulations.problems')}>
              {act.problem.errors.map((e, i) => (
                <li key={i}>
                  <code>{e.location}</code>: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : null}
      {watchProblem ? <ErrorBanner problem={watchProblem} /> : null}
      {running && job ? (
        <p role="status">
          {t('programs.simulations.progress', {
            phase: job.progress.phase ?? t('programs.simulations.queued'),
            done: job.progress.done,
            total: job.progress.total,
          })}
        </p>
      ) : null}
      {job?.status === 'failed' && job.error ? <ErrorBanner problem={job.error} /> : null}
    </section>
  );
}

function Compare({ ids }: { ids: string[] }) {
  const t = useT();
  const state = useApi<{
    simulations: (StoredSimulation & { currency: string; totals: Versus })[];
    components: { component: string; draftMinor: (number | null)[] }[];
    periods: { period: string; draftMinor: (number | null)[] }[];
  }>(ids.length >= 2 ? '/api/simulations/compare' : null, { ids: ids.join(',') });
  if (ids.length < 2) return <p className="muted">{t('programs.simulations.selectTwo')}</p>;
  if (state.status === 'error') return <ErrorBanner problem={state.problem} />;
  if (!state.data) return <Loading />;
  const { simulations, components, periods } = state.data;
  const currency = simulations[0]?.currency ?? 'USD';
  const cell = (m: number | null) => (m === null ? '—' : <Money minor={m} currency={currency} />);
  return (
    <TableWrap label={t('programs.simulations.sideBySide')}>
      <table>
        <thead>
          <tr>
            <th scope="col">{t('programs.simulations.draftCost')}</th>
            {simulations.map((s) => (
              <th key={s.id} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('programs.simulations.total')}</th>
            {simulations.map((s) => (
              <td key={s.id} className="num">
                {cell(s.totals.draftMinor)}
              </td>
            ))}
          </tr>
          {components.map((c) => (
            <tr key={c.component}>
              <th scope="row">{c.component}</th>
              {c.draftMinor.map((m, i) => (
                <td key={i} className="num">
                  {cell(m)}
                </td>
              ))}
            </tr>
          ))}
          {periods.map((p) => (
            <tr key={p.period}>
              <th scope="row">{p.period}</th>
              {p.draftMinor.map((m, i) => (
                <td key={i} className="num">
                  {cell(m)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
}

export function SimulationsPage() {
  const t = useT();
  const state = useApi<Page<StoredSimulation>>('/api/simulations', { limit: 100 });
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <>
      <PageHeading title={t('programs.simulations.title')} />
      <RunForm />
      <section aria-labelledby="stored-simulations" className="section">
        <h2 id="stored-simulations">{t('programs.simulations.stored')}</h2>
        {state.status === 'error' ? <ErrorBanner problem={state.problem} /> : null}
        {!state.data ? (
          <Loading />
        ) : state.data.items.length === 0 ? (
          <Empty>{t('programs.simulations.none')}</Empty>
        ) : (
          <TableWrap label={t('programs.simulations.stored')}>
            <table>
              <thead>
                <tr>
                  <th scope="col">{t('programs.simulations.compare')}</th>
                  <th scope="col">{t('programs.simulations.name')}</th>
                  <th scope="col">{t('programs.simulations.draft')}</th>
                  <th scope="col">{t('programs.simulations.range')}</th>
                  <th scope="col">{t('programs.simulations.statusLabel')}</th>
                </tr>
              </thead>
              <tbody>
                {state.data.items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={t('programs.simulations.compareName', { name: s.name })}
                        disabled={s.status !== 'succeeded'}
                        checked={selected.includes(s.id)}
                        onChange={() => toggle(s.id)}
                      />
                    </td>
                    <td>
                      <Link to={`/simulations/${encodeURIComponent(s.id)}`}>{s.name}</Link>
                    </td>
                    <td>
                      {s.program} {s.draftVersion}
                    </td>
                    <td>
                      {formatDate(s.from)} – {formatDate(s.to)}
                    </td>
                    <td>
                      <Badge tone={s.status === 'succeeded' ? 'ok' : s.status === 'failed' ? 'warn' : 'info'}>
                        {t(SIMULATION_STATUS[s.status])}
                      </Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
        <Compare ids={selected} />
      </section>
    </>
  );
}

/** A budget pool under the draft: what it uses, of what budget, and whether it runs out. */
function PoolLine({
  pool: p,
  currency,
}: {
  pool: SimulationResult['comparison']['pools'][number];
  currency: string;
}) {
  const values = {
    pool: p.pool,
    used: formatMoney(p.draftMinor, currency),
    budget: p.draftBudgetMinor === null ? '' : formatMoney(p.draftBudgetMinor, currency),
    period: p.draftRunsOutIn ?? '',
  };
  const components = { strong: <strong /> };
  if (p.draftBudgetMinor === null)
    return <Trans i18nKey="programs.simulations.poolUses" values={values} components={components} />;
  if (p.draftRunsOutIn)
    return <Trans i18nKey="programs.simulations.poolRunsOut" values={values} components={components} />;
  return <Trans i18nKey="programs.simulations.poolSuffices" values={values} components={components} />;
}

/** A horizontal bar: `value` of `max`, as a share of the row's width. */
function Bar({ value, max, label, tone }: { value: number; max: number; label: string; tone?: 'over' }) {
  const width = max <= 0 ? 0 : Math.min(100, (100 * Math.max(0, value)) / max);
  return (
    <span className="bar-cell">
      <span className="bar" role="img" aria-label={label}>
        <span className={tone === 'over' ? 'bar-fill bar-over' : 'bar-fill'} style={{ width: `${width}%` }} />
      </span>
    </span>
  );
}

const range = (t: Tf, from: number | null, to: number | null, currency: string) => {
  const m = (x: number) => `${formatNumber(x / 100)} ${currency}`;
  if (from === null) return t('programs.simulations.lessThan', { amount: m(to ?? 0) });
  if (to === null) return t('programs.simulations.orMore', { amount: m(from) });
  if (from === 0 && to === 1) return t('programs.simulations.noChange');
  return t('programs.simulations.fromTo', { from: m(from), to: m(to) });
};

export function SimulationDetailPage({ id }: { id: string }) {
  const t = useT();
  const [change, setChange] = useState('');
  const state = useApi<SimulationDetail>(
    `/api/simulations/${encodeURIComponent(id)}`,
    { ...(change ? { change } : {}), limit: 500 },
    { keepPrevious: true },
  );
  if (state.status === 'error') return <ErrorBanner problem={state.problem} />;
  if (!state.data) return <Loading />;
  const s = state.data;
  const r = s.result;
  if (!r)
    return (
      <>
        <PageHeading title={s.name} />
        {s.error ? <p role="alert">{s.error.detail}</p> : <p>{t('programs.simulations.running')}</p>}
      </>
    );
  const c = r.comparison;
  const cur = r.currency;
  const maxPeriod = Math.max(1, ...c.periods.flatMap((p) => [p.baselineMinor, p.draftMinor]));
  const maxBucket = Math.max(1, ...c.distribution.map((b) => b.partners));
  return (
    <>
      <PageHeading title={s.name} />
      <Fields
        items={[
          [
            t('programs.simulations.draft'),
            t('programs.simulations.draftValue', {
              program: r.program,
              version: r.draftVersion,
              engine: r.engineVersion,
            }),
          ],
          [
            t('programs.simulations.baseline'),
            `${r.baseline.program ?? r.baseline.file ?? ''} (${r.baseline.versions.join(', ')})`,
          ],
          [
            t('programs.simulations.range'),
            t('programs.simulations.rangeValue', {
              from: formatDate(s.from),
              to: formatDate(s.to),
              periods: r.periods.map((p) => p.code).join(', '),
              count: r.lines,
            }),
          ],
          [
            t('programs.simulations.equalsLedger'),
            r.baselineEqualsLedger === null ? (
              t('programs.simulations.noClosedPeriod')
            ) : r.baselineEqualsLedger ? (
              <Badge tone="ok">{t('programs.simulations.toTheCent')}</Badge>
            ) : (
              <Badge tone="warn">
                {t('programs.simulations.mismatches', { count: r.ledgerMismatches.length })}
              </Badge>
            ),
          ],
          [
            t('programs.simulations.baselineTotal'),
            <Money key="b" minor={c.totals.baselineMinor} currency={cur} />,
          ],
          [
            t('programs.simulations.draftTotal'),
            <Money key="d" minor={c.totals.draftMinor} currency={cur} />,
          ],
          [
            t('programs.simulations.difference'),
            <SignedMoney key="x" minor={c.totals.differenceMinor} currency={cur} />,
          ],
          [
            t('programs.simulations.partners'),
            t('programs.simulations.partnersSummary', {
              winners: c.totals.winners,
              losers: c.totals.losers,
              unchanged: c.totals.unchanged,
            }),
          ],
        ]}
      />

      <section aria-labelledby="cost-by-period" className="section">
        <h2 id="cost-by-period">{t('programs.simulations.costByPeriod')}</h2>
        <TableWrap label={t('programs.simulations.costByPeriodLabel')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('programs.simulations.period')}</th>
                <th scope="col">{t('programs.simulations.baseline')}</th>
                <th scope="col">{t('programs.simulations.draft')}</th>
                <th scope="col">{t('programs.simulations.chart')}</th>
              </tr>
            </thead>
            <tbody>
              {c.periods.map((p) => (
                <tr key={p.period}>
                  <th scope="row">{p.period}</th>
                  <td className="num">
                    <Money minor={p.baselineMinor} currency={cur} />
                  </td>
                  <td className="num">
                    <Money minor={p.draftMinor} currency={cur} />
                  </td>
                  <td>
                    <Bar
                      value={p.baselineMinor}
                      max={maxPeriod}
                      label={t('programs.simulations.barBaseline', { period: p.period })}
                    />
                    <Bar
                      value={p.draftMinor}
                      max={maxPeriod}
                      label={t('programs.simulations.barDraft', { period: p.period })}
                      tone="over"
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="cost-by-component" className="section">
        <h2 id="cost-by-component">{t('programs.simulations.costByComponent')}</h2>
        <TableWrap label={t('programs.simulations.costByComponent')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('programs.simulations.component')}</th>
                <th scope="col">{t('programs.simulations.baseline')}</th>
                <th scope="col">{t('programs.simulations.draft')}</th>
                <th scope="col">{t('programs.simulations.difference')}</th>
                <th scope="col">{t('programs.simulations.shareOfDraft')}</th>
              </tr>
            </thead>
            <tbody>
              {[
                ...c.components,
                { component: t('programs.simulations.multipliersShare'), ...c.multiplier },
              ].map((x) => (
                <tr key={x.component}>
                  <th scope="row">{x.component}</th>
                  <td className="num">
                    <Money minor={x.baselineMinor} currency={cur} />
                  </td>
                  <td className="num">
                    <Money minor={x.draftMinor} currency={cur} />
                  </td>
                  <td className="num">
                    <SignedMoney minor={x.differenceMinor} currency={cur} />
                  </td>
                  <td>
                    <Bar
                      value={x.draftShare}
                      max={1_000_000}
                      label={t('programs.simulations.barShare', { component: x.component })}
                    />{' '}
                    {formatPpmPercent(x.draftShare)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {c.pools.map((p) => (
          <p key={p.pool}>
            <PoolLine pool={p} currency={cur} />
          </p>
        ))}
      </section>

      <section aria-labelledby="gains-losses" className="section">
        <h2 id="gains-losses">{t('programs.simulations.gainsLosses')}</h2>
        <TableWrap label={t('programs.simulations.byDifference')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('programs.simulations.difference')}</th>
                <th scope="col">{t('programs.simulations.partners')}</th>
              </tr>
            </thead>
            <tbody>
              {c.distribution
                .filter((b) => b.partners > 0)
                .map((b) => (
                  <tr key={`${b.fromMinor}:${b.toMinor}`}>
                    <th scope="row">{range(t, b.fromMinor, b.toMinor, cur)}</th>
                    <td>
                      <Bar
                        value={b.partners}
                        max={maxBucket}
                        label={t('programs.simulations.barPartners', { count: b.partners })}
                      />{' '}
                      {formatNumber(b.partners)}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="tier-changes" className="section">
        <h2 id="tier-changes">{t('programs.simulations.tierChanges')}</h2>
        {r.tierChanges === null ? (
          <p>{t('programs.simulations.sameTiers')}</p>
        ) : r.tierChanges.changes.length === 0 ? (
          <p>{t('programs.simulations.noTierChange')}</p>
        ) : (
          <TableWrap label={t('programs.simulations.tierChanges')}>
            <table>
              <caption>
                {t('programs.simulations.upDown', { up: r.tierChanges.up, down: r.tierChanges.down })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{t('programs.simulations.partner')}</th>
                  <th scope="col">{t('programs.simulations.from')}</th>
                  <th scope="col">{t('programs.simulations.to')}</th>
                </tr>
              </thead>
              <tbody>
                {r.tierChanges.changes.map((ch) => (
                  <tr key={ch.partnerId}>
                    <td>
                      <Link to={`/partners/${encodeURIComponent(ch.partnerId)}`}>{ch.partnerId}</Link>
                    </td>
                    <td>{ch.from}</td>
                    <td>
                      {ch.to}{' '}
                      <Badge tone={ch.direction === 'up' ? 'ok' : 'warn'}>{t(DIRECTION[ch.direction])}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      <section aria-labelledby="partner-list" className="section">
        <h2 id="partner-list">{t('programs.simulations.partners')}</h2>
        <div className="filters">
          <div className="field">
            <label htmlFor="sim-change">{t('programs.simulations.show')}</label>
            <select id="sim-change" value={change} onChange={(e) => setChange(e.target.value)}>
              <option value="">{t('programs.simulations.change.all')}</option>
              <option value="winners">{t('programs.simulations.change.winners')}</option>
              <option value="losers">{t('programs.simulations.change.losers')}</option>
              <option value="unchanged">{t('programs.simulations.change.unchanged')}</option>
            </select>
          </div>
          <a
            href={`/api/simulations/${encodeURIComponent(id)}/partners.csv${change ? `?change=${change}` : ''}`}
            download
          >
            {t('programs.simulations.downloadCsv')}
          </a>
        </div>
        <TableWrap label={t('programs.simulations.partnersLabel')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('programs.simulations.partner')}</th>
                <th scope="col">{t('programs.simulations.tier')}</th>
                <th scope="col">{t('programs.simulations.zone')}</th>
                <th scope="col">{t('programs.simulations.kind')}</th>
                <th scope="col">{t('programs.simulations.baseline')}</th>
                <th scope="col">{t('programs.simulations.draft')}</th>
                <th scope="col">{t('programs.simulations.difference')}</th>
              </tr>
            </thead>
            <tbody>
              {c.partners.map((p) => (
                <tr key={p.partnerId}>
                  <td>
                    <Link to={`/partners/${encodeURIComponent(p.partnerId)}`}>{p.partnerId}</Link>
                  </td>
                  <td>{p.tier ?? '—'}</td>
                  <td>{p.zone ?? '—'}</td>
                  <td>{p.kind ?? '—'}</td>
                  <td className="num">
                    <Money minor={p.baselineMinor} currency={cur} />
                  </td>
                  <td className="num">
                    <Money minor={p.draftMinor} currency={cur} />
                  </td>
                  <td className="num">
                    <SignedMoney minor={p.differenceMinor} currency={cur} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>
    </>
  );
}
