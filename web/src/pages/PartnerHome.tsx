/**
 * A partner's home across its vendors, from one call (GET /api/partners/{id}/home): per vendor program,
 * the tier held and its badge, the closest next tier with its gaps, earned this quarter and this year,
 * paid, projected, the next payout, open registrations with their protection countdown, offers awaiting
 * an answer, statements to read, certifications expiring and a chart of earnings by month and component;
 * its marketing funds (available, expiring soon); for a distributor, its sell-out and the resellers it
 * supplies. Then its cross-vendor rewards under the
 * agreements between its vendors (/api/agreements).
 */
import { EarningsChart } from '../components/EarningsChart';
import { VendorName } from '../components/refs';
import { Badge, Empty, ErrorBanner, Loading, Money, PageHeading } from '../components/ui';
import type { Schema } from '../api/types';
import { useApi, useGet } from '../hooks';
import { formatDate, formatMoney, formatNumber, locale, plainT, useExplain, useT } from '../i18n';
import { expiringWithin } from '../lib/mdf';
import { earningsCharts } from '../lib/earnings-chart';
import { detailPath } from '../lib/routes';
import { formatMeasureValue, percentOf, requirementText } from '../lib/standing';
import { Link } from '../router';
import { AgreementStatusBadge } from './Agreements';
import type { AgreementSummary, PartnerHomeProgram } from './agreements-types';

const REWARDS_SHOWN = 10;

type T = ReturnType<typeof useT>;

export function PartnerHomePage({ partnerId }: { partnerId: string }) {
  const t = useT();
  const home = useGet('/api/partners/{partnerId}/home', { params: { path: { partnerId } } });
  const data = home.data;
  return (
    <>
      <PageHeading
        title={data ? t('partner-home.title', { name: data.partnerName }) : t('partner-home.titleBare')}
      >
        <p className="subtitle">
          {data
            ? t('partner-home.subtitleAsOf', { date: formatDate(data.today) })
            : t('partner-home.subtitle')}
        </p>
      </PageHeading>
      {home.problem && <ErrorBanner problem={home.problem} onRetry={home.reload} />}
      {home.status === 'loading' && !data && <Loading what={t('partner-home.loading')} />}
      {data && data.programs.length === 0 && <Empty>{t('partner-home.noPrograms')}</Empty>}
      {data && data.programs.length > 0 && (
        <section aria-labelledby="home-vendors">
          <h2 id="home-vendors">{t('partner-home.vendors')}</h2>
          <div className="home-cards">
            {data.programs.map((p) => (
              <ProgramCard key={p.programId} partnerId={partnerId} program={p} />
            ))}
          </div>
        </section>
      )}
      {/* Asked for once the cards are in, so its calls never queue before the home's own. */}
      {data && <CrossVendorRewards />}
    </>
  );
}

function ProgramCard({ partnerId, program: p }: { partnerId: string; program: PartnerHomeProgram }) {
  const t = useT();
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
        {t('partner-home.partnerNumber')} <strong>{p.enrolment.partnerNumber}</strong>{' '}
        <Badge tone={p.enrolment.status === 'active' ? 'ok' : 'neutral'}>
          {enrolmentStatus(t, p.enrolment.status)}
        </Badge>
      </p>
      {!p.year || !p.asOf ? (
        <Empty>{t('partner-home.noYear')}</Empty>
      ) : (
        <>
          <p className="hint">
            {p.inForceToday
              ? t('partner-home.yearInForce', {
                  version: p.year.version,
                  from: formatDate(p.year.from),
                  to: p.year.to ? formatDate(p.year.to) : t('partner-home.openEnded'),
                  period: p.currentPeriod ?? '',
                })
              : t('partner-home.yearEnded', { date: formatDate(p.asOf), version: p.year.version })}
          </p>
          <TierBlock program={p} />
          <EarningsBlock program={p} />
          <MdfBlock programId={p.programId} />
          <ChartBlock program={p} />
          <WorkBlock program={p} />
          {p.distributor && <DistributorBlock program={p} distributor={p.distributor} />}
          <p>
            <Link to={detailPath('partners', partnerId)}>{t('partner-home.detailLink')}</Link>
          </p>
        </>
      )}
    </article>
  );
}

function enrolmentStatus(t: T, status: string): string {
  switch (status) {
    case 'active':
      return t('partner-home.enrolment.active');
    case 'suspended':
      return t('partner-home.enrolment.suspended');
    case 'ended':
      return t('partner-home.enrolment.ended');
    default:
      return status;
  }
}

