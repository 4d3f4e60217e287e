/**
 * Period closes (vendors): the list (GET /api/closes), one close, and the "Close a period" form
 * (POST /api/closes, which starts a job: its progress is followed at GET /api/jobs/{id}) that shows what
 * the close posted, or would post in a dry run. A real close is confirmed first.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Confirm } from '../components/Confirm';
import { DataTable } from '../components/DataTable';
import { ListPage } from '../components/ListPage';
import { PartnerLink, ProgramLink, useProgramOptions } from '../components/refs';
import {
  Badge,
  Empty,
  ErrorBanner,
  Fields,
  IsoTime,
  Loading,
  PageHeading,
  SignedMoney,
} from '../components/ui';
import { postSignedIn, useAction, useApi, useMe } from '../hooks';
import { canManageSettlement } from '../lib/access';
import { apiGet, isAbort, problemOf, type Page, type Problem } from '../lib/api';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { CloseComponent, CloseRecord, CloseResult, Job } from './types';

const closeSpec: ListSpec = {
  filters: ['program', 'period'],
  sorts: ['closedAt', 'period'],
  defaultSort: 'closedAt',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

function statementsOf(programId: string, period: string): string {
  return `/statements?period=${encodeURIComponent(period)}&program=${encodeURIComponent(programId)}`;
}

export function ClosesPage() {
  const me = useMe();
  const programs = useProgramOptions();
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <ListPage<CloseRecord>
      title="Closes"
      path="/closes"
      endpoint="/api/closes"
      spec={closeSpec}
      noun="close"
      intro={
        <p className="subtitle">
          A close recomputes a program period with the final tiers and the period&apos;s facts, posts only the
          differences (true-ups) and builds the draft statements. Closing again posts only what changed.
        </p>
      }
      before={
        canManageSettlement(me.data) ? (
          <>
            <CloseForm onClosed={() => setReloadKey((k) => k + 1)} />
            <h2 id="closes-so-far">Closes so far</h2>
          </>
        ) : null
      }
      reloadKey={reloadKey}
      filters={[
        { name: 'program', label: 'Program', kind: 'select', options: programs, placeholder: 'prg_…' },
        { name: 'period', label: 'Period', kind: 'text', placeholder: 'FY18-Q1' },
      ]}
      rowKey={(c) => c.id}
      columns={[
        {
          key: 'closed',
          header: 'Closed',
          sort: 'closedAt',
          render: (c) => (
            <Link to={detailPath('closes', c.id)}>
              <IsoTime value={c.closedAt} />
            </Link>
          ),
        },
        { key: 'program', header: 'Program', render: (c) => <ProgramLink id={c.programId} /> },
        {
          key: 'period',
          header: 'Period',
          sort: 'period',
          render: (c) => (
            <>
              {c.period}{' '}
              <span className="muted">
                ({c.from} to {c.to})
              </span>
            </>
          ),
        },
        {
          key: 'lines',
          header: 'Order lines',
          numeric: true,
          render: (c) => c.lines.toLocaleString('en-US'),
        },
        {
          key: 'partners',
          header: 'Partners',
          numeric: true,
          render: (c) => c.partners.toLocaleString('en-US'),
        },
        {
          key: 'transactions',
          header: 'True-ups',
          numeric: true,
          render: (c) => c.transactions.toLocaleString('en-US'),
        },
        {
          key: 'net',
          header: 'Posted',
          numeric: true,
          render: (c) => <SignedMoney minor={c.netMinor} currency={c.currency} />,
        },
        {
          key: 'total',
          header: 'Partners earn',
          numeric: true,
          render: (c) => <SignedMoney minor={c.totalMinor} currency={c.currency} />,
        },
        {
          key: 'statements',
          header: 'Statements',
          numeric: true,
          render: (c) => (
            <Link to={statementsOf(c.programId, c.period)}>{c.statements.toLocaleString('en-US')}</Link>
          ),
        },
        {
          key: 'by',
          header: 'Closed by',
          render: (c) => c.closedBy ?? <span className="muted">system</span>,
        },
      ]}
    />
  );
}

/** How often a running job is asked where it stands. */
const POLL_MS = 500;

