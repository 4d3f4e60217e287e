/**
 * A vendor's home (GET /api/vendors/{id}/home): each program's KPIs, then the work queues with links, and
 * the statements still to issue, approve or pay with bulk actions: a preview (POST
 * /api/statements/bulk/preview) says exactly what will happen and asks for confirmation; the run is a job
 * (POST /api/statements/bulk, confirmed with the preview's fingerprint) followed until it has finished.
 */
import { useRef, useState } from 'react';
import { Confirm } from '../components/Confirm';
import { Badge, Empty, ErrorBanner, Loading, PageHeading } from '../components/ui';
import type { ResponseOf, Schema } from '../api/types';
import { postSignedIn, useGet } from '../hooks';
import { formatDate, formatDateTime, formatMoney, formatNumber, useT } from '../i18n';
import { apiGet, problemOf, type Problem } from '../lib/api';
import { Link } from '../router';
import type { Job } from './types';

type Tf = ReturnType<typeof useT>;

type VendorHome = ResponseOf<'/api/vendors/{vendorId}/home'>;

type BulkAction = 'issue' | 'approve' | 'pay';
type BulkPreview = Schema<'StatementBulkPreview'>;

const ACTION_OF = { draft: 'issue', issued: 'approve', approved: 'pay' } as const;
const POLL_MS = 300;

export function VendorHomePage({ vendorId }: { vendorId: string }) {
  const t = useT();
  const home = useGet('/api/vendors/{vendorId}/home', { params: { path: { vendorId } } });
  const data = home.data;
  return (
    <>
      <PageHeading title={data ? t('home.vendorTitle', { name: data.vendorName }) : t('nav.overview')}>
        {data && <p className="subtitle">{t('home.vendorSubtitle', { date: formatDate(data.today) })}</p>}
        {data && data.regions.length > 0 && (
          <p className="hint">{t('home.regionsOnly', { regions: data.regions.join(', ') })}</p>
        )}
      </PageHeading>
      {home.problem && <ErrorBanner problem={home.problem} onRetry={home.reload} />}
      {home.status === 'loading' && !data && <Loading what={t('home.loading')} />}
      {data && data.programs.length === 0 && <Empty>{t('home.noPrograms')}</Empty>}
      {data && (
        <div className="home-cards">
          {data.programs.map((p) => (
            <ProgramKpis key={p.programId} program={p} t={t} />
          ))}
        </div>
      )}
      {data && <Queues home={data} t={t} onChanged={home.reload} />}
    </>
  );
}

