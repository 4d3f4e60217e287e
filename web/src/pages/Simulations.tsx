/**
 * Simulations (issue 14): run a draft program on the vendor's history (POST /api/simulations, a job
 * followed at GET /api/jobs/{id}), the stored simulations (GET /api/simulations), two or more side by side
 * (GET /api/simulations/compare), and one simulation: totals, cost by component and period (a bar chart
 * of plain elements, like the budget pools' bars), budget pools, the gains and losses, the tier changes and
 * the partner list with its CSV export.
 */
import { useEffect, useRef, useState, type ChangeEvent, type FormEvent } from 'react';
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
import { apiGet, isAbort, problemOf, type Page, type Problem } from '../lib/api';
import { formatPpmPercent } from '../lib/money';
import { Link, navigate } from '../router';
import type { Job } from './types';

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
  const [draft, setDraft] = useState('');
  const [fileName, setFileName] = useState('draft.yaml');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [baseline, setBaseline] = useState('');
  const [name, setName] = useState('');
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
      <h2 id="run-simulation">Run a simulation</h2>
      <p className="muted">
        Upload or paste a draft program file. It is validated like <code>trellis program validate</code>, run
        on the history with the close&apos;s engine next to the baseline, and never published.
      </p>
      <form aria-labelledby="run-simulation" onSubmit={(e) => void submit(e)}>
        <div className="filters">
          <div className="field">
            <label htmlFor="sim-file">Draft file</label>
            <input id="sim-file" type="file" accept=".yaml,.yml,.json" onChange={(e) => void upload(e)} />
          </div>
          <div className="field">
            <label htmlFor="sim-from">From</label>
            <input
              id="sim-from"
              type="date"
              required
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="sim-to">To</label>
            <input id="sim-to" type="date" required value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="sim-baseline">Baseline program (optional)</label>
            <input
              id="sim-baseline"
              type="text"
              placeholder="the draft's program"
              value={baseline}
              onChange={(e) => setBaseline(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="sim-name">Name (optional)</label>
            <input
              id="sim-name"
              type="text"
              maxLength={200}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor="sim-draft">Draft program</label>
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
          {running ? 'Simulating…' : 'Simulate'}
        </button>
      </form>
      {act.problem ? (
        <>
          <ErrorBanner problem={act.problem} />
          {act.problem.errors && act.problem.errors.length > 0 ? (
            <ul className="problems" aria-label="Problems in the draft">
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
          {job.progress.phase ?? 'queued'}: {job.progress.done}/{job.progress.total}
        </p>
      ) : null}
      {job?.status === 'failed' && job.error ? <ErrorBanner problem={job.error} /> : null}
    </section>
  );
}

function Compare({ ids }: { ids: string[] }) {
  const state = useApi<{
    simulations: (StoredSimulation & { currency: string; totals: Versus })[];
    components: { component: string; draftMinor: (number | null)[] }[];
    periods: { period: string; draftMinor: (number | null)[] }[];
  }>(ids.length >= 2 ? '/api/simulations/compare' : null, { ids: ids.join(',') });
  if (ids.length < 2)
    return <p className="muted">Select two or more finished simulations to compare them.</p>;
  if (state.status === 'error') return <ErrorBanner problem={state.problem} />;
  if (!state.data) return <Loading />;
  const { simulations, components, periods } = state.data;
  const currency = simulations[0]?.currency ?? 'USD';
  const cell = (m: number | null) => (m === null ? '—' : <Money minor={m} currency={currency} />);
  return (
    <TableWrap label="Simulations side by side">
      <table>
        <thead>
          <tr>
            <th scope="col">Draft cost</th>
            {simulations.map((s) => (
              <th key={s.id} scope="col">
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Total</th>
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
  const state = useApi<Page<StoredSimulation>>('/api/simulations', { limit: 100 });
  const [selected, setSelected] = useState<string[]>([]);
  const toggle = (id: string) =>
    setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  return (
    <>
      <PageHeading title="Simulations" />
      <RunForm />
      <section aria-labelledby="stored-simulations" className="section">
        <h2 id="stored-simulations">Stored simulations</h2>
        {state.status === 'error' ? <ErrorBanner problem={state.problem} /> : null}
        {!state.data ? (
          <Loading />
        ) : state.data.items.length === 0 ? (
          <Empty>No simulation yet.</Empty>
        ) : (
          <TableWrap label="Stored simulations">
            <table>
              <thead>
                <tr>
                  <th scope="col">Compare</th>
                  <th scope="col">Name</th>
                  <th scope="col">Draft</th>
                  <th scope="col">Range</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {state.data.items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`Compare ${s.name}`}
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
                      {s.from} – {s.to}
                    </td>
                    <td>
                      <Badge tone={s.status === 'succeeded' ? 'ok' : s.status === 'failed' ? 'warn' : 'info'}>
                        {s.status}
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

const range = (from: number | null, to: number | null, currency: string) => {
  const m = (x: number) => `${(x / 100).toLocaleString('en-US')} ${currency}`;
  if (from === null) return `less than ${m(to ?? 0)}`;
  if (to === null) return `${m(from)} or more`;
  if (from === 0 && to === 1) return 'no change';
  return `${m(from)} to ${m(to)}`;
};

export function SimulationDetailPage({ id }: { id: string }) {
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
        {s.error ? <p role="alert">{s.error.detail}</p> : <p>Running…</p>}
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
          ['Draft', `${r.program} ${r.draftVersion} (engine ${r.engineVersion})`],
          ['Baseline', `${r.baseline.program ?? r.baseline.file ?? ''} (${r.baseline.versions.join(', ')})`],
          ['Range', `${s.from} – ${s.to}: ${r.periods.map((p) => p.code).join(', ')}; ${r.lines} lines`],
          [
            'Baseline equals the ledger',
            r.baselineEqualsLedger === null ? (
              'no closed period in the range'
            ) : r.baselineEqualsLedger ? (
              <Badge tone="ok">yes, to the cent</Badge>
            ) : (
              <Badge tone="warn">no: {r.ledgerMismatches.length} first mismatches in the result</Badge>
            ),
          ],
          ['Baseline total', <Money key="b" minor={c.totals.baselineMinor} currency={cur} />],
          ['Draft total', <Money key="d" minor={c.totals.draftMinor} currency={cur} />],
          ['Difference', <SignedMoney key="x" minor={c.totals.differenceMinor} currency={cur} />],
          ['Partners', `${c.totals.winners} gain, ${c.totals.losers} lose, ${c.totals.unchanged} unchanged`],
        ]}
      />

      <section aria-labelledby="cost-by-period" className="section">
        <h2 id="cost-by-period">Cost by period</h2>
        <TableWrap label="Cost by period, baseline and draft">
          <table>
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col">Baseline</th>
                <th scope="col">Draft</th>
                <th scope="col">Chart</th>
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
                    <Bar value={p.baselineMinor} max={maxPeriod} label={`${p.period} baseline`} />
                    <Bar value={p.draftMinor} max={maxPeriod} label={`${p.period} draft`} tone="over" />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="cost-by-component" className="section">
        <h2 id="cost-by-component">Cost by component</h2>
        <TableWrap label="Cost by component">
          <table>
            <thead>
              <tr>
                <th scope="col">Component</th>
                <th scope="col">Baseline</th>
                <th scope="col">Draft</th>
                <th scope="col">Difference</th>
                <th scope="col">Share of the draft</th>
              </tr>
            </thead>
            <tbody>
              {[...c.components, { component: 'payout multipliers (share)', ...c.multiplier }].map((x) => (
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
                    <Bar value={x.draftShare} max={1_000_000} label={`${x.component} share`} />{' '}
                    {formatPpmPercent(x.draftShare)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
        {c.pools.map((p) => (
          <p key={p.pool}>
            Budget pool <strong>{p.pool}</strong>: the draft uses{' '}
            <Money minor={p.draftMinor} currency={cur} />
            {p.draftBudgetMinor !== null ? (
              <>
                {' '}
                of <Money minor={p.draftBudgetMinor} currency={cur} />
                {p.draftRunsOutIn ? `, and runs out in ${p.draftRunsOutIn}` : ': it suffices'}
              </>
            ) : null}
            .
          </p>
        ))}
      </section>

      <section aria-labelledby="gains-losses" className="section">
        <h2 id="gains-losses">Gains and losses</h2>
        <TableWrap label="Partners by difference">
          <table>
            <thead>
              <tr>
                <th scope="col">Difference</th>
                <th scope="col">Partners</th>
              </tr>
            </thead>
            <tbody>
              {c.distribution
                .filter((b) => b.partners > 0)
                .map((b) => (
                  <tr key={`${b.fromMinor}:${b.toMinor}`}>
                    <th scope="row">{range(b.fromMinor, b.toMinor, cur)}</th>
                    <td>
                      <Bar value={b.partners} max={maxBucket} label={`${b.partners} partners`} /> {b.partners}
                    </td>
                  </tr>
                ))}
            </tbody>
          </table>
        </TableWrap>
      </section>

      <section aria-labelledby="tier-changes" className="section">
        <h2 id="tier-changes">Tier changes</h2>
        {r.tierChanges === null ? (
          <p>The draft&apos;s tiers are the baseline&apos;s: no partner changes tier.</p>
        ) : r.tierChanges.changes.length === 0 ? (
          <p>No partner changes tier under the draft&apos;s thresholds.</p>
        ) : (
          <TableWrap label="Tier changes">
            <table>
              <caption>
                {r.tierChanges.up} up, {r.tierChanges.down} down
              </caption>
              <thead>
                <tr>
                  <th scope="col">Partner</th>
                  <th scope="col">From</th>
                  <th scope="col">To</th>
                </tr>
              </thead>
              <tbody>
                {r.tierChanges.changes.map((t) => (
                  <tr key={t.partnerId}>
                    <td>
                      <Link to={`/partners/${encodeURIComponent(t.partnerId)}`}>{t.partnerId}</Link>
                    </td>
                    <td>{t.from}</td>
                    <td>
                      {t.to} <Badge tone={t.direction === 'up' ? 'ok' : 'warn'}>{t.direction}</Badge>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
        )}
      </section>

      <section aria-labelledby="partner-list" className="section">
        <h2 id="partner-list">Partners</h2>
        <div className="filters">
          <div className="field">
            <label htmlFor="sim-change">Show</label>
            <select id="sim-change" value={change} onChange={(e) => setChange(e.target.value)}>
              <option value="">all partners</option>
              <option value="winners">winners</option>
              <option value="losers">losers</option>
              <option value="unchanged">unchanged</option>
            </select>
          </div>
          <a
            href={`/api/simulations/${encodeURIComponent(id)}/partners.csv${change ? `?change=${change}` : ''}`}
            download
          >
            Download CSV
          </a>
        </div>
        <TableWrap label="Partners, baseline and draft">
          <table>
            <thead>
              <tr>
                <th scope="col">Partner</th>
                <th scope="col">Tier</th>
                <th scope="col">Zone</th>
                <th scope="col">Kind</th>
                <th scope="col">Baseline</th>
                <th scope="col">Draft</th>
                <th scope="col">Difference</th>
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
