/** What a program's budget pools have funded (GET /api/programs/{id}/budget-pools), for vendors. */
import { DataTable } from '../components/DataTable';
import { Badge, Empty, ErrorBanner, Loading, Money, SignedMoney } from '../components/ui';
import { useApi } from '../hooks';
import { formatPpmPercent } from '../lib/money';
import { Trans } from 'react-i18next';
import { enumText } from '../components/settlement';
import { useT } from '../i18n';
import { usedBarPercent } from '../lib/settlement';
import type { BudgetPool, BudgetPools } from './types';

function UsageBar({ pool }: { pool: BudgetPool }) {
  const t = useT();
  const width = usedBarPercent(pool.usedPpm);
  const text = formatPpmPercent(pool.usedPpm);
  return (
    <span className="bar-cell">
      <span
        className="bar"
        role="progressbar"
        aria-label={t('settle.budget.shareUsed', { pool: pool.name })}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(width)}
        aria-valuetext={t('settle.budget.used', { percent: text })}
      >
        <span className={pool.exhausted ? 'bar-fill bar-over' : 'bar-fill'} style={{ width: `${width}%` }} />
      </span>
      <span className="bar-text" aria-hidden="true">
        {text}
      </span>
    </span>
  );
}

export function BudgetPoolsSection({ programId }: { programId: string }) {
  const t = useT();
  const state = useApi<BudgetPools>(`/api/programs/${encodeURIComponent(programId)}/budget-pools`);
  const data = state.status === 'ok' ? state.data : null;
  return (
    <section aria-labelledby="budget-usage" className="section budget-usage">
      <h2 id="budget-usage">{t('settle.budget.title')}</h2>
      <p className="muted">
        {data ? t('settle.budget.introVersion', { version: data.version }) : t('settle.budget.intro')}
      </p>
      {state.status === 'loading' && <Loading what={t('settle.budget.loading')} />}
      {state.problem && <ErrorBanner problem={state.problem} onRetry={state.reload} />}
      {data &&
        (data.pools.length === 0 ? (
          <Empty>{t('settle.budget.none')}</Empty>
        ) : (
          <DataTable<BudgetPool>
            caption={t('settle.budget.title')}
            rows={data.pools}
            rowKey={(p) => p.code}
            columns={[
              {
                key: 'pool',
                header: t('settle.budget.pool'),
                render: (p) => (
                  <>
                    {p.name} <code>{p.code}</code>
                  </>
                ),
              },
              { key: 'components', header: t('settle.budget.funds'), render: (p) => p.components.join(', ') },
              {
                key: 'amount',
                header: t('settle.budget.budget'),
                numeric: true,
                render: (p) => <Money minor={p.amountMinor} currency={p.currency} />,
              },
              {
                key: 'accrued',
                header: t('settle.budget.accrued'),
                numeric: true,
                render: (p) => <Money minor={p.accruedMinor} currency={p.currency} />,
              },
              {
                key: 'paid',
                header: t('settle.budget.paid'),
                numeric: true,
                render: (p) => <Money minor={p.paidMinor} currency={p.currency} />,
              },
              {
                key: 'remaining',
                header: t('settle.budget.remaining'),
                numeric: true,
                render: (p) => <SignedMoney minor={p.remainingMinor} currency={p.currency} />,
              },
              { key: 'used', header: t('settle.budget.usedHeader'), render: (p) => <UsageBar pool={p} /> },
              {
                key: 'exhausted',
                header: t('settle.budget.whenExhausted'),
                render: (p) => (
                  <>
                    {enumText(t, 'exhaustion', p.onExhausted)}{' '}
                    {p.exhausted ? (
                      <Badge tone="bad">{t('settle.budget.exhausted')}</Badge>
                    ) : (
                      <Badge tone="ok">{t('settle.budget.available')}</Badge>
                    )}
                    {p.overrunMinor > 0 && (
                      <>
                        {' '}
                        <Trans
                          i18nKey="settle.budget.overrun"
                          components={{ money: <Money minor={p.overrunMinor} currency={p.currency} /> }}
                        />
                      </>
                    )}
                  </>
                ),
              },
            ]}
          />
        ))}
    </section>
  );
}
