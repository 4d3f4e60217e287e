/**
 * Period closes (vendors): the list (GET /api/closes), one close, and the "Close a period" form
 * (POST /api/closes, which starts a job: its progress is followed at GET /api/jobs/{id}) that shows what
 * the close posted, or would post in a dry run. A real close is confirmed first.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ShardsField, shardsBody } from '../components/ShardsField';
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
import { postSignedIn, useAction, useGet, useMe } from '../hooks';
import { canManageSettlement } from '../lib/access';
import { apiGet, isAbort, problemOf, type Page, type Problem } from '../lib/api';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Trans } from 'react-i18next';
import { formatDate, formatNumber, useExplain, useT } from '../i18n';
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
  const t = useT();
  const me = useMe();
  const programs = useProgramOptions();
  const [reloadKey, setReloadKey] = useState(0);
  return (
    <ListPage<CloseRecord>
      title={t('settle.closes.title')}
      path="/closes"
      endpoint="/api/closes"
      spec={closeSpec}
      noun="close"
      intro={<p className="subtitle">{t('settle.closes.intro')}</p>}
      before={
        canManageSettlement(me.data) ? (
          <>
            <CloseForm onClosed={() => setReloadKey((k) => k + 1)} />
            <h2 id="closes-so-far">{t('settle.closes.soFar')}</h2>
          </>
        ) : null
      }
      reloadKey={reloadKey}
      filters={[
        {
          name: 'program',
          label: t('settle.closes.program'),
          kind: 'select',
          options: programs,
          placeholder: 'prg_…',
        },
        { name: 'period', label: t('settle.closes.period'), kind: 'text', placeholder: 'FY18-Q1' },
      ]}
      rowKey={(c) => c.id}
      columns={[
        {
          key: 'closed',
          header: t('settle.closes.closed'),
          sort: 'closedAt',
          render: (c) => (
            <Link to={detailPath('closes', c.id)}>
              <IsoTime value={c.closedAt} />
            </Link>
          ),
        },
        {
          key: 'program',
          header: t('settle.closes.program'),
          render: (c) => <ProgramLink id={c.programId} />,
        },
        {
          key: 'period',
          header: t('settle.closes.period'),
          sort: 'period',
          render: (c) => (
            <>
              {c.period}{' '}
              <span className="muted">
                {t('settle.closes.range', { from: formatDate(c.from), to: formatDate(c.to) })}
              </span>
            </>
          ),
        },
        {
          key: 'lines',
          header: t('settle.closes.orderLines'),
          numeric: true,
          render: (c) => formatNumber(c.lines),
        },
        {
          key: 'partners',
          header: t('settle.closes.partners'),
          numeric: true,
          render: (c) => formatNumber(c.partners),
        },
        {
          key: 'transactions',
          header: t('settle.closes.trueUps'),
          numeric: true,
          render: (c) => formatNumber(c.transactions),
        },
        {
          key: 'net',
          header: t('settle.closes.posted'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.netMinor} currency={c.currency} />,
        },
        {
          key: 'total',
          header: t('settle.closes.partnersEarn'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.totalMinor} currency={c.currency} />,
        },
        {
          key: 'statements',
          header: t('settle.closes.statements'),
          numeric: true,
          render: (c) => <Link to={statementsOf(c.programId, c.period)}>{formatNumber(c.statements)}</Link>,
        },
        {
          key: 'by',
          header: t('settle.closes.closedBy'),
          render: (c) => c.closedBy ?? <span className="muted">{t('settle.closes.system')}</span>,
        },
      ]}
    />
  );
}

/** How often a running job is asked where it stands. */
const POLL_MS = 500;

