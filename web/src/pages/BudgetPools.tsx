/** What a program's budget pools have funded (GET /api/programs/{id}/budget-pools), for vendors. */
import { DataTable } from '../components/DataTable';
import { Badge, Empty, ErrorBanner, Loading, Money, SignedMoney } from '../components/ui';
import { useApi } from '../hooks';
import { formatPpmPercent } from '../lib/money';
import { usedBarPercent } from '../lib/settlement';
import type { BudgetPool, BudgetPools } from './types';

function UsageBar({ pool }: { pool: BudgetPool }) {
  const width = usedBarPercent(pool.usedPpm);
  const text = formatPpmPercent(pool.usedPpm);
  return (
    <span className="bar-cell">
      <span
        className="bar"
        role="progressbar"
        aria-label={`${pool.name}: share of the budget used`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(width)}
        aria-valuetext={`${text} used`}
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
  const state = useApi<BudgetPools>(`/api/programs/${encodeURIComponent(programId)}/budget-pools`);
  const data = state.status === 'ok' ? state.data : null;
  return (
    <section aria-labelledby="budget-usage" className="section budget-usage">
      <h2 id="budget-usage">Budget pool usage</h2>
      <p className="muted">
        What each pool has funded so far{data ? ` (version ${data.version})` : ''}: accrued from the ledger,
        paid by payouts, and what remains.
      </p>
      {state.status === 'loading' && <Loading what="Loading budget pools" />}
      {state.problem && <ErrorBanner problem={state.problem} onRetry={state.reload} />}
      {data &&
        (data.pools.length === 0 ? (
          <Empty>This program has no budget pools.</Empty>
        ) : (
          <DataTable<BudgetPool>
            caption="Budget pool usage"
            rows={data.pools}
            rowKey={(p) => p.code}
            columns={[
              {
                key: 'pool',
                header: 'Pool',
                render: (p) => (
                  <>
                    {p.name} <code>{p.code}</code>
                  </>
                ),
              },
              { key: 'components', header: 'Funds', render: (p) => p.components.join(', ') },
              {
                key: 'amount',
                header: 'Budget',
                numeric: true,
                render: (p) => <Money minor={p.amountMinor} currency={p.currency} />,
              },
              {
                key: 'accrued',
                header: 'Accrued',
                numeric: true,
                render: (p) => <Money minor={p.accruedMinor} currency={p.currency} />,
              },
              {
                key: 'paid',
                header: 'Paid',
                numeric: true,
                render: (p) => <Money minor={p.paidMinor} currency={p.currency} />,
              },
              {
                key: 'remaining',
                header: 'Remaining',
                numeric: true,
                render: (p) => <SignedMoney minor={p.remainingMinor} currency={p.currency} />,
              },
              { key: 'used', header: 'Used', render: (p) => <UsageBar pool={p} /> },
              {
                key: 'exhausted',
                header: 'When exhausted',
                render: (p) => (
                  <>
                    {p.onExhausted}{' '}
                    {p.exhausted ? <Badge tone="bad">exhausted</Badge> : <Badge tone="ok">available</Badge>}
                    {p.overrunMinor > 0 && (
                      <>
                        {' '}
                        overrun <Money minor={p.overrunMinor} currency={p.currency} />
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