function TierBlock({ program: p }: { program: PartnerHomeProgram }) {
  const t = useT();
  const s = p.standing;
  if (!s) return <p className="muted">{t('partner-home.noStanding')}</p>;
  const next = s.next;
  return (
    <div className="home-tier">
      <dl className="fields">
        <div>
          <dt>{t('partner-home.tierToday')}</dt>
          <dd>
            {s.tier ? (
              <>
                <span className={`tier-badge tier-rank-${Math.min(s.tier.rank, 5)}`}>
                  <strong data-testid="home-tier">{s.tier.name}</strong>
                </span>{' '}
                <span className="muted">
                  {t('partner-home.tierRank', {
                    rank: s.tier.rank,
                    of: s.tier.of,
                    since: formatDate(s.tier.since),
                  })}
                </span>
              </>
            ) : (
              <strong data-testid="home-tier">{t('partner-home.noTier')}</strong>
            )}
            {s.statuses.map((st) => (
              <span key={st.code} className="status-chip">
                {' '}
                <Badge tone="info">{st.name}</Badge>{' '}
                {st.until && (
                  <span className="muted">
                    {t('partner-home.statusUntil', { date: formatDate(st.until) })}
                  </span>
                )}
              </span>
            ))}
          </dd>
        </div>
        <div>
          <dt>{t('partner-home.nextTier')}</dt>
          <dd>
            {next ? (
              <span className="home-next">
                {t('partner-home.nextThrough', { tier: next.name, path: next.path, percent: next.percent })}
                <span
                  className="bar"
                  role="progressbar"
                  aria-label={t('partner-home.nextProgress', { tier: next.name })}
                  aria-valuemin={0}
                  aria-valuemax={100}
                  aria-valuenow={next.percent}
                >
                  <span
                    className={next.percent >= 100 ? 'bar-fill bar-done' : 'bar-fill'}
                    style={{ width: `${next.percent}%` }}
                  />
                </span>
                {next.gaps.length > 0 && (
                  <ul className="plain-list home-gaps">
                    {next.gaps.map((g) => (
                      <li key={`${g.measure}|${g.family ?? ''}|${g.kind ?? ''}`}>
                        {t('partner-home.gap', {
                          amount: formatMeasureValue(g.measure, g.gap, s.currency, locale()),
                          what: requirementText(g, plainT(t)).toLowerCase(),
                        })}{' '}
                        <span className="muted">
                          (
                          {t('partner-home.gapOf', {
                            current: formatMeasureValue(g.measure, g.current, s.currency, locale()),
                            target: formatMeasureValue(g.measure, g.target, s.currency, locale()),
                            percent: percentOf(g.current, g.target),
                          })}
                          )
                        </span>
                      </li>
                    ))}
                  </ul>
                )}
              </span>
            ) : (
              t('partner-home.topTier')
            )}
          </dd>
        </div>
      </dl>
    </div>
  );
}

/**
 * The partner's marketing funds in the program, when it runs any: what can be spent now and what expires
 * soon (partners lose funds they do not know they have), with the way to propose an activity.
 */
function MdfBlock({ programId }: { programId: string }) {
  const t = useT();
  const funds = useApi<Schema<'MdfFunds'>>('/api/mdf/funds', { programId });
  const f = funds.data;
  const e = f?.earned && (f.earned.earnedMinor > 0 || f.earned.pending > 0) ? f.earned : null;
  const open = (f?.proposalFunds ?? []).filter((p) => p.leftMinor > 0);
  if (!f || (!e && open.length === 0)) return null;
  const soon = e ? expiringWithin(e.expiringSoon, f.asOf, 90) : [];
  return (
    <section className="home-mdf" aria-label={t('mdf.title')}>
      <p>
        <strong>{t('mdf.title')}</strong>
        {': '}
        {e && t('partner-home.mdfAvailable', { amount: formatMoney(e.availableMinor, e.currency) })}
        {open.map((p) => (
          <span key={p.code}>
            {' '}
            {t('partner-home.mdfProposal', {
              name: p.name,
              amount: formatMoney(p.leftMinor, p.currency),
              period: p.period,
            })}
          </span>
        ))}
        {e &&
          soon.map((s) => (
            <span key={s.on} className="badge badge-warn">
              {' '}
              {t('mdf.expiresOn', { amount: formatMoney(s.amountMinor, e.currency), day: formatDate(s.on) })}
            </span>
          ))}{' '}
        <Link to={`/mdf?program=${encodeURIComponent(programId)}`}>{t('partner-home.mdfLink')}</Link>
      </p>
    </section>
  );
}