function CloseForm({ onClosed }: { onClosed: () => void }) {
  const programs = useProgramOptions();
  const [program, setProgram] = useState('');
  const [period, setPeriod] = useState('');
  const [dryRun, setDryRun] = useState(true);
  const [confirming, setConfirming] = useState(false);
  const [startedDry, setStartedDry] = useState(true);
  const [job, setJob] = useState<Job<CloseResult> | null>(null);
  const [watchProblem, setWatchProblem] = useState<Problem | null>(null);
  const stopped = useRef(false);
  useEffect(
    () => () => {
      stopped.current = true;
    },
    [],
  );
  const act = useAction((body: { program: string; period: string; dryRun: boolean }) =>
    postSignedIn<Job<CloseResult>>('/api/closes', body),
  );
  const chosen = program || programs?.[0]?.value || '';
  const running = job !== null && (job.status === 'queued' || job.status === 'running');
  /** Follows the job until it has finished: the close runs on the server, off the request. */
  const follow = async (started: Job<CloseResult>) => {
    let current = started;
    setJob(current);
    while (!stopped.current && (current.status === 'queued' || current.status === 'running')) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      try {
        current = await apiGet<Job<CloseResult>>(`/api/jobs/${encodeURIComponent(started.id)}`);
      } catch (err) {
        if (isAbort(err)) return;
        setWatchProblem(problemOf(err));
        return;
      }
      if (!stopped.current) setJob(current);
    }
    if (current.status === 'succeeded' && current.result && !current.result.dryRun) onClosed();
  };
  // A close already running (started here before, or by a colleague) is shown and followed.
  useEffect(() => {
    void apiGet<Page<Job<CloseResult>>>('/api/jobs', { params: { kind: 'close', limit: 5 } })
      .then((page) => {
        const open = page.items.find((j) => j.status === 'queued' || j.status === 'running');
        if (!open || stopped.current) return;
        setStartedDry((open.input as { dryRun?: boolean } | null)?.dryRun === true);
        void follow(open);
      })
      .catch(() => undefined);
    // Once, on arrival.
  }, []);
  const start = async () => {
    setConfirming(false);
    setJob(null);
    setWatchProblem(null);
    setStartedDry(dryRun);
    const started = await act.run({ program: chosen, period: period.trim(), dryRun });
    if (started) await follow(started);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // A close posts to the ledger and rebuilds the draft statements: ask first. A dry run writes nothing.
    if (dryRun) void start();
    else setConfirming(true);
  };
  const result = job?.status === 'succeeded' ? job.result : null;
  const programLabel = programs?.find((p) => p.value === chosen)?.label ?? chosen;
  return (
    <section aria-labelledby="close-a-period" className="section close-form">
      <h2 id="close-a-period">Close a period</h2>
      <form className="filters" aria-labelledby="close-a-period" onSubmit={submit}>
        <div className="field">
          <label htmlFor="close-program">Program</label>
          {programs ? (
            <select id="close-program" required value={chosen} onChange={(e) => setProgram(e.target.value)}>
              {programs.map((p) => (
                <option key={p.value} value={p.value}>
                  {p.label}
                </option>
              ))}
            </select>
          ) : (
            <input
              id="close-program"
              type="text"
              required
              placeholder="Program id or code"
              value={program}
              onChange={(e) => setProgram(e.target.value)}
            />
          )}
        </div>
        <div className="field">
          <label htmlFor="close-period">Period</label>
          <input
            id="close-period"
            type="text"
            required
            maxLength={32}
            autoComplete="off"
            placeholder="FY18-Q1"
            value={period}
            onChange={(e) => setPeriod(e.target.value)}
          />
        </div>
        <div className="field field-check">
          <input
            id="close-dry-run"
            type="checkbox"
            checked={dryRun}
            onChange={(e) => {
              setDryRun(e.target.checked);
              setConfirming(false);
            }}
          />
          <label htmlFor="close-dry-run">Dry run: compute and report, write nothing</label>
        </div>
        <div className="field field-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={act.busy || running || confirming || !chosen}
          >
            {act.busy || running ? 'Working…' : dryRun ? 'Run a dry run' : 'Close the period'}
          </button>
        </div>
      </form>
      {confirming && (
        <Confirm
          question={`Close ${period.trim()} of ${programLabel}?`}
          yes="Yes, close the period"
          onYes={() => void start()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            The close posts its true-ups to the ledger and builds the partners&apos; draft statements. It
            cannot be undone (a later close posts only what changed). Run a dry run first to see what it would
            post.
          </p>
        </Confirm>
      )}
      {act.problem && <ErrorBanner problem={act.problem} />}
      {watchProblem && <ErrorBanner problem={watchProblem} />}
      {job && running && <JobProgress job={job} what={startedDry ? 'Dry run' : 'Close'} />}
      {job?.status === 'failed' && job.error && <ErrorBanner problem={job.error} />}
      <div role="status">
        {result && (
          <p className={result.reconciled ? 'banner banner-info' : 'banner banner-warn'}>
            {result.dryRun ? (
              <>
                Dry run of {result.period} ({result.from} to {result.to}): nothing was written. This is what
                the close would post.
              </>
            ) : (
              <>
                Closed {result.period} ({result.from} to {result.to}) as <code>{result.closeId}</code>.
              </>
            )}{' '}
            {result.reconciled
              ? 'The ledger agrees with a from-scratch computation, to the cent.'
              : 'The ledger does NOT agree with a from-scratch computation: look into it before issuing.'}
          </p>
        )}
      </div>
      {result && <CloseResultView result={result} />}
    </section>
  );
}