function ProgramKpis({ program: p, t }: { program: VendorHome['programs'][number]; t: Tf }) {
  const id = `kpi-${p.programId}`;
  return (
    <article className="card home-card" aria-labelledby={id} data-program={p.code}>
      <h2 id={id}>
        <Link to={`/programs/${encodeURIComponent(p.programId)}`}>{p.name}</Link>
      </h2>
      <p className="hint">
        {t('home.programYear', { version: p.year.version, period: p.currentPeriod ?? '—' })}
      </p>
      <dl className="fields">
        {p.revenue.map((r) => (
          <div key={`rev-${r.currency}`}>
            <dt>{t('home.revenue')}</dt>
            <dd className="num">
              {formatMoney(r.yearMinor, r.currency)}{' '}
              <span className="muted">
                ({t('home.thisPeriod')}
                {t('common.colon')}
                {formatMoney(r.periodMinor, r.currency)})
              </span>
            </dd>
          </div>
        ))}
        {p.rebates.map((r) => (
          <div key={`reb-${r.currency}`}>
            <dt>{t('home.rebatesAccrued')}</dt>
            <dd className="num">{formatMoney(r.yearAccruedMinor, r.currency)}</dd>
            <dt>{t('home.rebatesPaid')}</dt>
            <dd className="num">{formatMoney(r.yearPaidMinor, r.currency)}</dd>
          </div>
        ))}
      </dl>
      {p.budgetPools && p.budgetPools.length > 0 && (
        <>
          <h3>{t('home.budgetPools')}</h3>
          <ul className="plain">
            {p.budgetPools.map((pool) => (
              <li key={pool.code}>
                {pool.name}: {formatMoney(pool.accruedMinor, pool.currency)} /{' '}
                {formatMoney(pool.amountMinor, pool.currency)}{' '}
                <progress max={1_000_000} value={Math.min(pool.usedPpm, 1_000_000)} aria-label={pool.name} />{' '}
                <Badge tone={pool.exhausted ? 'bad' : 'neutral'}>
                  {t('home.poolUsed', {
                    percent: formatNumber(pool.usedPpm / 10_000, { maximumFractionDigits: 1 }),
                  })}
                </Badge>
              </li>
            ))}
          </ul>
        </>
      )}
      <table className="compact">
        <caption>{t('home.partnersByTier')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('home.tier')}</th>
            <th scope="col" className="num">
              {t('home.partners')}
            </th>
          </tr>
        </thead>
        <tbody>
          {p.tiers.map((tier) => (
            <tr key={tier.code}>
              <th scope="row" title={tier.code}>
                {tier.name}
              </th>
              <td className="num">{formatNumber(tier.partners)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        {t('home.movement', { days: p.movement.days, up: p.movement.up, down: p.movement.down })}
      </p>
    </article>
  );
}

function Queues({ home, t, onChanged }: { home: VendorHome; t: Tf; onChanged: () => void }) {
  const q = home.queues;
  return (
    <section aria-labelledby="home-queues">
      <h2 id="home-queues">{t('home.queues')}</h2>
      <div className="grid">
        <section className="card" aria-labelledby="q-registrations">
          <h3 id="q-registrations">
            <Link to="/deal-reviews">{t('home.registrations')}</Link>
          </h3>
          <p>
            {t('home.registrationsCount', { count: q.registrations.count, overdue: q.registrations.overdue })}
          </p>
          <ul className="plain">
            {q.registrations.first.map((d) => (
              <li key={d.id}>
                <Link to={`/deals/${encodeURIComponent(d.id)}`}>{d.customerName}</Link>{' '}
                <span title={d.partnerId}>{d.partnerName}</span> · {formatMoney(d.totalMinor, d.currency)}
                {d.reviewDueAt && (
                  <span className="muted">
                    {' '}
                    · {t('home.due')} {formatDateTime(d.reviewDueAt)}
                  </span>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="q-disputes">
          <h3 id="q-disputes">
            <Link to="/disputes">{t('home.disputes')}</Link>
          </h3>
          <p>{t('home.disputesCount', { count: q.disputes.count })}</p>
          <ul className="plain">
            {q.disputes.first.map((d) => (
              <li key={d.id}>
                <Link to={`/disputes/${encodeURIComponent(d.id)}`}>
                  <span title={d.partnerId}>{d.partnerName}</span>
                </Link>{' '}
                · {formatMoney(d.requestedMinor, d.currency)} · {formatDate(d.openedAt)}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="q-closes">
          <h3 id="q-closes">
            <Link to="/closes">{t('home.closesDue')}</Link>
          </h3>
          {q.closesDue.length === 0 && <p>{t('home.noneWaiting')}</p>}
          <ul className="plain">
            {q.closesDue.map((c) => (
              <li key={`${c.programId}-${c.period}`}>
                <span title={c.programId}>{c.programCode}</span> {c.period} ·{' '}
                {t('home.closeOn', { date: formatDate(c.closeOn) })}{' '}
                {c.overdue && <Badge tone="warn">{t('home.overdue')}</Badge>}
              </li>
            ))}
          </ul>
        </section>
        <section className="card" aria-labelledby="q-offers">
          <h3 id="q-offers">
            <Link to="/routing">{t('home.offers')}</Link>
          </h3>
          <p>{t('home.offersCount', { count: q.offers.count, soon: q.offers.lapsingSoon })}</p>
          <ul className="plain">
            {q.offers.first.map((o) => (
              <li key={o.id}>
                <span title={o.partnerId}>{o.partnerName}</span> · {formatDateTime(o.deadline)}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <StatementQueue rows={q.statements} t={t} onChanged={onChanged} />
    </section>
  );
}

const STATUS_KEY = {
  draft: 'home.statusDraft',
  issued: 'home.statusIssued',
  approved: 'home.statusApproved',
} as const;
const ACTION_KEY = { issue: 'home.issueAll', approve: 'home.approveAll', pay: 'home.payAll' } as const;
const CONFIRM_KEY = {
  issue: 'home.confirmIssue',
  approve: 'home.confirmApprove',
  pay: 'home.confirmPay',
} as const;
const REASON_KEY: Record<
  string,
  | 'home.reasonNotFound'
  | 'home.reasonAlreadyDone'
  | 'home.reasonNotReady'
  | 'home.reasonMovedMeanwhile'
  | 'home.reasonMissingRate'
> = {
  'not-found': 'home.reasonNotFound',
  'already-done': 'home.reasonAlreadyDone',
  'not-ready': 'home.reasonNotReady',
  'moved-meanwhile': 'home.reasonMovedMeanwhile',
  'missing-rate': 'home.reasonMissingRate',
};

function StatementQueue({
  rows,
  t,
  onChanged,
}: {
  rows: VendorHome['queues']['statements'];
  t: Tf;
  onChanged: () => void;
}) {
  return (
    <section className="card" aria-labelledby="q-statements">
      <h3 id="q-statements">
        <Link to="/statements">{t('home.statements')}</Link>
      </h3>
      {rows.length === 0 ? (
        <p>{t('home.noneWaiting')}</p>
      ) : (
        <div className="table-wrap" role="region" aria-labelledby="q-statements" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('home.program')}</th>
                <th scope="col">{t('home.period')}</th>
                <th scope="col">{t('home.status')}</th>
                <th scope="col" className="num">
                  {t('home.count')}
                </th>
                <th scope="col" className="num">
                  {t('home.total')}
                </th>
                <th scope="col">{t('home.payOn')}</th>
                <th scope="col">{t('home.action')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={`${r.programId}-${r.period}-${r.status}-${r.currency}`}>
                  <td title={r.programId}>{r.programCode}</td>
                  <td>{r.period}</td>
                  <td>{t(STATUS_KEY[r.status])}</td>
                  <td className="num">{formatNumber(r.count)}</td>
                  <td className="num">{formatMoney(r.totalMinor, r.currency)}</td>
                  <td>{formatDate(r.payOn)}</td>
                  <td>
                    <BulkButton row={r} t={t} onDone={onChanged} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function BulkButton({
  row,
  t,
  onDone,
}: {
  row: VendorHome['queues']['statements'][number];
  t: Tf;
  onDone: () => void;
}) {
  const action: BulkAction = ACTION_OF[row.status];
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const stopped = useRef(false);
  const selection = { action, program: row.programId, period: row.period };

  const ask = async () => {
    setProblem(null);
    setDone(null);
    setBusy(true);
    try {
      setPreview(await postSignedIn<BulkPreview>('/api/statements/bulk/preview', selection));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  const run = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      let job = await postSignedIn<Job<BulkPreview>>('/api/statements/bulk', {
        ...selection,
        confirm: preview.fingerprint,
      });
      while (job && !stopped.current && (job.status === 'queued' || job.status === 'running')) {
        setProgress({ done: job.progress.done, total: job.progress.total });
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        job = await apiGet<Job<BulkPreview>>(`/api/jobs/${encodeURIComponent(job.id)}`);
      }
      if (job?.status === 'failed' && job.error) setProblem(job.error);
      if (job?.status === 'succeeded' && job.result) setDone(job.result.count);
      setPreview(null);
      onDone();
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  return (
    <>
      {!preview && (
        <button type="button" className="button" disabled={busy} onClick={() => void ask()}>
          {t(ACTION_KEY[action])}
        </button>
      )}
      {busy && !preview && <span className="muted"> {t('home.previewing')}</span>}
      {preview && (
        <Confirm
          question={t(CONFIRM_KEY[action])}
          yes={t('common.confirm')}
          busy={busy}
          onYes={() => void run()}
          onCancel={() => setPreview(null)}
        >
          <p>{t('home.willMove', { count: preview.count })}</p>
          <ul>
            {preview.totals.map((tot) => (
              <li key={tot.currency}>
                {t('home.totalOf', {
                  count: tot.count,
                  currency: tot.currency,
                  total: formatMoney(tot.totalMinor, tot.currency),
                })}
                {action === 'pay' && (
                  <> · {t('home.paidOut', { amount: formatMoney(tot.payoutMinor, tot.currency) })}</>
                )}
              </li>
            ))}
          </ul>
          {(preview.outcomes.carried ?? 0) > 0 && (
            <p>{t('home.outcomeCarried', { count: preview.outcomes.carried ?? 0 })}</p>
          )}
          {preview.skippedCount > 0 && (
            <>
              <p>{t('home.skipped', { count: preview.skippedCount })}</p>
              <ul>
                {Object.entries(preview.skippedByReason).map(([reason, n]) => (
                  <li key={reason}>
                    {formatNumber(n ?? 0)} · {REASON_KEY[reason] ? t(REASON_KEY[reason]) : reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {progress && <p role="status">{t('home.running', progress)}</p>}
        </Confirm>
      )}
      {done !== null && <p role="status">{t('home.done', { count: done })}</p>}
      {problem && <ErrorBanner problem={problem} />}
    </>
  );
}