function CloseForm({ onClosed }: { onClosed: () => void }) {
  const t = useT();
  const programs = useProgramOptions();
  const [program, setProgram] = useState('');
  const [period, setPeriod] = useState('');
  const [dryRun, setDryRun] = useState(true);
  /** Shards of partners; empty: the server's default (TRELLIS_CLOSE_SHARDS). */
  const [shards, setShards] = useState('');
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
  const act = useAction((body: { program: string; period: string; dryRun: boolean; shards?: number }) =>
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
    const started = await act.run({
      program: chosen,
      period: period.trim(),
      dryRun,
      ...shardsBody(shards),
    });
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
      <h2 id="close-a-period">{t('settle.closes.closeAPeriod')}</h2>
      <form className="filters" aria-labelledby="close-a-period" onSubmit={submit}>
        <div className="field">
          <label htmlFor="close-program">{t('settle.closes.program')}</label>
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
              placeholder={t('settle.closes.programPlaceholder')}
              value={program}
              onChange={(e) => setProgram(e.target.value)}
            />
          )}
        </div>
        <div className="field">
          <label htmlFor="close-period">{t('settle.closes.period')}</label>
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
        <ShardsField
          id="close-shards"
          label={t('settle.closes.shardsLabel')}
          hint={t('settle.closes.shardsHint')}
          value={shards}
          onChange={setShards}
        />
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
          <label htmlFor="close-dry-run">{t('settle.closes.dryRunLabel')}</label>
        </div>
        <div className="field field-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={act.busy || running || confirming || !chosen}
          >
            {act.busy || running
              ? t('settle.closes.working')
              : dryRun
                ? t('settle.closes.runDryRun')
                : t('settle.closes.closeThePeriod')}
          </button>
        </div>
      </form>
      {confirming && (
        <Confirm
          question={t('settle.closes.confirm', { period: period.trim(), program: programLabel })}
          yes={t('settle.closes.confirmYes')}
          onYes={() => void start()}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('settle.closes.confirmBody')}</p>
        </Confirm>
      )}
      {act.problem && <ErrorBanner problem={act.problem} />}
      {watchProblem && <ErrorBanner problem={watchProblem} />}
      {job && running && (
        <JobProgress job={job} what={startedDry ? t('settle.closes.dryRun') : t('settle.closes.close')} />
      )}
      {job?.status === 'failed' && job.error && <ErrorBanner problem={job.error} />}
      <div role="status">
        {result && (
          <p className={result.reconciled ? 'banner banner-info' : 'banner banner-warn'}>
            {result.dryRun ? (
              t('settle.closes.dryRunDone', {
                period: result.period,
                from: formatDate(result.from),
                to: formatDate(result.to),
              })
            ) : (
              <Trans
                i18nKey="settle.closes.closedAs"
                values={{
                  period: result.period,
                  from: formatDate(result.from),
                  to: formatDate(result.to),
                  id: result.closeId,
                }}
                components={{ code: <code /> }}
              />
            )}{' '}
            {result.reconciled ? t('settle.closes.reconciled') : t('settle.closes.notReconciled')}
          </p>
        )}
      </div>
      {result && <CloseResultView result={result} />}
    </section>
  );
}