/** A running job: its phase and how far it is, as the server last reported. */
function JobProgress({ job, what }: { job: Job; what: string }) {
  const { phase, done, total } = job.progress;
  return (
    <div className="job-progress" role="status" aria-label={`${what} progress`}>
      <p>
        <span className="spinner" aria-hidden="true" />
        {what} {job.status === 'queued' ? 'queued' : `running${phase ? `: ${phase}` : ''}`}
        {total > 0 ? ` (${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')})` : ''}…{' '}
        <span className="muted">
          job <code>{job.id}</code>; other work goes on meanwhile.
        </span>
      </p>
      {total > 0 && <progress max={total} value={Math.min(done, total)} />}
    </div>
  );
}

function ComponentsTable({
  caption,
  components,
  currency,
}: {
  caption: string;
  components: readonly CloseComponent[];
  currency: string;
}) {
  if (components.length === 0) return <Empty>No incentive component earned anything in this period.</Empty>;
  return (
    <DataTable<CloseComponent>
      caption={caption}
      rows={components}
      rowKey={(c) => c.component}
      columns={[
        { key: 'component', header: 'Component', render: (c) => <code>{c.component}</code> },
        {
          key: 'line',
          header: 'Per-line accruals',
          numeric: true,
          render: (c) => <SignedMoney minor={c.lineMinor} currency={currency} />,
        },
        {
          key: 'close',
          header: 'Close items',
          numeric: true,
          render: (c) => <SignedMoney minor={c.closeMinor} currency={currency} />,
        },
        {
          key: 'total',
          header: 'Total',
          numeric: true,
          render: (c) => <SignedMoney minor={c.totalMinor} currency={currency} />,
        },
        {
          key: 'trueUp',
          header: 'Posted by this close',
          numeric: true,
          render: (c) => <SignedMoney minor={c.trueUpMinor} currency={currency} />,
        },
      ]}
    />
  );
}

