/**
 * What a partner has earned, been paid and is projected to earn (GET /api/partners/{id}/earnings): per
 * program and period, with the breakdown by incentive component and whether the period is closed.
 */
import { DataTable } from '../components/DataTable';
import { ProgramLink } from '../components/refs';
import { Badge, Empty, ErrorBanner, Loading, Money, SignedMoney } from '../components/ui';
import { useApi, useMe, usePrograms } from '../hooks';
import { canReadSettlement } from '../lib/access';
import { earningsBadge, periodsByProgram, totalsByCurrency, type CurrencyTotals } from '../lib/settlement';
import { Link } from '../router';
import type { EarningsComponent, EarningsPeriod, PartnerEarnings } from './types';

export function EarningsSection({ partnerId }: { partnerId: string }) {
  const state = useApi<PartnerEarnings>(`/api/partners/${encodeURIComponent(partnerId)}/earnings`);
  const programs = usePrograms();
  const me = useMe();
  const nameOf = (id: string) => programs.data?.items.find((p) => p.id === id)?.name ?? id;
  const data = state.status === 'ok' ? state.data : null;
  const badge = data ? earningsBadge(data.periods) : null;
  return (
    <section aria-labelledby="earnings" className="section earnings">
      <h2 id="earnings">Earnings {badge && <Badge tone={badge.tone}>{badge.text}</Badge>}</h2>
      <p className="muted">
        From the ledger. Earned: real-time accruals, close true-ups and accepted disputes. Paid: payouts.
        Projected: what a period (or a component) comes to: earned, plus for a period not closed yet what its
        close would post today (cross-sell, growth, caps and tier true-ups).
      </p>
      {state.status === 'loading' && <Loading what="Loading earnings" />}
      {state.problem && <ErrorBanner problem={state.problem} onRetry={state.reload} />}
      {data &&
        (data.periods.length === 0 ? (
          <Empty>Nothing earned yet: no rebate has been posted for this partner.</Empty>
        ) : (
          <>
            <TotalsTable totals={totalsByCurrency(data.periods)} />
            {periodsByProgram(data.periods).map(([programId, periods]) => (
              <div key={programId} className="earnings-program">
                <h3>
                  <ProgramLink id={programId} />
                </h3>
                <PeriodsTable
                  caption={`Earnings in ${nameOf(programId)} by period`}
                  periods={periods}
                  statementsLink={canReadSettlement(me.data)}
                />
              </div>
            ))}
          </>
        ))}
    </section>
  );
}

function TotalsTable({ totals }: { totals: readonly CurrencyTotals[] }) {
  return (
    <DataTable<CurrencyTotals>
      caption="Earnings totals"
      rows={totals}
      rowKey={(t) => t.currency}
      columns={[
        { key: 'currency', header: 'Currency', render: (t) => t.currency },
        {
          key: 'earned',
          header: 'Earned',
          numeric: true,
          render: (t) => <SignedMoney minor={t.earnedMinor} currency={t.currency} />,
        },
        {
          key: 'paid',
          header: 'Paid',
          numeric: true,
          render: (t) => <Money minor={t.paidMinor} currency={t.currency} />,
        },
        {
          key: 'unpaid',
          header: 'Not paid yet',
          numeric: true,
          render: (t) => <SignedMoney minor={t.unpaidMinor} currency={t.currency} />,
        },
        {
          key: 'projected',
          header: 'Projected',
          numeric: true,
          render: (t) => <SignedMoney minor={t.projectedMinor} currency={t.currency} />,
        },
      ]}
    />
  );
}

function PeriodsTable({
  caption,
  periods,
  statementsLink,
}: {
  caption: string;
  periods: readonly EarningsPeriod[];
  statementsLink: boolean;
}) {
  return (
    <DataTable<EarningsPeriod>
      caption={caption}
      rows={periods}
      rowKey={(p) => `${p.period}/${p.currency}`}
      columns={[
        {
          key: 'period',
          header: 'Period',
          render: (p) =>
            statementsLink ? (
              <Link
                to={`/statements?period=${encodeURIComponent(p.period)}&program=${encodeURIComponent(p.programId)}`}
                title="Statements of this period"
              >
                {p.period}
              </Link>
            ) : (
              p.period
            ),
        },
        {
          key: 'status',
          header: 'Status',
          render: (p) => <Badge tone={p.closed ? 'ok' : 'warn'}>{p.closed ? 'closed' : 'provisional'}</Badge>,
        },
        {
          key: 'earned',
          header: 'Earned',
          numeric: true,
          render: (p) => <SignedMoney minor={p.earnedMinor} currency={p.currency} />,
        },
        {
          key: 'paid',
          header: 'Paid',
          numeric: true,
          render: (p) => <Money minor={p.paidMinor} currency={p.currency} />,
        },
        {
          key: 'unpaid',
          header: 'Not paid yet',
          numeric: true,
          render: (p) => <SignedMoney minor={p.earnedMinor - p.paidMinor} currency={p.currency} />,
        },
        {
          key: 'projected',
          header: 'Projected',
          numeric: true,
          render: (p) =>
            p.closed ? (
              <span className="muted">final</span>
            ) : (
              <SignedMoney minor={p.projectedMinor} currency={p.currency} />
            ),
        },
      ]}
      expanded={(p) => (p.components.length > 0 ? <ComponentsBreakdown period={p} /> : null)}
    />
  );
}

function ComponentsBreakdown({ period: p }: { period: EarningsPeriod }) {
  const money = (minor: number) => <SignedMoney minor={minor} currency={p.currency} />;
  const rows = [...p.components].sort((a, b) => a.component.localeCompare(b.component));
  return (
    <table className="compact components-breakdown">
      <caption className="visually-hidden">{`Components of ${p.period}`}</caption>
      <thead>
        <tr>
          <th scope="col">Component of {p.period}</th>
          <th scope="col" className="num">
            Per line
          </th>
          <th scope="col" className="num">
            At close
          </th>
          <th scope="col" className="num">
            Earned
          </th>
          {!p.closed && (
            <th scope="col" className="num">
              Projected
            </th>
          )}
          <th scope="col" className="num">
            Entries
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((c: EarningsComponent) => (
          <tr key={c.component}>
            <th scope="row">
              <code>{c.component}</code>
            </th>
            <td className="num">{money(c.accruedMinor)}</td>
            <td className="num">{money(c.closeMinor)}</td>
            <td className="num">{money(c.accruedMinor + c.closeMinor)}</td>
            {!p.closed && <td className="num">{money(c.projectedMinor)}</td>}
            <td className="num">{c.entries.toLocaleString('en-US')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