/** A running job: its phase and how far it is, as the server last reported. */
function JobProgress({ job, what }: { job: Job; what: string }) {
  const t = useT();
  const { phase, done, total } = job.progress;
  const state =
    job.status === 'queued'
      ? t('settle.closes.queued', { what })
      : phase
        ? t('settle.closes.runningPhase', { what, phase })
        : t('settle.closes.running', { what });
  return (
    <div className="job-progress" role="status" aria-label={t('settle.closes.progress', { what })}>
      <p>
        <span className="spinner" aria-hidden="true" />
        {state}
        {total > 0 ? ` ${t('settle.closes.ofTotal', { done, total })}` : ''}…{' '}
        <span className="muted">
          <Trans i18nKey="settle.closes.job" values={{ id: job.id }} components={{ code: <code /> }} />
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
  const t = useT();
  if (components.length === 0) return <Empty>{t('settle.closes.noComponents')}</Empty>;
  return (
    <DataTable<CloseComponent>
      caption={caption}
      rows={components}
      rowKey={(c) => c.component}
      columns={[
        { key: 'component', header: t('settle.closes.component'), render: (c) => <code>{c.component}</code> },
        {
          key: 'line',
          header: t('settle.closes.perLine'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.lineMinor} currency={currency} />,
        },
        {
          key: 'close',
          header: t('settle.closes.closeItems'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.closeMinor} currency={currency} />,
        },
        {
          key: 'total',
          header: t('settle.closes.total'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.totalMinor} currency={currency} />,
        },
        {
          key: 'trueUp',
          header: t('settle.closes.postedByClose'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.trueUpMinor} currency={currency} />,
        },
      ]}
    />
  );
}

function CloseResultView({ result: r }: { result: CloseResult }) {
  const t = useT();
  const explain = useExplain();
  return (
    <div className="close-result">
      <Fields
        items={[
          [t('settle.closes.program'), <ProgramLink key="p" id={r.programId} />],
          [
            t('settle.closes.period'),
            t('settle.closes.periodRange', {
              period: r.period,
              from: formatDate(r.from),
              to: formatDate(r.to),
            }),
          ],
          [t('settle.closes.linesRead'), formatNumber(r.lines)],
          [t('settle.closes.partners'), formatNumber(r.partners)],
          [
            r.dryRun ? t('settle.closes.trueUpsWould') : t('settle.closes.trueUpsPosted'),
            formatNumber(r.transactions),
          ],
          [t('settle.closes.ledgerEntries'), formatNumber(r.entries)],
          [
            r.dryRun ? t('settle.closes.wouldMove') : t('settle.closes.moved'),
            <SignedMoney key="n" minor={r.netMinor} currency={r.currency} />,
          ],
          [
            t('settle.closes.earnInPeriod'),
            <SignedMoney key="t" minor={r.totalMinor} currency={r.currency} />,
          ],
          [
            r.dryRun ? t('settle.closes.statementsWould') : t('settle.closes.draftsBuilt'),
            r.dryRun ? (
              formatNumber(r.statements)
            ) : (
              <Link key="s" to={statementsOf(r.programId, r.period)}>
                {formatNumber(r.statements)}
              </Link>
            ),
          ],
          [
            t('settle.closes.reconciledLabel'),
            r.reconciled ? (
              <Badge key="r" tone="ok">
                {t('settle.closes.yes')}
              </Badge>
            ) : (
              <Badge key="r" tone="bad">
                {t('settle.closes.no')}
              </Badge>
            ),
          ],
        ]}
      />
      <h3>{t('settle.closes.components')}</h3>
      <ComponentsTable
        caption={t('settle.closes.componentsOf', { period: r.period })}
        components={r.components}
        currency={r.currency}
      />
      {r.closeItems.length > 0 && (
        <details className="history">
          <summary>{t('settle.closes.closeItemsCount', { count: r.closeItems.length })}</summary>
          <DataTable
            caption={t('settle.closes.closeItemsOf', { period: r.period })}
            rows={r.closeItems}
            rowKey={(i) => `${i.partnerId}/${i.component}/${i.type}/${i.explanation}`}
            columns={[
              {
                key: 'partner',
                header: t('settle.closes.partner'),
                render: (i) => <PartnerLink id={i.partnerId} />,
              },
              {
                key: 'component',
                header: t('settle.closes.component'),
                render: (i) => <code>{i.component}</code>,
              },
              { key: 'type', header: t('settle.closes.type'), render: (i) => i.type },
              {
                key: 'amount',
                header: t('settle.closes.amount'),
                numeric: true,
                render: (i) => <SignedMoney minor={i.amountMinor} currency={r.currency} />,
              },
              {
                key: 'explanation',
                header: t('settle.closes.explanation'),
                render: (i) => (
                  <span className="explanation">{explain(i.explanation, i.explanationMessage)}</span>
                ),
              },
            ]}
          />
        </details>
      )}
    </div>
  );
}

export function CloseDetailPage({ id }: { id: string }) {
  const t = useT();
  const state = useGet('/api/closes/{closeId}', { params: { path: { closeId: id } } });
  return (
    <>
      <p className="crumbs">
        <Link to="/closes">{t('settle.closes.back')}</Link>
      </p>
      {state.status === 'loading' && <Loading what={t('settle.closes.loading')} />}
      {state.problem && (
        <>
          <PageHeading title={t('settle.closes.titleId', { id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {state.status === 'ok' &&
        (() => {
          const c = state.data;
          return (
            <>
              <PageHeading title={t('settle.closes.titleOf', { period: c.period })}>
                <p className="subtitle">
                  <ProgramLink id={c.programId} /> · <code>{c.id}</code>
                </p>
              </PageHeading>
              <Fields
                items={[
                  [
                    t('settle.closes.period'),
                    t('settle.closes.periodRange', {
                      period: c.period,
                      from: formatDate(c.from),
                      to: formatDate(c.to),
                    }),
                  ],
                  [t('settle.closes.closed'), <IsoTime key="c" value={c.closedAt} />],
                  [t('settle.closes.closedBy'), c.closedBy ?? t('settle.closes.system')],
                  [t('settle.closes.linesRead'), formatNumber(c.lines)],
                  [t('settle.closes.partners'), formatNumber(c.partners)],
                  [t('settle.closes.trueUpsPosted'), formatNumber(c.transactions)],
                  [t('settle.closes.ledgerEntries'), formatNumber(c.entries)],
                  [
                    t('settle.closes.moved'),
                    <SignedMoney key="n" minor={c.netMinor} currency={c.currency} />,
                  ],
                  [
                    t('settle.closes.earnInPeriod'),
                    <SignedMoney key="t" minor={c.totalMinor} currency={c.currency} />,
                  ],
                  [
                    t('settle.closes.draftsBuilt'),
                    <Link key="s" to={statementsOf(c.programId, c.period)}>
                      {formatNumber(c.statements)}
                    </Link>,
                  ],
                ]}
              />
              <h2>{t('settle.closes.components')}</h2>
              <ComponentsTable
                caption={t('settle.closes.componentsOf', { period: c.period })}
                components={c.components}
                currency={c.currency}
              />
            </>
          );
        })()}
    </>
  );
}