function EarningsBlock({ program: p }: { program: PartnerHomeProgram }) {
  const t = useT();
  const year = p.year;
  if (!year) return null;
  if (p.earnings.length === 0)
    return <Empty>{t('partner-home.nothingEarned', { version: year.version })}</Empty>;
  const quarter = p.currentPeriod ?? t('partner-home.thisQuarterBare');
  return (
    <>
      {p.earnings.map((f) => (
        <div key={f.currency} className="home-earnings">
          <table className="compact">
            <caption className="visually-hidden">
              {t('partner-home.earningsCaption', { vendor: p.vendorName, currency: f.currency })}
            </caption>
            <thead>
              <tr>
                <th scope="col">{f.currency}</th>
                <th scope="col" className="num">
                  {t('partner-home.earned')}
                </th>
                <th scope="col" className="num">
                  {t('partner-home.paid')}
                </th>
              </tr>
            </thead>
            <tbody>
              <tr data-span="year">
                <th scope="row">{t('partner-home.thisYear', { version: year.version })}</th>
                <td className="num">
                  <Money minor={f.yearEarnedMinor} currency={f.currency} />
                </td>
                <td className="num">
                  <Money minor={f.yearPaidMinor} currency={f.currency} />
                </td>
              </tr>
              <tr data-span="quarter">
                <th scope="row">{t('partner-home.thisQuarter', { period: quarter })}</th>
                <td className="num">
                  <Money minor={f.periodEarnedMinor} currency={f.currency} />
                </td>
                <td className="num">
                  <Money minor={f.periodPaidMinor} currency={f.currency} />
                </td>
              </tr>
              {f.periodProjectedMinor !== null && (
                <tr data-span="projected">
                  <th scope="row">{t('partner-home.projected', { period: quarter })}</th>
                  <td className="num">
                    <Money minor={f.periodProjectedMinor} currency={f.currency} />
                  </td>
                  <td className="num muted">{t('partner-home.atClose')}</td>
                </tr>
              )}
            </tbody>
          </table>
          {f.provisional && (
            <p className="hint">
              <Badge tone="warn">{t('partner-home.provisional')}</Badge> {t('partner-home.provisionalHint')}
            </p>
          )}
        </div>
      ))}
      {p.nextPayout && (
        <p className="home-payout" data-testid="home-payout">
          {t('partner-home.nextPayout', {
            period: p.nextPayout.period,
            closeOn: formatDate(p.nextPayout.closeOn),
            payOn: formatDate(p.nextPayout.payOn),
          })}
        </p>
      )}
    </>
  );
}

function ChartBlock({ program: p }: { program: PartnerHomeProgram }) {
  const t = useT();
  if (!p.year || !p.asOf) return null;
  const to = p.year.to && p.year.to < p.asOf ? p.year.to : p.asOf;
  const charts = earningsCharts(p.monthly, p.components, p.year.from, to);
  if (charts.length === 0) return null;
  return (
    <>
      {charts.map((c) => (
        <EarningsChart
          key={c.currency}
          chart={c}
          title={t('partner-home.chart.title', { version: p.year?.version })}
        />
      ))}
    </>
  );
}

