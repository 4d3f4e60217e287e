/** A program's tiers and statuses in force on a day (GET /api/programs/{id}/memberships). */
import { useEffect, useState } from 'react';
import { AsOfForm, programEndChoices } from '../components/AsOfForm';
import { DataTable } from '../components/DataTable';
import { Badge, Dash, Empty, ErrorBanner, IsoTime, Loading } from '../components/ui';
import { useApi } from '../hooks';
import { Trans } from 'react-i18next';
import { enumText } from '../components/settlement';
import { formatDate, formatNumber, useExplain, useT } from '../i18n';
import { detailPath } from '../lib/routes';
import { Link } from '../router';
import type { Membership, MembershipList, ProgramDetail } from './types';

/** Rows rendered at most; the count says how many there are. */
const SHOWN = 500;

/** A change made on the program page: the memberships are shown again (as of `asOf` when given). */
export interface MembershipsChange {
  readonly n: number;
  readonly asOf: string | null;
}

export function MembershipsSection({
  program,
  changed = { n: 0, asOf: null },
}: {
  program: ProgramDetail;
  changed?: MembershipsChange;
}) {
  const t = useT();
  const explain = useExplain();
  const [open, setOpen] = useState(false);
  const [asOf, setAsOf] = useState('');
  // Loaded when opened: a large program has thousands of memberships.
  const state = useApi<MembershipList>(
    open ? `/api/programs/${encodeURIComponent(program.id)}/memberships` : null,
    { asOf },
    { keepPrevious: true },
  );
  const { reload } = state;
  // A grant or an evaluation on this page changed the memberships: shown again, opened.
  useEffect(() => {
    if (changed.n === 0) return;
    setOpen(true);
    if (changed.asOf) setAsOf(changed.asOf);
    reload();
  }, [changed, reload]);
  const names = new Map<string, { name: string; invitationOnly: boolean }>();
  for (const v of program.versions) for (const tier of v.tiers) names.set(tier.code, tier);
  const data = state.status === 'error' ? null : state.data;
  const rows = data
    ? [...data.items].sort((a, b) => a.partnerId.localeCompare(b.partnerId) || a.code.localeCompare(b.code))
    : [];
  const counts = new Map<string, number>();
  for (const m of rows) counts.set(m.code, (counts.get(m.code) ?? 0) + 1);
  return (
    <section aria-labelledby="memberships" className="section memberships">
      <h2 id="memberships">{t('settle.memberships.title')}</h2>
      <p>
        <button
          type="button"
          className="button"
          aria-expanded={open}
          aria-controls="memberships-body"
          onClick={() => setOpen((o) => !o)}
        >
          {open ? t('settle.memberships.hide') : t('settle.memberships.show')}
        </button>{' '}
        <span className="muted">{t('settle.memberships.intro')}</span>
      </p>
      {open && (
        <div id="memberships-body">
          <AsOfForm
            idPrefix="memberships"
            value={asOf}
            onChange={setAsOf}
            quick={programEndChoices(program.versions)}
          />
          {state.problem && <ErrorBanner problem={state.problem} onRetry={state.reload} />}
          {state.status === 'loading' && !data && <Loading what={t('settle.memberships.loading')} />}
          {data &&
            (rows.length === 0 ? (
              <Empty>{t('settle.memberships.none', { date: formatDate(data.asOf) })}</Empty>
            ) : (
              <>
                <p>
                  <Trans
                    i18nKey={
                      rows.length > SHOWN ? 'settle.memberships.inForceFirst' : 'settle.memberships.inForce'
                    }
                    count={rows.length}
                    values={{
                      date: formatDate(data.asOf),
                      counts: [...counts.entries()]
                        .map(([code, n]) => `${names.get(code)?.name ?? code} ${formatNumber(n)}`)
                        .join(', '),
                      shown: formatNumber(SHOWN),
                    }}
                    components={{ strong: <strong /> }}
                  />
                </p>
                <DataTable<Membership>
                  caption={t('settle.memberships.caption', { date: formatDate(data.asOf) })}
                  rows={rows.slice(0, SHOWN)}
                  rowKey={(m) => m.id}
                  busy={state.status === 'loading'}
                  columns={[
                    {
                      key: 'partner',
                      header: t('settle.memberships.partner'),
                      render: (m) => <Link to={detailPath('partners', m.partnerId)}>{m.partnerId}</Link>,
                    },
                    {
                      key: 'tier',
                      header: t('settle.memberships.tierOrStatus'),
                      render: (m) => (
                        <>
                          {names.get(m.code)?.name ?? m.code} <code>{m.code}</code>
                          {names.get(m.code)?.invitationOnly && (
                            <>
                              {' '}
                              <Badge tone="warn">{t('settle.memberships.statusBadge')}</Badge>
                            </>
                          )}
                        </>
                      ),
                    },
                    {
                      key: 'since',
                      header: t('settle.memberships.since'),
                      render: (m) => <IsoTime value={m.validFrom} dateOnly />,
                    },
                    {
                      key: 'to',
                      header: t('settle.memberships.until'),
                      render: (m) => <IsoTime value={m.validTo} dateOnly />,
                    },
                    {
                      key: 'source',
                      header: t('settle.memberships.source'),
                      render: (m) => <Badge tone="info">{enumText(t, 'membershipSource', m.source)}</Badge>,
                    },
                    {
                      key: 'reason',
                      header: t('settle.memberships.reason'),
                      render: (m) => explain(m.reason, m.reasonMessage),
                    },
                    {
                      key: 'gf',
                      header: t('settle.memberships.grandfatheredUntil'),
                      render: (m) => <IsoTime value={m.grandfatheredUntil} dateOnly />,
                    },
                    {
                      key: 'sponsor',
                      header: t('settle.memberships.sponsor'),
                      render: (m) => m.sponsor ?? <Dash />,
                    },
                  ]}
                />
              </>
            ))}
        </div>
      )}
    </section>
  );
}
