/**
 * Program transfers, read-only (GET /api/program-transfers, /api/program-transfers/{id}): the splits and
 * merges the signed-in vendor is party to, and one transfer's check per partner: the tier promised and
 * held the day after, the benefit rate per family in the source and the target, the differences, and what
 * could not be carried with why. Transfers are started from the CLI or the API (docs/transfers.md).
 */
import { LocalTime } from '../components/deals';
import { ListPage, type FilterField } from '../components/ListPage';
import { ProgramLink } from '../components/refs';
import { Badge, Empty, ErrorBanner, Fields, Loading, PageHeading, TableWrap } from '../components/ui';
import { useApi } from '../hooks';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { Link } from '../router';

export interface ProgramTransfer {
  id: string;
  kind: 'split' | 'merge';
  status: string;
  sourceProgramIds: string[];
  targetVendorId: string;
  targetProgramId: string;
  onDay: string;
  checkDay: string;
  grandfatherUntil: string | null;
  counts: {
    partners: number;
    enrolments: number;
    memberships: number;
    certifications: number;
    notCarried: number;
    differences: number;
  };
  parties: { vendorId: string; role: string }[];
  createdAt: string;
}

export interface TransferPartner {
  partnerId: string;
  partnerName: string;
  sourceTier: string;
  promisedTier: string;
  heldTier: string | null;
  enrolled: boolean;
  certifications: number;
  ok: boolean;
  accepted: boolean;
  rates: { family: string; source: number; target: number }[];
  differences: { what: string; family: string | null; sentence: string }[];
  notCarried: { kind: string; id: string; why: string }[];
}

/** ppm -> "4%" / "4.5%". */
const percent = (ppm: number) => `${Number((ppm / 10_000).toFixed(4))}%`;

function StatusBadge({ status }: { status: string }) {
  return (
    <Badge tone={status === 'carried' ? 'ok' : 'warn'}>
      <span data-status={status}>{status === 'carried' ? 'carried' : 'carried, differences accepted'}</span>
    </Badge>
  );
}

const spec: ListSpec = {
  filters: ['kind'],
  sorts: ['createdAt', 'onDay'],
  defaultSort: 'createdAt',
  defaultLimit: 50,
  defaultDirection: 'desc',
};

export function TransfersPage() {
  const filters: FilterField[] = [
    {
      name: 'kind',
      label: 'Kind',
      kind: 'select',
      options: [
        { value: 'split', label: 'Split' },
        { value: 'merge', label: 'Merge' },
      ],
    },
  ];
  return (
    <ListPage<ProgramTransfer>
      title="Program transfers"
      path="/transfers"
      endpoint="/api/program-transfers"
      spec={spec}
      noun="transfer"
      intro={
        <p className="subtitle">
          Partner bases carried into another vendor’s program (splits) or legacy programs merged into one,
          where your vendor is the source or the target. Open one for each partner’s check: no change on the
          day after.
        </p>
      }
      filters={filters}
      rowKey={(t) => t.id}
      columns={[
        {
          key: 'id',
          header: 'Transfer',
          render: (t) => (
            <Link to={detailPath('transfers', t.id)}>
              {t.kind} <code>{t.id}</code>
            </Link>
          ),
        },
        { key: 'onDay', header: 'On', sort: 'onDay', render: (t) => t.onDay },
        { key: 'into', header: 'Into', render: (t) => <ProgramLink id={t.targetProgramId} /> },
        { key: 'partners', header: 'Partners', numeric: true, render: (t) => t.counts.partners },
        { key: 'differences', header: 'Differences', numeric: true, render: (t) => t.counts.differences },
        { key: 'status', header: 'Status', render: (t) => <StatusBadge status={t.status} /> },
        {
          key: 'created',
          header: 'Recorded',
          sort: 'createdAt',
          render: (t) => <LocalTime value={t.createdAt} />,
        },
      ]}
    />
  );
}