function CloseResultView({ result: r }: { result: CloseResult }) {
  return (
    <div className="close-result">
      <Fields
        items={[
          ['Program', <ProgramLink key="p" id={r.programId} />],
          ['Period', `${r.period} (${r.from} to ${r.to})`],
          ['Order lines read', r.lines.toLocaleString('en-US')],
          ['Partners', r.partners.toLocaleString('en-US')],
          [r.dryRun ? 'True-ups it would post' : 'True-ups posted', r.transactions.toLocaleString('en-US')],
          ['Ledger entries', r.entries.toLocaleString('en-US')],
          [
            r.dryRun ? 'It would move' : 'Moved to partners',
            <SignedMoney key="n" minor={r.netMinor} currency={r.currency} />,
          ],
          ['Partners earn in the period', <SignedMoney key="t" minor={r.totalMinor} currency={r.currency} />],
          [
            r.dryRun ? 'Statements it would build' : 'Draft statements built',
            r.dryRun ? (
              r.statements.toLocaleString('en-US')
            ) : (
              <Link key="s" to={statementsOf(r.programId, r.period)}>
                {r.statements.toLocaleString('en-US')}
              </Link>
            ),
          ],
          [
            'Reconciled',
            r.reconciled ? (
              <Badge key="r" tone="ok">
                yes
              </Badge>
            ) : (
              <Badge key="r" tone="bad">
                no
              </Badge>
            ),
          ],
        ]}
      />
      <h3>Components</h3>
      <ComponentsTable
        caption={`Components of ${r.period}`}
        components={r.components}
        currency={r.currency}
      />
      {r.closeItems.length > 0 && (
        <details className="history">
          <summary>Close items ({r.closeItems.length})</summary>
          <DataTable
            caption={`Close items of ${r.period}`}
            rows={r.closeItems}
            rowKey={(i) => `${i.partnerId}/${i.component}/${i.type}/${i.explanation}`}
            columns={[
              { key: 'partner', header: 'Partner', render: (i) => <PartnerLink id={i.partnerId} /> },
              { key: 'component', header: 'Component', render: (i) => <code>{i.component}</code> },
              { key: 'type', header: 'Type', render: (i) => i.type },
              {
                key: 'amount',
                header: 'Amount',
                numeric: true,
                render: (i) => <SignedMoney minor={i.amountMinor} currency={r.currency} />,
              },
              {
                key: 'explanation',
                header: 'Explanation',
                render: (i) => <span className="explanation">{i.explanation}</span>,
              },
            ]}
          />
        </details>
      )}
    </div>
  );
}

export function CloseDetailPage({ id }: { id: string }) {
  const state = useApi<CloseRecord>(`/api/closes/${encodeURIComponent(id)}`);
  return (
    <>
      <p className="crumbs">
        <Link to="/closes">← Closes</Link>
      </p>
      {state.status === 'loading' && <Loading what="Loading close" />}
      {state.problem && (
        <>
          <PageHeading title={`Close ${id}`} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {state.status === 'ok' &&
        (() => {
          const c = state.data;
          return (
            <>
              <PageHeading title={`Close of ${c.period}`}>
                <p className="subtitle">
                  <ProgramLink id={c.programId} /> · <code>{c.id}</code>
                </p>
              </PageHeading>
              <Fields
                items={[
                  ['Period', `${c.period} (${c.from} to ${c.to})`],
                  ['Closed', <IsoTime key="c" value={c.closedAt} />],
                  ['Closed by', c.closedBy ?? 'system'],
                  ['Order lines read', c.lines.toLocaleString('en-US')],
                  ['Partners', c.partners.toLocaleString('en-US')],
                  ['True-ups posted', c.transactions.toLocaleString('en-US')],
                  ['Ledger entries', c.entries.toLocaleString('en-US')],
                  ['Moved to partners', <SignedMoney key="n" minor={c.netMinor} currency={c.currency} />],
                  [
                    'Partners earn in the period',
                    <SignedMoney key="t" minor={c.totalMinor} currency={c.currency} />,
                  ],
                  [
                    'Draft statements built',
                    <Link key="s" to={statementsOf(c.programId, c.period)}>
                      {c.statements.toLocaleString('en-US')}
                    </Link>,
                  ],
                ]}
              />
              <h2>Components</h2>
              <ComponentsTable
                caption={`Components of ${c.period}`}
                components={c.components}
                currency={c.currency}
              />
            </>
          );
        })()}
    </>
  );
}