function WorkBlock({ program: p }: { program: PartnerHomeProgram }) {
  const t = useT();
  const r = p.registrations;
  const s = p.statements;
  return (
    <div className="home-work">
      <section aria-label={t('partner-home.registrations.title')}>
        <h4>{t('partner-home.registrations.title')}</h4>
        <p>
          {t('partner-home.registrations.awaiting', { count: r.awaitingReview })}{' '}
          <Link to="/deals">{t('partner-home.registrations.open')}</Link>
        </p>
        {r.protected.length > 0 && (
          <ul className="plain-list home-list" aria-label={t('partner-home.registrations.protectedList')}>
            {r.protected.map((d) => (
              <li key={d.id}>
                <Link to={detailPath('deals', d.id)}>{d.customerName}</Link>{' '}
                <Money minor={d.totalMinor} currency={d.currency} />{' '}
                <Badge tone={d.daysLeft <= 14 ? 'warn' : 'ok'}>
                  {t('partner-home.registrations.daysLeft', { count: d.daysLeft })}
                </Badge>{' '}
                <span className="muted">
                  {t('partner-home.registrations.until', { date: formatDate(d.protectedUntil) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label={t('partner-home.offers.title')}>
        <h4>{t('partner-home.offers.title')}</h4>
        {p.offers.length === 0 ? (
          <p className="muted">{t('partner-home.offers.none')}</p>
        ) : (
          <ul className="plain-list home-list">
            {p.offers.map((o) => (
              <li key={o.id}>
                <Link to={detailPath('offers', o.id)}>
                  {t('partner-home.offers.offer', { order: o.routedOrderId })}
                </Link>{' '}
                <span className="muted">
                  {t('partner-home.offers.deadline', { date: formatDate(o.deadline) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label={t('partner-home.statements.title')}>
        <h4>{t('partner-home.statements.title')}</h4>
        <p>{t('partner-home.statements.toRead', { count: s.toRead })}</p>
        {s.latest.length > 0 && (
          <ul className="plain-list home-list">
            {s.latest.map((st) => (
              <li key={st.id}>
                <Link to={detailPath('statements', st.id)}>
                  {t('partner-home.statements.statement', { period: st.period, sequence: st.sequence })}
                </Link>{' '}
                <Badge tone={st.status === 'paid' ? 'ok' : st.status === 'draft' ? 'neutral' : 'info'}>
                  {statementStatus(t, st.status)}
                </Badge>{' '}
                <Money minor={st.totalMinor} currency={st.currency} />{' '}
                {st.payout &&
                  (st.payout.totalMinor === null ? (
                    <span className="muted">
                      {t('partner-home.statements.paidInLater', { currency: st.payout.currency })}{' '}
                    </span>
                  ) : (
                    <>
                      {t('partner-home.statements.paidAs')}{' '}
                      <Money minor={st.payout.totalMinor} currency={st.payout.currency} />{' '}
                    </>
                  ))}
                <span className="muted">
                  {t('partner-home.statements.payOn', { date: formatDate(st.payOn) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label={t('partner-home.certifications.title')}>
        <h4>{t('partner-home.certifications.title')}</h4>
        {p.certificationsExpiring.length === 0 ? (
          <p className="muted">{t('partner-home.certifications.none')}</p>
        ) : (
          <ul className="plain-list home-list">
            {p.certificationsExpiring.map((c) => (
              <li key={c.id}>
                <strong>{c.code}</strong> ({c.kind}, {c.family}) {c.personName}{' '}
                <Badge tone={c.daysLeft <= 14 ? 'warn' : 'neutral'}>
                  {t('partner-home.certifications.daysLeft', { count: c.daysLeft })}
                </Badge>{' '}
                <span className="muted">
                  {t('partner-home.certifications.on', { date: formatDate(c.expiresOn) })}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function statementStatus(t: T, status: string): string {
  switch (status) {
    case 'draft':
      return t('partner-home.statements.status.draft');
    case 'issued':
      return t('partner-home.statements.status.issued');
    case 'approved':
      return t('partner-home.statements.status.approved');
    case 'paid':
      return t('partner-home.statements.status.paid');
    case 'void':
      return t('partner-home.statements.status.void');
    default:
      return status;
  }
}

function DistributorBlock({
  program: p,
  distributor,
}: {
  program: PartnerHomeProgram;
  distributor: NonNullable<PartnerHomeProgram['distributor']>;
}) {
  const t = useT();
  const quarter = p.currentPeriod ?? t('partner-home.thisQuarterBare');
  return (
    <section className="home-distributor" aria-label={t('partner-home.distributor.title')}>
      <h4>{t('partner-home.distributor.title')}</h4>
      {distributor.sellOut.length === 0 ? (
        <p className="muted">{t('partner-home.distributor.noSellOut')}</p>
      ) : (
        <table className="compact">
          <thead>
            <tr>
              <th scope="col">{t('partner-home.distributor.currency')}</th>
              <th scope="col" className="num">
                {t('partner-home.thisYear', { version: p.year?.version ?? '' })}
              </th>
              <th scope="col" className="num">
                {t('partner-home.thisQuarter', { period: quarter })}
              </th>
              <th scope="col" className="num">
                {t('partner-home.distributor.resellers')}
              </th>
            </tr>
          </thead>
          <tbody>
            {distributor.sellOut.map((s) => (
              <tr key={s.currency}>
                <th scope="row">{s.currency}</th>
                <td className="num">
                  <Money minor={s.yearMinor} currency={s.currency} />
                </td>
                <td className="num">
                  <Money minor={s.periodMinor} currency={s.currency} />
                </td>
                <td className="num">{formatNumber(s.resellers)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {distributor.resellers.length > 0 && (
        <details>
          <summary>{t('partner-home.distributor.supplied', { count: distributor.resellers.length })}</summary>
          <ul className="plain-list home-list">
            {distributor.resellers.map((r) => (
              <li key={r.id}>
                {r.name} <span className="muted">({r.country})</span>{' '}
                <span className="muted">
                  {t('partner-home.distributor.since', { date: formatDate(r.since) })}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function CrossVendorRewards() {
  const t = useT();
  const list = useGet('/api/agreements');
  const items = list.data?.items ?? [];
  return (
    <section className="section" aria-labelledby="home-cross-vendor">
      <h2 id="home-cross-vendor">{t('partner-home.rewards.title')}</h2>
      <p className="muted">{t('partner-home.rewards.intro')}</p>
      {list.problem && <ErrorBanner problem={list.problem} onRetry={list.reload} />}
      {list.status === 'loading' && !list.data && <Loading what={t('partner-home.rewards.loading')} />}
      {list.data && items.length === 0 && <Empty>{t('partner-home.rewards.none')}</Empty>}
      {items.map((a) => (
        <AgreementRewards key={a.id} summary={a} />
      ))}
    </section>
  );
}

function AgreementRewards({ summary }: { summary: AgreementSummary }) {
  const t = useT();
  const explain = useExplain();
  const detail = useGet('/api/agreements/{agreementId}', { params: { path: { agreementId: summary.id } } });
  const d = detail.data;
  const headingId = `home-agreement-${summary.id}`;
  const parties = summary.parties.map((p) => p.name).join(t('partner-home.rewards.and'));
  const span = t('partner-home.rewards.span', {
    from: formatDate(summary.effectiveFrom),
    to: summary.effectiveTo ? formatDate(summary.effectiveTo) : t('partner-home.openEnded'),
  });
  return (
    <article className="card home-agreement" aria-labelledby={headingId}>
      <h3 id={headingId}>
        <Link to={detailPath('agreements', summary.id)}>{summary.name}</Link>{' '}
        <AgreementStatusBadge status={summary.status} />
      </h3>
      <p className="subtitle">
        {parties}, {span}
        {summary.notice &&
          (summary.status === 'terminated'
            ? t('partner-home.rewards.terminatedOn', { date: formatDate(summary.notice.effectiveDate) })
            : t('partner-home.rewards.noticeEndsOn', { date: formatDate(summary.notice.effectiveDate) }))}
      </p>
      {detail.problem && <ErrorBanner problem={detail.problem} onRetry={detail.reload} />}
      {!d && !detail.problem && <Loading what={t('partner-home.rewards.loadingRewards')} />}
      {d && d.rewards.length === 0 && <Empty>{t('partner-home.rewards.noReward')}</Empty>}
      {d && d.rewards.length > 0 && (
        <>
          <p>
            {d.rewardTotals.map((x, i) => (
              <span key={x.currency}>
                {i > 0 && '; '}
                <Money minor={x.totalMinor} currency={x.currency} />{' '}
                {t('partner-home.rewards.earnedIn', { count: x.shares })}
              </span>
            ))}
          </p>
          <ul
            className="plain-list home-rewards"
            aria-label={t('partner-home.rewards.listLabel', { name: summary.name })}
          >
            {d.rewards.slice(0, REWARDS_SHOWN).map((r) => (
              <li key={r.id}>
                <time dateTime={r.completedOn}>{formatDate(r.completedOn)}</time>:{' '}
                <VendorName id={r.vendorId} /> {t('partner-home.rewards.funds')}{' '}
                <Money minor={r.shareMinor} currency={r.currency} />
                {r.rewardMinor !== null && (
                  <>
                    {' '}
                    {t('partner-home.rewards.of')} <Money minor={r.rewardMinor} currency={r.currency} />
                  </>
                )}
                <details>
                  <summary>{t('partner-home.rewards.why')}</summary>
                  <p className="explanation">{explain(r.explanation, r.explanationMessage)}</p>
                </details>
              </li>
            ))}
          </ul>
          {d.rewards.length > REWARDS_SHOWN && (
            <p>
              <Link to={detailPath('agreements', summary.id)}>
                {t('partner-home.rewards.all', { count: d.rewards.length })}
              </Link>
            </p>
          )}
        </>
      )}
    </article>
  );
}
