/**
 * A partner's home across its vendors (GET /api/partners/{id}/home): one card per vendor program it is
 * enrolled in with the tier it holds, the closest next tier and its gap (…/progress), what it earned and
 * was paid this program year and this quarter (…/earnings, one program at a time: that route projects
 * each open period with a dry-run close), then its cross-vendor rewards under agreements (/api/agreements).
 */
import { VendorName } from '../components/refs';
import { Badge, Empty, ErrorBanner, Fields, Loading, Money, PageHeading } from '../components/ui';
import { useApi } from '../hooks';
import { closestNextTier, earningsFigures } from '../lib/partner-home';
import { detailPath } from '../lib/routes';
import { formatMeasureValue, requirementLabel } from '../lib/standing';
import { Link } from '../router';
import { AgreementStatusBadge } from './Agreements';
import type { AgreementDetail, AgreementSummary, PartnerHome, PartnerHomeProgram } from './agreements-types';
import type { PartnerEarnings, PartnerProgress, ProgramDetail } from './types';

const REWARDS_SHOWN = 10;

export function PartnerHomePage({ partnerId }: { partnerId: string }) {
  const home = useApi<PartnerHome>(`/api/partners/${encodeURIComponent(partnerId)}/home`);
  const data = home.data;
  return (
    <>
      <PageHeading title={data ? `Home: ${data.partnerName}` : 'Home'}>
        <p className="subtitle">
          Your standing and earnings with each vendor{data ? `, as of ${data.today}` : ''}, and the rewards
          you earn across vendors under their agreements.
        </p>
      </PageHeading>
      {home.problem && <ErrorBanner problem={home.problem} onRetry={home.reload} />}
      {home.status === 'loading' && !data && <Loading what="Loading your programs" />}
      {data && data.programs.length === 0 && <Empty>You are not enrolled in any vendor program yet.</Empty>}
      {data && data.programs.length > 0 && (
        <section aria-labelledby="home-vendors">
          <h2 id="home-vendors">Your vendors</h2>
          <div className="home-cards">
            {data.programs.map((p) => (
              <ProgramCard key={p.programId} partnerId={partnerId} program={p} />
            ))}
          </div>
        </section>
      )}
      <CrossVendorRewards />
    </>
  );
}

function ProgramCard({ partnerId, program: p }: { partnerId: string; program: PartnerHomeProgram }) {
  const headingId = `home-${p.programId}`;
  return (
    <article className="card home-card" aria-labelledby={headingId} data-program={p.code}>
      <h3 id={headingId}>
        {p.vendorName}
        <span className="muted">
          {' · '}
          <Link to={detailPath('programs', p.programId)}>{p.name}</Link>
        </span>
      </h3>
      <p className="subtitle">
        Partner number <strong>{p.enrolment.partnerNumber}</strong>{' '}
        <Badge tone={p.enrolment.status === 'active' ? 'ok' : 'neutral'}>{p.enrolment.status}</Badge>
      </p>
      {!p.year || !p.asOf ? (
        <Empty>This program has no published program year yet.</Empty>
      ) : (
        <>
          <p className="hint">
            {p.inForceToday ? (
              <>
                Program year {p.year.version} ({p.year.from} to {p.year.to ?? 'open-ended'}), this quarter{' '}
                {p.currentPeriod}.
              </>
            ) : (
              <>
                No program year is in force today: the figures are as of {p.asOf}, the end of {p.year.version}
                .
              </>
            )}
          </p>
          <TierSummary partnerId={partnerId} program={p} asOf={p.asOf} />
          <EarningsSummary partnerId={partnerId} program={p} />
          <p>
            <Link to={detailPath('partners', partnerId)}>Standing and earnings in detail</Link>
          </p>
        </>
      )}
    </article>
  );
}

function TierSummary({
  partnerId,
  program: p,
  asOf,
}: {
  partnerId: string;
  program: PartnerHomeProgram;
  asOf: string;
}) {
  const detail = useApi<ProgramDetail>(
    `/api/programs/${encodeURIComponent(p.programId)}`,
    {},
    { cache: true },
  );
  const progress = useApi<PartnerProgress>(`/api/partners/${encodeURIComponent(partnerId)}/progress`, {
    program: p.programId,
    asOf,
  });
  const names = new Map<string, string>();
  for (const v of detail.data?.versions ?? []) for (const t of v.tiers) names.set(t.code, t.name);
  const nameOf = (code: string) => names.get(code) ?? code;
  if (progress.problem) return <ErrorBanner problem={progress.problem} onRetry={progress.reload} />;
  if (!progress.data) return <Loading what="Loading the tier" />;
  const d = progress.data;
  const held = d.tier?.code ?? null;
  const next = closestNextTier(d.evaluation.targets);
  const currency = d.evaluation.measures.currency;
  return (
    <Fields
      items={[
        [
          'Tier today',
          held ? (
            <strong key="t" data-testid="home-tier">
              {nameOf(held)}
            </strong>
          ) : (
            <span key="t">
              none recorded yet; the measures place you at{' '}
              <strong data-testid="home-tier">{nameOf(d.evaluation.currentTier)}</strong>
            </span>
          ),
        ],
        [
          'Next tier',
          next ? (
            <span key="n" className="home-next">
              <strong>{nameOf(next.tier)}</strong> through {next.pathName} ({next.percent}% there)
              {next.gaps.length > 0 && (
                <>
                  :{' '}
                  {next.gaps
                    .map(
                      (g) =>
                        `${formatMeasureValue(g.measure, g.gap, currency)} more ${requirementLabel(g).toLowerCase()}`,
                    )
                    .join('; ')}
                </>
              )}
            </span>
          ) : (
            'You hold the highest tier.'
          ),
        ],
      ]}
    />
  );
}

