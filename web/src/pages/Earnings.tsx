/**
 * What a partner has earned, been paid and is projected to earn (GET /api/partners/{id}/earnings): per
 * program and period, with the breakdown by incentive component and whether the period is closed.
 */
import { DataTable } from '../components/DataTable';
import { ProgramLink } from '../components/refs';
import { Badge, Empty, ErrorBanner, Loading, Money, SignedMoney } from '../components/ui';
import { useGet, useMe, usePrograms } from '../hooks';
import { canReadSettlement } from '../lib/access';
import { formatNumber, plainT, useT } from '../i18n';
import { earningsBadge, periodsByProgram, totalsByCurrency, type CurrencyTotals } from '../lib/settlement';
import { Link } from '../router';
import type { EarningsComponent, EarningsPeriod } from './types';

export function EarningsSection({ partnerId }: { partnerId: string }) {
  const t = useT();
  const state = useGet('/api/partners/{partnerId}/earnings', { params: { path: { partnerId } } });
  const programs = usePrograms();
  const me = useMe();
  const nameOf = (id: string) => programs.data?.items.find((p) => p.id === id)?.name ?? id;
  const data = state.status === 'ok' ? state.data : null;
  const badge = data ? earningsBadge(plainT(t), data.periods) : null;
  return (
    <section aria-labelledby="earnings" className="section earnings">
      <h2 id="earnings">
        {t('settle.earnings.title')} {badge && <Badge tone={badge.tone}>{badge.text}</Badge>}
      </h2>
      <p className="muted">{t('settle.earnings.intro')}</p>
      {state.status === 'loading' && <Loading what={t('settle.earnings.loading')} />}
      {state.problem && <ErrorBanner problem={state.problem} onRetry={state.reload} />}
      {data &&
        (data.periods.length === 0 ? (
          <Empty>{t('settle.earnings.none')}</Empty>
        ) : (
          <>
            <TotalsTable totals={totalsByCurrency(data.periods)} />
            {periodsByProgram(data.periods).map(([programId, periods]) => (
              <div key={programId} className="earnings-program">
                <h3>
                  <ProgramLink id={programId} />
                </h3>
                <PeriodsTable
                  caption={t('settle.earnings.byPeriod', { program: nameOf(programId) })}
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
  const t = useT();
  return (
    <DataTable<CurrencyTotals>
      caption={t('settle.earnings.totals')}
      rows={totals}
      rowKey={(c) => c.currency}
      columns={[
        { key: 'currency', header: t('settle.earnings.currency'), render: (c) => c.currency },
        {
          key: 'earned',
          header: t('settle.earnings.earned'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.earnedMinor} currency={c.currency} />,
        },
        {
          key: 'paid',
          header: t('settle.earnings.paid'),
          numeric: true,
          render: (c) => <Money minor={c.paidMinor} currency={c.currency} />,
        },
        {
          key: 'unpaid',
          header: t('settle.earnings.unpaid'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.unpaidMinor} currency={c.currency} />,
        },
        {
          key: 'projected',
          header: t('settle.earnings.projected'),
          numeric: true,
          render: (c) => <SignedMoney minor={c.projectedMinor} currency={c.currency} />,
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
  const t = useT();
  return (
    <DataTable<EarningsPeriod>
      caption={caption}
      rows={periods}
      rowKey={(p) => `${p.period}/${p.currency}`}
      columns={[
        {
          key: 'period',
          header: t('settle.earnings.period'),
          render: (p) =>
            statementsLink ? (
              <Link
                to={`/statements?period=${encodeURIComponent(p.period)}&program=${encodeURIComponent(p.programId)}`}
                title={t('settle.earnings.statementsOfPeriod')}
              >
                {p.period}
              </Link>
            ) : (
              p.period
            ),
        },
        {
          key: 'status',
          header: t('settle.earnings.status'),
          render: (p) => (
            <Badge tone={p.closed ? 'ok' : 'warn'}>
              {p.closed ? t('settle.earnings.closed') : t('settle.earnings.provisionalStatus')}
            </Badge>
          ),
        },
        {
          key: 'earned',
          header: t('settle.earnings.earned'),
          numeric: true,
          render: (p) => <SignedMoney minor={p.earnedMinor} currency={p.currency} />,
        },
        {
          key: 'paid',
          header: t('settle.earnings.paid'),
          numeric: true,
          render: (p) => <Money minor={p.paidMinor} currency={p.currency} />,
        },
        {
          key: 'unpaid',
          header: t('settle.earnings.unpaid'),
          numeric: true,
          render: (p) => <SignedMoney minor={p.earnedMinor - p.paidMinor} currency={p.currency} />,
        },
        {
          key: 'projected',
          header: t('settle.earnings.projected'),
          numeric: true,
          render: (p) =>
            p.closed ? (
              <span className="muted">{t('settle.earnings.final')}</span>
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
  const t = useT();
  const money = (minor: number) => <SignedMoney minor={minor} currency={p.currency} />;
  const rows = [...p.components].sort((a, b) => a.component.localeCompare(b.component));
  return (
    <table className="compact components-breakdown">
      <caption className="visually-hidden">{t('settle.earnings.componentsOf', { period: p.period })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('settle.earnings.componentOf', { period: p.period })}</th>
          <th scope="col" className="num">
            {t('settle.earnings.perLine')}
          </th>
          <th scope="col" className="num">
            {t('settle.earnings.atClose')}
          </th>
          <th scope="col" className="num">
            {t('settle.earnings.earned')}
          </th>
          {!p.closed && (
            <th scope="col" className="num">
              {t('settle.earnings.projected')}
            </th>
          )}
          <th scope="col" className="num">
            {t('settle.earnings.entries')}
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
            <td className="num">{formatNumber(c.entries)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
