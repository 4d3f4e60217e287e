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
import { formatDate, formatNumber, plainT, useExplain, useT } from '../i18n';
import type { ListSpec } from '../lib/query';
import { detailPath } from '../lib/routes';
import { engagementLabel } from '../lib/engagement';
import type { Message } from '../lib/messages';
import { formatPpmPercent } from '../lib/money';
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
  differences: { what: string; family: string | null; sentence: string; sentenceMessage?: Message | null }[];
  notCarried: { kind: string; id: string; why: string; whyMessage?: Message | null }[];
}

function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <Badge tone={status === 'carried' ? 'ok' : 'warn'}>
      <span data-status={status}>
        {status === 'carried' ? t('programs.transfers.carried') : t('programs.transfers.carriedAccepted')}
      </span>
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

const KIND = { split: 'programs.transfers.kind.split', merge: 'programs.transfers.kind.merge' } as const;

export function TransfersPage() {
  const t = useT();
  const filters: FilterField[] = [
    {
      name: 'kind',
      label: t('programs.transfers.kindLabel'),
      kind: 'select',
      options: [
        { value: 'split', label: t('programs.transfers.split') },
        { value: 'merge', label: t('programs.transfers.merge') },
      ],
    },
  ];
  return (
    <ListPage<ProgramTransfer>
      title={t('programs.transfers.title')}
      path="/transfers"
      endpoint="/api/program-transfers"
      spec={spec}
      noun="transfer"
      intro={<p className="subtitle">{t('programs.transfers.intro')}</p>}
      filters={filters}
      rowKey={(x) => x.id}
      columns={[
        {
          key: 'id',
          header: t('programs.transfers.transfer'),
          render: (x) => (
            <Link to={detailPath('transfers', x.id)}>
              {t(KIND[x.kind])} <code>{x.id}</code>
            </Link>
          ),
        },
        {
          key: 'onDay',
          header: t('programs.transfers.on'),
          sort: 'onDay',
          render: (x) => formatDate(x.onDay),
        },
        {
          key: 'into',
          header: t('programs.transfers.into'),
          render: (x) => <ProgramLink id={x.targetProgramId} />,
        },
        {
          key: 'partners',
          header: t('programs.transfers.partners'),
          numeric: true,
          render: (x) => formatNumber(x.counts.partners),
        },
        {
          key: 'differences',
          header: t('programs.transfers.differences'),
          numeric: true,
          render: (x) => formatNumber(x.counts.differences),
        },
        {
          key: 'status',
          header: t('programs.transfers.status'),
          render: (x) => <StatusBadge status={x.status} />,
        },
        {
          key: 'created',
          header: t('programs.transfers.recorded'),
          sort: 'createdAt',
          render: (x) => <LocalTime value={x.createdAt} />,
        },
      ]}
    />
  );
}

/** /transfers/{id}: one transfer and each partner's check. */
export function TransferDetailPage({ id }: { id: string }) {
  const t = useT();
  const explain = useExplain();
  const state = useApi<ProgramTransfer & { partners: TransferPartner[] }>(
    `/api/program-transfers/${encodeURIComponent(id)}`,
  );
  const x = state.data;
  return (
    <>
      <p className="crumbs">
        <Link to="/transfers">{t('programs.transfers.back')}</Link>
      </p>
      {state.status === 'loading' && !x && <Loading what={t('programs.transfers.loading')} />}
      {state.problem && (
        <>
          <PageHeading title={t('programs.transfers.titleOf', { id })} />
          <ErrorBanner problem={state.problem} onRetry={state.reload} />
        </>
      )}
      {x && (
        <>
          <PageHeading
            title={
              x.kind === 'split'
                ? t('programs.transfers.splitOn', { day: formatDate(x.onDay) })
                : t('programs.transfers.mergeOn', { day: formatDate(x.onDay) })
            }
          >
            <p className="subtitle">
              <StatusBadge status={x.status} /> · <code>{x.id}</code>
            </p>
          </PageHeading>
          <Fields
            items={[
              [
                x.kind === 'split' ? t('programs.transfers.from') : t('programs.transfers.legacyPrograms'),
                <span key="f">
                  {x.sourceProgramIds.map((p, i) => (
                    <span key={p}>
                      {i > 0 && ', '}
                      <ProgramLink id={p} />
                    </span>
                  ))}
                </span>,
              ],
              [t('programs.transfers.into'), <ProgramLink key="i" id={x.targetProgramId} />],
              [t('programs.transfers.checkedOn'), formatDate(x.checkDay)],
              [
                t('programs.transfers.grandfatheredUntil'),
                x.grandfatherUntil && formatDate(x.grandfatherUntil),
              ],
              [t('programs.transfers.partners'), formatNumber(x.counts.partners)],
              [t('programs.transfers.newEnrolments'), formatNumber(x.counts.enrolments)],
              [t('programs.transfers.tiersWritten'), formatNumber(x.counts.memberships)],
              [t('programs.transfers.certificationsCarried'), formatNumber(x.counts.certifications)],
              [t('programs.transfers.itemsNotCarried'), formatNumber(x.counts.notCarried)],
              [t('programs.transfers.recorded'), <LocalTime key="r" value={x.createdAt} />],
            ]}
          />
          <section className="section" aria-labelledby="transfer-check">
            <h2 id="transfer-check">{t('programs.transfers.check')}</h2>
            {x.partners.length === 0 ? (
              <Empty>{t('programs.transfers.noPartners')}</Empty>
            ) : (
              <TableWrap label={t('programs.transfers.partnersCarried')}>
                <table className="transfer-check">
                  <caption className="visually-hidden">{t('programs.transfers.checkCaption')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('programs.transfers.partner')}</th>
                      <th scope="col">{t('programs.transfers.from')}</th>
                      <th scope="col">{t('programs.transfers.promised')}</th>
                      <th scope="col">{t('programs.transfers.held')}</th>
                      <th scope="col">{t('programs.transfers.rates')}</th>
                      <th scope="col">{t('programs.transfers.checkHeader')}</th>
                      <th scope="col">{t('programs.transfers.notCarried')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {x.partners.map((p) => (
                      <tr key={p.partnerId}>
                        <th scope="row">
                          <Link to={detailPath('partners', p.partnerId)}>{p.partnerName}</Link>
                        </th>
                        <td>{p.sourceTier}</td>
                        <td>{p.promisedTier}</td>
                        <td>{p.heldTier ?? t('programs.transfers.none')}</td>
                        <td>
                          {p.rates.length === 0
                            ? t('programs.transfers.tierOnly')
                            : p.rates
                                .map(
                                  (r) =>
                                    `${engagementLabel(plainT(t), 'family', r.family)} ${formatPpmPercent(r.source)}${r.target === r.source ? '' : ` → ${formatPpmPercent(r.target)}`}`,
                                )
                                .join(', ')}
                        </td>
                        <td>
                          {p.ok ? (
                            <Badge tone="ok">{t('programs.transfers.noChange')}</Badge>
                          ) : (
                            <>
                              <Badge tone="warn">
                                {p.accepted
                                  ? t('programs.transfers.accepted')
                                  : t('programs.transfers.differs')}
                              </Badge>
                              <ul className="plain">
                                {p.differences.map((d) => (
                                  <li key={`${d.what}-${d.family ?? ''}`}>
                                    {explain(d.sentence, d.sentenceMessage)}
                                  </li>
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
                                  {n.kind} <code>{n.id}</code>: {explain(n.why, n.whyMessage)}
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