/** /transfers/{id}: one transfer and each partner's check. */
export function TransferDetailPage({ id }: { id: string }) {
  const state = useApi<ProgramTransfer & { partners: TransferPartner[] }>(
    `/api/program-transfers/${encodeURIComponent(id)}`,
  );
  const t = state.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/transfers">← Program transfers</Link>
      </p>
      {state.status === 'loading' && !t && <Loading what="Loading the transfer" />}
      {state.problem && (
        <>
          <PageHeading title={`Transfer ${id}`} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {t && (
        <>
          <PageHeading title={`${t.kind === 'split' ? 'Split' : 'Merge'} on ${t.onDay}`}>
            <p className="subtitle">
              <StatusBadge status={t.status} /> · <code>{t.id}</code>
            </p>
          </PageHeading>
          <Fields
            items={[
              [
                t.kind === 'split' ? 'From' : 'Legacy programs',
                <span key="f">
                  {t.sourceProgramIds.map((p, i) => (
                    <span key={p}>
                      {i > 0 && ', '}
                      <ProgramLink id={p} />
                    </span>
                  ))}
                </span>,
              ],
              ['Into', <ProgramLink key="i" id={t.targetProgramId} />],
              ['Checked on', t.checkDay],
              ['Grandfathered until', t.grandfatherUntil],
              ['Partners', String(t.counts.partners)],
              ['New enrolments', String(t.counts.enrolments)],
              ['Tiers written', String(t.counts.memberships)],
              ['Certifications carried', String(t.counts.certifications)],
              ['Items not carried', String(t.counts.notCarried)],
              ['Recorded', <LocalTime key="r" value={t.createdAt} />],
            ]}
          />
          <section className="section" aria-labelledby="transfer-check">
            <h2 id="transfer-check">The check, per partner</h2>
            {t.partners.length === 0 ? (
              <Empty>No partner was carried.</Empty>
            ) : (
              <TableWrap label="Partners carried">
                <table className="transfer-check">
                  <caption className="visually-hidden">
                    Each partner: the tier promised and held on the check day, and its rate per family
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Partner</th>
                      <th scope="col">From</th>
                      <th scope="col">Promised</th>
                      <th scope="col">Held</th>
                      <th scope="col">Rates (source → target)</th>
                      <th scope="col">Check</th>
                      <th scope="col">Not carried</th>
                    </tr>
                  </thead>
                  <tbody>
                    {t.partners.map((p) => (
                      <tr key={p.partnerId}>
                        <th scope="row">
                          <Link to={detailPath('partners', p.partnerId)}>{p.partnerName}</Link>
                        </th>
                        <td>{p.sourceTier}</td>
                        <td>{p.promisedTier}</td>
                        <td>{p.heldTier ?? 'none'}</td>
                        <td>
                          {p.rates.length === 0
                            ? 'tier only'
                            : p.rates
                                .map(
                                  (r) =>
                                    `${r.family} ${percent(r.source)}${r.target === r.source ? '' : ` → ${percent(r.target)}`}`,
                                )
                                .join(', ')}
                        </td>
                        <td>
                          {p.ok ? (
                            <Badge tone="ok">no change</Badge>
                          ) : (
                            <>
                              <Badge tone="warn">{p.accepted ? 'accepted' : 'differs'}</Badge>
                              <ul className="plain">
                                {p.differences.map((d) => (
                                  <li key={`${d.what}-${d.family ?? ''}`}>{d.sentence}</li>
                                ))}
                              </ul>
                            </>
                          )}
                        </td>
                        <td>
                          {p.notCarried.length === 0 ? (
                            '—'
                          ) : (
                            <ul className="plain">
                              {p.notCarried.map((n) => (
                                <li key={`${n.kind}-${n.id}`}>
                                  {n.kind} <code>{n.id}</code>: {n.why}
                                </li>
                              ))}
                            </ul>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            )}
          </section>
        </>
      )}
    </>
  );
}