function EarningsSummary({ partnerId, program: p }: { partnerId: string; program: PartnerHomeProgram }) {
  const earnings = useApi<PartnerEarnings>(`/api/partners/${encodeURIComponent(partnerId)}/earnings`, {
    program: p.programId,
  });
  if (earnings.problem) return <ErrorBanner problem={earnings.problem} onRetry={earnings.reload} />;
  if (!earnings.data) return <Loading what="Loading earnings" />;
  const year = p.year;
  if (!year) return null;
  const figures = earningsFigures(
    earnings.data.periods,
    year.periods.map((x) => x.code),
    p.currentPeriod,
  );
  if (figures.length === 0) return <Empty>Nothing earned in {year.version} yet.</Empty>;
  const quarter = p.currentPeriod ?? 'this quarter';
  return (
    <>
      {figures.map((f) => (
        <div key={f.currency} className="home-earnings">
          <table className="compact">
            <caption className="visually-hidden">{`Earnings with ${p.vendorName} (${f.currency})`}</caption>
            <thead>
              <tr>
                <th scope="col">{f.currency}</th>
                <th scope="col" className="num">
                  Earned
                </th>
                <th scope="col" className="num">
                  Paid
                </th>
              </tr>
            </thead>
            <tbody>
              <tr data-span="year">
                <th scope="row">This year ({year.version})</th>
                <td className="num">
                  <Money minor={f.yearEarnedMinor} currency={f.currency} />
                </td>
                <td className="num">
                  <Money minor={f.yearPaidMinor} currency={f.currency} />
                </td>
              </tr>
              <tr data-span="quarter">
                <th scope="row">This quarter ({quarter})</th>
                <td className="num">
                  <Money minor={f.quarterEarnedMinor} currency={f.currency} />
                </td>
                <td className="num">
                  <Money minor={f.quarterPaidMinor} currency={f.currency} />
                </td>
              </tr>
            </tbody>
          </table>
          {f.provisional && (
            <p className="hint">
              <Badge tone="warn">provisional</Badge> Periods not closed yet may still change at their close.
            </p>
          )}
        </div>
      ))}
    </>
  );
}

function CrossVendorRewards() {
  const list = useApi<{ items: readonly AgreementSummary[] }>('/api/agreements');
  const items = list.data?.items ?? [];
  return (
    <section className="section" aria-labelledby="home-cross-vendor">
      <h2 id="home-cross-vendor">Cross-vendor rewards</h2>
      <p className="muted">
        Agreements between your vendors pay extra when you sell one customer a combined solution; each party
        funds its share.
      </p>
      {list.problem && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
      {list.status === 'loading' && !list.data && <Loading what="Loading agreements" />}
      {list.data && items.length === 0 && (
        <Empty>No agreement between your vendors binds your programs.</Empty>
      )}
      {items.map((a) => (
        <AgreementRewards key={a.id} summary={a} />
      ))}
    </section>
  );
}

function AgreementRewards({ summary }: { summary: AgreementSummary }) {
  const detail = useApi<AgreementDetail>(`/api/agreements/${encodeURIComponent(summary.id)}`);
  const d = detail.data;
  const headingId = `home-agreement-${summary.id}`;
  return (
    <article className="card home-agreement" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link to={detailPath('agreements', summary.id)}>{summary.name}</Link>{' '}
        <AgreementStatusBadge status={summary.status} />
      </h3>
      <p className="subtitle">
        {summary.parties.map((p) => p.name).join(' and ')}, {summary.effectiveFrom} to{' '}
        {summary.effectiveTo ?? 'open-ended'}
        {summary.notice && (
          <>
            ; {summary.status === 'terminated' ? 'terminated on' : 'notice given, ends on'}{' '}
            {summary.notice.effectiveDate}
          </>
        )}
      </p>
      {detail.problem && <ErrorBanner problem={detail.problem} onRetry={detail.reload} />}
      {!d && !detail.problem && <Loading what="Loading your rewards" />}
      {d && d.rewards.length === 0 && <Empty>No reward under this agreement yet.</Empty>}
      {d && d.rewards.length > 0 && (
        <>
          <p>
            {d.rewardTotals.map((t, i) => (
              <span key={t.currency}>
                {i > 0 && '; '}
                <Money minor={t.totalMinor} currency={t.currency} /> earned in {t.shares}{' '}
                {t.shares === 1 ? 'share' : 'shares'}
              </span>
            ))}
          </p>
          <ul className="plain-list home-rewards" aria-label={`Your rewards under the ${summary.name}`}>
            {d.rewards.slice(0, REWARDS_SHOWN).map((r) => (
              <li key={r.id}>
                <time dateTime={r.completedOn}>{r.completedOn}</time>: <VendorName id={r.vendorId} /> funds{' '}
                <Money minor={r.shareMinor} currency={r.currency} />
                {r.rewardMinor !== null && (
                  <>
                    {' '}
                    of <Money minor={r.rewardMinor} currency={r.currency} />
                  </>
                )}
                <details>
                  <summary>Why</summary>
                  <p className="explanation">{r.explanation}</p>
                </details>
              </li>
            ))}
          </ul>
          {d.rewards.length > REWARDS_SHOWN && (
            <p>
              <Link to={detailPath('agreements', summary.id)}>All {d.rewards.length} on the agreement</Link>
            </p>
          )}
        </>
      )}
    </article>
  );
}
